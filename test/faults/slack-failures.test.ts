/**
 * Slack failing under the digest scheduler: 429s (Retry-After 1) and 500s on a share of
 * chat.postMessage calls while ~30 programs are due in the same slot, Slack failing past every
 * retry, a reply in the thread failing after the main message was posted, and a 500 whose message
 * Slack had in fact stored.
 *
 * The scheduler core runs with an injected clock (test/support/digest-world.ts) against the real
 * database; its Web API client talks to a chaos proxy in front of the fake Slack, which answers
 * some calls with an error itself (so Slack never sees them) or, for the lost-answer case,
 * forwards the call and then answers 500. The proxy records every call it sees, with the tick it
 * came in, so retries can be counted per message and per attempt.
 */
import type { Program } from '../../src/domain/entities.js';
import http from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { LogLevel } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createStores } from '../../src/services.js';
import { singleWorkspaceClients } from '../../src/slack/workspace-client.js';
import { composeDigest } from '../../src/use-cases/compose-digest.js';
import type { SchedulerDeps } from '../../src/use-cases/scheduler.js';
import { nudgeLeads } from '../../src/use-cases/reminders.js';
import { BOT_TOKEN, eventually } from '../support/cairn-harness.js';
import { tenantCollection, testDatabase, testLayout } from '../support/database.js';
import { digestsIn, programWithSchedule, runIdOf, TEAM, tick } from '../support/digest-world.js';
import { FakeSlack } from '../support/fake-slack.js';
import { prng } from './fuzz-text.js';

/** The scheduler's client retries each call this many times (as digest-world's schedulerDeps). */
const RETRIES = 3;
/** runSchedulerTick's default. */
const MAX_ATTEMPTS = 3;
/** Seeds which calls fail in the mass test; CHAOS_SEED=<n> tries another pattern. */
const SEED = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : 20_261_204;

interface ProxiedCall {
  tick: number;
  /** The X-Replica header the client sent, when it names its replica. */
  replica?: string;
  method: string;
  channel: string;
  threadTs?: string;
  runId?: string;
  /** Identifies one message across retries and attempts: the main message of a channel, or a reply's text. */
  message: string;
  /** What the client got. */
  status: number;
  injected: boolean;
  /** Whether the fake Slack saw the call (and so may have stored the message). */
  forwarded: boolean;
}

/** What to do with a call: pass it, answer an error instead, or pass it and answer an error anyway. */
type Verdict =
  | { kind: 'pass' }
  | { kind: 'fail'; status: 429 | 500; retryAfter?: number }
  | { kind: 'platform-error'; error: string }
  | { kind: 'lose-answer' };
type Policy = (call: Omit<ProxiedCall, 'status' | 'injected' | 'forwarded'>) => Verdict;

/** An HTTP proxy in front of the fake Slack that fails calls as a policy says. */
class ChaosProxy {
  readonly calls: ProxiedCall[] = [];
  policy: Policy = () => ({ kind: 'pass' });
  tick = 0;
  private server: http.Server;
  url = '';

  constructor(private readonly upstream: string) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  reset(): void {
    this.calls.length = 0;
    this.policy = () => ({ kind: 'pass' });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const args = Object.fromEntries(new URLSearchParams(body));
    const channel = args.channel ?? '';
    const threadTs = args.thread_ts || undefined;
    let runId: string | undefined;
    try {
      runId = (JSON.parse(args.metadata ?? '{}') as { event_payload?: { run_id?: string } }).event_payload
        ?.run_id;
    } catch {
      runId = undefined;
    }
    const message =
      method === 'chat.postMessage'
        ? threadTs
          ? `${channel} reply ${createHash('sha1')
              .update(args.text ?? '')
              .digest('hex')
              .slice(0, 10)}`
          : `${channel} main`
        : `${channel} ${method}`;
    const replica = typeof req.headers['x-replica'] === 'string' ? req.headers['x-replica'] : undefined;
    const seen = { tick: this.tick, replica, method, channel, threadTs, runId, message };
    const verdict = this.policy(seen);
    const record = (status: number, injected: boolean, forwarded: boolean) =>
      this.calls.push({ ...seen, status, injected, forwarded });

    if (verdict.kind === 'fail') {
      record(verdict.status, true, false);
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (verdict.status === 429) headers['Retry-After'] = String(verdict.retryAfter ?? 1);
      res.writeHead(verdict.status, headers);
      res.end(
        JSON.stringify({ ok: false, error: verdict.status === 429 ? 'ratelimited' : 'internal_error' }),
      );
      return;
    }
    if (verdict.kind === 'platform-error') {
      record(200, true, false);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: verdict.error }));
      return;
    }
    const upstream = await fetch(this.upstream + method, {
      method: 'POST',
      headers: {
        'Content-Type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded',
        ...(req.headers.authorization ? { Authorization: req.headers.authorization } : {}),
      },
      body,
    });
    const text = await upstream.text();
    if (verdict.kind === 'lose-answer') {
      // Slack did the work; the answer never reached the client.
      record(500, true, true);
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('upstream connect error or disconnect/reset before headers');
      return;
    }
    record(upstream.status, false, true);
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    const retryAfter = upstream.headers.get('retry-after');
    if (retryAfter) headers['Retry-After'] = retryAfter;
    res.writeHead(upstream.status, headers);
    res.end(text);
  }
}

let db: Awaited<ReturnType<typeof testDatabase>>;
let slack: FakeSlack;
let proxy: ChaosProxy;
let deps: SchedulerDeps & { stores: ReturnType<typeof createStores> };
/** Slack's clock follows the scheduler's injected one, as real clocks agree in production. */
let slackNow = Date.parse('2026-11-01T00:00:00Z');
const tickAt = (now: Date, replicaId?: string) => {
  slackNow = now.getTime();
  proxy.tick++;
  return tick(deps, now, replicaId);
};
const at = (iso: string, deltaMs = 0) => new Date(new Date(iso).getTime() + deltaMs);

beforeAll(async () => {
  db = await testDatabase('slack-failures');
  slack = await FakeSlack.start({ botToken: BOT_TOKEN, teamId: TEAM, rateLimit: false, now: () => slackNow });
  proxy = new ChaosProxy(slack.apiUrl);
  await proxy.start();
  deps = {
    stores: createStores(db.connection, testLayout()),
    slackFor: singleWorkspaceClients(BOT_TOKEN, {
      slackApiUrl: proxy.url,
      retryConfig: { retries: RETRIES, factor: 1, minTimeout: 10, maxTimeout: 50 },
      // The client's own notes on each 429 and retry would drown the report.
      logLevel: LogLevel.ERROR,
    }),
    log: createLogger(process.env.LOG_LEVEL ?? 'silent', 'scheduler-under-chaos'),
  };
});
afterEach(() => {
  slack.reset();
  proxy.reset();
});
afterAll(async () => {
  await proxy?.stop();
  await slack?.stop();
  await db?.drop();
});

async function programs(prefix: string, count: number, time: string, workstreams = 3) {
  const made: Array<{ channel: string; program: Program; scheduleKey: string }> = [];
  for (let i = 0; i < count; i++) {
    const channel = `C${prefix.toUpperCase()}${String(i).padStart(2, '0')}`;
    const { program, schedule } = await programWithSchedule(deps.stores, {
      key: `${prefix}-${i}`,
      channelId: channel,
      days: ['fri'],
      time,
      timezone: 'UTC',
      createdAt: at('2026-12-01T00:00:00Z'),
      workstreams,
    });
    made.push({ channel, program, scheduleKey: schedule._id.toHexString() });
  }
  return made;
}

async function runsOf(scheduleKeys: string[]) {
  return (await tenantCollection(db.connection, 'digest_runs', TEAM))
    .find({ scheduleKey: { $in: scheduleKeys } })
    .toArray();
}

/** Ticks every 15 s from `first` until no run of these schedules is claimed or due for a retry. */
async function tickUntilSettled(first: Date, scheduleKeys: string[], maxTicks = 12): Promise<number> {
  let now = first;
  for (let n = 1; n <= maxTicks; n++) {
    await tickAt(now);
    const runs = await runsOf(scheduleKeys);
    const open = runs.filter((r) => r.state === 'claimed' || (r.state === 'failed' && r.retryAt));
    if (runs.length === scheduleKeys.length && open.length === 0) return n;
    now = new Date(now.getTime() + 15_000);
  }
  throw new Error(`runs still open after ${maxTicks} ticks`);
}

/** Calls of one message within one tick (one attempt of its run): the client's retries. */
function callsPerMessageAndTick(calls: ProxiedCall[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of calls.filter((c) => c.method === 'chat.postMessage')) {
    const key = `tick ${c.tick}: ${c.message}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The digest's text replies in its thread (its charts, shared as files, are counted apart). */
function repliesTo(channel: string, ts: string) {
  return slack.messages(channel).filter((m) => m.thread_ts === ts && m.ts !== ts && m.files === undefined);
}

describe('the digest scheduler when Slack fails', () => {
  it('posts ~30 digests due together exactly once each, through 429s and 500s on a share of calls', async () => {
    const made = await programs('mass', 30, '10:00');
    const keys = made.map((m) => m.scheduleKey);
    const random = prng(SEED);
    // A transient failure: each message fails a few times in a row at most. Most messages fail at
    // most RETRIES times (the client's retries absorb it); a few main messages fail long enough
    // to fail their run's first attempt, and succeed in the second.
    const stubborn = new Set(made.filter((_, i) => i % 7 === 3).map((m) => `${m.channel} main`));
    const streak = new Map<string, number>();
    const budget = new Map<string, number>();
    proxy.policy = (c) => {
      if (c.method !== 'chat.postMessage') return { kind: 'pass' };
      if (!budget.has(c.message))
        budget.set(
          c.message,
          stubborn.has(c.message)
            ? 4 + Math.floor(random() * 4)
            : Math.floor(random() * 2) * Math.floor(random() * (RETRIES + 1)),
        );
      const failed = streak.get(c.message) ?? 0;
      if (failed >= budget.get(c.message)!) return { kind: 'pass' };
      streak.set(c.message, failed + 1);
      // The stubborn ones fail with 500s (a 429 costs a real second of Retry-After each).
      if (!stubborn.has(c.message) && random() < 0.35) return { kind: 'fail', status: 429, retryAfter: 1 };
      return { kind: 'fail', status: 500 };
    };

    const started = Date.now();
    const ticks = await tickUntilSettled(at('2026-12-04T10:00:10Z'), keys);
    const elapsed = Date.now() - started;

    const runs = await runsOf(keys);
    const posts = proxy.calls.filter((c) => c.method === 'chat.postMessage');
    const injected = posts.filter((c) => c.injected);
    console.log(
      `slack failures, 30 programs (CHAOS_SEED=${SEED}): ${ticks} ticks in ${(elapsed / 1000).toFixed(1)} s; ${posts.length} chat.postMessage calls, ` +
        `${injected.filter((c) => c.status === 429).length} answered 429 and ${injected.filter((c) => c.status === 500).length} answered 500; ` +
        `attempts per run ${JSON.stringify(Object.fromEntries(runs.reduce((m, r) => m.set(r.attempts, (m.get(r.attempts) ?? 0) + 1), new Map<number, number>())))}`,
    );
    expect(injected.length).toBeGreaterThan(20);

    // Bounded retries: within one attempt a message is tried at most retries + 1 times …
    const perAttempt = callsPerMessageAndTick(proxy.calls);
    expect([...perAttempt].filter(([, n]) => n > RETRIES + 1)).toEqual([]);
    // … and a run is attempted at most maxAttempts times, in as many ticks.
    for (const run of runs) expect(run.attempts).toBeLessThanOrEqual(MAX_ATTEMPTS);
    for (const { channel } of made) {
      const ticksTried = new Set(
        posts.filter((c) => c.channel === channel && !c.threadTs).map((c) => c.tick),
      );
      const run = runs.find((r) => r.channelId === channel)!;
      expect(ticksTried.size, channel).toBeLessThanOrEqual(run.attempts);
    }
    // The stubborn ones did need a second attempt, which looked in the channel before posting.
    const retried = runs.filter((r) => r.attempts > 1);
    expect(retried.length).toBeGreaterThanOrEqual(stubborn.size);
    for (const run of retried) {
      expect(
        proxy.calls.some((c) => c.method === 'conversations.history' && c.channel === run.channelId),
        `history searched before posting ${run.channelId} again`,
      ).toBe(true);
    }

    // Every run posted, once, with its whole thread; nothing posted twice.
    expect(runs).toHaveLength(30);
    expect(runs.map((r) => r.state)).toEqual(Array(30).fill('posted'));
    for (const { channel } of made) {
      const top = digestsIn(slack, channel);
      const run = runs.find((r) => r.channelId === channel)!;
      expect(top.map(runIdOf), channel).toEqual([run._id.toHexString()]);
      expect(run.ts).toBe(top[0]!.ts);
      const replyMessages = new Set(
        posts.filter((c) => c.channel === channel && c.threadTs).map((c) => c.message),
      );
      expect(replyMessages.size, `${channel} has a thread`).toBeGreaterThan(0);
      expect(repliesTo(channel, top[0]!.ts), `${channel}'s thread is complete, without repeats`).toHaveLength(
        replyMessages.size,
      );
    }
  }, 120_000);

  it('records a run failed, with the error and no retry, when Slack keeps failing past every retry', async () => {
    const made = await programs('down', 3, '11:00', 2);
    const keys = made.map((m) => m.scheduleKey);
    const [five, rate, platform] = made.map((m) => m.channel) as [string, string, string];
    proxy.policy = (c) => {
      if (c.method !== 'chat.postMessage') return { kind: 'pass' };
      if (c.channel === five) return { kind: 'fail', status: 500 };
      if (c.channel === rate) return { kind: 'fail', status: 429, retryAfter: 1 };
      if (c.channel === platform) return { kind: 'platform-error', error: 'internal_error' };
      return { kind: 'pass' };
    };
    const ticks = await tickUntilSettled(at('2026-12-04T11:00:10Z'), keys);
    const runs = await runsOf(keys);
    console.log(
      `slack failing throughout: settled in ${ticks} ticks; ` +
        runs.map((r) => `${r.channelId}: ${r.state} after ${r.attempts} attempts (${r.error})`).join('; '),
    );
    for (const run of runs) {
      expect(run, run.channelId).toMatchObject({ state: 'failed', attempts: MAX_ATTEMPTS });
      expect(run.retryAt, run.channelId).toBeUndefined();
      expect(String(run.error ?? ''), run.channelId).not.toBe('');
      expect(digestsIn(slack, run.channelId), run.channelId).toEqual([]);
    }
    const perAttempt = callsPerMessageAndTick(proxy.calls);
    expect([...perAttempt].filter(([, n]) => n > RETRIES + 1)).toEqual([]);
    const calls = (channel: string) =>
      proxy.calls.filter((c) => c.method === 'chat.postMessage' && c.channel === channel).length;
    // HTTP errors are retried by the client in every attempt; Slack's ok:false is not (it is an answer).
    expect(calls(five)).toBe(MAX_ATTEMPTS * (RETRIES + 1));
    expect(calls(rate)).toBe(MAX_ATTEMPTS * (RETRIES + 1));
    expect(calls(platform)).toBe(MAX_ATTEMPTS);
    // A later tick leaves failed runs alone.
    const before = proxy.calls.length;
    await tickAt(at('2026-12-04T11:30:00Z'));
    expect(proxy.calls.length).toBe(before);
  }, 120_000);

  let threadCase: { channel: string; ts: string; expectedReplies: number; replies: number } | undefined;

  it('does not post the digest again when a reply in its thread failed past the retries', async () => {
    const [made] = await programs('thread', 1, '12:00', 6);
    const { channel, program, scheduleKey } = made!;
    const slotNow = at('2026-12-04T12:00:10Z');
    const expected = await composeDigest(deps.stores, program, {
      scheduleKey,
      variant: 'team',
      timezone: 'UTC',
      now: slotNow,
    });
    expect(expected.thread.length).toBeGreaterThan(0);
    // Every reply fails with 500 in the first attempt, as often as the client retries it.
    proxy.policy = (c) =>
      c.method === 'chat.postMessage' && c.threadTs && c.tick === 1
        ? { kind: 'fail', status: 500 }
        : { kind: 'pass' };
    proxy.tick = 0;
    await tickUntilSettled(slotNow, [scheduleKey]);

    const [run] = await runsOf([scheduleKey]);
    const top = digestsIn(slack, channel);
    expect(top, 'one top-level digest').toHaveLength(1);
    expect(runIdOf(top[0]!)).toBe(run!._id.toHexString());
    expect(run).toMatchObject({ state: 'posted', ts: top[0]!.ts, attempts: 2 });
    // The second attempt looked for the run id in the channel before posting, and found it.
    const second = proxy.calls.filter((c) => c.tick === 2);
    expect(second.map((c) => c.method)).toContain('conversations.history');
    expect(second.filter((c) => c.method === 'chat.postMessage' && !c.threadTs)).toEqual([]);
    threadCase = {
      channel,
      ts: top[0]!.ts,
      expectedReplies: expected.thread.length,
      replies: repliesTo(channel, top[0]!.ts).length,
    };
    console.log(
      `thread reply failing past the retries: main posted once, run recorded posted on attempt 2; ` +
        `the thread holds ${threadCase.replies} of ${threadCase.expectedReplies} replies`,
    );
  });

  // When the main message was posted and a reply failed past the retries, the next attempt finds
  // the main message by its run id, posts the missing replies, and records the run posted.
  it('completes the thread of a digest whose reply failed past the retries', () => {
    expect(threadCase).toBeDefined();
    expect(threadCase!.replies).toBe(threadCase!.expectedReplies);
  });

  let lostCase:
    | Record<'main' | 'reply', { topLevel: number; runIds: number; replies: number[]; state: unknown }>
    | undefined;

  it('records the run posted when Slack stored a message but its answer was lost (a 500 after the post)', async () => {
    const made = await programs('lost', 2, '13:00', 2);
    const [mainLost, replyLost] = made.map((m) => m.channel) as [string, string];
    const lost = new Set<string>();
    proxy.policy = (c) => {
      if (c.method !== 'chat.postMessage' || lost.has(c.message)) return { kind: 'pass' };
      if ((c.channel === mainLost && !c.threadTs) || (c.channel === replyLost && c.threadTs)) {
        lost.add(c.message);
        return { kind: 'lose-answer' };
      }
      return { kind: 'pass' };
    };
    await tickUntilSettled(
      at('2026-12-04T13:00:10Z'),
      made.map((m) => m.scheduleKey),
    );
    const runs = await runsOf(made.map((m) => m.scheduleKey));
    const shape = (channel: string) => {
      const top = digestsIn(slack, channel);
      return {
        topLevel: top.length,
        runIds: new Set(top.map(runIdOf)).size,
        replies: top.map((m) => repliesTo(channel, m.ts).length),
        state: runs.find((r) => r.channelId === channel)?.state,
      };
    };
    lostCase = { main: shape(mainLost), reply: shape(replyLost) };
    console.log(`a 500 after Slack stored the message: ${JSON.stringify(lostCase)}`);
    expect(lostCase.main.state).toBe('posted');
    expect(lostCase.reply.state).toBe('posted');
    expect(lostCase.main.runIds).toBe(1);
  });

  // chat.postMessage is not idempotent and a 5xx, a timeout or a reset connection may come after
  // Slack stored the message: the poster repeats nothing by itself, and looks for the run id (or
  // the reply count) before each repeat.
  it('posts the main message once when its answer was lost', () => {
    expect(lostCase?.main.topLevel).toBe(1);
  });
  it('posts a thread reply once when its answer was lost', () => {
    expect(lostCase?.reply.replies).toEqual([1]);
  });

  let slowCase: { topLevel: Record<string, number>; takenOver: number } | undefined;

  it('lets another replica take over a run whose post is held up past the stale-claim time', async () => {
    // Replica A posts due slots (several channels at once); Slack answers A's main messages 429 with
    // Retry-After 3 the first time, so each of A's posts waits. Replica B ticks meanwhile with a
    // clock three minutes on, and Slack answers B at once: to B, the run A is waiting on looks
    // abandoned, as it would in production when a post is held up (Retry-After, timeouts and
    // retries) for longer than the two-minute stale-claim time.
    const made = await programs('slow', 6, '14:00', 2);
    const keys = made.map((m) => m.scheduleKey);
    const rateLimited = new Set<string>();
    proxy.policy = (c) => {
      if (c.replica !== 'a' || c.method !== 'chat.postMessage' || c.threadTs || rateLimited.has(c.message))
        return { kind: 'pass' };
      rateLimited.add(c.message);
      return { kind: 'fail', status: 429, retryAfter: 3 };
    };
    const replica = (name: string): SchedulerDeps => ({
      ...deps,
      slackFor: singleWorkspaceClients(BOT_TOKEN, {
        slackApiUrl: proxy.url,
        retryConfig: { retries: RETRIES, factor: 1, minTimeout: 10, maxTimeout: 50 },
        logLevel: LogLevel.ERROR,
        headers: { 'X-Replica': name },
      }),
    });
    const slot = at('2026-12-04T14:00:10Z');
    slackNow = slot.getTime();
    const a = tick(replica('a'), slot, 'replica-a');
    // A waits out the 429s of its posts.
    await eventually(
      async () => proxy.calls.filter((c) => c.replica === 'a' && c.status === 429).length >= 2,
      20_000,
      20,
    );
    const b = await tick(replica('b'), new Date(slot.getTime() + 180_000), 'replica-b');
    const reportA = await a;
    const runs = await runsOf(keys);
    const topLevel = Object.fromEntries(made.map((m) => [m.channel, digestsIn(slack, m.channel).length]));
    const takenOver = runs.filter((r) => r.attempts > 1).map((r) => r.channelId as string);
    slowCase = { topLevel, takenOver: takenOver.length };
    console.log(
      `a post held up past the stale-claim time: A ${JSON.stringify(reportA)}, B ${JSON.stringify(b)}; ` +
        `taken over: ${takenOver.join(', ')}; top-level digests per channel ${JSON.stringify(topLevel)}`,
    );
    expect(runs.map((r) => r.state)).toEqual(Array(6).fill('posted'));
    expect(takenOver.length).toBeGreaterThan(0);
  }, 60_000);

  // KNOWN LIMIT: exactly-once here rests on the stale-claim time (2 min) exceeding how long one post
  // may take (the poster gives up the main message after 60 s) with clocks roughly in sync. This
  // test breaks that on purpose (B's clock is 3 minutes ahead while A waits out a Retry-After). The
  // poster re-checks ownership before every repeat, which narrows the window but cannot close it
  // without an atomic lease, and conditional updates are not atomic on FerretDB 1.x.
  it('posts each of those slots, at most twice under a 3-minute clock skew (see above)', () => {
    expect(slowCase).toBeDefined();
    expect(Object.values(slowCase!.topLevel).filter((n) => n < 1 || n > 2)).toEqual([]);
  });
});

describe('a reminder DM when Slack fails', () => {
  // Reminders, escalations and capacity alerts are sent like a digest's main message: no automatic
  // repeat, and the DM is read back (im:history) for the message's key before a repeat.
  it('is sent once when Slack stored it but its answer was lost, and once more after a 500 before storing', async () => {
    const { program } = await programWithSchedule(deps.stores, {
      key: 'dm-lost',
      channelId: 'CDMLOST',
      days: ['fri'],
      time: '15:00',
      timezone: 'UTC',
      createdAt: at('2026-12-01T00:00:00Z'),
      workstreams: 2,
    });
    const workstreams = await deps.stores.workstreams.listByProgram(TEAM, program._id);
    const [lostLead, failedLead] = [...new Set(workstreams.map((w) => w.leadId))] as [string, string];
    const seen = new Set<string>();
    proxy.policy = (c) => {
      if (c.method !== 'chat.postMessage' || seen.has(String(c.channel))) return { kind: 'pass' };
      seen.add(String(c.channel));
      if (c.channel === lostLead) return { kind: 'lose-answer' };
      if (c.channel === failedLead) return { kind: 'fail', status: 500 };
      return { kind: 'pass' };
    };
    const now = at('2026-12-04T13:00:00Z');
    slackNow = now.getTime();
    const sent = await nudgeLeads(deps, {
      teamId: TEAM,
      scheduleKey: 'dm-lost',
      slot: at('2026-12-04T15:00:00Z'),
      programName: program.name,
      since: at('2026-11-30T00:00:00Z'),
      when: 'Fri 4 Dec, 15:00 UTC',
      workstreams,
      replicaId: 'replica-a',
      now,
    });
    expect(sent).toBe(2);
    // One DM each: the lost answer was found in the DM, the 500 (nothing stored) was repeated once.
    expect(slack.messages(lostLead)).toHaveLength(1);
    expect(slack.messages(failedLead)).toHaveLength(1);
    const dmPosts = (lead: string) =>
      proxy.calls.filter((c) => c.method === 'chat.postMessage' && c.channel === lead).length;
    expect(dmPosts(lostLead)).toBe(1);
    expect(dmPosts(failedLead)).toBe(2);
    const stored = await tenantCollection(db.connection, 'reminders', TEAM);
    const reminders = await stored.find({ scheduleKey: 'dm-lost' }).toArray();
    expect(reminders.map((r) => r.state).sort()).toEqual(['sent', 'sent']);
    expect(reminders.every((r) => String(r.channelId).startsWith('D'))).toBe(true);
  });
});
