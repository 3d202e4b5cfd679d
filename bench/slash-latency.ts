/**
 * Slash-command latency and throughput over loopback, Cairn against a bare Bolt app.
 *
 *   npm run bench:latency          (BENCH_COUNT, default 2000; BENCH_CONCURRENCY, default "1,10")
 *
 * Each app under test runs in a child process of its own (this file, run with `serve cairn|bolt`),
 * so the load generator and the fake Slack do not share its event loop. The parent signs and sends
 * the requests (test/support/slack-driver.ts) and plays Slack's Web API and response_urls
 * (test/support/fake-slack.ts). Load is closed-loop: `concurrency` users each send a command, wait
 * for its answer (Cairn: the post to the response_url; bare Bolt: the HTTP acknowledgement, its only
 * answer), and send the next. Both apps are warmed up first and measured in alternating rounds.
 *
 * Cairn runs `/status <ws> green …` against its real database (HTTP mode); Bolt acknowledges a no-op
 * `/noop`. Reported: the HTTP acknowledgement (what Slack's 3 s deadline is about), for Cairn the
 * time until the answer reached the response_url, throughput, and CPU time the app process spent
 * per command.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
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
  benchLog,
  fixed,
  indexesReady,
  machineLine,
  percentile,
  runPool,
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

type FromParent = { type: 'cpu' } | { type: 'stop' };
type FromChild = { type: 'listening'; port: number } | { type: 'cpu'; micros: number };

async function serve(kind: Kind): Promise<void> {
  const send = (message: FromChild) => process.send?.(message);
  let stop: () => Promise<void>;
  let port: number;
  if (kind === 'cairn') {
    const connection = await connectDatabase(process.env.BENCH_DB_URI!, {
      log: benchLog,
      dbName: process.env.BENCH_DB_NAME,
    });
    const cairn = createCairn({ config: testConfig(process.env.BENCH_SLACK_API), connection, log: benchLog });
    ({ port } = await cairn.start());
    stop = async () => {
      await cairn.stop(5_000);
      await connection.close();
    };
  } else {
    const app = new App({
      receiver: new HTTPReceiver({ signingSecret: SIGNING_SECRET }),
      token: BOT_TOKEN,
      tokenVerificationEnabled: false,
      logLevel: LogLevel.ERROR,
    });
    app.command('/noop', async ({ ack }) => ack());
    const server = (await app.start(0)) as Server;
    port = (server.address() as AddressInfo).port;
    stop = () => app.stop().then(() => undefined);
  }
  process.on('message', (message: FromParent) => {
    if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      send({ type: 'cpu', micros: user + system });
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
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

async function launch(kind: Kind, env: Record<string, string>, slack: FakeSlack): Promise<AppUnderTest> {
  const child = fork(fileURLToPath(import.meta.url), ['serve', kind], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = async <T extends FromChild['type']>(type: T) => {
    for (;;) {
      const [message] = (await once(child, 'message')) as [FromChild];
      if (message.type === type) return message as Extract<FromChild, { type: T }>;
    }
  };
  const { port } = await next('listening');
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
    async cpuMicros() {
      const reply = next('cpu');
      child.send({ type: 'cpu' } satisfies FromParent);
      return (await reply).micros;
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
  failures: number;
}

/** `count` commands from `concurrency` users, each waiting for its answer before the next. */
async function load(
  app: AppUnderTest,
  slack: FakeSlack,
  count: number,
  concurrency: number,
  into: Samples,
): Promise<void> {
  const cpuBefore = await app.cpuMicros();
  const started = performance.now();
  await runPool(count, concurrency, async (i) => {
    const user = `U0USER${i % concurrency}`;
    const t0 = performance.now();
    if (app.kind === 'bolt') {
      const res = await app.driver.slashCommand({ command: '/noop', text: '', userId: user });
      into.ack.push(res.elapsedMs);
      if (res.status !== 200) into.failures++;
      return;
    }
    const res = await app.driver.slashCommand({
      command: '/status',
      text: `ws-${i % WORKSTREAMS} green shipped the part ${i} as planned`,
      userId: user,
    });
    into.ack.push(res.elapsedMs);
    if (res.status !== 200) into.failures++;
    const id = String(res.sent['response_url']).split('/').at(-1);
    const answer = await slack.waitForResponse((r) => r.id === id, 30_000);
    into.answer.push(performance.now() - t0);
    if (!JSON.stringify(answer.body).includes('Recorded')) into.failures++;
  });
  into.wallMs += performance.now() - started;
  into.cpuMicros += (await app.cpuMicros()) - cpuBefore;
  // The fake keeps every response_url and answer; forgetting them keeps its look-ups short.
  slack.reset();
}

async function seed(connection: Awaited<ReturnType<Awaited<ReturnType<typeof startDatabase>>['connect']>>) {
  const stores = createStores(connection);
  await indexesReady(connection);
  const now = new Date();
  const program = await createProgram(
    stores,
    OWNER,
    { programKey: 'bench', name: 'Bench program', channelId: 'C0CAIRN' },
    now,
  );
  if (!program.ok) throw new Error(program.problem);
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
    if (!added.ok) throw new Error(added.problem);
  }
}

async function main(): Promise<void> {
  const count = Number(process.env.BENCH_COUNT ?? 2000);
  const concurrencies = (process.env.BENCH_CONCURRENCY ?? '1,10').split(',').map(Number);
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

    const rows: string[][] = [];
    for (const concurrency of concurrencies) {
      const scratch = (): Samples => ({ ack: [], answer: [], wallMs: 0, cpuMicros: 0, failures: 0 });
      for (const app of apps) await load(app, slack, WARM_UP, concurrency, scratch());
      const samples = { bolt: scratch(), cairn: scratch() };
      for (let round = 0; round < ROUNDS; round++) {
        const share = Math.ceil(count / ROUNDS);
        await load(bolt, slack, share, concurrency, samples.bolt);
        await load(cairn, slack, share, concurrency, samples.cairn);
      }
      const row = (name: string, s: Samples, answers: boolean) => [
        name,
        String(concurrency),
        String(s.ack.length),
        fixed(percentile(s.ack, 50), 2),
        fixed(percentile(s.ack, 99), 2),
        answers ? fixed(percentile(s.answer, 50), 2) : '—',
        answers ? fixed(percentile(s.answer, 99), 2) : '—',
        fixed((s.ack.length / s.wallMs) * 1000, 0),
        fixed(s.cpuMicros / 1000 / s.ack.length, 2),
        String(s.failures),
      ];
      rows.push(row('bare Bolt `/noop`', samples.bolt, false));
      rows.push(row('Cairn `/status <ws> green …`', samples.cairn, true));
      const ratio = (p: number) => percentile(samples.cairn.ack, p) / percentile(samples.bolt.ack, p);
      rows.push([
        '**Cairn ÷ Bolt**',
        String(concurrency),
        '',
        `${fixed(ratio(50), 2)}×`,
        `**${fixed(ratio(99), 2)}×**`,
        '',
        '',
        `${fixed(samples.cairn.ack.length / samples.cairn.wallMs / (samples.bolt.ack.length / samples.bolt.wallMs), 2)}×`,
        '',
        '',
      ]);
      console.error(`concurrency ${concurrency}: done`);
    }
    const updates = await connection.collection('updates').countDocuments();
    console.log(`\n### Slash-command latency (${count} commands per app and concurrency, after ${WARM_UP} to warm up)\n`);
    console.log(machineLine(db.server));
    console.log('');
    console.log(
      table(
        [
          'app',
          'concurrency',
          'commands',
          'ack p50 ms',
          'ack p99 ms',
          'answer p50 ms',
          'answer p99 ms',
          'commands/s',
          'app CPU ms/command',
          'failures',
        ],
        rows,
      ),
    );
    console.log(
      `\nack: HTTP request to response (Slack's 3 s deadline). answer: request until the reply reached the response_url.` +
        ` Target: Cairn's ack p99 at most 1.5× bare Bolt's. Updates recorded: ${updates}.`,
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
