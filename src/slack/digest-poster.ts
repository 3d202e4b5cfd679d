import { ErrorCode, type WebClient } from '@slack/web-api';
import { monotonicMs } from '../clock.js';
import type { SlackMessage } from '../views/message.js';

/** Message metadata type that marks Cairn's digests, carrying the run id. */
export const DIGEST_EVENT = 'cairn_digest';

export interface PostOptions {
  /** When the run was claimed: its message, if any, is younger. */
  since: Date;
  /** Give up on the main message after this long, well before another replica may take the run over. */
  budgetMs?: number;
  maxAttempts?: number;
  /** Asked before every repeat: false when another replica has taken the run over meanwhile. */
  stillOurs?: () => Promise<boolean>;
}

/** The run was taken over by another replica while this one waited to repeat a post; it stops. */
export class TakenOverError extends Error {
  override readonly name = 'TakenOverError';
}

/**
 * Posts a digest once: the main message carries its run id in message metadata, then the detail
 * goes in its thread. `client` must not repeat calls by itself (ClientFor's `{ retries: false }`):
 * a 5xx or a timeout may come after Slack stored the message, so before trying again this looks
 * for what is already there; a 429 means nothing was stored, and its Retry-After is obeyed.
 */
export async function postDigest(
  client: WebClient,
  channel: string,
  messages: { main: SlackMessage; thread: SlackMessage[] },
  runId: string,
  options: PostOptions,
): Promise<{ channel: string; ts: string }> {
  // Budgets are real elapsed time (monotonic), not the injectable wall clock, which a test may pin.
  const deadline = monotonicMs() + (options.budgetMs ?? 60_000);
  const maxAttempts = options.maxAttempts ?? 4;
  const ts = await repeatUntilThere(
    () =>
      client.chat.postMessage({
        channel,
        text: messages.main.text,
        blocks: messages.main.blocks,
        metadata: { event_type: DIGEST_EVENT, event_payload: { run_id: runId } },
        unfurl_links: false,
        unfurl_media: false,
      }),
    () => findPostedDigest(client, channel, runId, options.since),
    { deadline, maxAttempts },
  );
  await completeThread(client, channel, ts, messages.thread, {
    deadline: monotonicMs() + 5 * 60_000,
    maxAttempts,
  });
  return { channel, ts };
}

/** Posts the replies a digest's thread is missing (all of them, or those after a failure or a crash). */
export async function completeThread(
  client: WebClient,
  channel: string,
  ts: string,
  thread: readonly SlackMessage[],
  limits: Limits,
): Promise<void> {
  const replies = () => replyCount(client, channel, ts);
  for (let have = thread.length > 0 ? await replies() : 0; have < thread.length; have++) {
    const reply = thread[have]!;
    const expected = have + 1;
    await repeatUntilThere(
      () =>
        client.chat.postMessage({
          channel,
          thread_ts: ts,
          text: reply.text,
          blocks: reply.blocks,
          unfurl_links: false,
        }),
      async () => ((await replies()) >= expected ? 'there' : undefined),
      limits,
    );
  }
}

/**
 * Calls `post` until Slack has the message, asking `lookUp` before each repeat whether an earlier
 * call got through after all. Permanent errors end it at once.
 */
interface Limits {
  /** In `monotonicMs()` terms. */
  deadline: number;
  maxAttempts: number;
  stillOurs?: (() => Promise<boolean>) | undefined;
}

async function repeatUntilThere(
  post: () => Promise<{ ts?: string }>,
  lookUp: () => Promise<string | undefined>,
  limits: Limits,
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    let waitMs: number;
    try {
      const posted = await post();
      if (!posted.ts) throw new Error('Slack accepted the message but returned no ts');
      return posted.ts;
    } catch (error) {
      // ok:false is Slack's definite answer (nothing stored): the run's next attempt deals with it.
      const platformError = (error as { code?: string }).code === ErrorCode.PlatformError;
      if (platformError || isPermanentSlackError(error) || attempt >= limits.maxAttempts) throw error;
      const rateLimited = (error as { code?: string }).code === ErrorCode.RateLimitedError;
      waitMs = rateLimited
        ? ((error as { retryAfter?: number }).retryAfter ?? 1) * 1000
        : Math.min(500 * 2 ** (attempt - 1), 8_000);
      if (monotonicMs() + waitMs > limits.deadline) throw error;
      if (!rateLimited) {
        const found = await lookUp().catch(() => undefined);
        if (found) return found;
      }
    }
    await new Promise((r) => setTimeout(r, waitMs));
    if (limits.stillOurs && !(await limits.stillOurs()))
      throw new TakenOverError('another replica took the run over');
  }
}

async function replyCount(client: WebClient, channel: string, ts: string): Promise<number> {
  const replies = await client.conversations.replies({ channel, ts, limit: 200 });
  return Math.max(0, (replies.messages ?? []).filter((m) => m.ts !== ts).length);
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
    'invalid_metadata_format',
  ].includes(code ?? '');
}
