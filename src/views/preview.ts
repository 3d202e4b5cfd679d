import type { KnownBlock, ModalView, SectionBlock } from '@slack/types';
import { context, divider, MESSAGE_BLOCK_LIMIT } from './blocks.js';
import { blockTextLength, MESSAGE_TEXT_BUDGET } from './message-size.js';
import { plural } from './plural.js';

/** Room kept for the answer's own `text` (the digest's notification text) and the closing line. */
const PREVIEW_TEXT_ROOM = 400;

/**
 * A digest shown to one person: ephemeral messages have no thread, so the thread's detail follows
 * the main message for as long as Slack's limits allow (50 blocks, MESSAGE_TEXT_BUDGET characters
 * of text), and the rest is counted, not dropped silently.
 */
export function previewBlocks(
  main: readonly KnownBlock[],
  thread: ReadonlyArray<readonly KnownBlock[]>,
): KnownBlock[] {
  const blocks: KnownBlock[] = [
    context('_Preview, only you can see it. Posted, the detail below goes in the thread._'),
    ...main,
  ];
  // Block ids are unique within a message: a thread block repeating one of the main message's (a
  // needs-attention line, on one line there and whole in the thread) gets an id of its own.
  const ids = new Set(main.flatMap((b) => (b.block_id ? [b.block_id] : [])));
  const detail = thread
    .flat()
    .map((b) => (b.block_id && ids.has(b.block_id) ? { ...b, block_id: `${b.block_id}_in_thread` } : b));
  if (detail.length === 0) return blocks.slice(0, MESSAGE_BLOCK_LIMIT);
  const room = MESSAGE_BLOCK_LIMIT - blocks.length - 2;
  if (room <= 0)
    return [
      ...blocks.slice(0, MESSAGE_BLOCK_LIMIT - 1),
      context(`…and ${plural(detail.length, 'block')} of detail by team.`),
    ];
  let chars = MESSAGE_TEXT_BUDGET - PREVIEW_TEXT_ROOM - blockTextLength(blocks);
  const shown: KnownBlock[] = [];
  for (const block of detail.slice(0, room)) {
    chars -= blockTextLength(block);
    if (chars < 0) break;
    shown.push(block);
  }
  const rest = detail.length - shown.length;
  return [
    ...blocks,
    divider(),
    ...shown,
    ...(rest > 0
      ? [context(`…and ${plural(rest, 'more block')} of detail by team, in the thread when posted.`)]
      : []),
  ].slice(0, MESSAGE_BLOCK_LIMIT);
}

/**
 * The same preview in a modal (from the Home tab, which has no ephemeral messages); a modal's buttons
 * and line menus would do nothing, so there are none.
 */
export function previewModal(digest: {
  main: { blocks: readonly KnownBlock[] };
  thread: ReadonlyArray<{ blocks: readonly KnownBlock[] }>;
}): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Digest preview' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: previewBlocks(
      digest.main.blocks,
      digest.thread.map((m) => m.blocks),
    )
      .filter((b) => b.type !== 'actions')
      .map((b) => (b.type === 'section' && b.accessory ? withoutAccessory(b) : b)),
  };
}

function withoutAccessory(block: SectionBlock): SectionBlock {
  const rest = { ...block };
  delete rest.accessory;
  return rest;
}
