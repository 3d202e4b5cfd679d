/**
 * A fuzz run through the real receiver: thousands of random `/status` and `/program` texts
 * (unicode, control characters, huge texts, mention and mrkdwn injection, MongoDB operator strings,
 * real subcommands with junk arguments, bad quoting and options), mostly from workspace B, some
 * read-only ones from workspace A, which has real data.
 *
 * Every request must be acknowledged with 200 within Slack's 3 s and then answered (through the
 * response_url, or by opening a modal); nothing may be rejected unhandled or logged as an unhandled
 * failure; workspace A must not change; and nothing Cairn sends to Slack may carry a live
 * `<!channel>`, `<!here>`, `<!everyone>` or user-group ping.
 *
 * FUZZ_SEED=<n> replays a run; FUZZ_CASES=<n> changes its size (default 5,000).
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProgramCommand } from '../../src/parsing/program-command.js';
import { parseStatusCommand } from '../../src/parsing/status-command.js';
import { createSchedule } from '../../src/use-cases/schedules.js';
import { SIGNING_SECRET, startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { testDatabase } from '../support/database.js';
import type { RecordedCall, RecordedResponse } from '../support/fake-slack.js';
import { slackSignature } from '../support/slack-driver.js';
import { Dice, encodeWtf8, FuzzText, hasLoneSurrogate, prng, type FuzzCase } from './fuzz-text.js';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const CASES = process.env.FUZZ_CASES ? Number(process.env.FUZZ_CASES) : 5_000;
const CONCURRENCY = 8;
const ACK_LIMIT_MS = 3_000;
/** How long an answer after the ack may take, under load, before it counts as silence. */
const ANSWER_LIMIT_MS = 10_000;
const TEST_TIMEOUT_MS = 240_000;

const A = TEAM_ID;
const B = 'T0FUZZB';
const PM = 'U0PM';
const USERS_A = [PM, 'UFUZZ1', 'UNOBODY'];
const USERS_B = ['UB0PM', 'UFUZZ1', 'UNOBODY', 'W0ENT', PM];
/**
 * A live ping in anything Cairn sends: `<!channel>`, `<!here>`, `<!everyone>` or a user group, bare or
 * with a label (`<!channel|anything up to the next >`), as Slack's message formatting reads them.
 */
const PING = /<!(channel|here|everyone|subteam\^[A-Za-z0-9]+)(\|[^>]*)?>/;
/** Kinds of request that write; workspace A only gets the others. */
const WRITING_SUBCOMMANDS = new Set([
  'new',
  'archive',
  'add',
  'depend',
  'blocker',
  'milestone',
  'resource',
  'allocate',
  'digest',
]);

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
const logLines: Array<{ level: number; msg: string; line: string }> = [];
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

/** Cairn's logger: warnings and errors, as JSON lines, into memory. */
function memoryLogger() {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const parsed = JSON.parse(line) as { level: number; msg?: string };
          logLines.push({ level: parsed.level, msg: parsed.msg ?? '', line });
        } catch {
          logLines.push({ level: 60, msg: 'unparseable log line', line });
        }
      }
      done();
    },
  });
  return pino({ name: 'cairn-under-fuzz', level: 'warn', base: null }, sink);
}

/** Everything workspace A holds, per collection: how many documents, and what they say. */
async function snapshotOfA(): Promise<{ counts: Record<string, number>; documents: Record<string, string> }> {
  const counts: Record<string, number> = {};
  const documents: Record<string, string> = {};
  const collections = await db.connection.db!.listCollections().toArray();
  for (const { name } of collections.sort((x, y) => x.name.localeCompare(y.name))) {
    const collection = db.connection.collection(name);
    const count = await collection.countDocuments({ teamId: A });
    // Another workspace's collections, created empty by a read, hold nothing of A's.
    if (count === 0) continue;
    counts[name] = count;
    const docs = await collection.find({ teamId: A }).sort({ _id: 1 }).toArray();
    // The workspace record notes when the team was last seen: that is not a change of A's data.
    documents[name] = JSON.stringify(docs.map((d) => (name === 'workspaces' ? { ...d, lastSeenAt: 0 } : d)));
  }
  return { counts, documents };
}

/**
 * Answers as they arrive at the fake, indexed by response_url id and by the trigger_id of a
 * successful views.open; one poller for all requests, so waiting costs little however many wait.
 */
class Answers {
  private responsesSeen = 0;
  private callsSeen = 0;
  readonly byResponseId = new Map<string, RecordedResponse[]>();
  readonly modalsByTrigger = new Map<string, RecordedCall>();
  private timer: NodeJS.Timeout | undefined;
  private waiting = new Set<() => void>();

  constructor(private readonly r: RunningCairn) {}

  start(): void {
    this.timer = setInterval(() => this.poll(), 15);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private poll(): void {
    const responses = this.r.slack.responses();
    for (; this.responsesSeen < responses.length; this.responsesSeen++) {
      const response = responses[this.responsesSeen]!;
      const list = this.byResponseId.get(response.id) ?? [];
      list.push(response);
      this.byResponseId.set(response.id, list);
    }
    const calls = this.r.slack.calls();
    for (; this.callsSeen < calls.length; this.callsSeen++) {
      const call = calls[this.callsSeen]!;
      if (call.method === 'views.open' && call.response.ok === true)
        this.modalsByTrigger.set(String(call.args.trigger_id), call);
    }
    for (const wake of [...this.waiting]) wake();
  }

  /** The first answer to a request: a post to its response_url or a modal opened with its trigger. */
  wait(
    responseId: string,
    triggerId: string,
    timeoutMs: number,
  ): Promise<
    | { kind: 'response'; at: number; body: Record<string, unknown> }
    | { kind: 'modal'; at: number }
    | undefined
  > {
    return new Promise((resolve) => {
      const check = () => {
        const response = this.byResponseId.get(responseId)?.[0];
        const modal = this.modalsByTrigger.get(triggerId);
        if (!response && !modal) return false;
        this.waiting.delete(check);
        clearTimeout(timer);
        resolve(
          response
            ? { kind: 'response', at: response.at, body: response.body }
            : { kind: 'modal', at: modal!.at },
        );
        return true;
      };
      const timer = setTimeout(() => {
        this.poll();
        if (!check()) {
          this.waiting.delete(check);
          resolve(undefined);
        }
      }, timeoutMs);
      this.waiting.add(check);
      check();
    });
  }
}

/** A slash command sent as a client that does not check for lone surrogates would encode it. */
async function sendRawWtf8(
  c: FuzzCase,
  as: { teamId: string; userId: string; channelId: string },
): Promise<{ status: number; text: string; elapsedMs: number; responseUrl: string; triggerId: string }> {
  const responseUrl = running.slack.responseUrl();
  const triggerId = running.slack.issueTriggerId();
  const fields: Record<string, string> = {
    token: 'verification-token',
    team_id: as.teamId,
    team_domain: 'cairn-fuzz',
    channel_id: as.channelId,
    channel_name: 'fuzz',
    user_id: as.userId,
    user_name: 'fuzzer',
    command: c.command,
    text: c.text,
    api_app_id: running.slack.appId,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId,
  };
  const body = Object.entries(fields)
    .map(([k, v]) => `${k}=${encodeWtf8(v)}`)
    .join('&');
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const res = await fetch(`${running.url}/slack/events`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': slackSignature(SIGNING_SECRET, timestamp, body),
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, elapsedMs: performance.now() - started, responseUrl, triggerId };
}

/** True when workspace A may be sent this text: it can only read (or open a modal). */
function readOnly(c: FuzzCase): boolean {
  const ctx = { now: running.cairn.services.now(), timezone: 'UTC' };
  if (c.command === '/status') {
    const parsed = parseStatusCommand(c.text, ctx);
    return !(parsed.ok && parsed.request.kind === 'update');
  }
  const first = c.text.trim().split(/\s+/, 1)[0]?.toLowerCase() ?? '';
  if (WRITING_SUBCOMMANDS.has(first)) return false;
  const parsed = parseProgramCommand(c.text, ctx);
  return !(parsed.ok && WRITING_SUBCOMMANDS.has(parsed.request.kind));
}

/**
 * The texts of a message, modal or Home tab that Slack parses for mentions: the message's top-level
 * `text` (the notification fallback) and every mrkdwn text object. plain_text is shown as typed.
 */
function parsedTexts(body: unknown): string[] {
  const texts: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    if (object.type === 'plain_text') return;
    if (object.type === 'mrkdwn' && typeof object.text === 'string') texts.push(object.text);
    for (const [key, child] of Object.entries(object))
      if (key !== 'text' || typeof child !== 'string') walk(child);
  };
  if (body && typeof body === 'object' && typeof (body as { text?: unknown }).text === 'string')
    texts.push((body as { text: string }).text);
  walk(body);
  return texts;
}

async function countsOf(teamId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { name } of await db.connection.db!.listCollections().toArray()) {
    const count = await db.connection.collection(name).countDocuments({ teamId });
    if (count > 0) counts[name] = count;
  }
  return counts;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function printable(text: string, max = 160): string {
  const shown = JSON.stringify(text);
  return shown.length > max ? `${shown.slice(0, max)}…(${text.length} chars)` : shown;
}

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  db = await testDatabase('fuzz');
  running = await startCairn(db.connection, { jobs: () => [], log: memoryLogger() });
  running.slack.setRateLimiting(false);
  running.slack.setUser({ id: PM, tz: 'America/New_York' });
  running.slack.setUser({ id: 'UFUZZ1', tz: 'Asia/Kathmandu', name: 'dana' });
  running.slack.setUser({ id: 'UB0PM', tz: 'Pacific/Kiritimati', is_admin: true });
  running.slack.setUser({ id: 'W0ENT', tz: 'America/St_Johns', is_owner: true });
  // Workspace A: two programs, workstreams, updates, a blocker, a dependency, a milestone, a shared
  // resource and a digest schedule.
  const setup = [
    ['/program', 'new checkout "Checkout" objective:"Cut cart abandonment"'],
    ['/program', 'new billing "Billing"'],
    ['/program', `add checkout payments "Payments" team:payments lead:<@${PM}> due:2026-12-15`],
    ['/program', `add checkout web "Web" team:web lead:<@${PM}>`],
    ['/program', `add billing ledger "Ledger" team:finance lead:<@UFUZZ1>`],
    ['/status', 'payments green 40% Card vault migrated'],
    ['/status', 'web amber waiting on <@UFUZZ1>'],
    ['/program', 'blocker web "Waiting on legal"'],
    ['/program', 'depend web on payments by 2026-12-01 "Card API"'],
    ['/program', 'milestone checkout "Beta" 2027-01-20 needs:payments,web'],
    ['/program', 'resource "SRE" capacity:10'],
    ['/program', 'allocate "SRE" web 2 from:2026-12-01 to:2026-12-10'],
  ] as const;
  for (const [command, text] of setup) {
    const answer = await ask(running, command, text, { userId: PM });
    expect(answer.all, `${command} ${text}`).not.toMatch(/:warning:|:x:/);
  }
  // Workspace B starts with programs and workstreams under the keys the fuzz uses, so that updates,
  // blockers, dependencies and reads get past "there is no workstream" and render what they stored.
  for (const program of ['alpha', 'beta', 'gamma']) {
    await ask(running, '/program', `new ${program} "${program}"`, { teamId: B, userId: 'UB0PM' });
    for (const ws of ['ws', 'ws-2', 'payments', 'w3']) {
      const answer = await ask(running, '/program', `add ${program} ${ws} "${ws}" team:web lead:<@UB0PM>`, {
        teamId: B,
        userId: 'UB0PM',
      });
      expect(answer.all).toMatch(/^Added/);
    }
  }
  const scheduled = await createSchedule(
    running.cairn.services.stores,
    { teamId: A, userId: PM, timezone: 'America/New_York', isWorkspaceAdmin: false },
    { programKey: 'checkout' },
    {
      channelId: 'C0CAIRN',
      days: ['mon'],
      time: '09:00',
      timezone: 'America/New_York',
      variant: 'team',
      reminderLeadMinutes: 60,
    },
    running.cairn.services.now(),
  );
  expect(scheduled.ok).toBe(true);
}, 60_000);

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await running?.stop();
  await db?.drop();
});

describe('what the fuzz found, replayed', () => {
  // A user typing `<!channel|<x>` in a name: Slack sends `&lt;!channel|&lt;x&gt;`. Decoded, that is a
  // labelled special Slack reads as @channel wherever text is parsed (a message's fallback `text`).
  const NAME = '&lt;!channel|&lt;x&gt;';
  it.each([
    ['a program name, in the digest posted to its channel', 'T0REPLAY1'],
    ['a workstream name, in the answers about it', 'T0REPLAY2'],
  ])('no live ping from %s', async (_what, teamId) => {
    const as = { teamId, userId: 'UB0PM', channelId: 'C0REPLAY' };
    const calls = running.slack.calls().length;
    const responses = running.slack.responses().length;
    const steps: Array<['/program' | '/status', string]> = [
      ['/program', `new evil "${NAME}" objective:"${NAME}" channel:<#C0REPLAY>`],
      ['/program', `add evil ws "${NAME}" team:web lead:<@UB0PM>`],
      ['/status', `evil/ws amber ${NAME} &gt;`],
      ['/status', 'evil/ws'],
      ['/program', 'blocker evil/ws "&lt;!here|&lt;b&gt;"'],
      ['/program', 'show evil'],
      ['/program', 'preview evil'],
      ['/program', 'digest evil'],
    ];
    for (const [command, text] of steps) {
      const answer = await ask(running, command, text, as);
      expect(answer.all, `${command} ${text}`).not.toMatch(/:x:/);
    }
    const outgoing = [
      ...running.slack
        .responses()
        .slice(responses)
        .map((r) => r.body),
      ...running.slack
        .calls()
        .slice(calls)
        .filter((c) => /^(chat|views)\./.test(c.method))
        .map((c) => c.args),
    ];
    expect(running.slack.messages('C0REPLAY').length).toBeGreaterThan(0);
    const live = outgoing.flatMap(parsedTexts).filter((t) => PING.test(t));
    expect(live).toEqual([]);
  });
});

describe('fuzzing /status and /program', () => {
  it(
    `answers ${CASES} random texts within Slack's limits, without unhandled failures, leaks into workspace A or live pings`,
    async () => {
      console.log(
        `fuzz: seed ${SEED} (replay with FUZZ_SEED=${SEED}), ${CASES} cases, concurrency ${CONCURRENCY}`,
      );
      const before = await snapshotOfA();
      expect(Object.values(before.counts).reduce((a, b) => a + b)).toBeGreaterThan(10);

      const texts = new FuzzText(SEED);
      const route = new Dice(prng(SEED ^ 0x5bd1e995));
      const cases = Array.from({ length: CASES }, (_, i) => {
        const c = texts.next(i);
        const fromA = route.chance(0.25) && readOnly(c);
        const userId = route.pick(fromA ? USERS_A : USERS_B);
        const channelId = route.pick(['C0CAIRN', 'C0FUZZ', 'D0DM']);
        const raw = hasLoneSurrogate(c.text) && route.chance(0.4);
        return { ...c, teamId: fromA ? A : B, userId, channelId, raw };
      });

      const answers = new Answers(running);
      answers.start();
      const failures: string[] = [];
      const ackTimes: number[] = [];
      const answerTimes: number[] = [];
      const immediateBodies: unknown[] = [];
      const kinds = { immediate: 0, response: 0, modal: 0, fromA: 0, raw: 0, loneSurrogate: 0 };
      const recipes = new Map<string, number>();
      const outcomes = new Map<string, number>();
      const fail = (c: (typeof cases)[number], problem: string) =>
        failures.push(
          `#${c.index} ${c.command} ${printable(c.text)} from ${c.teamId}/${c.userId}: ${problem}`,
        );

      const one = async (c: (typeof cases)[number]) => {
        recipes.set(c.recipe, (recipes.get(c.recipe) ?? 0) + 1);
        if (c.teamId === A) kinds.fromA++;
        if (hasLoneSurrogate(c.text)) kinds.loneSurrogate++;
        const as = { teamId: c.teamId, userId: c.userId, channelId: c.channelId };
        let status: number, elapsedMs: number, text: string, responseUrl: string, triggerId: string;
        if (c.raw) {
          kinds.raw++;
          ({ status, elapsedMs, text, responseUrl, triggerId } = await sendRawWtf8(c, as));
        } else {
          const res = await running.driver.slashCommand({ command: c.command, text: c.text, ...as });
          ({ status, elapsedMs, text } = res);
          responseUrl = String(res.sent.response_url);
          triggerId = String(res.sent.trigger_id);
        }
        const sentAt = Date.now() - elapsedMs;
        ackTimes.push(elapsedMs);
        if (status !== 200) return fail(c, `HTTP ${status} ${text.slice(0, 200)}`);
        if (elapsedMs >= ACK_LIMIT_MS) fail(c, `acknowledged after ${Math.round(elapsedMs)} ms`);
        let immediate: unknown;
        try {
          immediate = text.trim() ? JSON.parse(text) : undefined;
        } catch {
          return fail(c, `the ack's body is not JSON: ${text.slice(0, 200)}`);
        }
        if (immediate && typeof immediate === 'object' && 'blocks' in immediate) {
          kinds.immediate++;
          immediateBodies.push(immediate);
          if ((immediate as { response_type?: string }).response_type !== 'ephemeral')
            fail(c, `the ack's answer is not ephemeral`);
          return;
        }
        const responseId = new URL(responseUrl).pathname.split('/').pop()!;
        const answer = await answers.wait(responseId, triggerId, ANSWER_LIMIT_MS);
        if (!answer) return fail(c, `no answer within ${ANSWER_LIMIT_MS} ms of the ack (silence)`);
        answerTimes.push(answer.at - sentAt);
        kinds[answer.kind]++;
        if (answer.kind === 'response') {
          const body = answer.body as { response_type?: string; text?: string };
          if (body.response_type !== 'ephemeral')
            fail(c, `answered with response_type ${body.response_type}`);
          if (String(body.text).startsWith(':x:')) fail(c, `answered with a failure: ${body.text}`);
          const first = JSON.stringify(body).includes(':warning:') ? 'refused' : 'done';
          outcomes.set(`${c.recipe}: ${first}`, (outcomes.get(`${c.recipe}: ${first}`) ?? 0) + 1);
        }
      };

      const started = Date.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < cases.length) {
            const c = cases[next++]!;
            try {
              await one(c);
            } catch (error) {
              fail(c, `the request itself failed: ${String(error)}`);
            }
          }
        }),
      );
      const elapsed = Date.now() - started;
      // Late work (a Home tab refreshed after an update) may still be running: let it end.
      await new Promise((r) => setTimeout(r, 500));
      answers.stop();

      // Nothing Cairn sent to Slack carries a live ping: answers, messages, modals, Home tabs.
      const outgoing: Array<[string, unknown]> = [
        ...immediateBodies.map((b): [string, unknown] => ['ack', b]),
        ...running.slack.responses().map((r): [string, unknown] => [`response ${r.id}`, r.body]),
        ...running.slack
          .calls()
          .filter((c) => /^(chat|views)\./.test(c.method))
          .map((c): [string, unknown] => [c.method, c.args]),
      ];
      // One failure line per kind of message, with how many and an example.
      const pings = new Map<string, { count: number; example: string }>();
      for (const [where, body] of outgoing) {
        const json = parsedTexts(body).join('\n');
        const found = new RegExp(`.{0,60}${PING.source}.{0,20}`).exec(json);
        if (!found) continue;
        const kind = where.replace(/ [0-9a-f]+$/, '');
        const entry = pings.get(kind) ?? { count: 0, example: found[0] };
        entry.count++;
        pings.set(kind, entry);
      }
      for (const [kind, { count, example }] of pings)
        failures.push(`a live ping in ${count} ${kind} bodies, e.g. …${example}…`);

      const errors = logLines.filter((l) => l.level >= 50);
      const byMessage = new Map<string, number>();
      for (const l of logLines)
        byMessage.set(
          `${l.level >= 50 ? 'error' : 'warn'}: ${l.msg}`,
          (byMessage.get(`${l.level >= 50 ? 'error' : 'warn'}: ${l.msg}`) ?? 0) + 1,
        );

      console.log(
        [
          `fuzz: ${CASES} requests in ${(elapsed / 1000).toFixed(1)} s (${((CASES / elapsed) * 1000).toFixed(0)} req/s)`,
          `  ack ms p50 ${percentile(ackTimes, 50).toFixed(0)} p95 ${percentile(ackTimes, 95).toFixed(0)} p99 ${percentile(ackTimes, 99).toFixed(0)} max ${Math.max(...ackTimes).toFixed(0)}`,
          `  answer ms p50 ${percentile(answerTimes, 50)} p95 ${percentile(answerTimes, 95)} p99 ${percentile(answerTimes, 99)} max ${Math.max(0, ...answerTimes)}`,
          `  answered: ${JSON.stringify(kinds)}`,
          `  recipes: ${JSON.stringify(Object.fromEntries(recipes))}`,
          `  outcomes: ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`,
          `  workspace B now holds: ${JSON.stringify(await countsOf(B))}`,
          `  outgoing messages checked for pings: ${outgoing.length}`,
          `  log lines: ${JSON.stringify(Object.fromEntries(byMessage))}`,
          `  unhandled rejections: ${rejections.length}`,
          `  failures: ${failures.length}`,
          ...failures.slice(0, 40).map((f) => `    ${f}`),
          ...errors.slice(0, 5).map((l) => `  error line: ${l.line.slice(0, 600)}`),
        ].join('\n'),
      );

      const after = await snapshotOfA();
      expect(after.counts, `seed ${SEED}: workspace A's document counts`).toEqual(before.counts);
      expect(after.documents, `seed ${SEED}: workspace A's documents`).toEqual(before.documents);
      expect(rejections.map(String), `seed ${SEED}: unhandled rejections`).toEqual([]);
      const unhandled = errors.filter((l) =>
        ['unhandled error in a Slack listener', '/program failed', '/status failed'].includes(l.msg),
      );
      expect(
        unhandled.map((l) => l.line.slice(0, 400)),
        `seed ${SEED}: unhandled failures logged`,
      ).toEqual([]);
      expect(
        errors.map((l) => l.line.slice(0, 400)),
        `seed ${SEED}: error lines logged`,
      ).toEqual([]);
      expect(failures.slice(0, 40), `seed ${SEED}: ${failures.length} failures`).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
