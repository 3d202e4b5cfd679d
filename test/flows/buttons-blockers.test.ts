/**
 * Resolve and Escalate on a blocker, clicked where Cairn renders them (the Home tab, the escalation
 * DM, the workstream card and the digest thread), through the signed receiver, the fake Slack and
 * the real database, with the app's clock pinned.
 *
 * Escalate is rendered next to Resolve on the workstream card, the Home tab and the digest thread
 * (issue 9, item 5); each of the three is clicked where it is rendered.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEscalationTick } from '../../src/use-cases/escalation.js';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import {
  ACTION,
  answerTo,
  buttonsIn,
  callsAfter,
  clickInHome,
  clickInMessage,
  ephemeralMessage,
  findButton,
  markCalls,
  nextCall,
  openHome,
  postedMessage,
  textOf,
  type RenderedBlock,
  type ShownMessage,
} from '../support/clicks.js';
import { ask } from '../support/conversation.js';
import { tenantCollection, testDatabase } from '../support/database.js';

const PM = 'U0PM';
const LEAD = 'U0LEAD';
const API_LEAD = 'U0APILEAD';
const CHANNEL = 'C0CHECKOUT';
/** The blockers are opened on Friday 20 Nov 2026, 10:00 UTC… */
const OPENED = new Date('2026-11-20T10:00:00Z');
/** …and the buttons are clicked six days and an hour later. */
const CLICKED = new Date('2026-11-26T11:00:00Z');
let now = OPENED;

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
const ids = { vendor: '', design: '', pci: '', web: '' };

const blocker = async (id: string) =>
  (await tenantCollection(db.connection, 'blockers', TEAM_ID)).findOne({ _id: new Types.ObjectId(id) });
const auditOf = async (action: string) =>
  (await tenantCollection(db.connection, 'audit_events', TEAM_ID))
    .find({ action }, { sort: { at: 1, _id: 1 } })
    .toArray();

beforeAll(async () => {
  db = await testDatabase('buttons-blockers');
  running = await startCairn(db.connection, { now: () => now, jobs: () => [] });
  running.slack.setRateLimiting(false);
  for (const id of [PM, LEAD, API_LEAD]) running.slack.setUser({ id, tz: 'UTC' });
  const as = { userId: PM };
  await ask(running, '/program', `new checkout "Checkout revamp" channel:<#${CHANNEL}|checkout>`, as);
  await ask(running, '/program', `add checkout web "Web checkout" team:web lead:<@${LEAD}>`, as);
  await ask(running, '/program', `add checkout api "Checkout API" team:api lead:<@${API_LEAD}>`, as);
  await ask(running, '/status', 'web amber waiting on the vendor', { userId: LEAD });
  for (const text of [
    'blocker web "Vendor contract unsigned"',
    'blocker web "Design review pending"',
    'blocker api "Waiting on PCI sign-off"',
  ]) {
    const opened = await ask(running, '/program', text, as);
    expect(opened.all).toContain('Opened a blocker on');
  }
  const byText = async (text: string) =>
    String((await (await tenantCollection(db.connection, 'blockers', TEAM_ID)).findOne({ text }))?._id);
  ids.vendor = await byText('Vendor contract unsigned');
  ids.design = await byText('Design review pending');
  ids.pci = await byText('Waiting on PCI sign-off');
  ids.web = String(
    (await (await tenantCollection(db.connection, 'workstreams', TEAM_ID)).findOne({ key: 'web' }))?._id,
  );
  now = CLICKED;
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('Resolve', () => {
  it('on the Home tab: the lead resolves their blocker, and their Home tab is published again without it', async () => {
    const home = await openHome(running, LEAD);
    expect(textOf(home.blocks)).toContain('*Blockers you own* (2)');
    const resolve = findButton(home.blocks, ACTION.blockerResolve, ids.vendor);
    expect(resolve.label).toBe('Resolve');
    expect(resolve.nearText).toContain('Vendor contract unsigned');

    const mark = markCalls(running);
    const response = await clickInHome(running, LEAD, home, resolve);
    expect(response.status).toBe(200);
    const republished = await nextCall(running, mark, 'views.publish', (c) => c.args.user_id === LEAD);

    // The database: resolved now, by the clicker; the other blockers untouched.
    expect(await blocker(ids.vendor)).toMatchObject({ resolvedAt: CLICKED, resolvedBy: LEAD });
    expect((await blocker(ids.design))?.resolvedAt).toBeUndefined();
    expect((await blocker(ids.pci))?.resolvedAt).toBeUndefined();
    const audit = await auditOf('blocker.resolved');
    expect(audit.map((e) => [e.actorId, String(e.target.id), e.at])).toEqual([[LEAD, ids.vendor, CLICKED]]);

    // The Home tab, in place: one blocker left, and no button for the resolved one.
    expect(republished.response.ok).toBe(true);
    const blocks = (republished.args.view as { blocks: RenderedBlock[] }).blocks;
    const text = textOf(blocks);
    expect(text).toContain('*Blockers you own* (1)');
    expect(text).toContain('• Design review pending\n_`checkout/web` · open 6d_');
    expect(text).not.toContain('Vendor contract unsigned');
    expect(buttonsIn(blocks).filter((b) => b.value === ids.vendor)).toEqual([]);
    expect(running.slack.homeView(LEAD)?.id).toBe(home.view.id);
    // Home clicks have no response_url: nothing else was said.
    expect(callsAfter(running, mark, 'chat.postMessage')).toEqual([]);
  });

  it('in the escalation DM: the program owner resolves it, and the DM is replaced in place with who did', async () => {
    const mark = markCalls(running);
    const sent = await runEscalationTick(
      {
        stores: running.cairn.services.stores,
        slackFor: running.cairn.services.slackFor,
        log: running.cairn.services.log,
      },
      now,
    );
    expect(sent.blockers).toBe(2); // Design review and PCI sign-off; the vendor one is resolved
    const dm = postedMessage(
      await nextCall(
        running,
        mark,
        'chat.postMessage',
        (c) => c.args.channel === PM && JSON.stringify(c.args.blocks).includes('Waiting on PCI sign-off'),
      ),
    );
    expect(dm.text).toBe('Blocker open 6 days on Checkout API');
    const resolve = findButton(dm.blocks, ACTION.blockerResolve, ids.pci);

    const response = await clickInMessage(running, PM, dm, resolve);
    const answer = await answerTo(running, response);

    expect(await blocker(ids.pci)).toMatchObject({ resolvedAt: CLICKED, resolvedBy: PM });
    const audit = await auditOf('blocker.resolved');
    expect(audit.map((e) => [e.actorId, String(e.target.id)])).toEqual([
      [LEAD, ids.vendor],
      [PM, ids.pci],
    ]);
    // The DM, replaced in place.
    expect(answer).toMatchObject({
      replace_original: true,
      text: '✅ Resolved by <@U0PM>: Waiting on PCI sign-off',
    });
    expect(answer.blocks).toMatchObject([
      { type: 'section', text: { type: 'mrkdwn', text: '✅ Resolved by <@U0PM>: Waiting on PCI sign-off' } },
    ]);
  });
});

/** A DM to the program owner about the Design review blocker, sent after `mark`. */
async function escalationDm(mark: ReturnType<typeof markCalls>): Promise<ShownMessage> {
  const call = await nextCall(running, mark, 'chat.postMessage', (c) => c.args.channel === PM);
  const dm = postedMessage(call);
  expect(dm.text).toBe('Blocker open 6 days on Web checkout');
  expect(textOf(dm.blocks)).toContain(
    'A blocker on *Web checkout* (`checkout/web`, Checkout revamp) has been open for 6 days, owned by <@U0LEAD>:\n> Design review pending',
  );
  expect(findButton(dm.blocks, ACTION.blockerResolve, ids.design).label).toBe('Resolve');
  expect(findButton(dm.blocks, ACTION.workstreamDetails, ids.web).label).toBe('Details');
  return dm;
}

async function escalationsOfDesign(): Promise<string[]> {
  return (await auditOf('blocker.escalated'))
    .filter((e) => String(e.target.id) === ids.design)
    .map((e) => `${e.actorId}@${(e.at as Date).toISOString()}`);
}

describe('Escalate', () => {
  it('on the workstream card (/status): brings the blocker to the program owner by DM, and says so', async () => {
    const card = await ask(running, '/status', 'checkout/web', { userId: LEAD });
    const blocks = card.blocks as RenderedBlock[];
    expect(textOf(blocks)).toContain('*Open blockers* (1)');
    const escalate = findButton(blocks, ACTION.blockerEscalate, ids.design);
    // Next to Resolve, on the same blocker.
    expect(findButton(blocks, ACTION.blockerResolve, ids.design).nearText).toContain('Design review pending');
    expect(escalate.nearText).toContain('Design review pending');

    const before = await escalationsOfDesign();
    const mark = markCalls(running);
    const response = await clickInMessage(running, LEAD, ephemeralMessage(card), escalate);
    await escalationDm(mark);
    const answer = await answerTo(running, response);
    expect(JSON.stringify(answer)).toContain('<@U0PM>');
    expect(await escalationsOfDesign()).toEqual([...before, `${LEAD}@${CLICKED.toISOString()}`]);
    expect((await blocker(ids.design))?.resolvedAt).toBeUndefined();
    expect(callsAfter(running, mark, 'chat.postMessage').filter((c) => c.args.channel === PM)).toHaveLength(
      1,
    );
  });

  it('on the Home tab: brings the blocker to the program owner by DM', async () => {
    const home = await openHome(running, LEAD);
    const escalate = findButton(home.blocks, ACTION.blockerEscalate, ids.design);
    expect(escalate.nearText).toContain('Design review pending');
    expect(findButton(home.blocks, ACTION.blockerResolve, ids.design).nearText).toContain(
      'Design review pending',
    );

    const before = await escalationsOfDesign();
    const mark = markCalls(running);
    const response = await clickInHome(running, LEAD, home, escalate);
    expect(response.status).toBe(200);
    await escalationDm(mark);
    // The Home tab has no response_url: the clicker hears back by DM.
    const told = await nextCall(running, mark, 'chat.postMessage', (c) => c.args.channel === LEAD);
    expect(String(told.args.text)).toContain('<@U0PM>');
    expect(await escalationsOfDesign()).toEqual([...before, `${LEAD}@${CLICKED.toISOString()}`]);
    expect((await blocker(ids.design))?.resolvedAt).toBeUndefined();
  });

  it('in the digest thread: brings the blocker to the program owner by DM', async () => {
    const mark = markCalls(running);
    const posted = await ask(running, '/program', 'digest checkout', { userId: PM });
    expect(posted.all).toContain(`Posted the digest of *Checkout revamp* to <#${CHANNEL}>.`);
    const messages = callsAfter(running, mark, 'chat.postMessage')
      .filter((c) => c.args.channel === CHANNEL)
      .map(postedMessage);
    const main = messages.find((m) => !m.threadTs)!;
    const thread = messages.filter((m) => m.threadTs === main.ts);
    expect(thread.length).toBeGreaterThan(0);
    const reply = thread.find((m) =>
      buttonsIn(m.blocks).some((b) => b.action_id === ACTION.blockerEscalate && b.value === ids.design),
    );
    // Exactly one such button in the whole thread (this throws, listing the thread's buttons, if not).
    findButton(
      thread.flatMap((m) => m.blocks),
      ACTION.blockerEscalate,
      ids.design,
    );
    const escalate = findButton(reply!.blocks, ACTION.blockerEscalate, ids.design);
    expect(findButton(reply!.blocks, ACTION.blockerResolve, ids.design).nearText).toContain(
      'Design review pending',
    );

    const before = await escalationsOfDesign();
    const clickMark = markCalls(running);
    const response = await clickInMessage(running, API_LEAD, reply!, escalate);
    expect(response.status).toBe(200);
    await escalationDm(clickMark);
    expect(await escalationsOfDesign()).toEqual([...before, `${API_LEAD}@${CLICKED.toISOString()}`]);
  });
});
