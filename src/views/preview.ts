import type { KnownBlock } from '@slack/types';
import { context, divider, MESSAGE_BLOCK_LIMIT } from './blocks.js';

/**
 * A digest shown to one person: ephemeral messages have no thread, so the thread's detail follows
 * the main message for as long as Slack's block limit allows, and the rest is counted, not dropped silently.
 */
export function previewBlocks(
  main: readonly KnownBlock[],
  thread: ReadonlyArray<readonly KnownBlock[]>,
): KnownBlock[] {
  const blocks: KnownBlock[] = [
    context('_Preview, only you can see it. Posted, the detail below goes in the thread._'),
    ...main,
  ];
  const detail = thread.flat();
  if (detail.length === 0) return blocks.slice(0, MESSAGE_BLOCK_LIMIT);
  const room = MESSAGE_BLOCK_LIMIT - blocks.length - 2;
  if (room <= 0)
    return [
      ...blocks.slice(0, MESSAGE_BLOCK_LIMIT - 1),
      context(`…and ${detail.length} blocks of detail by team.`),
    ];
  const shown = detail.slice(0, room);
  const rest = detail.length - shown.length;
  return [
    ...blocks,
    divider(),
    ...shown,
    ...(rest > 0 ? [context(`…and ${rest} more blocks of detail by team, in the thread when posted.`)] : []),
  ].slice(0, MESSAGE_BLOCK_LIMIT);
}
