/**
 * The total text of a message, and the budget every message Cairn posts keeps to.
 *
 * Slack refuses a chat.postMessage / chat.update whose blocks carry, all together, more than about
 * 12,000 characters of text with `msg_blocks_too_long`, whatever the block count and however far
 * each block is within its own limit. The limit is not documented for section blocks; it was
 * measured and reported in slackapi/bolt-js #2509 (refused at ~13,300 characters of markdown
 * blocks, earlier once other blocks were added; a Slack maintainer: "12,000 text characters with a
 * buffer for block containers") and #2867 (a payload whose `.text` fields summed to 11,341 was
 * refused too, so the containers count for something). Cairn keeps every message to 11,000.
 *
 * What is counted (assumptions, chosen to over-count rather than under-count):
 * - every string property named `text` anywhere in the blocks: section text and fields, context
 *   elements, headers, button labels, confirmation dialogs, rich text elements;
 * - the top-level `text` (the notification fallback) as well: Slack may not count it against this
 *   limit, but it is short, and counting it keeps the budget safe if Slack does;
 * - in UTF-16 code units (`string.length`), which is never less than the code points or
 *   characters Slack might count: an emoji counts two.
 */
import type { KnownBlock } from '@slack/types';
import { MESSAGE_BLOCK_LIMIT } from './blocks.js';

/** Characters of text a message Cairn posts carries at most, its blocks and its `text` together. */
export const MESSAGE_TEXT_BUDGET = 11_000;

/** The text a block carries: every `text` string inside it (see the file's comment). */
export function blockTextLength(block: unknown): number {
  if (Array.isArray(block)) return block.reduce((sum: number, b: unknown) => sum + blockTextLength(b), 0);
  if (typeof block !== 'object' || block === null) return 0;
  let total = 0;
  for (const [key, value] of Object.entries(block)) {
    if (key === 'text' && typeof value === 'string') total += value.length;
    else if (typeof value === 'object' && value !== null) total += blockTextLength(value);
  }
  return total;
}

/** The total text of a message: its blocks' texts and its top-level `text` (see the file's comment). */
export function messageTextLength(blocks: readonly unknown[], text?: string): number {
  return blockTextLength(blocks) + (text?.length ?? 0);
}

/** Whether a message keeps to the budget. */
export function withinTextBudget(
  message: { blocks: readonly unknown[]; text?: string },
  budget = MESSAGE_TEXT_BUDGET,
): boolean {
  return messageTextLength(message.blocks, message.text) <= budget;
}

/**
 * Blocks split, in order, into consecutive messages of at most `blockLimit` blocks whose text is at
 * most `budget` less `reserve` (room kept for each message's own `text`). Never drops a block: one
 * block larger than the room on its own (none of Cairn's, at 3,000 characters a section) is a
 * message by itself.
 */
export function packBlocks(
  blocks: readonly KnownBlock[],
  options: { budget?: number; blockLimit?: number; reserve?: number } = {},
): KnownBlock[][] {
  const room = (options.budget ?? MESSAGE_TEXT_BUDGET) - (options.reserve ?? 0);
  const blockLimit = options.blockLimit ?? MESSAGE_BLOCK_LIMIT;
  const messages: KnownBlock[][] = [];
  let current: KnownBlock[] = [];
  let size = 0;
  for (const block of blocks) {
    const length = blockTextLength(block);
    if (current.length > 0 && (current.length >= blockLimit || size + length > room)) {
      messages.push(current);
      current = [];
      size = 0;
    }
    current.push(block);
    size += length;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}
