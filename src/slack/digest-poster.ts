import type { WebClient } from '@slack/web-api';
import type { KnownBlock } from '@slack/types';

/** Message metadata type that marks Cairn's digests, carrying the run id. */
export const DIGEST_EVENT = 'cairn_digest';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/**
 * Posts a digest: the main message, carrying its run id in message metadata, then the detail in
 * its thread. Slack's 429s and 5xx are retried by the client (bounded, honouring Retry-After).
 */
export async function postDigest(
  client: WebClient,
  channel: string,
  messages: { main: SlackMessage; thread: SlackMessage[] },
  runId: string,
): Promise<{ channel: string; ts: string }> {
  const main = await client.chat.postMessage({
    channel,
    text: messages.main.text,
    blocks: messages.main.blocks,
    metadata: { event_type: DIGEST_EVENT, event_payload: { run_id: runId } },
    unfurl_links: false,
    unfurl_media: false,
  });
  const ts = main.ts;
  if (!ts) throw new Error('Slack accepted the digest but returned no ts');
  for (const reply of messages.thread) {
    await client.chat.postMessage({
      channel: main.channel ?? channel,
      thread_ts: ts,
      text: reply.text,
      blocks: reply.blocks,
      unfurl_links: false,
    });
  }
  return { channel: main.channel ?? channel, ts };
}

/**
 * Looks in the channel's recent history for a digest carrying `runId`: after a crash between
 * posting and recording, this is how a second attempt knows not to post again.
 */
export async function findPostedDigest(
  client: WebClient,
  channel: string,
  runId: string,
  since: Date,
): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < 5; page++) {
    const history = await client.conversations.history({
      channel,
      oldest: String(Math.floor(since.getTime() / 1000) - 60),
      include_all_metadata: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    const found = history.messages?.find((m) => {
      const metadata = (m as { metadata?: { event_type?: string; event_payload?: { run_id?: unknown } } })
        .metadata;
      return metadata?.event_type === DIGEST_EVENT && metadata.event_payload?.run_id === runId;
    });
    if (found?.ts) return found.ts;
    cursor = history.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}

/** Slack errors that no retry will fix. */
export function isPermanentSlackError(error: unknown): boolean {
  const code = (error as { data?: { error?: string } }).data?.error;
  return [
    'channel_not_found',
    'not_in_channel',
    'is_archived',
    'invalid_auth',
    'account_inactive',
    'token_revoked',
    'invalid_blocks',
    'msg_too_long',
  ].includes(code ?? '');
}
