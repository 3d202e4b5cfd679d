/**
 * Opening the App Home tab, through the real receiver: what a lead, a program owner, a program admin,
 * a user with nothing and a user of another workspace see.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCairn, TEAM_ID, type RunningCairn } from '../../support/cairn-harness.js';
import { ask } from '../../support/conversation.js';
import { tenantCollection, testDatabase } from '../../support/database.js';

const OWNER = 'U0OWNER';
const LEAD = 'U0LEAD';
const API_LEAD = 'U0APILEAD';
const ADMIN = 'U0ADMIN';
const NOBODY = 'U0NOBODY';
const OTHER_TEAM = 'TBBBB';

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
const ids: Record<string, string> = {};

interface ViewBlock {
  type: string;
  text?: { text: string };
  elements?: Array<{ type?: string; action_id?: string; value?: string; text?: string | { text: string } }>;
  accessory?: { type?: string; action_id?: string; value?: string };
}

/** The raw collection where the stores keep this workspace's documents of `base`. */
const stored = (base: string) => tenantCollection(db.connection, base, TEAM_ID);

beforeAll(async () => {
  db = await testDatabase('app-home');
  running = await startCairn(db.connection);
  running.slack.setRateLimiting(false);
  const as = { userId: OWNER };
  await ask(running, '/program', 'new checkout "Checkout revamp"', as);
  await ask(running, '/program', `add checkout web "Web checkout" team:web lead:<@${LEAD}>`, as);
  await ask(running, '/program', `add checkout api "Checkout API" team:api lead:<@${API_LEAD}>`, as);
  await ask(running, '/program', 'new legacy "Legacy shutdown"', as);
  await ask(running, '/program', `add legacy old "Old checkout" team:web lead:<@${LEAD}>`, as);
  await ask(running, '/program', 'archive legacy', as);
  await ask(running, '/status', 'web amber waiting on design', { userId: LEAD });
  await ask(running, '/program', 'blocker web "Vendor contract unsigned"', as);
  await ask(running, '/program', 'depend api on web by dec 1 "Login API"', as);
  await ask(running, '/program', 'new growth "Growth experiments"', { userId: 'U0SOMEONE' });
  const programs = await stored('programs');
  await programs.updateOne({ key: 'growth' }, { $set: { adminIds: [ADMIN] } });
  for (const key of ['web', 'api']) {
    ids[key] = String((await (await stored('workstreams')).findOne({ key }))?._id);
  }
  ids.blocker = String((await (await stored('blockers')).findOne({}))?._id);
  ids.dependency = String((await (await stored('dependencies')).findOne({}))?._id);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});
beforeEach(() => running.slack.reset());

/** Opens the Home tab as `user` and resolves with the blocks Cairn published for them. */
async function openHome(user: string, teamId = TEAM_ID): Promise<ViewBlock[]> {
  const sent = await running.driver.event(
    { type: 'app_home_opened', user, tab: 'home', channel: `D${user}` },
    { teamId },
  );
  expect(sent.status).toBe(200);
  const call = await running.slack.waitForCall('views.publish', (c) => c.args.user_id === user);
  expect(call.response.ok).toBe(true);
  const view = call.args.view as { type: string; blocks: ViewBlock[] };
  expect(view.type).toBe('home');
  expect(view.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Cairn' } });
  return view.blocks;
}

function textOf(blocks: readonly ViewBlock[]): string {
  return blocks
    .flatMap((b) => [
      b.text?.text ?? '',
      ...(b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? ''))),
    ])
    .join('\n');
}

function buttonsOf(blocks: readonly ViewBlock[]): Array<[string | undefined, string | undefined]> {
  return blocks.flatMap((b) =>
    [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])]
      .filter((e) => e.type === 'button')
      .map((e) => [e.action_id, e.value] as [string | undefined, string | undefined]),
  );
}

describe('App Home', () => {
  it('shows a lead their workstreams, the blockers they own and what they owe, with buttons', async () => {
    const blocks = await openHome(LEAD);
    const text = textOf(blocks);
    expect(text).toContain('*Your workstreams* (1)');
    expect(text).toMatch(/🟡 \*Web checkout\* `checkout\/web` · updated just now/);
    // The workstream of the archived program takes no updates: it is not offered.
    expect(text).not.toContain('Old checkout');
    expect(text).toContain('*Blockers you own* (1)');
    expect(text).toContain('Vendor contract unsigned');
    expect(text).toContain('*Dependencies you owe* (1)');
    expect(text).toContain(`*Login API* for \`checkout/api\` (<@${API_LEAD}>)`);
    expect(text).not.toContain('Programs you run');
    const buttons = buttonsOf(blocks);
    expect(buttons).toContainEqual(['status_open_modal', ids.web]);
    // Web is amber: its one-click answer is No change, not Still on track.
    expect(buttons).toContainEqual(['status_no_change', ids.web]);
    expect(buttons).not.toContainEqual(['status_carry_forward', ids.web]);
    expect(buttons).toContainEqual(['blocker_resolve', ids.blocker]);
    expect(buttons).toContainEqual(['dependency_met', ids.dependency]);
    expect(buttons).toContainEqual(['dependency_broken', ids.dependency]);
  });

  it('shows the lead of the waiting workstream nothing owed, only their workstream', async () => {
    const text = textOf(await openHome(API_LEAD));
    expect(text).toContain('*Checkout API* `checkout/api` · no update yet');
    expect(text).not.toContain('Dependencies you owe');
    expect(text).not.toContain('Blockers you own');
  });

  it('shows an owner the active programs they run, with counts, Preview and Post now', async () => {
    const blocks = await openHome(OWNER);
    const text = textOf(blocks);
    expect(text).toContain('*Programs you run* (1)');
    expect(text).toContain(
      '*Checkout revamp* `checkout` · owner · 2 workstreams: 🟢 0 🟡 1 🔴 0 ⏸ 1 · 1 open blocker',
    );
    expect(text).not.toContain('Legacy shutdown');
    expect(text).not.toContain('Growth experiments');
    expect(text).not.toContain('Your workstreams');
    expect(buttonsOf(blocks)).toEqual([
      ['home_preview', 'checkout'],
      ['home_post_digest', 'checkout'],
    ]);
  });

  it("shows a program's admin that program", async () => {
    const blocks = await openHome(ADMIN);
    expect(textOf(blocks)).toContain(
      '*Growth experiments* `growth` · admin · no workstreams yet · 0 open blockers',
    );
    expect(buttonsOf(blocks)).toEqual([
      ['home_preview', 'growth'],
      ['home_post_digest', 'growth'],
    ]);
  });

  it('gives a user with nothing the empty state', async () => {
    const blocks = await openHome(NOBODY);
    const text = textOf(blocks);
    expect(text).toContain('Nothing here yet:');
    expect(text).toContain('`/status`');
    expect(text).toContain('`/program new');
    expect(buttonsOf(blocks)).toEqual([]);
  });

  it("shows a user of another workspace none of this workspace's items, even with the same user id", async () => {
    for (const user of [LEAD, OWNER]) {
      running.slack.reset();
      const blocks = await openHome(user, OTHER_TEAM);
      const text = textOf(blocks);
      expect(text).toContain('Nothing here yet:');
      for (const word of ['Web checkout', 'Checkout revamp', 'Vendor contract', 'Login API', 'checkout/'])
        expect(text).not.toContain(word);
      expect(buttonsOf(blocks)).toEqual([]);
    }
  });

  it('publishes nothing when the Messages tab is opened', async () => {
    const sent = await running.driver.event({
      type: 'app_home_opened',
      user: LEAD,
      tab: 'messages',
      channel: 'DLEAD',
    });
    expect(sent.status).toBe(200);
    await openHome(NOBODY);
    expect(running.slack.calls('views.publish').filter((c) => c.args.user_id === LEAD)).toEqual([]);
  });

  it('keeps serving when Slack refuses the publish', async () => {
    running.slack.injectError('views.publish', { error: 'internal_error' });
    const sent = await running.driver.event({
      type: 'app_home_opened',
      user: LEAD,
      tab: 'home',
      channel: 'DLEAD',
    });
    expect(sent.status).toBe(200);
    await running.slack.waitForCall('views.publish', (c) => c.args.user_id === LEAD);
    running.slack.reset();
    expect(textOf(await openHome(LEAD))).toContain('Web checkout');
  });

  it('reads the same few times however much a user has', async () => {
    const BUSY = 'U0BUSY';
    const [programs, workstreamsOf, blockers, dependencies, followers] = await Promise.all([
      stored('programs'),
      stored('workstreams'),
      stored('blockers'),
      stored('dependencies'),
      stored('program_followers'),
    ]);
    const checkout = await programs.findOne({ key: 'checkout' });
    const api = await workstreamsOf.findOne({ key: 'api' });
    const now = running.cairn.services.now();
    const workstreams = Array.from({ length: 60 }, (_, i) => ({
      _id: new Types.ObjectId(),
      teamId: TEAM_ID,
      programId: checkout?._id,
      programKey: 'checkout',
      key: `busy${i}`,
      name: `Busy ${i}`,
      team: 'busy',
      leadId: BUSY,
      state: 'active',
      health: 'on_track',
      lastUpdateAt: now,
      createdAt: now,
    }));
    await workstreamsOf.insertMany(workstreams);
    await blockers.insertMany(
      workstreams.map((w) => ({
        teamId: TEAM_ID,
        programId: w.programId,
        workstreamId: api?._id,
        text: `Blocked ${w.key}`,
        ownerId: BUSY,
        openedBy: BUSY,
        openedAt: now,
        internal: false,
      })),
    );
    await dependencies.insertMany(
      workstreams.map((w) => ({
        teamId: TEAM_ID,
        consumerId: api?._id,
        consumerProgramId: w.programId,
        providerId: w._id,
        providerProgramId: w.programId,
        deliverable: `Deliverable ${w.key}`,
        neededBy: '2030-01-01',
        state: 'open',
        createdBy: OWNER,
        createdAt: now,
      })),
    );
    const reads: string[] = [];
    db.connection.set('debug', (collection: string, method: string) => {
      if (collection !== 'workspaces') reads.push(`${collection}.${method}`);
    });
    try {
      const text = textOf(await openHome(BUSY));
      expect(text).toContain('*Your workstreams* (60)');
      expect(text).toContain('…and 50 more workstreams');
      expect(text).toContain('*Blockers you own* (60)');
      expect(text).toContain('*Dependencies you owe* (60)');
      // Eight queries whatever the counts (no job runs beside it: the harness starts none): the
      // second dependencies.find is the workspace's standing graph, for the chains through my work;
      // the programs I follow are read with the others of mine. (In this workspace's own
      // collections, where the layout gives it some.)
      expect([...reads].sort()).toEqual(
        [
          `${blockers.collectionName}.find`,
          `${dependencies.collectionName}.find`,
          `${dependencies.collectionName}.find`,
          `${followers.collectionName}.find`,
          `${programs.collectionName}.find`,
          `${programs.collectionName}.find`,
          `${workstreamsOf.collectionName}.find`,
          `${workstreamsOf.collectionName}.find`,
        ].sort(),
      );
    } finally {
      db.connection.set('debug', false);
    }
  });
});
