/**
 * A portfolio's leadership digest (issue 11): 100 programs of 10 workstreams each, a dependency from
 * each program on the next, a milestone each, one shared resource booked by all, against one raw
 * driver read of the same documents (the portfolio's programs, their workstreams and milestones, the
 * workspace's standing dependencies and resources), measured in the same run, so the ratio means
 * something on any machine. Per repetition: load (four round trips) + view model + Block Kit.
 *
 *   npm run bench:portfolio          (BENCH_PROGRAMS, default 100; BENCH_REPS, default 7)
 */
import { performance } from 'node:perf_hooks';
import { Types } from 'mongoose';
import { createStores } from '../src/services.js';
import { loadPortfolioDigest } from '../src/use-cases/portfolios.js';
import { portfolioDigestMessages } from '../src/views/portfolio-views.js';
import type { Actor } from '../src/domain/permissions.js';
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

const PROGRAMS = Number(process.env.BENCH_PROGRAMS ?? 100);
const REPS = Number(process.env.BENCH_REPS ?? 7);
const PER_PROGRAM = 10;
const TEAM = 'T0001';
const NOW = new Date('2026-11-25T15:00:00Z');
const ACTOR: Actor = { teamId: TEAM, userId: 'U0PM', timezone: 'UTC', isWorkspaceAdmin: false };
const HEALTHS = ['on_track', 'on_track', 'at_risk', 'off_track'] as const;
const day = (n: number) => new Date(Date.UTC(2026, 11, 1) + n * 86_400_000).toISOString().slice(0, 10);

async function main(): Promise<void> {
  const db = await startDatabase();
  const connection = await db.connect(benchDatabaseName('portfolio'));
  const stores = createStores(connection, benchLayout());
  await indexesReady(connection);

  const programs = Array.from({ length: PROGRAMS }, (_, p) => ({
    _id: new Types.ObjectId(),
    teamId: TEAM,
    key: `program-${p}`,
    name: `Program ${p}`,
    ownerId: 'U0PM',
    channelId: 'C1',
    state: 'active',
    createdAt: NOW,
  }));
  const workstreams = programs.flatMap((p, i) =>
    Array.from({ length: PER_PROGRAM }, (_, w) => ({
      _id: new Types.ObjectId(),
      teamId: TEAM,
      programId: p._id,
      programKey: p.key,
      key: `ws-${w}`,
      name: `Workstream ${w}`,
      team: `team-${w % 4}`,
      leadId: 'U0LEAD',
      state: 'active',
      health: HEALTHS[(i + w) % 4],
      lastUpdateAt: NOW,
      forecastDate: day(10 + ((i + w) % 20)),
      targetDate: day(15),
      createdAt: NOW,
    })),
  );
  const dependencies = programs.slice(1).map((p, i) => ({
    teamId: TEAM,
    consumerId: workstreams[(i + 1) * PER_PROGRAM]!._id,
    consumerProgramId: p._id,
    providerId: workstreams[i * PER_PROGRAM + 1]!._id,
    providerProgramId: programs[i]!._id,
    deliverable: `Deliverable ${i}`,
    neededBy: day(12),
    state: 'open',
    createdBy: 'U0PM',
    createdAt: NOW,
  }));
  await insertInChunks(connection, 'Program', programs);
  await insertInChunks(connection, 'Workstream', workstreams);
  await insertInChunks(connection, 'Dependency', dependencies);
  await insertInChunks(
    connection,
    'Milestone',
    programs.map((p, i) => ({
      teamId: TEAM,
      programId: p._id,
      name: `Launch ${i}`,
      date: day(20),
      needs: [workstreams[i * PER_PROGRAM + 2]!._id],
      createdBy: 'U0PM',
      createdAt: NOW,
    })),
  );
  await insertInChunks(connection, 'SharedResource', [
    {
      teamId: TEAM,
      key: 'sre',
      name: 'SRE',
      capacityPerWeek: 50,
      allocations: workstreams
        .filter((_, i) => i % PER_PROGRAM === 3)
        .map((w) => ({
          workstreamId: w._id,
          units: 1,
          from: day(7),
          to: day(14),
          createdBy: 'U0PM',
          createdAt: NOW,
        })),
      createdBy: 'U0PM',
      createdAt: NOW,
    },
  ]);
  await stores.portfolios.create({
    teamId: TEAM,
    key: 'all',
    name: 'All programs',
    ownerId: 'U0PM',
    programIds: programs.map((p) => p._id),
    createdAt: NOW,
  });

  const raw = connection.db!;
  const ids = programs.map((p) => p._id);
  const rawRead = () =>
    Promise.all([
      raw.collection('portfolios').find({ teamId: TEAM, key: 'all' }).toArray(),
      raw
        .collection('programs')
        .find({ teamId: TEAM, _id: { $in: ids } })
        .toArray(),
      raw
        .collection('workstreams')
        .find({ teamId: TEAM, programId: { $in: ids } })
        .toArray(),
      raw
        .collection('milestones')
        .find({ teamId: TEAM, programId: { $in: ids } })
        .toArray(),
      raw
        .collection('dependencies')
        .find({ teamId: TEAM, state: { $in: ['open', 'broken'] } })
        .toArray(),
      raw.collection('resources').find({ teamId: TEAM }).toArray(),
    ]);

  const builds: number[] = [];
  const reads: number[] = [];
  let blocks = 0;
  let messages = 0;
  for (let rep = 0; rep < REPS; rep++) {
    let start = performance.now();
    await rawRead();
    reads.push(performance.now() - start);
    start = performance.now();
    const loaded = await loadPortfolioDigest(stores, ACTOR, 'all', NOW);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
    const digest = portfolioDigestMessages(loaded.value.view);
    builds.push(performance.now() - start);
    blocks = digest.main.blocks.length;
    messages = 1 + digest.thread.length;
  }
  console.log(machineLine(db.server));
  console.log(
    table(
      ['programs', 'workstreams', 'raw read (ms)', 'digest built (ms)', 'ratio', 'main blocks', 'messages'],
      [
        [
          String(PROGRAMS),
          String(workstreams.length),
          fixed(median(reads)),
          fixed(median(builds)),
          `${fixed(median(builds) / median(reads), 2)}×`,
          String(blocks),
          String(messages),
        ],
      ],
    ),
  );
  await connection.dropDatabase();
  await connection.close();
  await db.stop();
}

await main();
