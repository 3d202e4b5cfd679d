/**
 * Issue 10, point 4 through the real app: a shared resource over capacity in an ISO week is brought
 * to the owners of the programs involved, one DM each per conflict, from any number of replicas, and
 * again only after it was resolved and came back. Another workspace's data is never read.
 */
import type { WebClient } from '@slack/web-api';
import type { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapacityConflict } from '../../src/domain/analysis/capacity.js';
import type { Id } from '../../src/domain/entities.js';
import type { ClientFor } from '../../src/slack/workspace-client.js';
import { runCapacityTick } from '../../src/use-cases/capacity-alerts.js';
import { capacityConflictMessage } from '../../src/views/capacity-views.js';
import { validateMessageBlocks } from '../support/block-kit-limits.js';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { everyDocument, tenantCollection, testDatabase } from '../support/database.js';

const ANA = 'U0ANA'; // owns checkout and mobile
const BEN = 'U0BEN'; // owns payments
const CARA = 'U0CARA'; // owns legacy, archived
const DORA = 'U0DORA'; // workspace B: owns its checkout
const ELI = 'U0ELI'; // workspace B: owns its payments
const TEAM_B = 'T0BBBB';
/** Tuesday 1 Dec 2026, ISO week 49; the allocations are in week 51 (Mon 14 – Sun 20 Dec). */
const NOW = new Date('2026-12-01T10:00:00Z');

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

/** Every DM a tick sent, with the workspace whose client sent it. */
const sent: Array<{ teamId: string; channel: string; text: string; blocks: string }> = [];
const deps = () => {
  const real = running.cairn.services.slackFor;
  const slackFor: ClientFor = async (teamId, options) => {
    const client = await real(teamId, options);
    return {
      chat: {
        postMessage: async (args: { channel: string; text: string; blocks: unknown }) => {
          const response = await client.chat.postMessage(args);
          sent.push({ teamId, channel: args.channel, text: args.text, blocks: JSON.stringify(args.blocks) });
          return response;
        },
      },
    } as unknown as WebClient;
  };
  return { stores: running.cairn.services.stores, slackFor, log: running.cairn.services.log };
};
const tick = (at = NOW) => runCapacityTick(deps(), at);
/** Two replicas ticking at once. */
const replicas = (at = NOW) => Promise.all([tick(at), tick(at)]);
const dms = (user: string, about = '') => sent.filter((d) => d.channel === user && d.text.includes(about));

async function as(userId: string, text: string, teamId = TEAM_ID) {
  const answer = await ask(running, '/program', text, { userId, teamId });
  expect(answer.all, text).not.toContain(':warning:');
  return answer;
}

async function workstreamId(teamId: string, programKey: string, key: string): Promise<Types.ObjectId> {
  const workstreams = await tenantCollection(db.connection, 'workstreams', teamId);
  const found = await workstreams.findOne({ teamId, programKey, key });
  return found!._id as Types.ObjectId;
}

/** Sets the units of one workstream's allocations on a resource, by writing the resource document. */
async function setUnits(teamId: string, resourceKey: string, workstream: Id, units: number) {
  const resources = await tenantCollection(db.connection, 'resources', teamId);
  const resource = await resources.findOne({ teamId, key: resourceKey });
  const allocations = (resource!.allocations as Array<{ workstreamId: Id; units: number }>).map((a) =>
    a.workstreamId.toHexString() === workstream.toHexString() ? { ...a, units } : a,
  );
  await resources.updateOne({ _id: resource!._id }, { $set: { allocations } });
}

const notice = async (teamId: string, key: string) =>
  (await tenantCollection(db.connection, 'capacity_notices', teamId)).findOne({ teamId, key });

beforeAll(async () => {
  db = await testDatabase('capacity_alerts');
  running = await startCairn(db.connection, { now: () => NOW, jobs: () => [] });
  running.slack.setRateLimiting(false);
  const week51 = 'from:2026-12-14 to:2026-12-18';

  // Workspace A.
  await as(ANA, 'new checkout "Checkout"');
  await as(ANA, `add checkout ui "Checkout UI" team:web lead:<@${ANA}>`);
  await as(ANA, 'new mobile "Mobile"');
  await as(ANA, `add mobile app "Mobile app" team:apps lead:<@${ANA}>`);
  await as(BEN, 'new payments "Payments"');
  await as(BEN, `add payments api "Payments API" team:pay lead:<@${BEN}>`);
  await as(CARA, 'new legacy "Legacy"');
  await as(CARA, `add legacy batch "Batch jobs" team:ops lead:<@${CARA}>`);
  await as(ANA, 'resource "SRE on-call" capacity:5');
  await as(ANA, `allocate "SRE on-call" checkout/ui 4 ${week51}`);
  await as(BEN, `allocate "SRE on-call" payments/api 3 ${week51}`);
  // Test lab, 3 a week: checkout 2 + mobile 2 (both Ana's) + legacy 2, whose program is archived.
  await as(ANA, 'resource "Test lab" capacity:3');
  await as(ANA, `allocate "Test lab" checkout/ui 2 ${week51}`);
  await as(ANA, `allocate "Test lab" mobile/app 2 ${week51}`);
  await as(CARA, `allocate "Test lab" legacy/batch 2 ${week51}`);
  // Build farm, 2 a week: over only through the archived program's booking.
  await as(CARA, 'resource "Build farm" capacity:2');
  await as(CARA, `allocate "Build farm" legacy/batch 2 ${week51}`);
  await as(BEN, `allocate "Build farm" payments/api 1 ${week51}`);
  await as(CARA, 'archive legacy');
  const programs = await tenantCollection(db.connection, 'programs', TEAM_ID);
  const legacy = await programs.findOne({ teamId: TEAM_ID, key: 'legacy' });
  expect(legacy?.state).toBe('archived');

  // Workspace B: the same keys and names, its own owners and numbers.
  await as(DORA, 'new checkout "Checkout B"', TEAM_B);
  await as(DORA, `add checkout ui "Checkout UI B" team:web lead:<@${DORA}>`, TEAM_B);
  await as(ELI, 'new payments "Payments B"', TEAM_B);
  await as(ELI, `add payments api "Payments API B" team:pay lead:<@${ELI}>`, TEAM_B);
  await as(DORA, 'resource "SRE on-call" capacity:5', TEAM_B);
  await as(DORA, `allocate "SRE on-call" checkout/ui 3 ${week51}`, TEAM_B);
  await as(ELI, `allocate "SRE on-call" payments/api 3 ${week51}`, TEAM_B);
  // A booking in B naming A's workstream (only a direct write could make one): read across
  // workspaces, it would count 10 more units, and its program's owner would be told.
  const resources = await tenantCollection(db.connection, 'resources', TEAM_B);
  const sre = await resources.findOne({ teamId: TEAM_B, key: 'sre on-call' });
  const stray = {
    workstreamId: await workstreamId(TEAM_ID, 'checkout', 'ui'),
    units: 10,
    from: '2026-12-14',
    to: '2026-12-18',
  };
  await resources.updateOne({ _id: sre!._id }, { $set: { allocations: [...sre!.allocations, stray] } });
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('capacity conflicts by DM', () => {
  it('tells each owner of the programs involved once, from any number of replicas at once', async () => {
    const [a, b] = await replicas();
    // Workspace A: SRE on-call and Test lab; workspace B: its SRE on-call.
    expect(a.notified + b.notified).toBe(3);

    expect(dms(ANA, 'SRE on-call')).toHaveLength(1);
    expect(dms(BEN, 'SRE on-call')).toHaveLength(1);
    const dm = dms(ANA, 'SRE on-call')[0]!;
    expect(dm.teamId).toBe(TEAM_ID);
    expect(dm.text).toBe('SRE on-call: 7/5 units in week 51 (from Mon 14 Dec) — checkout 4, payments 3');
    expect(dm.blocks).toContain(
      '*SRE on-call* is over capacity: *7/5 units in week 51 (from Mon 14 Dec)*, 2 units over.',
    );
    expect(dm.blocks).toContain('*Checkout* `checkout` — 4 units: Checkout UI `checkout/ui` 4');
    expect(dm.blocks).toContain('*Payments* `payments` — 3 units: Payments API `payments/api` 3');
    expect(dm.blocks).toContain('/program allocate');
    expect(dms(BEN, 'SRE on-call')[0]!.text).toBe(dm.text);

    const conflicts = running.slack
      .calls('chat.postMessage')
      .filter((c) => [ANA, BEN].includes(String(c.args.channel)) && String(c.args.text).includes('SRE'));
    expect(conflicts.map((c) => c.status)).toEqual([200, 200]);
  });

  it('tells an owner of two programs in the conflict once, and the owner of an archived program nothing', async () => {
    const lab = dms(ANA, 'Test lab');
    expect(lab).toHaveLength(1);
    // Legacy's 2 units are not counted: its program is archived.
    expect(lab[0]!.text).toBe('Test lab: 4/3 units in week 51 (from Mon 14 Dec) — checkout 2, mobile 2');
    expect(lab[0]!.blocks).toContain('*Mobile* `mobile` — 2 units: Mobile app `mobile/app` 2');
    expect(lab[0]!.blocks).not.toContain('legacy');
    expect(dms(BEN, 'Test lab')).toHaveLength(0);
    // Build farm is over capacity only through the archived program: no conflict, no DM.
    expect(dms(BEN, 'Build farm')).toHaveLength(0);
    expect(dms(CARA)).toHaveLength(0);
  });

  it("tells a workspace's owners of its own conflicts only, from its own data", async () => {
    expect(dms(DORA)).toHaveLength(1);
    expect(dms(ELI)).toHaveLength(1);
    for (const dm of [...dms(DORA), ...dms(ELI)]) {
      expect(dm.teamId).toBe(TEAM_B);
      // 3 + 3: the booking that names workspace A's workstream is not read.
      expect(dm.text).toBe('SRE on-call: 6/5 units in week 51 (from Mon 14 Dec) — checkout 3, payments 3');
      expect(dm.blocks).toContain('*Checkout B* `checkout`');
    }
    for (const dm of [...dms(ANA), ...dms(BEN)]) expect(dm.teamId).toBe(TEAM_ID);
    expect(sent.filter((d) => d.text.includes('Checkout B') || d.blocks.includes('Checkout B'))).toEqual(
      sent.filter((d) => d.teamId === TEAM_B),
    );
  });

  it('sends nothing again while the conflict stands', async () => {
    const before = sent.length;
    await tick();
    await replicas(new Date('2026-12-03T10:00:00Z'));
    expect(sent).toHaveLength(before);
  });

  it('marks a conflict resolved when it is gone, and tells its owners again when it recurs', async () => {
    const payments = await workstreamId(TEAM_ID, 'payments', 'api');
    const resources = await tenantCollection(db.connection, 'resources', TEAM_ID);
    const resource = await resources.findOne({ teamId: TEAM_ID, key: 'sre on-call' });
    const key = `${resource!._id.toHexString()}/2026-W51`;
    expect(await notice(TEAM_ID, key)).toMatchObject({ notified: true, episode: 0, monday: '2026-12-14' });

    // Re-planned to 4 + 1: within capacity.
    await setUnits(TEAM_ID, 'sre on-call', payments, 1);
    const before = sent.length;
    const [a, b] = await replicas();
    expect(sent).toHaveLength(before);
    expect(a.resolved + b.resolved).toBeGreaterThanOrEqual(1);
    expect(await notice(TEAM_ID, key)).toMatchObject({ notified: false, episode: 1 });
    await tick();
    expect(await notice(TEAM_ID, key)).toMatchObject({ notified: false, episode: 1 });

    // Back to 4 + 3: a new episode, told once more, once.
    await setUnits(TEAM_ID, 'sre on-call', payments, 3);
    await replicas();
    await tick();
    expect(dms(ANA, 'SRE on-call')).toHaveLength(2);
    expect(dms(BEN, 'SRE on-call')).toHaveLength(2);
    expect(dms(BEN, 'SRE on-call')[1]!.text).toContain('7/5 units in week 51');
    expect(await notice(TEAM_ID, key)).toMatchObject({ notified: true, episode: 1 });
    // Nothing else was told again meanwhile.
    expect(dms(ANA, 'Test lab')).toHaveLength(1);
    expect(dms(DORA)).toHaveLength(1);
  });

  it("goes on telling the other owners when Slack refuses one owner's DM", async () => {
    await as(ANA, 'resource "QA rig" capacity:1');
    await as(ANA, 'allocate "QA rig" checkout/ui 1 from:2026-12-14 to:2026-12-18');
    await as(BEN, 'allocate "QA rig" payments/api 1 from:2026-12-14 to:2026-12-18');
    // Checkout comes first (as many units, earlier key): Ana's DM is refused, Ben's still goes.
    running.slack.injectError('chat.postMessage', { error: 'account_inactive' });
    const result = await tick();
    expect(result).toEqual({ notified: 1, dms: 1, resolved: 0 });
    expect(dms(ANA, 'QA rig')).toHaveLength(0);
    expect(dms(BEN, 'QA rig')).toEqual([
      expect.objectContaining({
        text: 'QA rig: 2/1 units in week 51 (from Mon 14 Dec) — checkout 1, payments 1',
      }),
    ]);
    // Told once means once: the refused DM is not sent again by a later tick.
    await tick();
    expect(dms(ANA, 'QA rig')).toHaveLength(0);
    expect(dms(BEN, 'QA rig')).toHaveLength(1);
  });

  it('resolves a conflict whose week has passed, and leaves it out of later reads', async () => {
    const before = sent.length;
    // Monday 21 Dec: week 51 is over.
    await tick(new Date('2026-12-21T10:00:00Z'));
    expect(sent).toHaveLength(before);
    const notified = (await everyDocument(db.connection, 'capacity_notices', { notified: true })).length;
    expect(notified).toBe(0);
    expect(await running.cairn.services.stores.capacityNotices.list(TEAM_ID, '2026-12-21')).toEqual([]);
  });
});

describe('capacityConflictMessage', () => {
  const id = (hex: string): Id => ({ toHexString: () => hex });
  const conflict = (over: Partial<CapacityConflict> = {}): CapacityConflict => ({
    key: 'r1/2026-W51',
    resource: { id: id('r1'), name: 'SRE on-call', capacity: 5 },
    isoWeek: { year: 2026, week: 51, monday: '2026-12-14' },
    total: 7,
    excess: 2,
    byProgram: [
      {
        programKey: 'checkout',
        units: 4,
        workstreams: [{ id: id('w1'), key: 'ui', name: 'Checkout UI', units: 4 }],
      },
      {
        programKey: 'payments',
        units: 3,
        workstreams: [{ id: id('w2'), key: 'api', name: 'Payments API', units: 3 }],
      },
    ],
    ...over,
  });
  const names = new Map([
    ['checkout', 'Checkout'],
    ['payments', 'Payments'],
  ]);

  it('says the resource, the week, the units, the excess and who draws on it', () => {
    const message = capacityConflictMessage(conflict(), names, '2026-12-01');
    expect(message.text).toBe('SRE on-call: 7/5 units in week 51 (from Mon 14 Dec) — checkout 4, payments 3');
    const all = JSON.stringify(message.blocks);
    expect(all).toContain(
      '*SRE on-call* is over capacity: *7/5 units in week 51 (from Mon 14 Dec)*, 2 units over.',
    );
    expect(all).toContain('*Checkout* `checkout` — 4 units: Checkout UI `checkout/ui` 4');
    expect(all).toContain('/program allocate');
    expect(validateMessageBlocks(message.blocks)).toEqual([]);
  });

  it('shows a week of another year with its year, and fractions as planners write them', () => {
    const message = capacityConflictMessage(
      conflict({
        isoWeek: { year: 2027, week: 1, monday: '2027-01-04' },
        total: 0.1 + 0.2 + 5,
        excess: 0.1 + 0.2,
      }),
      names,
      '2026-12-01',
    );
    expect(message.text).toContain('5.3/5 units in week 1 (from Mon 4 Jan 2027)');
    expect(JSON.stringify(message.blocks)).toContain('0.3 units over');
  });

  it('escapes user text: a resource, program or workstream name cannot ping or format', () => {
    const message = capacityConflictMessage(
      conflict({
        resource: { id: id('r1'), name: '<!channel> *x*', capacity: 5 },
        byProgram: [
          {
            programKey: 'checkout',
            units: 7,
            workstreams: [{ id: id('w1'), key: 'ui', name: '<@U123> _y_ <https://evil|z>', units: 7 }],
          },
        ],
      }),
      new Map([['checkout', '<!here> ~c~']]),
      '2026-12-01',
    );
    const all = `${message.text}\n${JSON.stringify(message.blocks)}`;
    expect(all).not.toMatch(/<!channel>|<!here>|<@U123>|<https:/);
    expect(all).toContain('&lt;!channel&gt; ∗x∗');
    expect(all).toContain('*&lt;!here&gt; ∼c∼*');
    expect(all).toContain('&lt;@U123&gt; ˍyˍ &lt;https://evil|z&gt;');
  });

  it('stays within Block Kit limits however many programs, workstreams and long names', () => {
    const long = 'W'.repeat(500);
    const byProgram = Array.from({ length: 60 }, (_, p) => ({
      programKey: `p${p}`,
      units: 30,
      workstreams: Array.from({ length: 30 }, (_, w) => ({
        id: id(`w${p}-${w}`),
        key: `w${w}`,
        name: long,
        units: 1,
      })),
    }));
    const message = capacityConflictMessage(
      conflict({ resource: { id: id('r1'), name: long, capacity: 1 }, total: 1800, excess: 1799, byProgram }),
      new Map(byProgram.map((p) => [p.programKey, long])),
      '2026-12-01',
    );
    expect(validateMessageBlocks(message.blocks)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('more programs');
    expect(message.text.length).toBeLessThan(4_000);
  });
});
