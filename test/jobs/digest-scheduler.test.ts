import { Types } from 'mongoose';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postDigest } from '../../src/slack/digest-poster.js';
import { composeDigest } from '../../src/use-cases/compose-digest.js';
import { BOT_TOKEN } from '../support/cairn-harness.js';
import { tenantCollection, testDatabase } from '../support/database.js';
import {
  digestsIn,
  programWithSchedule,
  runIdOf,
  schedulerDeps,
  TEAM,
  tick,
} from '../support/digest-world.js';
import { FakeSlack } from '../support/fake-slack.js';

interface VectorCase {
  zone: string;
  days: string[];
  time: string;
  slots: string[];
}
const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/digest-slots.json', import.meta.url), 'utf8'),
) as { cases: VectorCase[] };

let db: Awaited<ReturnType<typeof testDatabase>>;
let slack: FakeSlack;
let deps: ReturnType<typeof schedulerDeps>;
/** Slack's clock follows the scheduler's injected one, as real clocks agree in production. */
let slackNow = Date.parse('2026-11-01T00:00:00Z');
const tickAt = (now: Date, replicaId?: string) => {
  slackNow = now.getTime();
  return tick(deps, now, replicaId);
};

beforeAll(async () => {
  db = await testDatabase('digest-scheduler');
  slack = await FakeSlack.start({ botToken: BOT_TOKEN, teamId: TEAM, rateLimit: false, now: () => slackNow });
  deps = schedulerDeps(db.connection, slack);
});
afterEach(() => slack.reset());
afterAll(async () => {
  await slack?.stop();
  await db?.drop();
});

/** The raw collection where the stores keep the runs of the test workspace. */
const runsOfTeam = () => tenantCollection(db.connection, 'digest_runs', TEAM);

const at = (iso: string, deltaMs = 0) => new Date(new Date(iso).getTime() + deltaMs);

describe('the digest scheduler', () => {
  it.each([
    ['America/New_York', 'mon', '09:00', 'nyc'],
    ['Europe/London', 'sun', '01:15', 'lon'],
    ['Asia/Kolkata', 'mon,thu', '09:30', 'kol'],
    ['Australia/Lord_Howe', 'sun', '02:15', 'lhi'],
  ])('posts at the right instants in %s across its daylight-saving changes', async (zone, day, time, key) => {
    const expected = vectors.cases.find(
      (c) => c.zone === zone && c.days.join() === day && c.time === time,
    )!.slots;
    const days = day.split(',') as Array<'mon'>;
    // Every slot of the fourteen months would take long; take those around each offset change.
    const interesting = expected.filter((slot, i) => {
      const offset = (s: string) => new Date(s).getUTCHours() * 60 + new Date(s).getUTCMinutes();
      return i > 0 && offset(slot) !== offset(expected[i - 1]!);
    });
    const picked = [
      ...new Set(
        interesting.flatMap((s) =>
          expected.slice(Math.max(0, expected.indexOf(s) - 1), expected.indexOf(s) + 1),
        ),
      ),
    ];
    // Two offset changes in the fourteen months (none in Kolkata), each with the slot before it.
    expect(picked).toHaveLength(zone === 'Asia/Kolkata' ? 0 : 4);
    const sample = zone === 'Asia/Kolkata' ? expected.slice(0, 3) : picked;
    const channel = `C${key.toUpperCase()}`;
    await programWithSchedule(deps.stores, {
      key,
      channelId: channel,
      days,
      time,
      timezone: zone,
      createdAt: at(sample[0]!, -60_000),
    });
    for (const slot of sample) {
      // Jump the clock to just before the slot: the schedule skips nothing it should not.
      await db.connection
        .collection('digest_schedules')
        .updateOne(
          { programKey: key },
          { $set: { lastSlotAt: at(slot, -60_000), nextSlotAt: new Date(slot) } },
        );
      const before = digestsIn(slack, channel).length;
      await tickAt(at(slot, -1_000));
      expect(digestsIn(slack, channel), `nothing before ${slot}`).toHaveLength(before);
      await tickAt(at(slot, 5_000));
      expect(digestsIn(slack, channel), `posted at ${slot}`).toHaveLength(before + 1);
    }
    const runs = await (await runsOfTeam()).find({ channelId: channel, state: 'posted' }).toArray();
    expect(runs.map((r) => (r.slot as Date).toISOString().replace('.000', '')).sort()).toEqual(
      [...sample].sort(),
    );
  });

  it('posts every slot exactly once with two replicas ticking together', async () => {
    const schedule = await programWithSchedule(deps.stores, {
      key: 'twin',
      channelId: 'CTWIN',
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      time: '09:00',
      timezone: 'UTC',
      createdAt: at('2026-12-01T08:00:00Z'),
    });
    for (let day = 1; day <= 10; day++) {
      const now = at(`2026-12-${String(day).padStart(2, '0')}T09:00:20Z`);
      await Promise.all([
        tickAt(now, 'replica-a'),
        tickAt(now, 'replica-b'),
        tickAt(new Date(now.getTime() + 15_000), 'replica-b'),
      ]);
    }
    const posted = digestsIn(slack, 'CTWIN');
    expect(posted).toHaveLength(10);
    expect(new Set(posted.map(runIdOf)).size).toBe(10);
    const scheduleKey = schedule.schedule._id.toHexString();
    const runs = await (await runsOfTeam()).find({ scheduleKey }).toArray();
    expect(runs.map((r) => r.state)).toEqual(Array(10).fill('posted'));
    // Whichever replica won each slot, it is one of the two that ticked.
    for (const run of runs) expect(['replica-a', 'replica-b']).toContain(run.claimedBy);
  });

  it('does not post again when a replica died between posting and recording', async () => {
    const { schedule, program } = await programWithSchedule(deps.stores, {
      key: 'crash',
      channelId: 'CCRASH',
      days: ['wed'],
      time: '09:00',
      timezone: 'UTC',
      createdAt: at('2026-12-01T00:00:00Z'),
    });
    const slot = at('2026-12-02T09:00:00Z');
    // Replica A claims the slot and posts, then dies before recording the post.
    const run = await deps.stores.runs.claim({
      teamId: TEAM,
      programId: program._id,
      scheduleKey: schedule._id.toHexString(),
      slot,
      channelId: 'CCRASH',
      claimedBy: 'replica-a',
      claimedAt: at('2026-12-02T09:00:05Z'),
    });
    const composed = await composeDigest(deps.stores, program, {
      variant: 'team',
      timezone: 'UTC',
      now: slot,
    });
    slackNow = at('2026-12-02T09:00:06Z').getTime();
    await postDigest(await deps.slackFor(TEAM), 'CCRASH', composed, run!._id.toHexString(), { since: slot });
    await deps.stores.schedules.advance(TEAM, schedule._id, slot, at('2026-12-09T09:00:00Z'));
    expect(digestsIn(slack, 'CCRASH')).toHaveLength(1);

    // Replica B, a minute later: the claim is not yet stale, so it leaves it alone.
    await tickAt(at('2026-12-02T09:01:05Z'), 'replica-b');
    // Three minutes later B and C both see the abandoned claim; one takes the run over, finds the
    // message by its run id, and records it.
    const reports = await Promise.all([
      tickAt(at('2026-12-02T09:03:05Z'), 'replica-b'),
      tickAt(at('2026-12-02T09:03:05Z'), 'replica-c'),
    ]);
    expect(reports.map((r) => r.recovered + r.posted).reduce((a, b) => a + b)).toBe(1);
    expect(digestsIn(slack, 'CCRASH')).toHaveLength(1);
    const stored = await (await runsOfTeam()).findOne({ _id: new Types.ObjectId(run!._id.toHexString()) });
    expect(stored).toMatchObject({ state: 'posted', ts: digestsIn(slack, 'CCRASH')[0]!.ts, attempts: 2 });
  });

  it('leaves a slot another replica claimed to it, and moves the schedule on once that replica is gone', async () => {
    const { schedule, program } = await programWithSchedule(deps.stores, {
      key: 'orphan',
      channelId: 'CORPHAN',
      days: ['wed'],
      time: '09:00',
      timezone: 'UTC',
      createdAt: at('2026-12-01T00:00:00Z'),
    });
    const slot = at('2026-12-02T09:00:00Z');
    // Replica A claims the slot and dies at once: nothing posted, the schedule not moved on.
    await deps.stores.runs.claim({
      teamId: TEAM,
      programId: program._id,
      scheduleKey: schedule._id.toHexString(),
      slot,
      channelId: 'CORPHAN',
      claimedBy: 'replica-a',
      claimedAt: at('2026-12-02T09:00:05Z'),
    });
    const nextSlotOf = async () =>
      (await deps.stores.schedules.findById(TEAM, schedule._id))?.nextSlotAt?.toISOString();

    // A minute later, B finds the slot taken: it neither posts nor writes to the schedule.
    const early = await tickAt(at('2026-12-02T09:01:05Z'), 'replica-b');
    expect(early.claimed + early.recovered).toBe(0);
    expect(await nextSlotOf()).toBe(slot.toISOString());
    // Three minutes later the claim is stale: B takes the run over, and moves the schedule on.
    const late = await tickAt(at('2026-12-02T09:03:05Z'), 'replica-b');
    expect(late.recovered + late.posted).toBe(1);
    expect(digestsIn(slack, 'CORPHAN')).toHaveLength(1);
    expect(await nextSlotOf()).toBe('2026-12-09T09:00:00.000Z');
  });

  it('catches up a slot missed for 2 hours once, and records one missed for 2 days as skipped', async () => {
    await programWithSchedule(deps.stores, {
      key: 'late',
      channelId: 'CLATE',
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      time: '07:00',
      timezone: 'UTC',
      createdAt: at('2026-12-01T06:00:00Z'),
    });
    // Nobody ran from before the 2 Dec slot until 2 hours after the 4 Dec one.
    await db.connection
      .collection('digest_schedules')
      .updateOne(
        { programKey: 'late' },
        { $set: { lastSlotAt: at('2026-12-01T07:00:00Z'), nextSlotAt: at('2026-12-02T07:00:00Z') } },
      );
    const report = await tickAt(at('2026-12-04T09:00:00Z'));
    expect(report).toMatchObject({ skipped: 2, posted: 1 });
    await tickAt(at('2026-12-04T09:00:15Z'));
    expect(digestsIn(slack, 'CLATE')).toHaveLength(1);
    const runs = await (await runsOfTeam()).find({ channelId: 'CLATE' }, { sort: { slot: 1 } }).toArray();
    expect(runs.map((r) => [(r.slot as Date).toISOString(), r.state])).toEqual([
      ['2026-12-02T07:00:00.000Z', 'skipped'],
      ['2026-12-03T07:00:00.000Z', 'skipped'],
      ['2026-12-04T07:00:00.000Z', 'posted'],
    ]);
  });

  it("retries Slack's 500s and obeys 429 Retry-After, posting once", async () => {
    await programWithSchedule(deps.stores, {
      key: 'flaky',
      channelId: 'CFLAKY',
      days: ['fri'],
      time: '10:00',
      timezone: 'UTC',
      createdAt: at('2026-12-01T00:00:00Z'),
    });
    slack.injectError('chat.postMessage', { status: 500, times: 1 });
    slack.injectError('chat.postMessage', { status: 429, retryAfter: 1, times: 1 });
    await tickAt(at('2026-12-04T10:00:10Z'));
    expect(digestsIn(slack, 'CFLAKY')).toHaveLength(1);
    expect(
      slack
        .calls('chat.postMessage')
        .filter((c) => c.args.channel === 'CFLAKY' && !c.args.thread_ts)
        .map((c) => c.status),
    ).toEqual([500, 429, 200]);
  });

  it('records the failure where retries run out, and does not retry a permanent one', async () => {
    const { schedule } = await programWithSchedule(deps.stores, {
      key: 'gone',
      channelId: 'CGONE',
      days: ['fri'],
      time: '11:00',
      timezone: 'UTC',
      createdAt: at('2026-12-01T00:00:00Z'),
    });
    slack.injectError('chat.postMessage', { error: 'channel_not_found', times: 5 });
    await tickAt(at('2026-12-04T11:00:10Z'));
    await tickAt(at('2026-12-04T11:30:10Z'));
    const runs = await (await runsOfTeam()).find({ scheduleKey: schedule._id.toHexString() }).toArray();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ state: 'failed', attempts: 1 });
    expect(String(runs[0]!.error)).toContain('channel_not_found');
    expect(runs[0]!.retryAt).toBeUndefined();
  });
});
