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

/**
 * The lines a reader sees in a message's blocks, as the digest's main-message budget counts them
 * (issue 15):
 * - a header: the lines of its text (split on line breaks);
 * - a section: the lines of its text, then its fields two to a row, each row as tall as its taller
 *   field;
 * - a context: as tall as its tallest text element (an image element is one line);
 * - a divider, an actions block, an image, and any other block: one line.
 *
 * A line Slack wraps on a narrow screen counts once: the digest cuts the main message's lines short
 * so that wrapping stays rare, and the character budget bounds what wrapping there can be.
 */
export function renderedLines(blocks: readonly KnownBlock[]): number {
  return blocks.reduce((sum, block) => sum + linesOfBlock(block), 0);
}

const linesOfText = (text: string) => text.split('\n').length;

function linesOfBlock(block: KnownBlock): number {
  switch (block.type) {
    case 'header':
      return linesOfText(block.text.text);
    case 'section': {
      let lines = block.text ? linesOfText(block.text.text) : 0;
      const fields = block.fields ?? [];
      for (let i = 0; i < fields.length; i += 2)
        lines += Math.max(...fields.slice(i, i + 2).map((f) => linesOfText(f.text)));
      return Math.max(1, lines);
    }
    case 'context':
      return Math.max(1, ...block.elements.map((e) => ('text' in e ? linesOfText(e.text) : 1)));
    default:
      return 1;
  }
}
