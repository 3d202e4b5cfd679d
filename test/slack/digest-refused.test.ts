/**
 * Issue 12, item 4: a digest Slack refuses for its size. The fake Slack refuses blocks past ~12,000
 * characters of text with `msg_blocks_too_long` (as slackapi/bolt-js #2509 and #2867 report); the
 * poster takes that (and `invalid_blocks`) as final: no repeat, a short plain message in the main
 * message's place carrying the same run metadata (so a later attempt finds it and posts nothing
 * again), the refused message's size recorded, and the thread under it. Then, through the
 * scheduler's on-demand path against the real database, the run is recorded as posted once.
 */
import { WebClient } from '@slack/web-api';
import type { KnownBlock } from '@slack/types';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/domain/digest.js';
import {
  completeThread,
  DIGEST_EVENT,
  findPostedDigest,
  isPermanentSlackError,
  postDigest,
} from '../../src/slack/digest-poster.js';
import { section } from '../../src/views/blocks.js';
import { digestMessages, type SlackMessage } from '../../src/views/digest-blocks.js';
import { addWorkstream, createProgram } from '../../src/use-cases/programs.js';
import { postDigestNow } from '../../src/use-cases/scheduler.js';
import { messageTextLength } from '../../src/views/message-size.js';
import { BOT_TOKEN } from '../support/cairn-harness.js';
import { testDatabase } from '../support/database.js';
import { DigestFixture, inDays } from '../support/digest-fixtures.js';
import { OWNER, schedulerDeps, TEAM } from '../support/digest-world.js';
import { FakeSlack, type RecordedCall } from '../support/fake-slack.js';
import { silentSlackLogger } from '../support/silent-slack-logger.js';

let slack: FakeSlack;
let client: WebClient;
/** Slack's clock, pinned: the poster looks for the run's message in the history since the claim. */
const NOW = Date.parse('2026-11-25T15:00:00Z');

beforeAll(async () => {
  slack = await FakeSlack.start({ botToken: BOT_TOKEN, teamId: TEAM, rateLimit: false, now: () => NOW });
  // As the scheduler's client: no repeats by the client itself.
  client = new WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    logger: silentSlackLogger,
  });
});
afterAll(async () => {
  await slack?.stop();
});
beforeEach(() => slack.reset());

/** Sections of `size` characters each, `count` of them. */
const sections = (count: number, size: number): KnownBlock[] =>
  Array.from({ length: count }, (_, i) => section(`${i}`.padEnd(size, 'x')));

const since = new Date(NOW - 60_000);
const topLevel = (channel: string) => slack.messages(channel).filter((m) => !m.thread_ts);
const replies = (channel: string, ts: string) =>
  slack.messages(channel).filter((m) => m.thread_ts === ts && m.ts !== ts);
/** chat.postMessage calls to the channel's top level (not the thread). */
const mainPosts = (channel: string): RecordedCall[] =>
  slack.calls('chat.postMessage').filter((c) => c.args['channel'] === channel && !c.args['thread_ts']);

function recordingLog() {
  const warnings: Array<{ fields: Record<string, unknown>; message: string }> = [];
  return {
    warnings,
    warn: ((fields: Record<string, unknown>, message: string) => {
      warnings.push({ fields, message });
    }) as never,
  };
}

describe('the fake Slack', () => {
  it('refuses chat.postMessage blocks past 12,000 characters of text with msg_blocks_too_long, and takes 12,000', async () => {
    const ok = await client.chat.postMessage({ channel: 'CSIZE', text: 'x', blocks: sections(4, 3000) });
    expect(ok.ok).toBe(true);
    // One character more, in a header: every text counts, not only sections'.
    const over = [
      { type: 'header', text: { type: 'plain_text', text: 'H' } } as KnownBlock,
      ...sections(4, 3000),
    ];
    const refused = await client.chat
      .postMessage({ channel: 'CSIZE', text: 'x', blocks: over })
      .catch((e) => e);
    expect(refused).toMatchObject({ data: { ok: false, error: 'msg_blocks_too_long' } });
    expect(topLevel('CSIZE')).toHaveLength(1);
    // Within each block's limits and 50 blocks: only the total is too much.
    const many = await client.chat
      .postMessage({ channel: 'CSIZE', text: 'x', blocks: sections(25, 500) })
      .catch((e) => e);
    expect(many).toMatchObject({ data: { error: 'msg_blocks_too_long' } });
  });

  it('refuses chat.update to blocks past 12,000 characters, leaving the message as it was', async () => {
    const posted = await client.chat.postMessage({ channel: 'CSIZE', text: 'x', blocks: sections(1, 10) });
    const refused = await client.chat
      .update({ channel: 'CSIZE', ts: posted.ts!, text: 'x', blocks: sections(5, 2500) })
      .catch((e) => e);
    expect(refused).toMatchObject({ data: { ok: false, error: 'msg_blocks_too_long' } });
    expect(topLevel('CSIZE')[0]!.blocks).toEqual(sections(1, 10));
    await client.chat.update({ channel: 'CSIZE', ts: posted.ts!, text: 'x', blocks: sections(4, 2500) });
    expect(topLevel('CSIZE')[0]!.blocks).toEqual(sections(4, 2500));
  });
});

describe('postDigest, when Slack refuses the main message for its size', () => {
  const oversize: SlackMessage = { text: 'Checkout revamp — 3 on track', blocks: sections(5, 2900) };
  const thread: SlackMessage[] = [
    { text: 'Checkout revamp — detail by team (1/2)', blocks: sections(2, 100) },
    { text: 'Checkout revamp — detail by team (2/2)', blocks: sections(1, 100) },
  ];
  const fallback = { text: '*Checkout revamp* — digest\n_could not be shown_ `/program preview checkout`' };

  it('does not repeat it, posts the short message once with the run id and the size, and the thread under it', async () => {
    const log = recordingLog();
    const posted = await postDigest(client, 'CREFUSE', { main: oversize, thread, fallback }, 'run-1', {
      since,
      log,
    });
    const size = messageTextLength(oversize.blocks, oversize.text);
    expect(size).toBeGreaterThan(12_000);
    expect(posted.refused).toEqual({ error: 'msg_blocks_too_long', textLength: size, blocks: 5 });

    // The refused message was sent once, then the fallback once: no repeat of what cannot pass.
    const calls = mainPosts('CREFUSE');
    expect(calls.map((c) => c.response['error'] ?? 'ok')).toEqual(['msg_blocks_too_long', 'ok']);
    expect(calls[1]!.args['blocks']).toBeUndefined();

    // One message in the channel: the fallback, with the run's metadata and the refused size.
    const [message, ...others] = topLevel('CREFUSE');
    expect(others).toEqual([]);
    expect(message!.ts).toBe(posted.ts);
    expect(message!.text).toBe(fallback.text);
    expect(message!.metadata).toEqual({
      event_type: DIGEST_EVENT,
      event_payload: { run_id: 'run-1', refused: 'msg_blocks_too_long', text_length: size, blocks: 5 },
    });
    expect(replies('CREFUSE', posted.ts).map((r) => r.text)).toEqual(thread.map((t) => t.text));

    // Logged once, with the size.
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]!.fields).toMatchObject({ error: 'msg_blocks_too_long', textLength: size });

    // A later attempt (after a crash) finds it by the run id and adds nothing to it.
    expect(await findPostedDigest(client, 'CREFUSE', 'run-1', since)).toBe(posted.ts);
    await completeThread(client, 'CREFUSE', posted.ts, thread, { deadline: Infinity, maxAttempts: 4 });
    expect(slack.messages('CREFUSE')).toHaveLength(3);
  });

  it.each(['msg_blocks_too_long', 'invalid_blocks'])(
    'takes %s as final for a digest built by Cairn, and posts its own fallback naming the preview',
    async (error) => {
      const fx = new DigestFixture();
      const w = fx.workstream('pay', { name: 'Payments', targetDate: inDays(10) });
      fx.update(w, { health: 'at_risk', ago: 1, summary: 'PSP down' });
      const messages = digestMessages(buildDigest(fx.data()));
      slack.injectError('chat.postMessage', { error });
      const posted = await postDigest(client, 'CINJECT', messages, 'run-2', { since });
      expect(posted.refused?.error).toBe(error);
      expect(mainPosts('CINJECT')).toHaveLength(2);
      const [message, ...others] = topLevel('CINJECT');
      expect(others).toEqual([]);
      expect(message!.text).toBe(messages.fallback.text);
      expect(message!.text).toContain('`/program preview checkout`');
      expect(message!.text).toContain('Checkout revamp');
      expect(message!.text).toContain('*1* at risk');
      expect(replies('CINJECT', posted.ts)).toHaveLength(messages.thread.length);
    },
  );

  it('without a fallback of the caller’s, posts the notification text and says why', async () => {
    const posted = await postDigest(client, 'CGENERIC', { main: oversize, thread: [] }, 'run-3', { since });
    expect(topLevel('CGENERIC').map((m) => m.text)).toEqual([
      'Checkout revamp — 3 on track\n_The full digest could not be shown here: Slack refused it as too long._',
    ]);
    expect(posted.refused?.error).toBe('msg_blocks_too_long');
  });

  it('says the refused size in the error when the fallback cannot be posted either', async () => {
    slack.injectError('chat.postMessage', { error: 'msg_blocks_too_long' });
    slack.injectError('chat.postMessage', { error: 'channel_not_found' });
    const failed = (await postDigest(client, 'CFAIL', { main: oversize, thread: [] }, 'run-4', {
      since,
    }).catch((e: unknown) => e)) as Error;
    expect(failed.message).toMatch(/channel_not_found/);
    expect(failed.message).toMatch(/msg_blocks_too_long: \d+ characters of text in 5 blocks/);
    expect(isPermanentSlackError(failed)).toBe(true);
    expect(topLevel('CFAIL')).toEqual([]);
  });

  it('replaces a refused reply by its text, so the thread keeps its count and goes on', async () => {
    const big: SlackMessage[] = [
      thread[0]!,
      { text: 'Checkout revamp — detail by team (2/3)', blocks: sections(5, 2900) },
      { text: 'Checkout revamp — detail by team (3/3)', blocks: sections(1, 100) },
    ];
    const posted = await postDigest(client, 'CREPLY', { main: thread[1]!, thread: big }, 'run-5', { since });
    expect(posted.refused).toBeUndefined();
    const texts = replies('CREPLY', posted.ts).map((r) => r.text);
    expect(texts).toEqual([
      big[0]!.text,
      `${big[1]!.text}\n_The full digest could not be shown here: Slack refused it as too long._`,
      big[2]!.text,
    ]);
    // Completing it again (a later attempt) finds all three there.
    await completeThread(client, 'CREPLY', posted.ts, big, { deadline: Infinity, maxAttempts: 4 });
    expect(replies('CREPLY', posted.ts)).toHaveLength(3);
  });
});

describe('a digest refused for its size, posted on demand through the scheduler', () => {
  it('is recorded as posted once, at the fallback, and not posted again', async () => {
    const db = await testDatabase('digest-refused');
    try {
      const deps = schedulerDeps(db.connection, slack);
      const now = new Date(NOW);
      const created = await createProgram(
        deps.stores,
        OWNER,
        { programKey: 'big', name: 'Big program', channelId: 'CBIG' },
        now,
      );
      if (!created.ok) throw new Error(JSON.stringify(created.problem));
      for (let i = 0; i < 3; i++) {
        const added = await addWorkstream(
          deps.stores,
          OWNER,
          {
            programKey: 'big',
            workstreamKey: `ws-${i}`,
            name: `Workstream ${i}`,
            team: 'core',
            leadUserId: `U0L${i}`,
          },
          now,
        );
        if (!added.ok) throw new Error(JSON.stringify(added.problem));
      }
      slack.injectError('chat.postMessage', { error: 'msg_blocks_too_long' });
      const outcome = await postDigestNow(deps, created.value, { replicaId: 'replica-a', now });
      expect(outcome.ok).toBe(true);

      const [message, ...others] = topLevel('CBIG');
      expect(others).toEqual([]);
      expect(message!.text).toContain('`/program preview big`');
      expect(mainPosts('CBIG').map((c) => c.response['error'] ?? 'ok')).toEqual([
        'msg_blocks_too_long',
        'ok',
      ]);
      const runs = await deps.stores.runs.forSchedule(
        TEAM,
        `on-demand:${created.value._id.toHexString()}`,
        10,
      );
      expect(runs.map((r) => ({ state: r.state, ts: r.ts, attempts: r.attempts }))).toEqual([
        { state: 'posted', ts: message!.ts, attempts: 1 },
      ]);

      // Asked again in the same second: the run is there, nothing more is posted.
      await postDigestNow(deps, created.value, { replicaId: 'replica-b', now });
      expect(topLevel('CBIG')).toHaveLength(1);
      expect(mainPosts('CBIG')).toHaveLength(2);
    } finally {
      await db.drop();
    }
  });
});

describe('isPermanentSlackError', () => {
  it('takes a message refused for its blocks as final, and a server error as not', () => {
    for (const error of ['msg_blocks_too_long', 'invalid_blocks', 'invalid_blocks_format'])
      expect(isPermanentSlackError({ data: { ok: false, error } }), error).toBe(true);
    expect(isPermanentSlackError({ data: { ok: false, error: 'internal_error' } })).toBe(false);
    expect(isPermanentSlackError(new Error('socket hang up'))).toBe(false);
  });
});
