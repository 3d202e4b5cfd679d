import { ErrorCode, type WebClient } from '@slack/web-api';
import { monotonicMs } from '../clock.js';
import type { Logger } from '../logger.js';
import type { SlackMessage } from '../views/message.js';
import { messageTextLength } from '../views/message-size.js';
import type { Pace } from './pacing.js';

/** Message metadata type that marks Cairn's digests, carrying the run id. */
export const DIGEST_EVENT = 'cairn_digest';
/** Message metadata type that marks Cairn's other messages sent once (DMs), carrying their claim's key. */
export const NOTICE_EVENT = 'cairn_notice';

export interface PostOptions {
  /** When the run was claimed: its message, if any, is younger. */
  since: Date;
  /** Give up on the main message after this long, well before another replica may take the run over. */
  budgetMs?: number;
  maxAttempts?: number;
  /** Asked before every repeat: false when another replica has taken the run over meanwhile. */
  stillOurs?: () => Promise<boolean>;
  /** Where a message Slack refused is reported, with its size. */
  log?: Pick<Logger, 'warn'>;
  /** The channel's pace (src/slack/pacing.ts): every post waits its turn; none when left out. */
  pace?: Pace;
}

/** A digest to post: the main message, its thread, and what to post if Slack refuses the main message. */
export interface DigestToPost {
  main: SlackMessage;
  thread: SlackMessage[];
  /** A few plain lines (no blocks) to post in the main message's place; a generic one when left out. */
  fallback?: { text: string };
}

/** A message Slack refused for its blocks, and how big it was. */
export interface RefusedMessage {
  /** Slack's error: `msg_blocks_too_long`, `invalid_blocks` or `invalid_blocks_format`. */
  error: string;
  /** Its total text (message-size.ts's count: every text of its blocks and its `text`). */
  textLength: number;
  blocks: number;
}

export interface PostedDigest {
  channel: string;
  ts: string;
  /** Set when Slack refused the main message and the fallback was posted in its place. */
  refused?: RefusedMessage;
}

/** What a plain fallback says when the caller gave none. */
export const REFUSED_NOTE = '_The full digest could not be shown here: Slack refused it as too long._';

/** The run was taken over by another replica while this one waited to repeat a post; it stops. */
export class TakenOverError extends Error {
  override readonly name = 'TakenOverError';
}

/**
 * Posts a digest once: the main message carries its run id in message metadata, then the detail
 * goes in its thread. `client` must not repeat calls by itself (ClientFor's `{ retries: false }`):
 * a 5xx or a timeout may come after Slack stored the message, so before trying again this looks
 * for what is already there; a 429 means nothing was stored, and its Retry-After is obeyed.
 *
 * When Slack refuses the main message for its blocks (`msg_blocks_too_long`, `invalid_blocks`:
 * nothing stored, and no repeat would change the answer), the digest's short plain fallback is
 * posted in its place, with the same run metadata, so a later attempt finds it and the slot is
 * recorded as posted once; the refused message's size is logged, kept in the fallback's metadata
 * and returned. The thread follows under whichever was posted, as it would after a crash.
 */
export async function postDigest(
  client: WebClient,
  channel: string,
  messages: DigestToPost,
  runId: string,
  options: PostOptions,
): Promise<PostedDigest> {
  // Budgets are real elapsed time (monotonic), not the injectable wall clock, which a test may pin.
  const deadline = monotonicMs() + (options.budgetMs ?? 60_000);
  const maxAttempts = options.maxAttempts ?? 4;
  const lookUp = () => findPostedDigest(client, channel, runId, options.since);
  const post = (text: string, blocks: SlackMessage['blocks'] | undefined, payload: Record<string, unknown>) =>
    client.chat.postMessage({
      channel,
      text,
      ...(blocks ? { blocks } : {}),
      metadata: { event_type: DIGEST_EVENT, event_payload: { run_id: runId, ...payload } },
      unfurl_links: false,
      unfurl_media: false,
    });
  let ts: string;
  let refused: RefusedMessage | undefined;
  try {
    ts = await repeatUntilThere(() => post(messages.main.text, messages.main.blocks, {}), lookUp, {
      deadline,
      maxAttempts,
      stillOurs: options.stillOurs,
      pace: options.pace,
    });
  } catch (error) {
    refused = refusal(error, messages.main);
    if (!refused) throw error;
    options.log?.warn(
      { channel, run: runId, ...refused },
      "Slack refused a digest's main message; posting a short message in its place",
    );
    const text = messages.fallback?.text ?? `${messages.main.text}\n${REFUSED_NOTE}`;
    const size = { refused: refused.error, text_length: refused.textLength, blocks: refused.blocks };
    try {
      ts = await repeatUntilThere(() => post(text, undefined, size), lookUp, {
        deadline,
        maxAttempts,
        stillOurs: options.stillOurs,
        pace: options.pace,
      });
    } catch (fallbackError) {
      throw withRefusal(fallbackError, refused);
    }
  }
  await completeThread(client, channel, ts, messages.thread, {
    deadline: monotonicMs() + 5 * 60_000,
    maxAttempts,
    log: options.log,
    stillOurs: options.stillOurs,
    pace: options.pace,
  });
  return refused ? { channel, ts, refused } : { channel, ts };
}

/**
 * Posts the replies a digest's thread is missing (all of them, or those after a failure or a crash).
 * A reply Slack refuses for its blocks is replaced by its text and a line saying so, so the thread
 * keeps its count of replies (which is how a later attempt knows where to go on) and nothing stops.
 */
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
    const post = (text: string, blocks?: SlackMessage['blocks']) =>
      repeatUntilThere(
        () =>
          client.chat.postMessage({
            channel,
            thread_ts: ts,
            text,
            ...(blocks ? { blocks } : {}),
            unfurl_links: false,
          }),
        async () => ((await replies()) >= expected ? 'there' : undefined),
        limits,
      );
    try {
      await post(reply.text, reply.blocks);
    } catch (error) {
      const refused = refusal(error, reply);
      if (!refused) throw error;
      limits.log?.warn(
        { channel, ts, reply: expected, ...refused },
        "Slack refused a reply in a digest's thread; posting its text in its place",
      );
      await post(`${reply.text}\n${REFUSED_NOTE}`).catch((e: unknown) => {
        throw withRefusal(e, refused);
      });
    }
  }
}

/** Slack errors that refuse a message for its blocks: nothing was stored, and repeating will not help. */
const BLOCKS_REFUSED = ['msg_blocks_too_long', 'invalid_blocks', 'invalid_blocks_format'];

/** The refusal, with the message's size, when `error` is Slack refusing `message` for its blocks. */
function refusal(error: unknown, message: SlackMessage): RefusedMessage | undefined {
  const code = slackErrorCode(error);
  if (code === undefined || !BLOCKS_REFUSED.includes(code)) return undefined;
  return {
    error: code,
    textLength: messageTextLength(message.blocks, message.text),
    blocks: message.blocks.length,
  };
}

/** `error`, its message saying which message Slack refused before and how big it was. */
function withRefusal(error: unknown, refused: RefusedMessage): unknown {
  if (error instanceof Error)
    error.message = `${error.message} (after Slack refused the message with ${refused.error}: ${refused.textLength} characters of text in ${refused.blocks} blocks)`;
  return error;
}

const slackErrorCode = (error: unknown) => (error as { data?: { error?: string } } | undefined)?.data?.error;

/**
 * Calls `post` until Slack has the message, asking `lookUp` before each repeat whether an earlier
 * call got through after all. Permanent errors end it at once.
 */
interface Limits {
  /** In `monotonicMs()` terms. */
  deadline: number;
  maxAttempts: number;
  stillOurs?: (() => Promise<boolean>) | undefined;
  /** Where a refused reply is reported, with its size. */
  log?: Pick<Logger, 'warn'> | undefined;
  pace?: Pace | undefined;
}

async function repeatUntilThere(
  post: () => Promise<{ ts?: string }>,
  lookUp: () => Promise<string | undefined>,
  limits: Limits,
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    let waitMs: number;
    try {
      const posted = limits.pace ? await limits.pace(post) : await post();
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
export function findPostedDigest(
  client: WebClient,
  channel: string,
  runId: string,
  since: Date,
): Promise<string | undefined> {
  return findMarked(client, channel, DIGEST_EVENT, 'run_id', runId, since);
}

/**
 * Sends one message once, a DM or a channel message that is not a digest (reminders, escalations,
 * capacity alerts): like the digest's main message, `client` must not repeat calls by itself; the
 * message carries `key` in its metadata, and before a repeat after a 5xx or a timeout the
 * conversation is searched for it, so an answer lost after Slack stored the message never doubles
 * it. A user id as `channel` is their DM with the app (conversations.open; reading it back needs
 * `im:history`). Resolves with where it is; throws what Slack said when it could not be sent.
 */
export async function postMessageOnce(
  client: WebClient,
  channel: string,
  message: SlackMessage,
  key: string,
  options: { since: Date; maxAttempts?: number; budgetMs?: number },
): Promise<{ channel: string; ts: string }> {
  // Slack answers a post to a user id with the DM's id; reading the DM back needs that id.
  let where = channel;
  const conversation = async () =>
    /^[UW][A-Z0-9]+$/.test(where)
      ? (where = (await client.conversations.open({ users: channel })).channel?.id ?? where)
      : where;
  const ts = await repeatUntilThere(
    async () => {
      const posted = await client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        metadata: { event_type: NOTICE_EVENT, event_payload: { key } },
        unfurl_links: false,
        unfurl_media: false,
      });
      if (posted.channel) where = posted.channel;
      return posted;
    },
    async () => findMarked(client, await conversation(), NOTICE_EVENT, 'key', key, options.since),
    { deadline: monotonicMs() + (options.budgetMs ?? 30_000), maxAttempts: options.maxAttempts ?? 4 },
  );
  return { channel: where, ts };
}

/** A message of the conversation since `since` whose metadata is `event_type` with `field` = `value`. */
async function findMarked(
  client: WebClient,
  channel: string,
  eventType: string,
  field: string,
  value: string,
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
      const metadata = (m as { metadata?: { event_type?: string; event_payload?: Record<string, unknown> } })
        .metadata;
      return metadata?.event_type === eventType && metadata.event_payload?.[field] === value;
    });
    if (found?.ts) return found.ts;
    cursor = history.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}

/** Slack errors that no retry will fix (a message refused for its blocks among them). */
export function isPermanentSlackError(error: unknown): boolean {
  const code = slackErrorCode(error);
  return [
    'channel_not_found',
    'not_in_channel',
    'is_archived',
    'invalid_auth',
    'account_inactive',
    'token_revoked',
    ...BLOCKS_REFUSED,
    'msg_too_long',
    'invalid_metadata_format',
  ].includes(code ?? '');
}
