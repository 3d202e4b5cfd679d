/**
 * Issue 14: `/program sample remove`, through the signed receiver and the real database. It deletes
 * the sample portfolio and everything of its programs (workstreams, updates, blockers, dependencies
 * both ways, milestones, schedules, digest runs, reminders, bookings and the resource the sample
 * made), says what it removed, says so when there is nothing left, refuses anyone but the sample's
 * owner or a workspace admin, and touches nothing else: not the workspace's other programs, not
 * another workspace's sample.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Id } from '../../src/domain/entities.js';
import type { Stores } from '../../src/services.js';
import {
  createSamplePortfolio,
  SAMPLE_PEOPLE,
  SAMPLE_PROGRAM_KEYS,
} from '../../src/use-cases/sample-portfolio.js';
import { startCairn, TEAM_ID, TEST_START, type RunningCairn } from '../support/cairn-harness.js';
import { ask, countWrites } from '../support/conversation.js';
import { tenantCollection, testDatabase } from '../support/database.js';

const OTHER_TEAM = 'T0OTHER';
const THIRD_TEAM = 'T0THIRD';
const PM = SAMPLE_PEOPLE.pm.id;
const OWNER = 'U0OWNER';
const MEMBER = 'U0MEMBER';
const WS_ADMIN = 'U0WSADMIN';
const channelIds = {
  'sample-checkout': 'C0SAMPLECHK',
  'sample-payments': 'C0SAMPLEPAY',
  'sample-mobile': 'C0SAMPLEMOB',
};
const REMOVED =
  'Removed the sample portfolio: 3 programs, 6 workstreams, 13 updates, 1 blocker, 4 dependencies, 1 milestone, 4 digest schedules, 1 posted digest, 2 reminders, 1 shared resource and 2 allocations (`sample-checkout`, `sample-mobile`, `sample-payments`).';
const NOTHING = 'There is no sample portfolio in this workspace: nothing to remove.';

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
let stores: Stores;

beforeAll(async () => {
  db = await testDatabase('sample-remove');
  running = await startCairn(db.connection);
  running.slack.setRateLimiting(false);
  for (const id of [PM, OWNER, MEMBER]) running.slack.setUser({ id });
  running.slack.setUser({ id: WS_ADMIN, is_admin: true });
  stores = running.cairn.services.stores;
  // This workspace: the sample, and a program of its own tied to it both ways.
  for (const teamId of [TEAM_ID, OTHER_TEAM]) {
    expect(await createSamplePortfolio(stores, { teamId, channelIds, now: TEST_START })).toEqual({
      created: true,
    });
    await ownProgram(teamId);
  }
  const as = { userId: OWNER };
  await ask(running, '/program', 'depend checkout/web on sample-payments/vault by dec 20 "Card vault"', as);
  await ask(running, '/status', 'sample-mobile/android amber waiting on the checkout API', as);
  await ask(running, '/program', 'blocker sample-payments/vault "Auditor sign-off"', as);
  await ask(running, '/program', 'depend sample-mobile/android on checkout/api by dec 22 "Order API"', {
    userId: PM,
  });
  // The sample's digests: a schedule with a reminder, a posted digest and a nudge.
  for (const teamId of [TEAM_ID, OTHER_TEAM]) {
    for (const key of ['sample-checkout', 'checkout']) {
      const program = (await stores.programs.findByKey(teamId, key))!;
      const schedule = await stores.schedules.create({
        teamId,
        programId: program._id,
        programKey: program.key,
        channelId: 'C0DIGESTS',
        days: ['mon'],
        time: '09:00',
        timezone: 'UTC',
        variant: 'team',
        reminderLeadMinutes: 120,
        createdBy: program.ownerId,
        createdAt: TEST_START,
        lastSlotAt: TEST_START,
      });
      for (const scheduleKey of [schedule._id.toHexString(), `nudge:${program._id.toHexString()}:1.0001`]) {
        await stores.reminders.claim({
          teamId,
          scheduleKey,
          slot: TEST_START,
          leadId: SAMPLE_PEOPLE.ana.id,
          claimedBy: 'test',
          claimedAt: TEST_START,
        });
      }
    }
  }
  for (const key of ['sample-checkout', 'checkout']) {
    const posted = await ask(running, '/program', `digest ${key}`, { userId: PM });
    expect(posted.all).toContain('Posted the digest');
  }
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

/** `checkout` with two workstreams, one depending on the other, booked on a resource of its own. */
async function ownProgram(teamId: string): Promise<void> {
  const as = { userId: OWNER, teamId };
  await ask(running, '/program', 'new checkout "Checkout revamp" channel:<#C0CHECKOUT|checkout>', as);
  for (const key of ['web', 'api'])
    await ask(running, '/program', `add checkout ${key} "${key}" team:core lead:<@${OWNER}>`, as);
  await ask(running, '/program', 'depend checkout/web on checkout/api by dec 15 "Login API"', as);
  await ask(running, '/program', 'milestone checkout "Beta" 2027-01-20 needs:web', as);
  await ask(running, '/status', 'checkout/web green On track', as);
  await ask(running, '/program', 'resource "Test lab" capacity:3', as);
  await ask(running, '/program', 'allocate "Test lab" checkout/web 2 from:2026-12-01 to:2026-12-20', as);
}

/** Every document of every collection, by collection and id, as JSON: what "untouched" is measured on. */
async function everything(): Promise<Map<string, Map<string, string>>> {
  const names = (await db.connection.db!.listCollections({}, { nameOnly: true }).toArray()).map(
    (c) => c.name,
  );
  const all = new Map<string, Map<string, string>>();
  for (const name of names.sort()) {
    const docs = await db.connection.collection(name).find({}).toArray();
    all.set(name, new Map(docs.map((d) => [String(d._id), JSON.stringify(d)])));
  }
  return all;
}

/** The sample's programs and workstreams in a workspace, by hex id. */
async function sampleOf(teamId: string): Promise<{ programIds: Id[]; workstreamIds: Id[] }> {
  const programs = await stores.programs.findByKeys(teamId, SAMPLE_PROGRAM_KEYS);
  const workstreams = await stores.workstreams.listByPrograms(
    teamId,
    programs.map((p) => p._id),
  );
  return { programIds: programs.map((p) => p._id), workstreamIds: workstreams.map((w) => w._id) };
}

describe('/program sample remove', () => {
  it('refuses anyone but the sample programs’ owner or a workspace admin, and changes nothing', async () => {
    const before = await countWrites(db.connection);
    for (const userId of [MEMBER, OWNER]) {
      const answer = await ask(running, '/program', 'sample remove', { userId });
      expect(answer.all).toBe(
        `:warning: Only the owner of the sample programs (<@${PM}>) or a workspace admin may remove the sample portfolio.`,
      );
    }
    expect(await countWrites(db.connection)).toEqual(before);
    expect(await stores.programs.findByKeys(TEAM_ID, SAMPLE_PROGRAM_KEYS)).toHaveLength(3);
  });

  it('removes the sample and everything of it, says what, and touches nothing else', async () => {
    const sample = await sampleOf(TEAM_ID);
    const { programIds, workstreamIds } = sample;
    expect(programIds).toHaveLength(3);
    const scheduleKeys = (await stores.schedules.forPrograms(TEAM_ID, programIds)).map((s) =>
      s._id.toHexString(),
    );
    const hex = new Set([...programIds, ...workstreamIds].map((id) => id.toHexString()));
    const before = await everything();

    const answer = await ask(running, '/program', 'sample remove', { userId: PM });
    expect(answer.all).toBe(REMOVED);

    // Gone, read through the stores.
    expect(await stores.programs.findByKeys(TEAM_ID, SAMPLE_PROGRAM_KEYS)).toEqual([]);
    expect(await stores.programs.findByIds(TEAM_ID, programIds)).toEqual([]);
    expect(await stores.workstreams.listByPrograms(TEAM_ID, programIds)).toEqual([]);
    for (const programId of programIds) {
      expect(await stores.updates.forProgramSince(TEAM_ID, programId, new Date(0), 100)).toEqual([]);
      expect(await stores.blockers.openOrResolvedSince(TEAM_ID, programId, new Date(0))).toEqual([]);
      expect(await stores.dependencies.forProgram(TEAM_ID, programId)).toEqual([]);
      expect(await stores.milestones.allForProgram(TEAM_ID, programId)).toEqual([]);
      expect(await stores.runs.lastPosted(TEAM_ID, { programId })).toBeNull();
    }
    expect(await stores.dependencies.involving(TEAM_ID, workstreamIds)).toEqual([]);
    expect(await stores.schedules.forPrograms(TEAM_ID, programIds)).toEqual([]);
    expect(await stores.resources.findByName(TEAM_ID, 'SRE team')).toBeNull();
    expect(await stores.resources.forWorkstreams(TEAM_ID, workstreamIds)).toEqual([]);
    const reminders = await (
      await tenantCollection(db.connection, 'reminders', TEAM_ID)
    )
      .find({ teamId: TEAM_ID })
      .toArray();
    expect(reminders.map((r) => r.scheduleKey)).not.toContain(scheduleKeys[0]);
    expect(reminders.filter((r) => String(r.scheduleKey).startsWith('nudge:'))).toHaveLength(1);

    // Untouched: every document that stays is as it was; each one that went was the sample's.
    const after = await everything();
    const removedRuns = new Set<string>();
    for (const [name, docs] of before) {
      for (const [id, json] of docs) {
        const kept = after.get(name)?.get(id);
        if (kept !== undefined) {
          expect({ name, doc: JSON.parse(kept) }).toEqual({ name, doc: JSON.parse(json) });
          continue;
        }
        const doc = JSON.parse(json) as Record<string, unknown>;
        // An open-run marker (one collection for every workspace) goes with its run, listed before it.
        if (name.startsWith('digest_runs_open')) {
          expect(removedRuns.has(id)).toBe(true);
          continue;
        }
        if (name.startsWith('digest_runs')) removedRuns.add(id);
        expect(doc.teamId).toBe(TEAM_ID);
        const refs = [
          doc._id,
          doc.programId,
          doc.workstreamId,
          doc.consumerProgramId,
          doc.providerProgramId,
          doc.scheduleKey,
        ].map(String);
        const sampleOwned =
          refs.some((ref) => hex.has(ref) || scheduleKeys.includes(ref)) ||
          [...hex].some((id) => String(doc.scheduleKey).startsWith(`nudge:${id}:`)) ||
          doc.key === 'sre team';
        expect({ name, doc, sampleOwned }).toEqual({ name, doc, sampleOwned: true });
      }
    }
    const added = [...after].flatMap(([name, docs]) =>
      [...docs.keys()].filter((id) => !before.get(name)?.has(id)).map(() => name),
    );
    expect(added.every((name) => name.startsWith('audit_events'))).toBe(true);

    // This workspace's own program and the other workspace's sample are all there.
    const checkout = (await stores.programs.findByKey(TEAM_ID, 'checkout'))!;
    expect(await stores.workstreams.listByProgram(TEAM_ID, checkout._id)).toHaveLength(2);
    expect(await stores.dependencies.forProgram(TEAM_ID, checkout._id)).toHaveLength(1);
    expect((await stores.resources.findByName(TEAM_ID, 'Test lab'))?.allocations).toHaveLength(1);
    expect((await stores.schedules.forProgram(TEAM_ID, checkout._id)).length).toBe(1);
    const other = await sampleOf(OTHER_TEAM);
    expect(other.programIds).toHaveLength(3);
    expect(other.workstreamIds).toHaveLength(6);
    expect((await stores.resources.findByName(OTHER_TEAM, 'SRE team'))?.allocations).toHaveLength(2);

    // Audited: each program, and what the whole came to.
    const audit = await tenantCollection(db.connection, 'audit_events', TEAM_ID);
    const removed = await audit.find({ teamId: TEAM_ID, action: 'program.removed' }).toArray();
    expect(removed.map((e) => e.target.key).sort()).toEqual([...SAMPLE_PROGRAM_KEYS].sort());
    expect(removed.every((e) => e.actorId === PM && e.details.sample === true)).toBe(true);
    const [summary, ...more] = await audit.find({ teamId: TEAM_ID, action: 'sample.removed' }).toArray();
    expect(more).toEqual([]);
    expect(summary).toMatchObject({
      actorId: PM,
      target: { kind: 'workspace', key: TEAM_ID },
      details: {
        removed: {
          programs: 3,
          workstreams: 6,
          updates: 13,
          blockers: 1,
          dependencies: 4,
          milestones: 1,
          schedules: 4,
          digestRuns: 1,
          reminders: 2,
          resources: 1,
          allocations: 2,
        },
        keptResources: [],
      },
    });
  });

  it('says there is nothing to remove when run again, and writes nothing', async () => {
    const before = await countWrites(db.connection);
    for (const userId of [PM, MEMBER]) {
      expect((await ask(running, '/program', 'sample remove', { userId })).all).toBe(NOTHING);
    }
    expect(await countWrites(db.connection)).toEqual(before);
  });

  it("lets a workspace admin remove it, keeping the sample's resource while other work is booked on it", async () => {
    expect(await createSamplePortfolio(stores, { teamId: THIRD_TEAM, channelIds, now: TEST_START })).toEqual({
      created: true,
    });
    const as = { userId: OWNER, teamId: THIRD_TEAM };
    await ask(running, '/program', 'new billing "Billing"', as);
    await ask(running, '/program', `add billing invoices "Invoices" team:core lead:<@${OWNER}>`, as);
    await ask(
      running,
      '/program',
      'allocate "SRE team" billing/invoices 1 from:2026-12-01 to:2026-12-10',
      as,
    );

    const answer = await ask(running, '/program', 'sample remove', { userId: WS_ADMIN, teamId: THIRD_TEAM });
    expect(answer.all).toContain('Removed the sample portfolio: 3 programs, 6 workstreams, 12 updates,');
    expect(answer.all).toContain(' and 2 allocations (');
    expect(answer.all).toContain('Kept the shared resource *SRE team*: other work is booked on it.');
    const sre = (await stores.resources.findByName(THIRD_TEAM, 'SRE team'))!;
    const billing = (await stores.workstreams.findByKey(THIRD_TEAM, 'invoices', 'billing'))[0]!;
    expect(sre.allocations.map((a) => a.workstreamId.toHexString())).toEqual([billing._id.toHexString()]);
    expect(await stores.programs.findByKeys(THIRD_TEAM, SAMPLE_PROGRAM_KEYS)).toEqual([]);
    expect(await stores.programs.findByKey(THIRD_TEAM, 'billing')).not.toBeNull();
    const again = await ask(running, '/program', 'sample remove', { userId: WS_ADMIN, teamId: THIRD_TEAM });
    expect(again.all).toBe(NOTHING);
  });
});
