/**
 * `/program export` of a program with 100,000 status updates: time and peak memory.
 *
 *   npm run bench:export           (BENCH_UPDATES, default 100000; BENCH_NODE_ARGS, e.g.
 *                                   `--max-old-space-size=64`, for the measured processes)
 *
 * The parent starts the database and the fake Slack and inserts the program (50 workstreams, 40
 * authors, 10 % of the updates internal, summaries of 40–220 characters, a third of them starting
 * with `-2`, which the CSV neutralises). Each measurement runs in a child process of its own (this
 * file, run with `serve`), so nothing of the fixture is in its heap:
 * 1. the raw read: the export's query through the same cursor, each update dropped;
 * 2. the CSV alone: cursor → csv-stringify → a file (`writeUpdatesCsv`);
 * 3. the whole export as the command runs it (`exportProgram`): the CSV to a temporary file, the DM,
 *    the upload to the fake Slack (files.getUploadURLExternal → POST → files.completeUploadExternal);
 * 4. the same `as:client` (internal updates left out, the 40 authors' names looked up).
 * Each samples process.memoryUsage() every 10 ms and reports the peaks and its peak RSS (getrusage),
 * against the same process idle just before. The benches run under tsx, which adds to RSS (see
 * bench/memory.ts for an empty process both ways).
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { WebClient } from '@slack/web-api';
import { Types } from 'mongoose';
import { stopwatch } from '../src/clock.js';
import { connectDatabase } from '../src/db/connection.js';
import type { Actor } from '../src/domain/permissions.js';
import { createStores } from '../src/services.js';
import { exportProgram, programForExport, writeUpdatesCsv } from '../src/use-cases/export.js';
import { BOT_TOKEN, TEAM_ID } from '../test/support/cairn-harness.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { silentSlackLogger } from '../test/support/silent-slack-logger.js';
import {
  benchDatabaseName,
  benchLayout,
  benchLog,
  fixed,
  indexesReady,
  insertInChunks,
  machineLine,
  mb,
  startDatabase,
  table,
} from './support.js';

type Audience = 'team' | 'client';

/** `read`: the cursor alone (the raw read); `csv`: the CSV to a file; `export`: the whole command. */
type Phase = 'read' | 'csv' | 'export';

interface Report {
  phase: Phase;
  audience: Audience;
  rows: number;
  /** The CSV's size (the `csv` phase). */
  bytes: number;
  ms: number;
  delivery: string;
  baseline: NodeJS.MemoryUsage;
  peak: { rss: number; heapUsed: number; external: number; arrayBuffers: number };
  maxRssBytes: number;
}

const PM = 'U0BENCHPM';
// ---------------------------------------------------------------------------------------------
// The process measured (child)
// ---------------------------------------------------------------------------------------------

async function serve(phase: Phase, audience: Audience): Promise<void> {
  const connection = await connectDatabase(process.env.BENCH_DB_URI!, {
    log: benchLog,
    dbName: process.env.BENCH_DB_NAME,
  });
  const stores = createStores(connection, benchLayout());
  const client = new WebClient(BOT_TOKEN, {
    slackApiUrl: process.env.BENCH_SLACK_API,
    logger: silentSlackLogger,
  });
  const actor: Actor = { teamId: TEAM_ID, userId: PM, isWorkspaceAdmin: false, timezone: 'Europe/Berlin' };
  const found = await programForExport(stores, actor, 'bench');
  if (!found.ok) throw new Error('the bench program is missing');
  const names = new Map<string, string>();
  const options = {
    audience,
    timezone: actor.timezone,
    nameOf: async (id: string) => {
      if (!names.has(id)) {
        const { user } = await client.users.info({ user: id });
        names.set(id, user?.profile?.display_name || id);
      }
      return names.get(id);
    },
  };
  // Warm up (module code, the driver's first batches) on a small read, then settle.
  const few = stores.updates.streamForProgram(TEAM_ID, found.value._id, { batchSize: 10 });
  for await (const update of few) if (update) break;
  await new Promise((resolve) => setTimeout(resolve, 500));
  globalThis.gc?.();
  const baseline = process.memoryUsage();
  const peak = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.external = Math.max(peak.external, m.external);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
  };
  const sampler = setInterval(sample, 10);

  const elapsed = stopwatch();
  let rows: number;
  let bytes: number;
  let delivery = '—';
  if (phase === 'read') {
    // The same query through the same cursor, each update dropped: what the database costs.
    rows = 0;
    bytes = 0;
    for await (const update of stores.updates.streamForProgram(TEAM_ID, found.value._id, {})) {
      if (update) rows++;
    }
  } else if (phase === 'csv') {
    // The CSV alone: cursor → csv-stringify → a file, as the export writes it.
    const dir = await mkdtemp(join(tmpdir(), 'cairn-bench-export-'));
    rows = await writeUpdatesCsv(stores, found.value, options, join(dir, 'bench.csv'));
    bytes = (await stat(join(dir, 'bench.csv'))).size;
    await rm(dir, { recursive: true, force: true });
  } else {
    // The whole export, as the command runs it: the CSV, the DM, the upload.
    const sent = await exportProgram(
      { stores, client, log: benchLog },
      actor,
      found.value,
      options,
      new Date(),
    );
    rows = sent.rows;
    bytes = 0; // the parent reads the uploaded file's size at the fake Slack
    delivery = sent.delivery.kind === 'failed' ? `failed: ${sent.delivery.error}` : sent.delivery.kind;
  }
  const ms = elapsed();
  sample();
  clearInterval(sampler);
  await connection.close();
  const report: Report = {
    phase,
    audience,
    rows,
    bytes,
    ms,
    delivery,
    baseline,
    peak,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.send?.(report, () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------
// The parent: fixture, then the measured processes
// ---------------------------------------------------------------------------------------------

const WORDS =
  'vault tokens checkout review vendor rollout latency migration staging flag contract audit =SUM(1) +44 -2 @ops slipped waiting on fixed shipped'.split(
    ' ',
  );

async function insertProgram(connection: Awaited<ReturnType<typeof connectDatabase>>, count: number) {
  createStores(connection, benchLayout());
  await indexesReady(connection);
  const programId = new Types.ObjectId();
  const start = Date.parse('2024-11-25T00:00:00Z');
  await insertInChunks(connection, 'Program', [
    { _id: programId, teamId: TEAM_ID, key: 'bench', name: 'Bench', ownerId: PM, createdAt: new Date(start) },
  ]);
  const workstreams = Array.from({ length: 50 }, (_, i) => ({
    _id: new Types.ObjectId(),
    teamId: TEAM_ID,
    programId,
    programKey: 'bench',
    key: `ws-${i}`,
    name: `Workstream ${i}`,
    team: `team-${i % 8}`,
    leadId: `U0LEAD${i % 40}`,
    state: 'active',
    createdAt: new Date(start),
  }));
  await insertInChunks(connection, 'Workstream', workstreams);
  const sources = ['command', 'modal', 'button', 'carried_forward'];
  const healths = ['on_track', 'on_track', 'at_risk', 'off_track'];
  const span = 2 * 365 * 86_400_000;
  for (let from = 0; from < count; from += 10_000) {
    const docs = [];
    for (let i = from; i < Math.min(count, from + 10_000); i++) {
      const words = Array.from({ length: 6 + (i % 25) }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]);
      docs.push({
        teamId: TEAM_ID,
        programId,
        workstreamId: workstreams[i % 50]!._id,
        authorId: `U0LEAD${i % 40}`,
        source: sources[i % 4],
        createdAt: new Date(start + Math.floor((i / count) * span)),
        health: healths[i % 4],
        blocked: i % 17 === 0,
        ...(i % 3 === 0 ? { progress: i % 101 } : {}),
        ...(i % 5 === 0 ? { forecastDate: '2027-03-01' } : {}),
        summary: words.join(' '),
        internal: i % 10 === 0,
        requestKey: `bench:${i}`,
      });
    }
    await insertInChunks(connection, 'StatusUpdate', docs);
  }
}

async function measure(phase: Phase, audience: Audience, env: NodeJS.ProcessEnv): Promise<Report> {
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = fork(fileURLToPath(import.meta.url), ['serve', phase, audience], {
    env,
    execArgv: [...process.execArgv, '--expose-gc', ...extra],
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
  return report;
}

async function main(): Promise<void> {
  const count = Number(process.env.BENCH_UPDATES ?? 100_000);
  const db = await startDatabase();
  const dbName = benchDatabaseName('export');
  const connection = await db.connect(dbName);
  const slack = await FakeSlack.start({ botToken: BOT_TOKEN, teamId: TEAM_ID });
  for (let i = 0; i < 40; i++) slack.setUser({ id: `U0LEAD${i}`, name: `lead ${i}` });
  try {
    const inserting = stopwatch();
    await insertProgram(connection, count);
    console.log(`(inserted ${count} updates in ${fixed(inserting() / 1000, 1)} s)`);
    const env = {
      ...process.env,
      BENCH_DB_URI: db.uri,
      BENCH_DB_NAME: dbName,
      BENCH_SLACK_API: slack.apiUrl,
    };
    const reports: Array<Report & { uploaded?: number }> = [];
    for (const [phase, audience] of [
      ['read', 'team'],
      ['csv', 'team'],
      ['export', 'team'],
      ['export', 'client'],
    ] as const) {
      const before = slack.uploadedFiles().length;
      const report = await measure(phase, audience, env);
      reports.push({ ...report, uploaded: slack.uploadedFiles()[before]?.bytes.length });
    }
    console.log(`\n### Export of a program with ${count} status updates\n`);
    console.log(machineLine(db.server));
    if (process.env.BENCH_NODE_ARGS)
      console.log(`measured processes run with ${process.env.BENCH_NODE_ARGS}`);
    console.log('');
    console.log(
      table(
        [
          'what (one process each)',
          'rows',
          'CSV MB',
          'time s',
          'rows/s',
          'idle RSS MB',
          'peak RSS MB',
          'peak RSS − idle MB',
          'idle heap MB',
          'peak heap MB',
          'peak arrayBuffers MB',
        ],
        reports.map((r) => [
          r.phase === 'read'
            ? 'raw read: the cursor alone'
            : r.phase === 'csv'
              ? 'CSV only: cursor → csv-stringify → file'
              : `whole export${r.audience === 'client' ? ' as:client' : ''}: CSV, DM, upload (${r.delivery})`,
          String(r.rows),
          r.phase === 'read' ? '—' : mb(r.phase === 'csv' ? r.bytes : (r.uploaded ?? 0)),
          fixed(r.ms / 1000, 1),
          fixed(r.rows / (r.ms / 1000), 0),
          mb(r.baseline.rss),
          `**${mb(Math.max(r.maxRssBytes, r.peak.rss))}**`,
          mb(Math.max(r.maxRssBytes, r.peak.rss) - r.baseline.rss),
          mb(r.baseline.heapUsed),
          mb(r.peak.heapUsed),
          mb(r.peak.arrayBuffers),
        ]),
      ),
    );
    console.log('\nTarget: 100,000 updates exported under 100 MB of memory.');
  } finally {
    await slack.stop();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    await db.stop();
  }
}

if (process.argv[2] === 'serve') {
  const phase = process.argv[3];
  await serve(
    phase === 'read' || phase === 'csv' ? phase : 'export',
    process.argv[4] === 'client' ? 'client' : 'team',
  );
} else {
  await main();
}
