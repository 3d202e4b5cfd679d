/**
 * `/program allocate` replaces, not adds (issue 10): a new allocation of a workstream on a shared
 * resource takes the place of that workstream's allocations there whose periods overlap it; its other
 * periods, other workstreams' allocations and other workspaces' resources stay as they were; and
 * allocations made at the same moment do not lose each other. Through the signed receiver and the real
 * database, with the app's clock pinned.
 */
import type { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workstream } from '../../src/domain/entities.js';
import type { Actor } from '../../src/domain/permissions.js';
import { allocateResource } from '../../src/use-cases/programs.js';
import { allocatedView } from '../../src/views/program-views.js';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { everyDocument, tenantCollection, testDatabase } from '../support/database.js';

const OTHER_TEAM = 'T0OTHER';
const PM = 'U0PM';
const OTHER_PM = 'U0OTHERPM';
/** Wednesday 25 Nov 2026, 15:00 UTC: every allocation below is after it. */
const NOW = new Date('2026-11-25T15:00:00Z');

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
const KEYS = ['web', 'api', 'payments', 'vault', 'ledger', 'search'] as const;
const ids: Record<string, Types.ObjectId> = {};

interface StoredAllocation {
  workstreamId: Types.ObjectId;
  units: number;
  from: string;
  to: string;
  createdBy: string;
}
const resource = async (name: string, teamId = TEAM_ID) =>
  (await (
    await tenantCollection(db.connection, 'resources', teamId)
  ).findOne({ teamId, key: name.toLowerCase() })) as {
    allocations: StoredAllocation[];
    capacityPerWeek: number;
  } | null;
/** A resource's allocations as `workstream units from to`, sorted. */
const booked = async (name: string, teamId = TEAM_ID) => {
  const byId = new Map(Object.entries(ids).map(([key, id]) => [String(id), key]));
  return ((await resource(name, teamId))?.allocations ?? [])
    .map((a) => `${byId.get(String(a.workstreamId)) ?? 'other'} ${a.units} ${a.from} ${a.to}`)
    .sort();
};
const allocate = (text: string, as: { userId?: string; teamId?: string } = { userId: PM }) =>
  ask(running, '/program', `allocate ${text}`, as);

beforeAll(async () => {
  db = await testDatabase('replan-allocation');
  running = await startCairn(db.connection, { now: () => NOW });
  running.slack.setRateLimiting(false);
  for (const id of [PM, OTHER_PM]) running.slack.setUser({ id, tz: 'UTC' });
  for (const [teamId, userId] of [
    [TEAM_ID, PM],
    [OTHER_TEAM, OTHER_PM],
  ] as const) {
    const as = { teamId, userId };
    await ask(running, '/program', 'new checkout "Checkout revamp"', as);
    for (const key of KEYS) {
      const added = await ask(
        running,
        '/program',
        `add checkout ${key} "${key}" team:${key} lead:<@${userId}>`,
        as,
      );
      expect(added.all).toMatch(/^Added \*/);
    }
    for (const name of ['sre', 'lab', 'farm']) {
      expect((await ask(running, '/program', `resource ${name} capacity:10`, as)).all).toContain(
        `Created shared resource *${name}*`,
      );
    }
  }
  for (const key of KEYS) {
    ids[key] = (await (
      await tenantCollection(db.connection, 'workstreams', TEAM_ID)
    ).findOne({ teamId: TEAM_ID, key }))!._id as Types.ObjectId;
  }
  // The other workspace's same-named resource has its own allocation of its own `web`.
  expect(
    (await allocate('sre web 3 from:2026-12-07 to:2026-12-18', { teamId: OTHER_TEAM, userId: OTHER_PM })).all,
  ).toContain('Allocated 3 units a week of *sre*');
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('/program allocate again', () => {
  it("replaces the workstream's overlapping allocation, so the resource counts one", async () => {
    expect((await allocate('sre web 2 from:2026-12-07 to:2026-12-18')).all).toContain(
      'Allocated 2 units a week of *sre* to `checkout/web` from Mon 7 Dec to Fri 18 Dec.',
    );
    await allocate('sre api 1 from:2026-12-07 to:2026-12-18');
    const answer = await allocate('sre web 4 from:2026-12-14 to:2026-12-25');
    expect(answer.all).toContain(
      'Allocated 4 units a week of *sre* to `checkout/web` from Mon 14 Dec to Fri 25 Dec',
    );
    expect(await booked('sre')).toEqual(['api 1 2026-12-07 2026-12-18', 'web 4 2026-12-14 2026-12-25']);

    const audited = await (
      await tenantCollection(db.connection, 'audit_events', TEAM_ID)
    )
      .find({ teamId: TEAM_ID, action: 'resource.allocated' }, { sort: { _id: 1 } })
      .toArray();
    expect(audited.at(-1)?.details).toMatchObject({
      workstream: 'checkout/web',
      units: 4,
      from: '2026-12-14',
      to: '2026-12-25',
      replaced: [{ units: 2, from: '2026-12-07', to: '2026-12-18' }],
    });
    expect(audited.at(-2)?.details).toMatchObject({ workstream: 'checkout/api', replaced: [] });
  });

  it('keeps the periods that do not overlap: two units in January and one in February are both real', async () => {
    await allocate('lab web 2 from:2027-01-04 to:2027-01-29');
    await allocate('lab web 1 from:2027-02-01 to:2027-02-26');
    // Touching is not overlapping: the next day starts a period of its own.
    await allocate('lab web 3 from:2027-03-01 to:2027-03-12');
    expect(await booked('lab')).toEqual([
      'web 1 2027-02-01 2027-02-26',
      'web 2 2027-01-04 2027-01-29',
      'web 3 2027-03-01 2027-03-12',
    ]);

    // One period over the first two replaces both, and leaves March; a shared last day counts as overlap.
    await allocate('lab web 5 from:2027-01-18 to:2027-02-01');
    expect(await booked('lab')).toEqual(['web 3 2027-03-01 2027-03-12', 'web 5 2027-01-18 2027-02-01']);
  });

  it("leaves another workspace's resource of the same name untouched", async () => {
    expect(await booked('sre', OTHER_TEAM)).toEqual(['other 3 2026-12-07 2026-12-18']);
    expect((await resource('sre', OTHER_TEAM))?.allocations).toHaveLength(1);
  });

  it('loses none of the allocations of different workstreams made at the same moment', async () => {
    const answers = await Promise.all(
      KEYS.map((key, i) => allocate(`farm ${key} ${i + 1} from:2026-12-07 to:2026-12-18`)),
    );
    for (const answer of answers) expect(answer.all).toContain('Allocated');
    expect(await booked('farm')).toEqual(
      KEYS.map((key, i) => `${key} ${i + 1} 2026-12-07 2026-12-18`).sort(),
    );
    expect(await everyDocument(db.connection, 'resource_leases')).toHaveLength(0);
  });

  it('keeps one allocation when the same workstream is allocated several times at once over the same weeks', async () => {
    await Promise.all(
      [1, 2, 3, 4].map((units) => allocate(`farm web ${units} from:2026-12-14 to:2026-12-31`)),
    );
    const web = (await booked('farm')).filter((a) => a.startsWith('web '));
    expect(web).toHaveLength(1);
    expect(web[0]).toMatch(/^web [1-4] 2026-12-14 2026-12-31$/);
  });

  it('tells what it replaced (the use case gives the view the replaced allocations)', async () => {
    const actor: Actor = { teamId: TEAM_ID, userId: PM, timezone: 'UTC', isWorkspaceAdmin: false };
    const result = await allocateResource(
      running.cairn.services.stores,
      actor,
      {
        resource: 'sre',
        workstream: { workstreamKey: 'api' },
        units: 2,
        from: '2026-12-01',
        to: '2026-12-11',
      },
      NOW,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problem));
    const { resource: r, workstream, allocation, replaced } = result.value;
    expect(replaced).toMatchObject([{ units: 1, from: '2026-12-07', to: '2026-12-18' }]);
    expect(
      allocatedView(r.name, workstream, allocation.units, allocation.from, allocation.to, NOW, replaced).text,
    ).toBe(
      'Allocated 2 units a week of *sre* to `checkout/api` from Tue 1 Dec to Fri 11 Dec; this replaces 1 unit a week from Mon 7 Dec to Fri 18 Dec.',
    );
  });
});

describe('the answer to /program allocate', () => {
  const web = { programKey: 'checkout', key: 'web' } as Workstream;
  it('says what it replaced, each period', () => {
    expect(
      allocatedView('SRE', web, 3, '2026-12-01', '2027-01-29', NOW, [
        { units: 2, from: '2026-12-07', to: '2026-12-18' },
        { units: 1.5, from: '2027-01-04', to: '2027-01-15' },
      ]).text,
    ).toBe(
      'Allocated 3 units a week of *SRE* to `checkout/web` from Tue 1 Dec to Fri 29 Jan 2027; this replaces 2 units a week from Mon 7 Dec to Fri 18 Dec and 1.5 units a week from Mon 4 Jan 2027 to Fri 15 Jan 2027.',
    );
  });

  it('lists three replaced periods at most', () => {
    const week = (day: number) => ({ units: 1, from: `2026-12-${day}`, to: `2026-12-${day + 4}` });
    expect(
      allocatedView('SRE', web, 2, '2026-12-01', '2026-12-31', NOW, [10, 14, 18, 22, 26].map(week)).text,
    ).toBe(
      'Allocated 2 units a week of *SRE* to `checkout/web` from Tue 1 Dec to Thu 31 Dec; this replaces 1 unit a week from Thu 10 Dec to Mon 14 Dec, 1 unit a week from Mon 14 Dec to Fri 18 Dec, 1 unit a week from Fri 18 Dec to Tue 22 Dec and 2 more.',
    );
  });

  it('answers with what it replaced', async () => {
    await allocate('lab api 2 from:2027-01-04 to:2027-01-15');
    expect((await allocate('lab api 3 from:2027-01-11 to:2027-01-22')).all).toContain(
      'Allocated 3 units a week of *lab* to `checkout/api` from Mon 11 Jan 2027 to Fri 22 Jan 2027; this replaces 2 units a week from Mon 4 Jan 2027 to Fri 15 Jan 2027.',
    );
  });
});
