import type { KnownBlock } from '@slack/types';

/** A message as chat.postMessage takes it: blocks, and the text notifications and screen readers use. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}
