/**
 * What one workspace pays for everyone else's data (issue 12): a digest, a `/status` and a scheduler
 * tick of a home workspace, alone in the database and again once many updates of other programs
 * are stored beside it, in each database layout (src/data/partitions.ts).
 *
 *   npm run bench:tenants
 *   BENCH_LAYOUTS (default "partitioned,shared"), BENCH_FOREIGN (default 500000: foreign updates),
 *   BENCH_REPS (default 5: repetitions after a warm-up)
 *
 * Per layout, in a database of its own: the home workspace T0HOME gets, through the stores of
 * `createStores(connection, layout)`, one program of 10 workstreams with 20 updates each over the
 * last six weeks, an open blocker, milestones, a dependency, a previous posted digest and a digest
 * schedule that is not due. Measured (medians): `composeDigest` of that program, `recordUpdate` as
 * `/status home/ws-3 …` does it (a fresh request key each time), and `runSchedulerTick` with nothing
 * due. Then BENCH_FOREIGN updates are inserted raw (insertMany, 5,000 at a time, into the exact
 * collection the stores use): 90 % in 9 other workspaces (one program of 10 workstreams each, with
 * a schedule and a posted digest) and 10 % in another program of the home workspace. The three are
 * measured again. The goal: with 500,000 foreign updates, at most 1.2× the cost alone. In the
 * shared layout the digest reads the whole updates collection (FerretDB pushes no filter down), so
 * it is measured at most twice there, without a warm-up. Under each table: the database commands
 * that took longest per operation once the foreign updates were stored (command monitoring).
 */
import { performance } from 'node:perf_hooks';
import { Types, type Connection } from 'mongoose';
import type { Program, Workstream } from '../src/domain/entities.js';
import type { Weekday } from '../src/domain/schedule.js';
import type { Health } from '../src/domain/types.js';
import { nextSlot } from '../src/domain/schedule-slots.js';
import { partitionCollection, type DatabaseLayout } from '../src/data/partitions.js';
import { createStores, type Stores } from '../src/services.js';
import { composeDigest } from '../src/use-cases/compose-digest.js';
import { runSchedulerTick } from '../src/use-cases/scheduler.js';
import { recordUpdate } from '../src/use-cases/status.js';
import {
  benchDatabaseName,
  benchLog,
  fixed,
  indexesReady,
  machineLine,
  median,
  startDatabase,
  table,
  type BenchDatabase,
} from './support.js';

const HOME = 'T0HOME';
const FOREIGN_TEAMS = Array.from({ length: 9 }, (_, i) => `T0F${String(i + 1).padStart(2, '0')}`);
/** The share of the foreign updates that belong to the home workspace's other program. */
const HOME_OTHER_SHARE = 0.1;
const WORKSTREAMS = 10;
const HOME_UPDATES_PER_WORKSTREAM = 20;
const CHUNK = 5_000;
const DAY = 86_400_000;
const GOAL = 1.2;
const ALL_DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const HEALTHS: Health[] = ['on_track', 'on_track', 'on_track', 'at_risk', 'off_track'];
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const hex = (id: { toHexString(): string }) => id.toHexString();

interface Seeded {
  program: Program;
  workstreams: Workstream[];
}

/**
 * A program of 10 workstreams created through the stores, with a digest schedule (next slot about
 * twelve hours away: nothing due) and, when `postedAt` is given, a posted on-demand digest then.
 */
async function createProgram(
  stores: Stores,
  teamId: string,
  key: string,
  now: Date,
  postedAt?: Date,
): Promise<Seeded> {
  const createdAt = new Date(now.getTime() - 120 * DAY);
  const channelId = `C${teamId.slice(1)}${key.toUpperCase()}`;
  await stores.workspaces.recordSeen({ teamId }, createdAt);
  const program = await stores.programs.create({
    teamId,
    key,
    name: `Program ${key} of ${teamId}`,
    objective: 'Lift checkout conversion by 5%',
    ownerId: 'U0PM',
    channelId,
    createdAt,
  });
  if (!program) throw new Error(`program ${teamId}/${key} exists already`);
  const workstreams: Workstream[] = [];
  for (let i = 0; i < WORKSTREAMS; i++) {
    const workstream = await stores.workstreams.create({
      teamId,
      programId: program._id,
      programKey: key,
      key: `ws-${i}`,
      name: `Workstream ${i}`,
      team: `Team ${i % 3}`,
      leadId: `U0LEAD${i}`,
      targetDate: isoDate(now.getTime() + (20 + 7 * i) * DAY),
      createdAt,
    });
    if (!workstream) throw new Error(`workstream ${key}/ws-${i} exists already`);
    workstreams.push(workstream);
  }
  const timing = {
    days: ALL_DAYS,
    time: new Date(now.getTime() + 12 * 3_600_000).toISOString().slice(11, 16),
    timezone: 'UTC',
  };
  const nextSlotAt = nextSlot(timing, now)!;
  await stores.schedules.create({
    teamId,
    programId: program._id,
    programKey: key,
    channelId,
    ...timing,
    variant: 'team',
    reminderLeadMinutes: 0,
    createdBy: 'U0PM',
    createdAt,
    lastSlotAt: new Date(nextSlotAt.getTime() - DAY),
    nextSlotAt,
  });
  if (postedAt) {
    const run = await stores.runs.claim({
      teamId,
      programId: program._id,
      scheduleKey: `on-demand:${hex(program._id)}`,
      slot: postedAt,
      channelId,
      claimedBy: 'bench',
      claimedAt: postedAt,
    });
    if (!run) throw new Error('the previous digest could not be claimed');
    const previous = await composeDigest(stores, program, {
      variant: 'team',
      timezone: 'UTC',
      now: postedAt,
    });
    await stores.runs.markPosted(teamId, run._id, {
      ts: `${Math.floor(postedAt.getTime() / 1000)}.000100`,
      postedAt,
      snapshot: { ...previous.snapshot, postedAt },
    });
  }
  return { program, workstreams };
}

/** The home program's history (one update every other day per workstream), a blocker, milestones, a dependency. */
async function seedHome(stores: Stores, now: Date): Promise<Seeded> {
  const home = await createProgram(stores, HOME, 'home', now);
  const { program, workstreams } = home;
  for (const [i, workstream] of workstreams.entries()) {
    let latest: { health: Health; progress: number; at: Date } | undefined;
    for (let u = 0; u < HOME_UPDATES_PER_WORKSTREAM; u++) {
      const at = new Date(now.getTime() - (HOME_UPDATES_PER_WORKSTREAM - u) * 2 * DAY - i * 60_000);
      const health = HEALTHS[(i + Math.floor(u / 4)) % HEALTHS.length]!;
      const progress = Math.min(100, u * 5);
      await stores.updates.record({
        teamId: HOME,
        programId: program._id,
        workstreamId: workstream._id,
        authorId: workstream.leadId,
        source: 'command',
        createdAt: at,
        requestKey: `seed:${workstream.key}:${u}`,
        health,
        blocked: false,
        progress,
        summary: `Week ${u}: integrated the search service, ${u} tickets closed`,
        nextSteps: 'Roll out to the next cohort',
      });
      latest = { health, progress, at };
    }
    await stores.workstreams.recordLatest(HOME, workstream._id, latest!);
  }
  const [first, second, third] = workstreams;
  await stores.blockers.open({
    teamId: HOME,
    programId: program._id,
    workstreamId: third!._id,
    text: 'Waiting on the vendor',
    ownerId: third!.leadId,
    openedBy: third!.leadId,
    openedAt: new Date(now.getTime() - 3 * DAY),
    internal: true,
  });
  for (const [n, days] of [10, 30].entries()) {
    await stores.milestones.add({
      teamId: HOME,
      programId: program._id,
      name: `Release ${n + 1}`,
      date: isoDate(now.getTime() + days * DAY),
      needs: workstreams.slice(n * 3, n * 3 + 3).map((w) => w._id),
      createdBy: 'U0PM',
      createdAt: new Date(now.getTime() - 60 * DAY),
    });
  }
  const dependency = await stores.dependencies.add({
    teamId: HOME,
    consumerId: first!._id,
    consumerProgramId: program._id,
    providerId: second!._id,
    providerProgramId: program._id,
    deliverable: 'the public API',
    neededBy: isoDate(now.getTime() + 14 * DAY),
    createdBy: 'U0PM',
    createdAt: new Date(now.getTime() - 30 * DAY),
  });
  if (!dependency) throw new Error('the dependency was not added');
  // The previous digest, a week ago, so that "what changed" has something to compare with.
  const postedAt = new Date(now.getTime() - 7 * DAY);
  const run = await stores.runs.claim({
    teamId: HOME,
    programId: program._id,
    scheduleKey: `on-demand:${hex(program._id)}`,
    slot: postedAt,
    channelId: program.channelId!,
    claimedBy: 'bench',
    claimedAt: postedAt,
  });
  const previous = await composeDigest(stores, program, { variant: 'team', timezone: 'UTC', now: postedAt });
  await stores.runs.markPosted(HOME, run!._id, {
    ts: `${Math.floor(postedAt.getTime() / 1000)}.000100`,
    postedAt,
    snapshot: { ...previous.snapshot, postedAt },
  });
  return home;
}

/** Database commands by name and collection: how long they took in all, and how many there were. */
class CommandLog {
  private readonly pending = new Map<number, string>();
  private readonly totals = new Map<string, { ms: number; count: number }>();

  constructor(connection: Connection) {
    const client = connection.getClient();
    client.on('commandStarted', (event) => {
      const target = (event.command as Record<string, unknown>)[event.commandName];
      this.pending.set(
        event.requestId,
        typeof target === 'string' ? `${event.commandName} ${target}` : event.commandName,
      );
    });
    const done = (event: { requestId: number; duration: number }) => {
      const label = this.pending.get(event.requestId);
      if (label === undefined) return;
      this.pending.delete(event.requestId);
      const total = this.totals.get(label) ?? { ms: 0, count: 0 };
      total.ms += event.duration;
      total.count++;
      this.totals.set(label, total);
    };
    client.on('commandSucceeded', done);
    client.on('commandFailed', done);
  }

  reset(): void {
    this.totals.clear();
  }

  /** The `n` commands that took longest in all, per operation measured. */
  top(n: number, operations: number): string {
    return [...this.totals.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, n)
      .map(
        ([label, t]) => `\`${label}\` ${fixed(t.ms / operations, 1)} ms (${fixed(t.count / operations, 1)}×)`,
      )
      .join(', ');
  }
}

interface Measure {
  name: string;
  run(rep: number): Promise<void>;
}

interface Timing {
  ms: number;
  reps: number;
  slowest: string;
}

/** The median of `reps` runs (after one warm-up, unless told not to), with its slowest commands. */
async function timeOf(
  measure: Measure,
  reps: number,
  warmUp: boolean,
  commands: CommandLog,
  label: string,
): Promise<Timing> {
  if (warmUp) await measure.run(-1);
  commands.reset();
  const times: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const started = performance.now();
    await measure.run(rep);
    times.push(performance.now() - started);
  }
  console.error(
    `${label}: ${measure.name}: ${times.map((t) => fixed(t, 1)).join(', ')} ms${warmUp ? ' (after a warm-up)' : ''}`,
  );
  return { ms: median(times), reps, slowest: commands.top(3, reps) };
}

/** Foreign update documents for one program, as the updates schema stores them. */
function foreignUpdates(
  seeded: Seeded,
  from: number,
  count: number,
  total: number,
  now: Date,
): Array<Record<string, unknown>> {
  const { program, workstreams } = seeded;
  const docs: Array<Record<string, unknown>> = [];
  for (let n = from; n < from + count; n++) {
    const workstream = workstreams[n % workstreams.length]!;
    // Spread over the last year, the newest now: some of it inside a digest's eight-week window.
    const createdAt = new Date(now.getTime() - Math.floor(((total - n) / total) * 365 * DAY) - 60_000);
    docs.push({
      _id: new Types.ObjectId(),
      teamId: program.teamId,
      programId: program._id,
      workstreamId: workstream._id,
      authorId: workstream.leadId,
      source: 'command',
      createdAt,
      revisions: [],
      requestKey: `foreign:${program.key}:${n}`,
      health: HEALTHS[n % HEALTHS.length],
      blocked: false,
      progress: n % 101,
      summary: `Update ${n}: shipped the next slice of ${workstream.name}, tickets closed, nothing in the way`,
      nextSteps: 'Roll out to the next cohort and watch the error budget',
    });
  }
  return docs;
}

/** One layout from an empty database to its table. */
async function benchLayout(
  db: BenchDatabase,
  layout: DatabaseLayout,
  foreign: number,
  reps: number,
): Promise<void> {
  const connection = await db.connect(benchDatabaseName(`tenants_${layout}`), { monitorCommands: true });
  const commands = new CommandLog(connection);
  try {
    const stores = createStores(connection, layout);
    await indexesReady(connection);
    if ((await stores.programs.list(HOME, { includeArchived: true, limit: 1 })).length > 0)
      throw new Error('the database is not empty');
    const now = new Date();
    const seedStarted = performance.now();
    const home = await seedHome(stores, now);
    console.error(
      `${layout}: home workspace seeded (${WORKSTREAMS} workstreams × ${HOME_UPDATES_PER_WORKSTREAM} updates)` +
        ` in ${fixed((performance.now() - seedStarted) / 1000, 1)} s`,
    );
    await indexesReady(connection);

    const actor = {
      teamId: HOME,
      userId: home.workstreams[3]!.leadId,
      isWorkspaceAdmin: false,
      timezone: 'UTC',
    };
    let statusCount = 0;
    const deps = {
      stores,
      slackFor: () => Promise.reject(new Error('a tick with nothing due called Slack')),
      log: benchLog,
    };
    const measures: Measure[] = [
      {
        name: `digest (composeDigest, ${WORKSTREAMS} workstreams)`,
        async run() {
          const digest = await composeDigest(stores, home.program, {
            variant: 'team',
            timezone: 'UTC',
            now: new Date(),
          });
          if (digest.main.blocks.length === 0) throw new Error('empty digest');
        },
      },
      {
        name: '/status (recordUpdate)',
        async run() {
          const recorded = await recordUpdate(
            stores,
            actor,
            {
              workstream: { programKey: 'home', workstreamKey: 'ws-3' },
              content: {
                health: 'on_track',
                blocked: false,
                progress: 60,
                summary: 'Search is live for 10%',
              },
              source: 'command',
              requestKey: `bench:status:${++statusCount}`,
            },
            new Date(),
          );
          if (!recorded.ok || recorded.value.duplicate) throw new Error('the update was not recorded');
        },
      },
      {
        name: 'scheduler tick, nothing due (runSchedulerTick)',
        async run() {
          const report = await runSchedulerTick(
            deps,
            { replicaId: 'bench', graceMs: 6 * 3_600_000 },
            new Date(),
          );
          if (report.claimed + report.recovered + report.failed + report.skipped > 0)
            throw new Error(`the tick found work: ${JSON.stringify(report)}`);
        },
      },
    ];

    const alone: Timing[] = [];
    for (const measure of measures)
      alone.push(await timeOf(measure, reps, true, commands, `${layout}, alone`));

    // The others: programs, schedules and posted digests through the stores, updates raw.
    const setupStarted = performance.now();
    const others: Array<{ seeded: Seeded; count: number }> = [];
    const homeShare = Math.round(foreign * HOME_OTHER_SHARE);
    const perTeam = Math.floor((foreign - homeShare) / FOREIGN_TEAMS.length);
    const spare = foreign - homeShare - perTeam * FOREIGN_TEAMS.length;
    for (const [i, teamId] of FOREIGN_TEAMS.entries()) {
      const seeded = await createProgram(stores, teamId, 'main', now, new Date(now.getTime() - 7 * DAY));
      others.push({ seeded, count: perTeam + (i < spare ? 1 : 0) });
    }
    others.push({ seeded: await createProgram(stores, HOME, 'other', now), count: homeShare });
    console.error(
      `${layout}: ${others.length} other programs created in ${fixed((performance.now() - setupStarted) / 1000, 1)} s`,
    );
    console.error(
      `${layout}: foreign updates: ${others
        .map(({ seeded, count }) => `${seeded.program.teamId}/${seeded.program.key} ${count}`)
        .join(', ')}`,
    );
    const insertStarted = performance.now();
    for (const { seeded, count } of others) {
      // Through the store first: it makes the partition and its indexes, as the app would.
      await stores.updates.latest(seeded.program.teamId, seeded.program._id, seeded.workstreams[0]!._id, 1);
      const name = partitionCollection(layout, 'updates', [seeded.program.teamId, hex(seeded.program._id)]);
      const collection = connection.collection(name);
      for (let from = 0; from < count; from += CHUNK) {
        await collection.insertMany(foreignUpdates(seeded, from, Math.min(CHUNK, count - from), count, now), {
          ordered: false,
        });
      }
    }
    const insertSeconds = (performance.now() - insertStarted) / 1000;
    console.error(
      `${layout}: ${foreign} foreign updates inserted in ${fixed(insertSeconds, 1)} s (${fixed(foreign / insertSeconds, 0)} a second)`,
    );

    const withReps = (measure: Measure) =>
      layout === 'shared' && measure === measures[0] ? Math.min(reps, 2) : reps;
    const loaded: Timing[] = [];
    for (const measure of measures) {
      const n = withReps(measure);
      loaded.push(
        await timeOf(measure, n, n === reps, commands, `${layout}, with ${foreign} foreign updates`),
      );
    }

    const homeOther = others.at(-1)!.count;
    console.log(`\n### ${layout} layout: ${foreign} foreign updates\n`);
    console.log(
      `Foreign updates: ${foreign - homeOther} in ${FOREIGN_TEAMS.length} other workspaces (${FOREIGN_TEAMS[0]}…${FOREIGN_TEAMS.at(-1)},` +
        ` one program of ${WORKSTREAMS} workstreams, a digest schedule and a posted digest each), ${homeOther} in the home workspace's other program;` +
        ` inserted in ${fixed(insertSeconds, 1)} s (${fixed(foreign / insertSeconds, 0)} a second).\n`,
    );
    console.log(
      table(
        ['what', 'alone (ms)', `with ${foreign} foreign updates (ms)`, 'ratio', `goal (≤ ${GOAL}×)`],
        measures.map((measure, i) => {
          const ratio = loaded[i]!.ms / alone[i]!.ms;
          return [
            measure.name,
            fixed(alone[i]!.ms, 1),
            `${fixed(loaded[i]!.ms, 1)}${loaded[i]!.reps === reps ? '' : ` (median of ${loaded[i]!.reps}, no warm-up)`}`,
            `**${fixed(ratio, 2)}×**`,
            ratio <= GOAL ? 'met' : '**missed**',
          ];
        }),
      ),
    );
    console.log(
      `\nMedians of ${reps} after a warm-up unless said otherwise. Longest database commands per operation:`,
    );
    for (const [i, measure] of measures.entries()) {
      console.log(`- ${measure.name}: alone ${alone[i]!.slowest}; with ${loaded[i]!.slowest}`);
    }
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}

async function main(): Promise<void> {
  const layouts = (process.env.BENCH_LAYOUTS ?? 'partitioned,shared')
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean) as DatabaseLayout[];
  for (const layout of layouts)
    if (layout !== 'partitioned' && layout !== 'shared') throw new Error(`unknown layout ${String(layout)}`);
  const foreign = Number(process.env.BENCH_FOREIGN ?? 500_000);
  const reps = Number(process.env.BENCH_REPS ?? 5);
  const db = await startDatabase();
  const started = performance.now();
  try {
    console.log(`\n## Cost of one workspace beside others' data (issue 12)\n`);
    console.log(`At the start: ${machineLine(db.server)}`);
    for (const layout of layouts) await benchLayout(db, layout, foreign, reps);
    console.log(`\nAt the end: ${machineLine(db.server)}`);
    console.log(`Whole bench: ${fixed((performance.now() - started) / 1000, 0)} s.`);
  } finally {
    await db.stop();
  }
}

await main();
