/**
 * Digest fan-out: 2,000 programs, each with a small team (2–3 workstreams) and one schedule posting
 * to a channel of its own, all due in the same minute; two replicas run the scheduler concurrently
 * against the fake Slack, which enforces chat.postMessage's one message per second per channel.
 *
 *   npm run bench:fanout
 *   BENCH_PROGRAMS (default 2000), BENCH_BUDGET_S (default 480: stop waiting then), BENCH_TICK_MS
 *   (default 1000: pause between a replica's ticks; production ticks every 15 s), BENCH_VARIANT
 *   (default team: a main message and its thread; leadership: a short digest is one message),
 *   BENCH_WORKSPACES (default 20: the programs are dealt out over this many workspaces)
 *
 * The replicas are `runSchedulerTick` with replica ids a and b, each with its own database
 * connection and its own Web API client configured as in production (src/slack/workspace-client.ts),
 * on the real clock: the slot is the current minute, and time passes as it does. Reported: time to
 * drain (every channel has its digest), duplicates (top-level messages beyond one per run id, and
 * beyond one per channel), misses (slots without a posted run), and what Slack answered. When the
 * budget runs out first, the replicas are stopped and what was posted by then is reported, with the
 * rate and the time a full drain would take at that rate.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Types, type Connection } from 'mongoose';
import type { DigestVariant, Weekday } from '../src/domain/schedule.js';
import { createStores } from '../src/services.js';
import { boltLogger } from '../src/slack/bolt-logger.js';
import { SlackPacer } from '../src/slack/pacing.js';
import { singleWorkspaceClients, slackClientOptions, type ClientFor } from '../src/slack/workspace-client.js';
import { runSchedulerTick, type TickReport } from '../src/use-cases/scheduler.js';
import { BOT_TOKEN, TEAM_ID } from '../test/support/cairn-harness.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import {
  benchDatabaseName,
  benchLayout,
  benchLog,
  fixed,
  indexesReady,
  insertInChunks,
  machineLine,
  serverCpuSeconds,
  sleep,
  startDatabase,
  table,
} from './support.js';

const ALL_DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const GRACE_MS = 6 * 3_600_000; // production's default DIGEST_GRACE_HOURS
const WIND_DOWN_MS = 60_000;
const channelOf = (i: number) => `CFAN${String(i).padStart(5, '0')}`;

/** Programs, their workstreams and schedules, every slot at `slot`, inserted through Cairn's models. */
const WORKSPACES = Number(process.env.BENCH_WORKSPACES ?? 20);
/** Program i's workspace: the programs are dealt out over WORKSPACES workspaces. */
const teamOf = (i: number) => (WORKSPACES <= 1 ? TEAM_ID : `T0FAN${String(i % WORKSPACES).padStart(3, '0')}`);

/** Every stored run, from every workspace's collection of runs (one, in the shared layout). */
async function everyRun(connection: Connection): Promise<Array<Record<string, unknown>>> {
  const names = (await connection.db!.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((name) => name === 'digest_runs' || name.startsWith('digest_runs.'));
  return (await Promise.all(names.map((name) => connection.collection(name).find({}).toArray()))).flat();
}

async function insertFixture(
  connection: Connection,
  count: number,
  slot: Date,
  variant: DigestVariant,
): Promise<void> {
  const createdAt = new Date(slot.getTime() - 86_400_000);
  const time = slot.toISOString().slice(11, 16);
  const programs = [];
  const workstreams = [];
  const schedules = [];
  for (let i = 0; i < count; i++) {
    const programId = new Types.ObjectId();
    const key = `fan-${i}`;
    programs.push({
      _id: programId,
      teamId: teamOf(i),
      key,
      name: `Program ${i}`,
      ownerId: 'U0PM',
      channelId: channelOf(i),
      state: 'active',
      createdAt,
    });
    for (let w = 0; w < 2 + (i % 2); w++) {
      workstreams.push({
        teamId: teamOf(i),
        programId,
        programKey: key,
        key: `ws-${w}`,
        name: `Workstream ${w}`,
        team: `team-${w % 2}`,
        leadId: `U0LEAD${(i + w) % 500}`,
        state: 'not_started',
        createdAt,
      });
    }
    schedules.push({
      teamId: teamOf(i),
      programId,
      programKey: key,
      channelId: channelOf(i),
      days: ALL_DAYS,
      time,
      timezone: 'UTC',
      variant,
      reminderLeadMinutes: 0,
      paused: false,
      createdBy: 'U0PM',
      createdAt,
      lastSlotAt: new Date(slot.getTime() - 60_000),
      nextSlotAt: slot,
    });
  }
  await insertInChunks(connection, 'Program', programs);
  await insertInChunks(connection, 'Workstream', workstreams);
  await insertInChunks(connection, 'DigestSchedule', schedules);
}

/** Top-level chat.postMessage calls Slack accepted, as channel and run id. */
function postedDigests(slack: FakeSlack): Array<{ channel: string; runId: string | undefined }> {
  return slack
    .calls('chat.postMessage')
    .filter((c) => c.status === 200 && c.response['ok'] === true && c.args['thread_ts'] === undefined)
    .map((c) => ({
      channel: String(c.args['channel']),
      runId: (c.args['metadata'] as { event_payload?: { run_id?: string } } | undefined)?.event_payload
        ?.run_id,
    }));
}

/** "posted 120, claimed 80": the runs in the database by state. */
async function runStates(connection: Connection): Promise<string> {
  const byState = new Map<string, number>();
  for (const run of await everyRun(connection))
    byState.set(String(run.state), (byState.get(String(run.state)) ?? 0) + 1);
  return [...byState]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([state, n]) => `${state} ${n}`)
    .join(', ');
}

async function main(): Promise<void> {
  const count = Number(process.env.BENCH_PROGRAMS ?? 2000);
  const budgetMs = Number(process.env.BENCH_BUDGET_S ?? 480) * 1000;
  const tickMs = Number(process.env.BENCH_TICK_MS ?? 1000);
  const variant = (process.env.BENCH_VARIANT ?? 'team') as DigestVariant;
  const db = await startDatabase();
  const dbName = benchDatabaseName('fanout');
  const connections: Connection[] = [];
  const slack = await FakeSlack.start({ botToken: BOT_TOKEN, teamId: TEAM_ID, rateLimit: true });
  try {
    const setup = await db.connect(dbName);
    connections.push(setup);
    createStores(setup);
    await indexesReady(setup);
    const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    await insertFixture(setup, count, slot, variant);
    console.error(`${count} programs and schedules inserted; slot ${slot.toISOString()}`);

    let stopping = false;
    const totals: TickReport = { claimed: 0, posted: 0, recovered: 0, skipped: 0, failed: 0, followerDms: 0 };
    const tickErrors: string[] = [];
    // BENCH_COMMANDS=1: where the database time goes, summed per command and collection.
    const commandMs = new Map<string, { n: number; ms: number }>();
    const pendingCommands = new Map<number, string>();
    const replica = async (replicaId: string) => {
      const monitor = process.env.BENCH_COMMANDS === '1';
      const connection = await db.connect(dbName, monitor ? { monitorCommands: true } : {});
      if (monitor) {
        const client = connection.getClient();
        client.on('commandStarted', (e) => {
          const target = (e.command as Record<string, unknown>)[e.commandName];
          pendingCommands.set(
            e.requestId,
            `${e.commandName} ${typeof target === 'string' ? target.replace(/\.[0-9a-f]{24}$/, '.<program>').replace(/\.T0FAN\d+/, '.<team>') : ''}`,
          );
        });
        client.on('commandSucceeded', (e) => {
          const key = pendingCommands.get(e.requestId) ?? e.commandName;
          pendingCommands.delete(e.requestId);
          const sum = commandMs.get(key) ?? { n: 0, ms: 0 };
          sum.n++;
          sum.ms += e.duration;
          commandMs.set(key, sum);
        });
      }
      connections.push(connection);
      const client = singleWorkspaceClients(
        BOT_TOKEN,
        slackClientOptions(slack.apiUrl, boltLogger(benchLog)),
      );
      const stores = createStores(connection, benchLayout());
      const deps = {
        // Once the bench stops, a replica claims nothing more, and a run it holds fails rather than posts.
        stores: {
          ...stores,
          runs: {
            ...stores.runs,
            claim: async (run: Parameters<typeof stores.runs.claim>[0]) =>
              stopping ? undefined : stores.runs.claim(run),
          },
          schedules: {
            ...stores.schedules,
            advance: async (...args: Parameters<typeof stores.schedules.advance>) =>
              stopping ? undefined : stores.schedules.advance(...args),
          },
        },
        slackFor: async (...args: Parameters<ClientFor>) => {
          if (stopping) throw new Error('the bench has stopped');
          return client(...args);
        },
        log: benchLog,
        // As in production: each replica paces its posts per channel (SLACK_POST_INTERVAL_MS default).
        pacer: new SlackPacer(1_000),
      };
      await indexesReady(connection);
      return async () => {
        while (!stopping) {
          // As in production (jobs/), a tick that fails is logged and the next one goes on.
          const report = await runSchedulerTick(deps, { replicaId, graceMs: GRACE_MS }, new Date()).catch(
            (error: unknown) => {
              tickErrors.push(error instanceof Error ? error.message.slice(-120) : String(error));
              return undefined;
            },
          );
          if (report && !stopping)
            for (const k of Object.keys(totals) as Array<keyof TickReport>) totals[k] += report[k];
          await sleep(tickMs);
        }
      };
    };
    const loops = await Promise.all([replica('a'), replica('b')]);

    const started = performance.now();
    const cpuAtStart = { own: process.cpuUsage(), server: serverCpuSeconds(db.uri) };
    const running = loops.map((loop) => loop());
    let firstPostMs: number | undefined;
    let drainedMs: number | undefined;
    let lastProgress = started;
    for (;;) {
      await sleep(250);
      const now = performance.now();
      const channels = new Set(postedDigests(slack).map((d) => d.channel)).size;
      if (channels > 0) firstPostMs ??= now - started;
      if (channels >= count) drainedMs = now - started;
      if (now - lastProgress >= 15_000 || drainedMs !== undefined) {
        lastProgress = now;
        const states = await runStates(setup);
        const limited = slack.calls('chat.postMessage').filter((c) => c.status === 429).length;
        console.error(
          `${fixed((now - started) / 1000, 0)} s: ${channels}/${count} channels have their digest;` +
            ` runs ${states}; Slack answered 429 ${limited} times`,
        );
      }
      if (drainedMs !== undefined || now - started > budgetMs) break;
    }
    const cutMs = performance.now() - started;
    const ownCpu = process.cpuUsage(cpuAtStart.own);
    const serverCpu = (serverCpuSeconds(db.uri) ?? NaN) - (cpuAtStart.server ?? NaN);
    const postedByCut = new Set(postedDigests(slack).map((d) => d.channel)).size;
    // Let the replicas finish what they hold (a run posted twice shows here), then stop them.
    const windDown = Promise.all(running);
    await Promise.race([windDown, sleep(drainedMs === undefined ? 0 : WIND_DOWN_MS)]);
    stopping = true;
    await windDown;

    const digests = postedDigests(slack);
    const perRun = new Map<string, number>();
    const perChannel = new Map<string, number>();
    for (const d of digests) {
      perRun.set(d.runId ?? '?', (perRun.get(d.runId ?? '?') ?? 0) + 1);
      perChannel.set(d.channel, (perChannel.get(d.channel) ?? 0) + 1);
    }
    const extra = (counts: Map<string, number>) => [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
    const calls = slack.calls('chat.postMessage');
    const misses = count - perChannel.size;
    const postedSlots = new Set(
      (await everyRun(setup)).filter((r) => r.state === 'posted').map((r) => String(r.scheduleKey)),
    ).size;
    const rate = postedByCut / (cutMs / 1000);

    if (commandMs.size > 0) {
      console.error('database time by command (top 15):');
      for (const [key, { n, ms }] of [...commandMs].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15))
        console.error(`  ${key}: ${n} calls, ${fixed(ms / 1000, 1)} s, ${fixed(ms / n, 1)} ms each`);
    }
    console.log(
      `\n### Scheduler fan-out (${count} ${variant} digests due in the same minute, ${WORKSPACES} workspaces, 2 replicas)\n`,
    );
    console.log(machineLine(db.server));
    console.log('');
    console.log(
      table(
        ['measure', 'value'],
        [
          ['programs (one schedule and channel each)', String(count)],
          [
            'time to drain',
            drainedMs === undefined
              ? `**not drained within the ${fixed(budgetMs / 1000, 0)} s budget**`
              : `**${fixed(drainedMs / 1000, 1)} s**`,
          ],
          ['first digest posted after', `${fixed((firstPostMs ?? NaN) / 1000, 1)} s`],
          ['channels with their digest when measured', `${postedByCut} of ${count}`],
          ['digests per second', fixed(rate, 2)],
          [
            'full drain at that rate',
            drainedMs === undefined
              ? `~${fixed(count / rate / 60, 0)} min`
              : `${fixed(drainedMs / 1000, 1)} s`,
          ],
          ['duplicates (top-level messages beyond one per run id)', `**${extra(perRun)}**`],
          ['duplicates (top-level messages beyond one per channel)', `**${extra(perChannel)}**`],
          [
            `misses: channels without a digest${drainedMs === undefined ? ' (most not reached in time)' : ''}`,
            `**${misses}**`,
          ],
          [
            `misses: slots without a run recorded as posted${drainedMs === undefined ? ' (most not reached in time)' : ''}`,
            `**${count - postedSlots}**`,
          ],
          ['runs in the database, by state (after stopping)', await runStates(setup)],
          [
            'CPU while measured: this process (both replicas, fake Slack) / database server',
            `${fixed((ownCpu.user + ownCpu.system) / 1e6, 0)} s / ${fixed(serverCpu, 0)} s, in ${fixed(cutMs / 1000, 0)} s on ${cpus().length} cores`,
          ],
          [
            'chat.postMessage calls: accepted / 429 / other',
            `${calls.filter((c) => c.status === 200 && c.response['ok'] === true).length} / ${calls.filter((c) => c.status === 429).length} / ${calls.filter((c) => c.status !== 429 && c.response['ok'] !== true).length}`,
          ],
          [
            'replica ticks: claimed / posted / taken over and found / failed',
            `${totals.claimed} / ${totals.posted} / ${totals.recovered} / ${totals.failed}`,
          ],
          [
            'ticks that failed (the next tick goes on, as in production)',
            tickErrors.length === 0
              ? '0'
              : `${tickErrors.length}: ${[...new Set(tickErrors)].map((e) => `\`…${e}\``).join(', ')}`,
          ],
        ],
      ),
    );
    console.log(
      `\nSlack's limit alone would allow about ${variant === 'team' ? '1 s: each digest is 2 messages in its own channel, one second apart' : 'a second: each digest is one message in its own channel'},` +
        ` and channels are independent. Replicas tick every ${tickMs} ms. Duplicates and misses must be 0.`,
    );
  } finally {
    for (const connection of connections) {
      if (connection === connections[0]) await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    }
    await slack.stop();
    await db.stop();
  }
}

await main();
