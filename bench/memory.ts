/**
 * Resident memory of a Cairn process with 10,000 digest schedules loaded.
 *
 *   npm run bench:memory           (BENCH_SCHEDULES, default 10000)
 *
 * The parent starts the database and the fake Slack and inserts the schedules (each with its
 * program, all due now); the process measured is a child of its own (this file, run with `serve`,
 * with --expose-gc), so nothing of the fixture is in its heap. It starts Cairn in HTTP mode with no
 * jobs (the production scheduler would start posting 10,000 digests), then reads every due schedule
 * the way the scheduler does (`stores.schedules.due`), holding them, and reports
 * process.memoryUsage() after a full GC at each step, and its peak RSS. The benches run under tsx,
 * whose loader thread adds to RSS what `node dist/src/main.js` does not carry: the last rows measure
 * an empty process both ways.
 */
import { execFileSync, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Types } from 'mongoose';
import { createCairn } from '../src/app.js';
import { connectDatabase } from '../src/db/connection.js';
import { createStores } from '../src/services.js';
import { BOT_TOKEN, TEAM_ID, testConfig } from '../test/support/cairn-harness.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import {
  benchDatabaseName,
  benchLayout,
  benchLog,
  indexesReady,
  insertInChunks,
  machineLine,
  mb,
  startDatabase,
  table,
} from './support.js';

interface Step {
  step: string;
  rss: number;
  heapUsed: number;
  external: number;
}
type Report = { steps: Step[]; maxRssBytes: number; schedules: number };

// ---------------------------------------------------------------------------------------------
// The Cairn process measured (child)
// ---------------------------------------------------------------------------------------------

async function serve(): Promise<void> {
  const steps: Step[] = [];
  const measure = (step: string) => {
    globalThis.gc?.();
    const { rss, heapUsed, external } = process.memoryUsage();
    steps.push({ step, rss, heapUsed, external });
  };
  measure("process started, Cairn's modules loaded");
  const connection = await connectDatabase(process.env.BENCH_DB_URI!, {
    log: benchLog,
    dbName: process.env.BENCH_DB_NAME,
  });
  const cairn = createCairn({
    config: testConfig(process.env.BENCH_SLACK_API),
    connection,
    log: benchLog,
    jobs: () => [],
  });
  await cairn.start();
  // Let start-up settle (auth.test, the driver's monitoring) before the baseline.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  // The scheduler's query once with a small batch, so the code it runs is compiled before the baseline.
  await cairn.services.stores.schedules.due(new Date(), 10);
  measure('baseline: Cairn started (HTTP mode, connected), idle');
  let due = await cairn.services.stores.schedules.due(new Date(), 20_000);
  measure(`${due.length} schedules read by the scheduler's query, held`);
  const schedules = due.length;
  due = [];
  measure('schedules released');
  // The driver keeps the last reply of a query until the next one: a small read lets it go.
  await cairn.services.stores.schedules.due(new Date(), 1);
  measure('schedules released, after the next (small) read');
  await cairn.stop(5_000);
  await connection.close();
  const report: Report = { steps, maxRssBytes: process.resourceUsage().maxRSS * 1024, schedules };
  process.send?.(report, () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------
// The parent: fixture, then the measured process
// ---------------------------------------------------------------------------------------------

async function insertSchedules(connection: Awaited<ReturnType<typeof connectDatabase>>, count: number) {
  createStores(connection, benchLayout());
  await indexesReady(connection);
  const createdAt = new Date(Date.now() - 86_400_000);
  const programs = [];
  const schedules = [];
  for (let i = 0; i < count; i++) {
    const programId = new Types.ObjectId();
    const key = `mem-${i}`;
    const channelId = `CMEM${String(i).padStart(5, '0')}`;
    programs.push({
      _id: programId,
      teamId: TEAM_ID,
      key,
      name: `Program ${i}`,
      ownerId: 'U0PM',
      channelId,
      createdAt,
    });
    schedules.push({
      teamId: TEAM_ID,
      programId,
      programKey: key,
      channelId,
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      time: `${String(i % 24).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}`,
      timezone: ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata'][i % 4],
      variant: 'team',
      reminderLeadMinutes: 120,
      paused: false,
      createdBy: 'U0PM',
      createdAt,
      lastSlotAt: createdAt,
      nextSlotAt: new Date(createdAt.getTime() + (i % 1000) * 1000),
    });
  }
  await insertInChunks(connection, 'Program', programs);
  await insertInChunks(connection, 'DigestSchedule', schedules);
}

async function main(): Promise<void> {
  const count = Number(process.env.BENCH_SCHEDULES ?? 10_000);
  const db = await startDatabase();
  const dbName = benchDatabaseName('memory');
  const connection = await db.connect(dbName);
  const slack = await FakeSlack.start({ botToken: BOT_TOKEN, teamId: TEAM_ID });
  try {
    await insertSchedules(connection, count);
    const child = fork(fileURLToPath(import.meta.url), ['serve'], {
      env: { ...process.env, BENCH_DB_URI: db.uri, BENCH_DB_NAME: dbName, BENCH_SLACK_API: slack.apiUrl },
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = once(child, 'exit');
    const [report] = (await Promise.race([
      once(child, 'message'),
      exited.then(([code]) => {
        throw new Error(`the measured process exited (code ${String(code)}) without a report`);
      }),
    ])) as [Report];
    await exited;
    const baseline = report.steps[1]!;
    const empty = (execArgv: string[]) => {
      const code = 'gc(); const m = process.memoryUsage(); console.log(JSON.stringify([m.rss, m.heapUsed]))';
      const out = execFileSync(process.execPath, [...execArgv, '--expose-gc', '-e', code]).toString();
      return JSON.parse(out) as [number, number];
    };
    const reference = [
      ['for reference: an empty Node process', empty([])],
      ['for reference: an empty Node process under tsx (how the benches run)', empty(process.execArgv)],
    ] as const;
    console.log(`\n### Memory of a Cairn process with ${report.schedules} schedules loaded\n`);
    console.log(machineLine(db.server));
    console.log('');
    console.log(
      table(
        ['step (after a full GC)', 'RSS MB', 'RSS vs baseline MB', 'heapUsed MB', 'heapUsed vs baseline MB'],
        [
          ...report.steps.map((s) => [
            s.step,
            mb(s.rss),
            mb(s.rss - baseline.rss),
            mb(s.heapUsed),
            mb(s.heapUsed - baseline.heapUsed),
          ]),
          ['peak RSS of the process', `**${mb(report.maxRssBytes)}**`, '', '', ''],
          ...reference.map(([step, [rss, heapUsed]]) => [step, mb(rss), '', mb(heapUsed), '']),
        ],
      ),
    );
    console.log(`\nTarget: ${count} schedules in under 200 MB (RSS).`);
  } finally {
    await slack.stop();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    await db.stop();
  }
}

if (process.argv[2] === 'serve') {
  await serve();
} else {
  await main();
}
