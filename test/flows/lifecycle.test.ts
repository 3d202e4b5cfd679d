/**
 * Issue 13, SPEC §8: programs change over their months. Through the signed receiver and the real
 * database: `/program set` for a program and a workstream, `owner`, `admins`, milestones done and
 * moved, `milestones`, `unarchive`, each audited with before and after; a slipped target date shows in
 * the next digest's "what changed"; paused and done work leaves needs attention and reminders.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { ACTION, answerTo, clickInMessage, ephemeralMessage } from '../support/clicks.js';
import { everyDocument, tenantCollection, testDatabase } from '../support/database.js';

const OWNER = 'U0OWNER';
const LEAD = 'U0LEAD';
const LEE = 'U0LEE';
const KIM = 'U0KIM';
const OTHER = 'U0OTHER';

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
let now = new Date('2026-11-23T10:00:00Z');

beforeAll(async () => {
  db = await testDatabase('lifecycle');
  running = await startCairn(db.connection, { now: () => now });
  running.slack.setRateLimiting(false);
  for (const id of [OWNER, LEAD, LEE, KIM, OTHER]) running.slack.setUser({ id });
  const as = { userId: OWNER };
  await ask(running, '/program', 'new checkout "Checkout revamp" channel:<#C0CHECKOUT|checkout>', as);
  for (const [key, lead] of [
    ['payments', LEAD],
    ['web', LEAD],
    ['search', LEE],
  ] as const) {
    await ask(
      running,
      '/program',
      `add checkout ${key} "${key}" team:core lead:<@${lead}> due:2026-12-15`,
      as,
    );
  }
  await ask(running, '/program', 'milestone checkout "Beta launch" 2027-01-20 needs:payments', as);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

const collection = (base: string) => tenantCollection(db.connection, base, TEAM_ID);
const workstream = async (key: string) => (await collection('workstreams')).findOne({ key });
const program = async () => (await collection('programs')).findOne({ key: 'checkout' });
/** The needs-attention section of a digest preview (its thread lists every workstream, paused ones too). */
const attentionOf = (answer: { all: string }) => {
  const from = answer.all.indexOf('Needs attention');
  expect(from).toBeGreaterThanOrEqual(0);
  return answer.all.slice(from, answer.all.indexOf('Detail by team', from));
};
const audited = async (action: string) =>
  (await collection('audit_events')).find({ action }).sort({ at: 1 }).toArray();

describe('/program set on a workstream', () => {
  it('changes its state, lead, target date, team, name and phase, audited with before and after', async () => {
    const answer = await ask(
      running,
      '/program',
      `set checkout payments due:2026-12-22 lead:<@${LEE}> team:platform name:"Payments API" phase:"Beta"`,
      { userId: OWNER },
    );
    expect(answer.all).toContain('Changed `checkout/payments`');
    expect(answer.all).toContain('due: Tue 15 Dec → *Tue 22 Dec* (7 days later)');
    expect(answer.all).toContain(`lead: <@${LEAD}> → <@${LEE}>`);
    expect(await workstream('payments')).toMatchObject({
      targetDate: '2026-12-22',
      leadId: LEE,
      team: 'platform',
      name: 'Payments API',
      phase: 'Beta',
    });
    const [event] = await audited('workstream.changed');
    expect(event).toMatchObject({
      actorId: OWNER,
      target: { kind: 'workstream', key: 'checkout/payments' },
      details: {
        before: { targetDate: '2026-12-15', leadId: LEAD, team: 'core', name: 'payments', phase: null },
        after: {
          targetDate: '2026-12-22',
          leadId: LEE,
          team: 'platform',
          name: 'Payments API',
          phase: 'Beta',
        },
      },
    });
  });

  it('says so and writes nothing when nothing changes', async () => {
    const before = (await audited('workstream.changed')).length;
    const answer = await ask(running, '/program', 'set checkout payments due:2026-12-22', { userId: OWNER });
    expect(answer.all).toContain('`checkout/payments` has that already. Nothing changed.');
    expect(await audited('workstream.changed')).toHaveLength(before);
  });

  it('refuses a lead who is not the owner or an admin, naming who may, and changes nothing', async () => {
    const answer = await ask(running, '/program', 'set checkout web state:done', { userId: LEAD });
    expect(answer.all).toContain(
      'Only the owner of `checkout` (<@U0OWNER>), its admins or a workspace admin may change its workstreams.',
    );
    expect((await workstream('web'))?.state).toBe('not_started');
  });

  it('names an unknown workstream of the program', async () => {
    const answer = await ask(running, '/program', 'set checkout nope state:done', { userId: OWNER });
    expect(answer.all).toContain('nope');
    expect(answer.all).toContain(':warning:');
  });

  it('takes paused and done work out of needs attention and missing updates in the digest', async () => {
    await ask(running, '/status', 'web red Stuck on the vendor', { userId: LEAD });
    await ask(running, '/status', 'search amber Slow index', { userId: LEE });
    const before = attentionOf(await ask(running, '/program', 'preview checkout', { userId: OWNER }));
    expect(before).toContain('Stuck on the vendor');
    expect(before).toContain('Slow index');
    await ask(running, '/program', 'set checkout web state:paused', { userId: OWNER });
    await ask(running, '/program', 'set checkout search state:done', { userId: OWNER });
    const after = attentionOf(await ask(running, '/program', 'preview checkout', { userId: OWNER }));
    expect(after).toContain('Nothing needs attention.');

    // Still on track answers a chase: on paused work it is refused, from any surface, and writes nothing.
    const web = await workstream('web');
    const carried = async () =>
      (await everyDocument(db.connection, 'updates', { source: 'carried_forward' })).length;
    const carriedBefore = await carried();
    const click = await clickInMessage(running, LEAD, ephemeralMessage({ text: 'x', blocks: [] }), {
      action_id: ACTION.updateCarryForward,
      value: String(web?._id),
      label: 'Still on track',
      blockId: 'b',
      nearText: '',
    });
    expect(JSON.stringify(await answerTo(running, click))).toContain(
      'is paused: nobody is waiting on its update',
    );
    expect(await carried()).toBe(carriedBefore);
  });
});

describe('a target date moved after a digest', () => {
  it("shows as a slip in the next digest's what changed", async () => {
    await ask(running, '/program', 'digest checkout', { userId: OWNER });
    now = new Date(now.getTime() + 3_600_000);
    await ask(running, '/program', 'set checkout web due:2026-12-29', { userId: OWNER });
    const preview = await ask(running, '/program', 'preview checkout', { userId: OWNER });
    expect(preview.all).toMatch(/📅 .*`web`.* target date moved Tue 15 Dec → Tue 29 Dec \(\+14 days\)/);
  });
});

describe('/program set on a program', () => {
  it('changes its name, objective and home channel, audited', async () => {
    const answer = await ask(
      running,
      '/program',
      'set checkout name:"Checkout 2.0" objective:"Fewer drop-offs" channel:<#C0NEW|new-checkout>',
      { userId: OWNER },
    );
    expect(answer.all).toContain('name: *Checkout revamp* → *Checkout 2.0*');
    expect(answer.all).toContain('home channel: <#C0CHECKOUT> → <#C0NEW>');
    expect(await program()).toMatchObject({
      name: 'Checkout 2.0',
      objective: 'Fewer drop-offs',
      channelId: 'C0NEW',
    });
    const [event] = await audited('program.changed');
    expect(event?.details).toMatchObject({
      before: { name: 'Checkout revamp', channelId: 'C0CHECKOUT', objective: null },
      after: { name: 'Checkout 2.0', channelId: 'C0NEW', objective: 'Fewer drop-offs' },
    });
  });
});

describe('owner and admins', () => {
  it('lets the owner add admins, who may then change the program; anyone else is refused', async () => {
    const refused = await ask(running, '/program', `admins checkout add <@${OTHER}>`, { userId: OTHER });
    expect(refused.all).toContain('may change its admins');
    const added = await ask(running, '/program', `admins checkout add <@${KIM}> <@${LEE}>`, {
      userId: OWNER,
    });
    expect(added.all).toContain(`Admins of *Checkout 2.0* (\`checkout\`): <@${KIM}>, <@${LEE}>`);
    expect((await program())?.adminIds).toEqual([KIM, LEE]);
    const byAdmin = await ask(running, '/program', 'set checkout web state:active', { userId: KIM });
    expect(byAdmin.all).toContain('state: paused → *active*');
    await ask(running, '/program', `admins checkout remove <@${LEE}>`, { userId: KIM });
    expect((await program())?.adminIds).toEqual([KIM]);
    expect(await audited('program.admins_changed')).toHaveLength(2);
  });

  it('loses none of several admins added at the same moment', async () => {
    const people = ['U0A1', 'U0A2', 'U0A3', 'U0A4'];
    await Promise.all(
      people.map((id) => ask(running, '/program', `admins checkout add <@${id}>`, { userId: OWNER })),
    );
    expect([...((await program())?.adminIds as string[])].sort()).toEqual([KIM, ...people].sort());
    await ask(running, '/program', `admins checkout remove ${people.map((id) => `<@${id}>`).join(' ')}`, {
      userId: OWNER,
    });
  });

  it('hands the program over only by its owner (or a workspace admin); the old owner stays an admin', async () => {
    const byAdmin = await ask(running, '/program', `owner checkout <@${KIM}>`, { userId: KIM });
    expect(byAdmin.all).toContain(
      'Only the owner of `checkout` (<@U0OWNER>) or a workspace admin may hand it over.',
    );
    const handed = await ask(running, '/program', `owner checkout <@${KIM}>`, { userId: OWNER });
    expect(handed.all).toContain(`is now owned by <@${KIM}> (it was <@${OWNER}>, who stays an admin`);
    expect(await program()).toMatchObject({ ownerId: KIM, adminIds: [OWNER] });
    const [event] = await audited('program.handed_over');
    expect(event?.details).toMatchObject({ before: { ownerId: OWNER }, after: { ownerId: KIM } });
  });
});

describe('milestones', () => {
  it('moves a milestone, keeps where it was, and lists it', async () => {
    const moved = await ask(running, '/program', 'milestone checkout "beta launch" moved:2027-02-03', {
      userId: OWNER,
    });
    expect(moved.all).toContain(
      'Moved *Beta launch* of `checkout` from Wed 20 Jan 2027 to *Wed 3 Feb 2027* (14 days later)',
    );
    const list = await ask(running, '/program', 'milestones checkout', { userId: OTHER });
    expect(list.all).toContain('*Beta launch*');
    expect(list.all).toContain('moved from Wed 20 Jan 2027');
    const [event] = await audited('milestone.moved');
    expect(event?.details).toMatchObject({ before: { date: '2027-01-20' }, after: { date: '2027-02-03' } });
  });

  it('marks it done once; it leaves the digest and risks; a second time says it is done already', async () => {
    const done = await ask(running, '/program', 'milestone checkout "Beta launch" done', { userId: OWNER });
    expect(done.all).toContain('Marked *Beta launch* of `checkout` done');
    const again = await ask(running, '/program', 'milestone checkout "Beta launch" done', { userId: OWNER });
    expect(again.all).toContain('`Beta launch` was marked done already.');
    expect((await ask(running, '/program', 'milestones checkout', { userId: OWNER })).all).toContain(
      '✅ done',
    );
    const preview = await ask(running, '/program', 'preview checkout', { userId: OWNER });
    expect(preview.all).not.toContain('Beta launch');
  });

  it('names the milestones there are when the name is wrong, and refuses others', async () => {
    await ask(running, '/program', 'milestone checkout "GA" 2027-03-01', { userId: OWNER });
    const wrong = await ask(running, '/program', 'milestone checkout "Gamma" done', { userId: OWNER });
    expect(wrong.all).toContain('has no milestone called `Gamma`; its milestones are `GA`');
    const refused = await ask(running, '/program', 'milestone checkout "GA" done', { userId: OTHER });
    expect(refused.all).toContain('may change its milestones');
  });
});

describe('unarchive', () => {
  it('brings an archived program back, once, for its owners only', async () => {
    await ask(running, '/program', 'archive checkout', { userId: KIM });
    expect((await ask(running, '/program', 'unarchive checkout', { userId: OTHER })).all).toContain(
      'may unarchive it',
    );
    const back = await ask(running, '/program', 'unarchive checkout', { userId: KIM });
    expect(back.all).toContain('is active again');
    expect((await program())?.state).toBe('active');
    expect((await ask(running, '/program', 'unarchive checkout', { userId: KIM })).all).toContain(
      '`checkout` is not archived.',
    );
    expect(await audited('program.unarchived')).toHaveLength(1);
  });
});
