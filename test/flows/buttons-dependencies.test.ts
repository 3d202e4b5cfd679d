/**
 * Mark met and Flag broken on a dependency, clicked where Cairn renders them (the provider lead's
 * Home tab, and the "dependency at risk" DM), through the signed receiver, the fake Slack and the
 * real database, with the app's clock pinned.
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
  findButton,
  markCalls,
  nextCall,
  openHome,
  postedMessage,
  textOf,
  type RenderedBlock,
} from '../support/clicks.js';
import { ask } from '../support/conversation.js';
import { tenantCollection, testDatabase } from '../support/database.js';

const PM = 'U0PM';
const LEAD = 'U0LEAD';
const API_LEAD = 'U0APILEAD';
const DANA = 'U0DANA';
/** Set up on Friday 20 Nov 2026, 10:00 UTC; clicked on Thursday 26 Nov, 11:00 UTC. */
const SET_UP = new Date('2026-11-20T10:00:00Z');
const CLICKED = new Date('2026-11-26T11:00:00Z');
let now = SET_UP;

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
const ids = { login: '', card: '' };

const dependency = async (id: string) =>
  (await tenantCollection(db.connection, 'dependencies', TEAM_ID)).findOne({ _id: new Types.ObjectId(id) });
const auditOf = async (action: string) =>
  (
    await (
      await tenantCollection(db.connection, 'audit_events', TEAM_ID)
    )
      .find({ action }, { sort: { at: 1, _id: 1 } })
      .toArray()
  ).map((e) => [e.actorId, String(e.target.id), (e.at as Date).toISOString()]);

beforeAll(async () => {
  db = await testDatabase('buttons-dependencies');
  running = await startCairn(db.connection, { now: () => now, jobs: () => [] });
  running.slack.setRateLimiting(false);
  for (const id of [PM, LEAD, API_LEAD, DANA]) running.slack.setUser({ id, tz: 'UTC' });
  const as = { userId: PM };
  await ask(running, '/program', 'new checkout "Checkout revamp" channel:<#C0CHECKOUT|checkout>', as);
  await ask(running, '/program', `add checkout web "Web checkout" team:web lead:<@${LEAD}>`, as);
  await ask(running, '/program', `add checkout api "Checkout API" team:api lead:<@${API_LEAD}>`, as);
  await ask(running, '/program', `add checkout payments "Payments" team:payments lead:<@${DANA}>`, as);
  for (const text of [
    'depend web on api by 2026-12-10 "Login API"',
    'depend web on payments by 2026-12-10 "Card API"',
  ]) {
    expect((await ask(running, '/program', text, as)).all).toContain('`checkout/web` needs *');
  }
  // Payments goes off track: its dependency turns at risk.
  expect((await ask(running, '/status', 'payments red vendor slipped', { userId: DANA })).all).toContain(
    'Recorded for *Payments*',
  );
  const byDeliverable = async (deliverable: string) =>
    String(
      (await (await tenantCollection(db.connection, 'dependencies', TEAM_ID)).findOne({ deliverable }))?._id,
    );
  ids.login = await byDeliverable('Login API');
  ids.card = await byDeliverable('Card API');
  now = CLICKED;
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('Mark met', () => {
  it("on the provider lead's Home tab: settles the dependency as met by them, and their Home tab is published again without it", async () => {
    const home = await openHome(running, API_LEAD);
    const before = textOf(home.blocks);
    expect(before).toContain('*Dependencies you owe* (1)');
    expect(before).toContain(
      '*Login API* for `checkout/web` (<@U0LEAD>) by Thu 10 Dec · from `checkout/api`',
    );
    const met = findButton(home.blocks, ACTION.dependencyMet, ids.login);
    expect(met.label).toBe('Mark met');
    expect(findButton(home.blocks, ACTION.dependencyBroken, ids.login).label).toBe('Flag broken');

    const mark = markCalls(running);
    const response = await clickInHome(running, API_LEAD, home, met);
    expect(response.status).toBe(200);
    const republished = await nextCall(running, mark, 'views.publish', (c) => c.args.user_id === API_LEAD);

    expect(await dependency(ids.login)).toMatchObject({
      state: 'met',
      changedBy: API_LEAD,
      changedAt: CLICKED,
    });
    expect((await dependency(ids.card))?.state).toBe('open');
    expect(await auditOf('dependency.met')).toEqual([[API_LEAD, ids.login, CLICKED.toISOString()]]);
    expect(await auditOf('dependency.broken')).toEqual([]);

    // The Home tab, in place: nothing owed any more; the workstream is still there.
    expect(republished.response.ok).toBe(true);
    const blocks = (republished.args.view as { blocks: RenderedBlock[] }).blocks;
    const after = textOf(blocks);
    expect(after).not.toContain('Dependencies you owe');
    expect(after).not.toContain('Login API');
    expect(after).toContain('*Your workstreams* (1)');
    expect(buttonsIn(blocks).filter((b) => b.value === ids.login)).toEqual([]);
    expect(running.slack.homeView(API_LEAD)?.id).toBe(home.view.id);
    expect(callsAfter(running, mark, 'chat.postMessage')).toEqual([]);
  });
});

describe('Flag broken', () => {
  it('in the "dependency at risk" DM: the consumer lead flags it broken, and the DM is replaced in place saying so', async () => {
    const mark = markCalls(running);
    const sent = await runEscalationTick(
      {
        stores: running.cairn.services.stores,
        slackFor: running.cairn.services.slackFor,
        log: running.cairn.services.log,
      },
      now,
    );
    expect(sent).toEqual({ blockers: 0, dependencies: 1 });
    const warnings = callsAfter(running, mark, 'chat.postMessage');
    expect(warnings.map((c) => c.args.channel).sort()).toEqual([DANA, LEAD].sort());
    const dm = postedMessage(warnings.find((c) => c.args.channel === LEAD)!);
    expect(dm.text).toBe('Dependency at risk: Card API');
    expect(textOf(dm.blocks)).toContain(
      ':warning: A dependency is at risk: `checkout/web` needs *Card API* from `checkout/payments` by Thu 10 Dec, but `checkout/payments` is off track.',
    );
    expect(findButton(dm.blocks, ACTION.dependencyMet, ids.card).label).toBe('Mark met');
    const broken = findButton(dm.blocks, ACTION.dependencyBroken, ids.card);

    const response = await clickInMessage(running, LEAD, dm, broken);
    const answer = await answerTo(running, response);

    expect(await dependency(ids.card)).toMatchObject({
      state: 'broken',
      changedBy: LEAD,
      changedAt: CLICKED,
    });
    expect((await dependency(ids.login))?.state).toBe('met');
    expect(await auditOf('dependency.broken')).toEqual([[LEAD, ids.card, CLICKED.toISOString()]]);

    const said = '💔 Broken, says <@U0LEAD>: `checkout/web` needed *Card API* from `checkout/payments`.';
    expect(answer).toMatchObject({ replace_original: true, text: said });
    expect(answer.blocks).toMatchObject([{ type: 'section', text: { type: 'mrkdwn', text: said } }]);
  });

  it("leaves nothing owed on the provider lead's Home tab", async () => {
    const home = await openHome(running, DANA);
    expect(textOf(home.blocks)).not.toContain('Dependencies you owe');
    expect(buttonsIn(home.blocks).filter((b) => b.value === ids.card)).toEqual([]);
  });
});
