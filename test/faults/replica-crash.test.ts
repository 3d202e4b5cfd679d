/**
 * kill -9 of one scheduler replica in the middle of a digest fan-out, then a restart: every slot
 * is posted exactly once. Replicas are separate processes running the production scheduler.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_TOKEN, eventually } from '../support/cairn-harness.js';
import { everyDocument, testDatabase, testDatabaseUri } from '../support/database.js';
import { digestsIn, programWithSchedule, runIdOf, schedulerDeps, TEAM } from '../support/digest-world.js';
import { FakeSlack } from '../support/fake-slack.js';

const PROGRAMS = 24;
const CHANNELS = ['CFAN1', 'CFAN2', 'CFAN3', 'CFAN4'];
const root = new URL('../..', import.meta.url).pathname;

let db: Awaited<ReturnType<typeof testDatabase>>;
let slack: FakeSlack;
const children: ChildProcess[] = [];

function replica(id: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/scheduler-replica.ts'], {
    cwd: root,
    env: {
      ...process.env,
      MONGODB_URI: testDatabaseUri(),
      MONGODB_DATABASE: db.name,
      SLACK_API_URL: slack.apiUrl,
      REPLICA_ID: id,
      STALE_CLAIM_MS: '3000',
      TICK_MS: '200',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}

beforeAll(async () => {
  db = await testDatabase('replica-crash');
  // Slack's real limit: one message per second per channel, so the fan-out takes a while.
  slack = await FakeSlack.start({ botToken: BOT_TOKEN, teamId: TEAM, rateLimit: true });
  const deps = schedulerDeps(db.connection, slack);
  const now = new Date();
  const slot = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const day = (['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const)[slot.getUTCDay()]!;
  const time = slot.toISOString().slice(11, 16);
  for (let i = 0; i < PROGRAMS; i++) {
    await programWithSchedule(deps.stores, {
      key: `fan-${i}`,
      channelId: CHANNELS[i % CHANNELS.length]!,
      days: [day],
      time,
      timezone: 'UTC',
      createdAt: new Date(slot.getTime() - 120_000),
    });
  }
}, 60_000);

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await slack?.stop();
  await db?.drop();
});

const posted = async () => (await everyDocument(db.connection, 'digest_runs', { state: 'posted' })).length;

describe('a replica killed with SIGKILL during a fan-out', () => {
  it('leaves every slot posted exactly once after a restart', async () => {
    const a = replica('a');
    replica('b');
    // Let the fan-out get going, then kill A without warning.
    await eventually(async () => (await posted()) >= 4, 30_000, 100);
    a.kill('SIGKILL');
    await once(a, 'exit');
    const atKill = await posted();
    expect(atKill).toBeLessThan(PROGRAMS);
    replica('a-restarted');

    await eventually(async () => (await posted()) === PROGRAMS, 90_000, 250);
    const topLevel = CHANNELS.flatMap((c) => digestsIn(slack, c));
    const byRun = new Map<string, number>();
    for (const m of topLevel) byRun.set(String(runIdOf(m)), (byRun.get(String(runIdOf(m))) ?? 0) + 1);
    expect(byRun.size).toBe(PROGRAMS);
    expect([...byRun.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    const runs = await everyDocument(db.connection, 'digest_runs');
    expect(runs).toHaveLength(PROGRAMS);
    expect(runs.filter((r) => r.state !== 'posted').map((r) => [r.state, r.error, r.attempts])).toEqual([]);
    console.log(
      `replica crash: ${atKill}/${PROGRAMS} posted when A was killed; ${runs.filter((r) => (r.attempts as number) > 1).length} runs taken over`,
    );
  }, 150_000);
});
