/**
 * Digest build time and database round trips for programs of 10, 100 and 1,000 workstreams with 50
 * updates each, against one raw driver read of the same documents.
 *
 *   npm run bench:digest           (BENCH_REPS, default 5; BENCH_SIZES, default "10,100,1000")
 *
 * The fixture is inserted with insertMany through Cairn's own mongoose models (so it is cast and
 * validated by the schemas in src/data/), with the indexes built first. Each program also has open
 * and resolved blockers, dependencies, milestones and a previous posted digest, so every part of
 * the digest has work to do. Per repetition: `composeDigest` (load + view model + blocks) with its
 * round trips counted by command monitoring (getMore included), then the raw read: the program's
 * workstreams and its updates of the same window with `find().toArray()`, both at once. The table
 * shows medians, the pure part of the build (view model, blocks, snapshot) on its own, and this
 * process's CPU time, which does not depend on how fast the database server is. The smallest
 * program is measured again at the end, once the larger ones share its collections.
 */
import { performance } from 'node:perf_hooks';
import { Types, type Connection } from 'mongoose';
import type { Health, WorkstreamState } from '../src/domain/types.js';
import { buildDigest, snapshotOf } from '../src/domain/digest.js';
import { createStores, type Stores } from '../src/services.js';
import { composeDigest } from '../src/use-cases/compose-digest.js';
import { loadDigestData } from '../src/use-cases/digest-data.js';
import { digestMessages } from '../src/views/digest-blocks.js';
import { MESSAGE_TEXT_BUDGET, messageTextLength } from '../src/views/message-size.js';
import { partitionCollection, resolveLayout } from '../src/data/partitions.js';
import {
  benchDatabaseName,
  benchLayout,
  fixed,
  indexesReady,
  insertInChunks,
  machineLine,
  median,
  startDatabase,
  table,
} from './support.js';

const TEAM = 'T0001';
const UPDATES_PER_WORKSTREAM = 50;
const DAY = 86_400_000;
const NOW = new Date('2026-11-25T15:00:00Z');
/** loadDigestData reads the last eight weeks of updates (or since the previous digest, if earlier). */
const WINDOW_START = new Date(NOW.getTime() - 56 * DAY);
const HEALTHS: Health[] = ['on_track', 'on_track', 'on_track', 'at_risk', 'off_track'];
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Inserts one program of `size` workstreams and its history; returns its id. */
async function insertProgram(connection: Connection, size: number): Promise<Types.ObjectId> {
  const programId = new Types.ObjectId();
  const key = `p${size}`;
  await insertInChunks(connection, 'Program', [
    {
      _id: programId,
      teamId: TEAM,
      key,
      name: `Program of ${size}`,
      objective: 'Lift checkout conversion by 5%',
      ownerId: 'U0PM',
      channelId: `C${size}`,
      state: 'active',
      createdAt: new Date(NOW.getTime() - 200 * DAY),
    },
  ]);
  const workstreams: Array<{ _id: Types.ObjectId } & Record<string, unknown>> = [];
  const updates = [];
  const blockers = [];
  const snapshot: Record<string, object> = {};
  for (let i = 0; i < size; i++) {
    const _id = new Types.ObjectId();
    const leadId = `U${String(i % 97).padStart(4, '0')}`;
    let latest: { health: Health; progress: number; at: Date } | undefined;
    for (let u = 0; u < UPDATES_PER_WORKSTREAM; u++) {
      // One update a day, the newest today; each workstream a few minutes apart.
      const createdAt = new Date(NOW.getTime() - (UPDATES_PER_WORKSTREAM - 1 - u) * DAY - i * 60_000);
      const health = HEALTHS[(i + Math.floor(u / 7)) % HEALTHS.length]!;
      const progress = Math.min(100, u * 2);
      updates.push({
        teamId: TEAM,
        programId,
        workstreamId: _id,
        authorId: leadId,
        source: 'command',
        createdAt,
        requestKey: `bench:${key}:${i}:${u}`,
        health,
        blocked: false,
        progress,
        summary: `Week ${u}: integrated the ${i % 7 === 0 ? 'payment' : 'search'} service, ${u} tickets closed`,
        nextSteps: 'Roll out to the next cohort and watch the error budget',
        ...(u === UPDATES_PER_WORKSTREAM - 1 && i % 9 === 0
          ? { forecastDate: isoDate(NOW.getTime() + 40 * DAY) }
          : {}),
      });
      latest = { health, progress, at: createdAt };
    }
    const state: WorkstreamState = i % 25 === 24 ? 'done' : 'active';
    workstreams.push({
      _id,
      teamId: TEAM,
      programId,
      programKey: key,
      key: `ws-${i}`,
      name: `Workstream ${i}`,
      team: `Team ${i % 12}`,
      leadId,
      targetDate: isoDate(NOW.getTime() + ((i % 60) - 10) * DAY),
      state,
      health: latest!.health,
      progress: latest!.progress,
      lastUpdateAt: latest!.at,
      createdAt: new Date(NOW.getTime() - 100 * DAY),
    });
    // The previous digest, a week ago, showed everyone on track.
    snapshot[_id.toHexString()] = { health: 'on_track', state: 'active', openBlockerIds: [] };
    if (i % 10 === 3) {
      blockers.push({
        teamId: TEAM,
        programId,
        workstreamId: _id,
        text: `Waiting on the vendor for workstream ${i}`,
        ownerId: leadId,
        openedBy: leadId,
        openedAt: new Date(NOW.getTime() - (i % 14) * DAY),
        ...(i % 20 === 3 ? { resolvedAt: new Date(NOW.getTime() - DAY), resolvedBy: leadId } : {}),
      });
    }
  }
  const dependencies = workstreams
    .filter((_, i) => i % 20 === 5 && i + 1 < workstreams.length)
    .map((consumer, n) => ({
      teamId: TEAM,
      consumerId: consumer._id,
      consumerProgramId: programId,
      providerId: workstreams[(n * 20 + 6) % workstreams.length]!._id,
      providerProgramId: programId,
      deliverable: 'the public API',
      neededBy: isoDate(NOW.getTime() + 20 * DAY),
      createdBy: 'U0PM',
      createdAt: new Date(NOW.getTime() - 30 * DAY),
    }));
  const milestones = [5, 12, 25, 45].map((days, n) => ({
    teamId: TEAM,
    programId,
    name: `Release ${n + 1}`,
    date: isoDate(NOW.getTime() + days * DAY),
    needs: workstreams.slice(n * 3, n * 3 + 3).map((w) => w._id),
    createdBy: 'U0PM',
    createdAt: new Date(NOW.getTime() - 60 * DAY),
  }));
  const previousAt = new Date(NOW.getTime() - 7 * DAY);
  await insertInChunks(connection, 'Workstream', workstreams);
  await insertInChunks(connection, 'StatusUpdate', updates);
  await insertInChunks(connection, 'Blocker', blockers);
  await insertInChunks(connection, 'Dependency', dependencies);
  await insertInChunks(connection, 'Milestone', milestones);
  await insertInChunks(connection, 'DigestRun', [
    {
      teamId: TEAM,
      programId,
      scheduleKey: `on-demand:${programId.toHexString()}`,
      slot: previousAt,
      state: 'posted',
      channelId: `C${size}`,
      attempts: 1,
      ts: `${Math.floor(previousAt.getTime() / 1000)}.000100`,
      postedAt: previousAt,
      snapshot: { postedAt: previousAt, workstreams: snapshot },
    },
  ]);
  return programId;
}

interface Measured {
  composeMs: number;
  composeCpuMs: number;
  composeTrips: number;
  rawMs: number;
  rawCpuMs: number;
  rawTrips: number;
  documents: number;
  /** The most text in one of the digest's messages (Slack refuses past about 12,000). */
  largestMessageChars: number;
}

const OPTIONS = { variant: 'team', timezone: 'America/New_York', now: NOW } as const;

/** Wall time, this process's CPU time and round trips of `task`. */
async function timed<T>(commands: string[], task: () => Promise<T>) {
  commands.length = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await task();
  const ms = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  return { result, ms, cpuMs: (user + system) / 1000, trips: commands.length };
}

/** composeDigest, then the raw read of the same workstreams and updates. */
async function measureOnce(
  connection: Connection,
  stores: Stores,
  programId: Types.ObjectId,
  commands: string[],
): Promise<Measured> {
  const program = (await stores.programs.findByIds(TEAM, [programId]))[0]!;
  const compose = await timed(commands, () => composeDigest(stores, program, OPTIONS));
  if (compose.result.main.blocks.length === 0) throw new Error('empty digest');
  const db = connection.db!;
  // The same collections the stores read: the workspace's (and the program's) own when partitioned.
  const layout = await resolveLayout(connection, benchLayout());
  const raw = await timed(commands, () =>
    Promise.all([
      db
        .collection(partitionCollection(layout, 'workstreams', [TEAM]))
        .find({ teamId: TEAM, programId })
        .toArray(),
      db
        .collection(partitionCollection(layout, 'updates', [TEAM, programId.toHexString()]))
        .find({ teamId: TEAM, programId, createdAt: { $gte: WINDOW_START } })
        .toArray(),
    ]),
  );
  const [workstreams, updates] = raw.result;
  const expected = Object.keys(compose.result.snapshot.workstreams).length;
  if (workstreams.length !== expected)
    throw new Error('the raw read found other workstreams than the digest');
  return {
    composeMs: compose.ms,
    composeCpuMs: compose.cpuMs,
    composeTrips: compose.trips,
    rawMs: raw.ms,
    rawCpuMs: raw.cpuMs,
    rawTrips: raw.trips,
    documents: workstreams.length + updates.length,
    largestMessageChars: Math.max(
      ...[compose.result.main, ...compose.result.thread].map((m) => messageTextLength(m.blocks, m.text)),
    ),
  };
}

/** The pure part of composeDigest (view model, blocks, snapshot) on data loaded once. */
async function pureMs(stores: Stores, programId: Types.ObjectId, reps: number): Promise<number> {
  const program = (await stores.programs.findByIds(TEAM, [programId]))[0]!;
  const data = await loadDigestData(stores, program, OPTIONS);
  const times: number[] = [];
  for (let rep = 0; rep <= reps; rep++) {
    const started = performance.now();
    digestMessages(buildDigest(data));
    snapshotOf(data);
    times.push(performance.now() - started);
  }
  return median(times.slice(1));
}

async function measure(
  label: string,
  connection: Connection,
  stores: Stores,
  programId: Types.ObjectId,
  commands: string[],
  reps: number,
): Promise<string[]> {
  const started = performance.now();
  await measureOnce(connection, stores, programId, commands); // warm-up
  const runs: Measured[] = [];
  for (let rep = 0; rep < reps; rep++) runs.push(await measureOnce(connection, stores, programId, commands));
  const m = (pick: (r: Measured) => number) => median(runs.map(pick));
  const pure = await pureMs(stores, programId, reps);
  console.error(
    `${label}: measured ${reps + 1} times in ${fixed((performance.now() - started) / 1000, 1)} s`,
  );
  return [
    label,
    String(runs[0]!.documents),
    fixed(
      m((r) => r.composeMs),
      1,
    ),
    fixed(pure, 1),
    [...new Set(runs.map((r) => r.composeTrips))].join('/'),
    fixed(
      m((r) => r.rawMs),
      1,
    ),
    [...new Set(runs.map((r) => r.rawTrips))].join('/'),
    `**${fixed(m((r) => r.composeMs) / m((r) => r.rawMs), 2)}×**`,
    fixed(
      m((r) => r.composeCpuMs),
      0,
    ),
    fixed(
      m((r) => r.rawCpuMs),
      0,
    ),
    `${fixed(m((r) => r.composeCpuMs) / m((r) => r.rawCpuMs), 2)}×`,
    `${Math.max(...runs.map((r) => r.largestMessageChars)).toLocaleString('en')} (≤ ${MESSAGE_TEXT_BUDGET.toLocaleString('en')})`,
  ];
}

async function main(): Promise<void> {
  const reps = Number(process.env.BENCH_REPS ?? 5);
  const sizes = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
  const db = await startDatabase();
  // Command monitoring counts every round trip the driver makes, getMore included.
  const connection = await db.connect(benchDatabaseName('digest'), { monitorCommands: true });
  const commands: string[] = [];
  connection.getClient().on('commandStarted', (event) => commands.push(event.commandName));
  try {
    const stores = createStores(connection, benchLayout());
    await indexesReady(connection);
    const rows: string[][] = [];
    const programs = new Map<number, Types.ObjectId>();
    for (const size of sizes) {
      const started = performance.now();
      programs.set(size, await insertProgram(connection, size));
      const seconds = fixed((performance.now() - started) / 1000, 1);
      console.error(`${size} workstreams × ${UPDATES_PER_WORKSTREAM} updates inserted in ${seconds} s`);
      rows.push(await measure(String(size), connection, stores, programs.get(size)!, commands, reps));
    }
    // The smallest program again, now that the larger ones share its collections.
    if (sizes.length > 1) {
      const size = sizes[0]!;
      const total = sizes.reduce((sum, n) => sum + n, 0);
      const label = `${size} again, beside the others (${total} workstreams, ${total * UPDATES_PER_WORKSTREAM} updates stored)`;
      rows.push(await measure(label, connection, stores, programs.get(size)!, commands, reps));
    }
    console.log(`\n### Digest build (median of ${reps}, after one warm-up)\n`);
    console.log(machineLine(db.server));
    console.log('');
    console.log(
      table(
        [
          'workstreams',
          'documents read',
          'composeDigest ms',
          'of which view + blocks ms',
          'round trips',
          'raw read ms',
          'raw round trips',
          'compose ÷ raw',
          'compose CPU ms',
          'raw CPU ms',
          'CPU ratio',
          'largest message, chars (goal)',
        ],
        rows,
      ),
    );
    console.log(
      `\nCPU: this process's (driver, mongoose, Cairn), not the database server's.` +
        ` Each workstream has ${UPDATES_PER_WORKSTREAM} updates (one a day). Raw read: the workstreams and the updates of the` +
        ` digest's window with find().toArray(), at once. Target: at 1,000 workstreams at most 3× the raw read, and` +
        ` the same number of round trips at every size.`,
    );
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    await db.stop();
  }
}

await main();
