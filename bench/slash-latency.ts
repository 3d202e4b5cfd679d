/**
 * Slash-command latency and throughput over loopback, Cairn against a bare Bolt app.
 *
 *   npm run bench:latency
 *   BENCH_COUNT (default 2000 per app and load), BENCH_CONCURRENCY (default "1,10"),
 *   BENCH_RATE (default 25 a second; 0 leaves the paced load out), BENCH_PROFILE_DIR (CPU profiles),
 *   BENCH_APP_NODE_ARGS (other Node flags for the apps under test)
 *
 * Each app under test runs in a child process of its own (this file, run with `serve cairn|bolt`),
 * so the load generator and the fake Slack do not share its event loop. The parent signs and sends
 * the requests (test/support/slack-driver.ts) and plays Slack's Web API and response_urls
 * (src/slack-peer/slack-peer.ts).
 *
 * Cairn runs `/status <ws> green …` against its real database (HTTP mode); Bolt acknowledges a no-op
 * `/noop`. Both get the same load: closed loops of 1 and 10 users, each waiting for its answer
 * (Cairn: the post to its response_url; Bolt: the acknowledgement, its only answer) before the next
 * command, then an open loop at a fixed rate. Both are warmed up first and measured in alternating
 * rounds. Reported: the HTTP acknowledgement (what Slack's 3 s deadline is about), for Cairn the time
 * until its answer reached the response_url, throughput, and the app process's CPU per command.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { createCairn } from '../src/app.js';
import { connectDatabase } from '../src/db/connection.js';
import type { Actor } from '../src/domain/permissions.js';
import { createStores } from '../src/services.js';
import { addWorkstream, createProgram } from '../src/use-cases/programs.js';
import { BOT_TOKEN, SIGNING_SECRET, TEAM_ID, testConfig } from '../test/support/cairn-harness.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { SlackDriver } from '../test/support/slack-driver.js';
import {
  benchDatabaseName,
  benchLayout,
  benchLog,
  fixed,
  indexesReady,
  machineLine,
  percentile,
  runPool,
  sleep,
  startDatabase,
  table,
} from './support.js';

type Kind = 'cairn' | 'bolt';
const WORKSTREAMS = 20;
const WARM_UP = 200;
const ROUNDS = 2;
const OWNER: Actor = { teamId: TEAM_ID, userId: 'U0PM', timezone: 'UTC', isWorkspaceAdmin: false };

// ---------------------------------------------------------------------------------------------
// The app under test (child process)
// ---------------------------------------------------------------------------------------------

type FromParent = { type: 'usage' } | { type: 'stop' };
/** CPU time so far, and how late the event loop ran since the last report (what delays an ack). */
type Usage = { cpuMicros: number; loopDelayP99Ms: number; loopDelayMaxMs: number };
type FromChild = { type: 'listening'; port: number } | ({ type: 'usage' } & Usage);

async function serve(kind: Kind): Promise<void> {
  const send = (message: FromChild) => process.send?.(message);
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  let stop: () => Promise<void>;
  let port: number;
  if (kind === 'cairn') {
    const connection = await connectDatabase(process.env.BENCH_DB_URI!, {
      log: benchLog,
      dbName: process.env.BENCH_DB_NAME,
    });
    // Production's settings where tests change them: Home redraws coalesced per user (10 s).
    const config = testConfig(process.env.BENCH_SLACK_API, { homeRefreshIntervalMs: 10_000 });
    const cairn = createCairn({ config, connection, log: benchLog });
    ({ port } = await cairn.start());
    stop = async () => {
      await cairn.stop(5_000);
      await connection.close();
    };
  } else {
    const app = new App({
      receiver: new HTTPReceiver({ signingSecret: SIGNING_SECRET }),
      // Like Cairn's single-workspace authorize: no auth.test on the request path.
      authorize: async () => ({ botToken: BOT_TOKEN, botId: 'B0001', botUserId: 'UBOT' }),
      clientOptions: { slackApiUrl: process.env.BENCH_SLACK_API },
      logLevel: LogLevel.ERROR,
    });
    app.command('/noop', async ({ ack }) => ack());
    const server = (await app.start(0)) as Server;
    port = (server.address() as AddressInfo).port;
    stop = () => app.stop().then(() => undefined);
  }
  process.on('message', (message: FromParent) => {
    if (message.type === 'usage') {
      const { user, system } = process.cpuUsage();
      const [p99, max] = [loopDelay.percentile(99), loopDelay.max].map((ns) => ns / 1e6) as [number, number];
      loopDelay.reset();
      send({ type: 'usage', cpuMicros: user + system, loopDelayP99Ms: p99, loopDelayMaxMs: max });
    } else {
      void stop().finally(() => process.exit(0));
    }
  });
  send({ type: 'listening', port });
}

// ---------------------------------------------------------------------------------------------
// The load generator (parent)
// ---------------------------------------------------------------------------------------------

interface AppUnderTest {
  kind: Kind;
  child: ChildProcess;
  driver: SlackDriver;
  usage(): Promise<Usage>;
  stop(): Promise<void>;
}

async function launch(kind: Kind, env: Record<string, string>, slack: FakeSlack): Promise<AppUnderTest> {
  // BENCH_PROFILE_DIR=… writes a V8 CPU profile of each app under test there (open it in Chrome DevTools).
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}/${kind}`]
    : [];
  const child = fork(fileURLToPath(import.meta.url), ['serve', kind], {
    env: { ...process.env, ...env },
    // BENCH_APP_NODE_ARGS="--trace-gc …" passes other Node flags to the apps under test.
    execArgv: [
      ...process.execArgv,
      ...profile,
      ...(process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = async <T extends FromChild['type']>(type: T) => {
    for (;;) {
      const [message] = (await once(child, 'message')) as [FromChild];
      if (message.type === type) return message as Extract<FromChild, { type: T }>;
    }
  };
  const crashed = once(child, 'exit').then(([code]) => {
    throw new Error(`the ${kind} app exited (code ${String(code)}) before it listened`);
  });
  const { port } = await Promise.race([next('listening'), crashed]);
  crashed.catch(() => undefined); // it exits when stopped, later
  const driver = new SlackDriver({
    appUrl: `http://127.0.0.1:${port}`,
    signingSecret: SIGNING_SECRET,
    fakeSlack: slack,
    teamId: TEAM_ID,
  });
  return {
    kind,
    child,
    driver,
    async usage() {
      const reply = next('usage');
      child.send({ type: 'usage' } satisfies FromParent);
      return reply;
    },
    async stop() {
      const exited = once(child, 'exit');
      child.send({ type: 'stop' } satisfies FromParent);
      await exited;
    },
  };
}

interface Samples {
  ack: number[];
  answer: number[];
  wallMs: number;
  cpuMicros: number;
  /** Event-loop delay of the app per measured round: p99 and max. */
  loopDelayP99Ms: number[];
  loopDelayMaxMs: number[];
  failures: number;
  /** What the first failure said. */
  failureExample?: string;
}

const noSamples = (): Samples => ({
  ack: [],
  answer: [],
  wallMs: 0,
  cpuMicros: 0,
  failures: 0,
  loopDelayP99Ms: [],
  loopDelayMaxMs: [],
});

/**
 * How load is offered. closed: `concurrency` users, each waiting for its answer before sending the
 * next command. paced: `rate` commands a second whatever the answers (an open loop, as Slack sends).
 */
type Shape = { kind: 'closed'; concurrency: number } | { kind: 'paced'; rate: number };

const describeShape = (shape: Shape) =>
  shape.kind === 'closed' ? `closed loop, ${shape.concurrency} at once` : `paced, ${shape.rate}/s`;

function fail(into: Samples, what: string): void {
  into.failures++;
  into.failureExample ??= what.slice(0, 200);
}

/** One command to `app`, its timings added to `into`. */
async function command(app: AppUnderTest, slack: FakeSlack, i: number, into: Samples): Promise<void> {
  const user = `U0USER${i % 10}`;
  const t0 = performance.now();
  if (app.kind === 'bolt') {
    const res = await app.driver.slashCommand({ command: '/noop', text: '', userId: user });
    into.ack.push(res.elapsedMs);
    if (res.status !== 200) fail(into, `HTTP ${res.status} ${res.text}`);
    return;
  }
  const res = await app.driver.slashCommand({
    command: '/status',
    text: `ws-${i % WORKSTREAMS} green shipped the part ${i} as planned`,
    userId: user,
  });
  into.ack.push(res.elapsedMs);
  if (res.status !== 200) fail(into, `HTTP ${res.status} ${res.text}`);
  const id = String(res.sent['response_url']).split('/').at(-1);
  const answer = await slack.waitForResponse((r) => r.id === id, 60_000);
  into.answer.push(performance.now() - t0);
  const text = String(answer.body['text'] ?? JSON.stringify(answer.body));
  if (!text.startsWith('Recorded')) fail(into, text);
}

async function load(app: AppUnderTest, slack: FakeSlack, count: number, shape: Shape, into: Samples) {
  const before = await app.usage();
  const started = performance.now();
  if (shape.kind === 'closed') {
    await runPool(count, shape.concurrency, (i) => command(app, slack, i, into));
  } else {
    const sent: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      await sleep(started + (i * 1000) / shape.rate - performance.now());
      sent.push(command(app, slack, i, into));
    }
    await Promise.all(sent);
  }
  into.wallMs += performance.now() - started;
  const after = await app.usage();
  into.cpuMicros += after.cpuMicros - before.cpuMicros;
  into.loopDelayP99Ms.push(after.loopDelayP99Ms);
  into.loopDelayMaxMs.push(after.loopDelayMaxMs);
  // The fake keeps every response_url and answer; forgetting them keeps its look-ups short.
  slack.reset();
}

/** Warms both apps up, then measures them in alternating rounds; three table rows. */
async function compare(
  bolt: AppUnderTest,
  cairn: AppUnderTest,
  slack: FakeSlack,
  count: number,
  shape: Shape,
) {
  for (const app of [bolt, cairn]) await load(app, slack, WARM_UP, shape, noSamples());
  const samples = { bolt: noSamples(), cairn: noSamples() };
  for (let round = 0; round < ROUNDS; round++) {
    await load(bolt, slack, Math.ceil(count / ROUNDS), shape, samples.bolt);
    await load(cairn, slack, Math.ceil(count / ROUNDS), shape, samples.cairn);
  }
  const load_ = describeShape(shape);
  const row = (name: string, s: Samples, answers: boolean) => [
    name,
    load_,
    String(s.ack.length),
    fixed(percentile(s.ack, 50), 2),
    fixed(percentile(s.ack, 99), 2),
    answers ? fixed(percentile(s.answer, 50), 1) : '—',
    answers ? fixed(percentile(s.answer, 99), 1) : '—',
    fixed((s.ack.length / s.wallMs) * 1000, 0),
    fixed(s.cpuMicros / 1000 / s.ack.length, 2),
    `${fixed(Math.max(...s.loopDelayP99Ms), 1)} / ${fixed(Math.max(...s.loopDelayMaxMs), 0)}`,
    String(s.failures),
  ];
  const ratio = (p: number) => percentile(samples.cairn.ack, p) / percentile(samples.bolt.ack, p);
  const rate = (s: Samples) => s.ack.length / s.wallMs;
  console.error(`${load_}: measured`);
  for (const [name, s] of Object.entries(samples)) {
    if (s.failureExample)
      console.log(`${name}, ${load_}: ${s.failures} failures, the first: ${s.failureExample}`);
  }
  return [
    row('bare Bolt `/noop`', samples.bolt, false),
    row('Cairn `/status <ws> green …`', samples.cairn, true),
    [
      '**Cairn ÷ Bolt**',
      load_,
      '',
      `${fixed(ratio(50), 2)}×`,
      `**${fixed(ratio(99), 2)}×**`,
      '',
      '',
      `${fixed(rate(samples.cairn) / rate(samples.bolt), 2)}×`,
      `${fixed(samples.cairn.cpuMicros / samples.bolt.cpuMicros, 1)}×`,
      '',
      '',
    ],
  ];
}

async function seed(connection: Awaited<ReturnType<Awaited<ReturnType<typeof startDatabase>>['connect']>>) {
  const stores = createStores(connection, benchLayout());
  await indexesReady(connection);
  const now = new Date();
  const program = await createProgram(
    stores,
    OWNER,
    { programKey: 'bench', name: 'Bench program', channelId: 'C0CAIRN' },
    now,
  );
  if (!program.ok) throw new Error(JSON.stringify(program.problem));
  for (let i = 0; i < WORKSTREAMS; i++) {
    const added = await addWorkstream(
      stores,
      OWNER,
      {
        programKey: 'bench',
        workstreamKey: `ws-${i}`,
        name: `Workstream ${i}`,
        team: `team-${i % 4}`,
        leadUserId: `U0USER${i % 10}`,
      },
      now,
    );
    if (!added.ok) throw new Error(JSON.stringify(added.problem));
  }
}

async function main(): Promise<void> {
  const count = Number(process.env.BENCH_COUNT ?? 2000);
  const concurrencies = (process.env.BENCH_CONCURRENCY ?? '1,10')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const rate = Number(process.env.BENCH_RATE ?? 25);
  const db = await startDatabase();
  const dbName = benchDatabaseName('latency');
  const connection = await db.connect(dbName);
  const slack = await FakeSlack.start({ botToken: BOT_TOKEN, teamId: TEAM_ID, rateLimit: true });
  const apps: AppUnderTest[] = [];
  try {
    await seed(connection);
    const env = { BENCH_DB_URI: db.uri, BENCH_DB_NAME: dbName, BENCH_SLACK_API: slack.apiUrl };
    apps.push(await launch('bolt', env, slack), await launch('cairn', env, slack));
    const [bolt, cairn] = apps as [AppUnderTest, AppUnderTest];

    const shapes: Shape[] = [
      ...concurrencies.map((concurrency): Shape => ({ kind: 'closed', concurrency })),
      ...(rate > 0 ? [{ kind: 'paced', rate } as const] : []),
    ];
    const rows: string[][] = [];
    for (const shape of shapes) rows.push(...(await compare(bolt, cairn, slack, count, shape)));
    const updates = await connection.collection('updates').countDocuments();
    console.log(
      `\n### Slash-command latency (${count} commands per app and load, after ${WARM_UP} to warm up)\n`,
    );
    console.log(machineLine(db.server));
    console.log('');
    console.log(
      table(
        [
          'app',
          'load',
          'commands',
          'ack p50 ms',
          'ack p99 ms',
          'answer p50 ms',
          'answer p99 ms',
          'commands/s',
          'app CPU ms/command',
          'app event-loop delay p99 / max ms',
          'failures',
        ],
        rows,
      ),
    );
    console.log(
      `\nack: HTTP request to response (Slack's 3 s deadline). answer: request until the reply reached the response_url.` +
        ` Event-loop delay: how late the app's loop ran (sampled every ms; the worst of the measured rounds), which` +
        ` an arriving request waits out before it is read. Target: Cairn's ack p99 at most 1.5× bare Bolt's.` +
        ` Updates recorded: ${updates}.`,
    );
  } finally {
    for (const app of apps) await app.stop().catch(() => undefined);
    await slack.stop();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    await db.stop();
  }
}

if (process.argv[2] === 'serve') {
  await serve(process.argv[3] as Kind);
} else {
  await main();
}
