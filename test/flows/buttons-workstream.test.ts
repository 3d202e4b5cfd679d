/**
 * A workstream's buttons, clicked where Cairn renders them: Details on the lead's Home tab and in the
 * blocker escalation DM; Still on track (green work) and No change (amber and red work) on the Home
 * tab, and a Still on track clicked on a Home tab drawn before the work turned amber; Update… on the
 * workstream card. Through the signed receiver, the fake Slack and the real database, with the app's
 * clock pinned.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEscalationTick } from '../../src/use-cases/escalation.js';
import { eventually, startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
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
} from '../support/clicks.js';
import { ask, countWrites } from '../support/conversation.js';
import { tenantCollection, testDatabase } from '../support/database.js';

const PM = 'U0PM';
const LEAD = 'U0LEAD';
const API_LEAD = 'U0APILEAD';
/** Set up on Friday 20 Nov 2026, 10:00 UTC; clicked on Thursday 26 Nov, 11:00 UTC. */
const SET_UP = new Date('2026-11-20T10:00:00Z');
const CLICKED = new Date('2026-11-26T11:00:00Z');
let now = SET_UP;

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
let webId = '';
let apiId = '';
let programId = '';
/** The card `/status checkout/web` shows at CLICKED, before any click changes anything. */
let card: RenderedBlock[] = [];

/**
 * How many documents each concept holds in every workspace's collections together (in the
 * partitioned layout each workspace has its own): a write anywhere changes a count.
 */

/** The carried-forward updates of a workstream, oldest first. */
const carriedOf = async (id: string) =>
  (await tenantCollection(db.connection, 'updates', TEAM_ID, programId))
    .find(
      { workstreamId: new Types.ObjectId(id), source: 'carried_forward' },
      { sort: { createdAt: 1, _id: 1 } },
    )
    .toArray();

const updatesOfWeb = async () =>
  (await tenantCollection(db.connection, 'updates', TEAM_ID, programId))
    .find({ workstreamId: new Types.ObjectId(webId) }, { sort: { createdAt: 1, _id: 1 } })
    .toArray();

beforeAll(async () => {
  db = await testDatabase('buttons-workstream');
  running = await startCairn(db.connection, { now: () => now, jobs: () => [] });
  running.slack.setRateLimiting(false);
  for (const id of [PM, LEAD, API_LEAD]) running.slack.setUser({ id, tz: 'UTC' });
  const as = { userId: PM };
  await ask(running, '/program', 'new checkout "Checkout revamp" channel:<#C0CHECKOUT|checkout>', as);
  await ask(
    running,
    '/program',
    `add checkout web "Web checkout" team:web lead:<@${LEAD}> due:2026-12-18`,
    as,
  );
  await ask(running, '/program', `add checkout api "Checkout API" team:api lead:<@${API_LEAD}>`, as);
  await ask(running, '/status', 'web amber 40% waiting on the vendor', { userId: LEAD });
  await ask(running, '/program', 'blocker web "Vendor contract unsigned"', as);
  await ask(running, '/program', 'depend api on web by 2026-12-10 "Login API"', as);
  const web = await (await tenantCollection(db.connection, 'workstreams', TEAM_ID)).findOne({ key: 'web' });
  webId = String(web?._id);
  apiId = String(
    (await (await tenantCollection(db.connection, 'workstreams', TEAM_ID)).findOne({ key: 'api' }))?._id,
  );
  programId = String(web?.programId);
  now = CLICKED;
  card = (await ask(running, '/status', 'checkout/web', { userId: LEAD })).blocks as RenderedBlock[];
  const text = textOf(card);
  expect(text).toContain('*Latest* 🟡 At risk · 40%');
  expect(text).toContain('*Open blockers* (1)\n• Vendor contract unsigned — open 6d, owner <@U0LEAD>');
  expect(text).toContain('*Others need from it* (1)\n• Login API — for `checkout/api` by Thu 10 Dec');
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('Details', () => {
  it("on the lead's Home tab: DMs them the workstream's card, and changes nothing", async () => {
    const home = await openHome(running, LEAD);
    const details = findButton(home.blocks, ACTION.workstreamDetails, webId);
    expect(details.label).toBe('Details');
    expect(details.nearText).toContain('*Web checkout* `checkout/web`');
    const before = await countWrites(db.connection);

    const mark = markCalls(running);
    const response = await clickInHome(running, LEAD, home, details);
    expect(response.status).toBe(200);
    const dm = postedMessage(
      await nextCall(running, mark, 'chat.postMessage', (c) => c.args.channel === LEAD),
    );

    expect(dm.text).toBe('Web checkout (checkout/web): 🟡 At risk');
    expect(dm.blocks).toEqual(card);
    expect(await countWrites(db.connection)).toEqual(before);
    expect(callsAfter(running, mark, 'views.publish')).toEqual([]);
  });

  it('in the blocker escalation DM: shows the program owner the card, to them alone, leaving the DM as it was', async () => {
    const mark = markCalls(running);
    await runEscalationTick(
      {
        stores: running.cairn.services.stores,
        slackFor: running.cairn.services.slackFor,
        log: running.cairn.services.log,
      },
      now,
    );
    const dm = postedMessage(await nextCall(running, mark, 'chat.postMessage', (c) => c.args.channel === PM));
    expect(dm.text).toBe('Blocker open 6 days on Web checkout');
    const details = findButton(dm.blocks, ACTION.workstreamDetails, webId);
    const before = await countWrites(db.connection);

    const response = await clickInMessage(running, PM, dm, details);
    const answer = await answerTo(running, response);

    expect(answer).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'Web checkout (checkout/web): 🟡 At risk',
    });
    expect(answer.blocks).toEqual(card);
    expect(await countWrites(db.connection)).toEqual(before);
  });
});

describe('Still on track and No change', () => {
  it('on the Home tab, amber work offers No change: it carries the latest update forward at risk, as the lead, and the Home tab redrawn says so', async () => {
    const home = await openHome(running, LEAD);
    expect(textOf(home.blocks)).toContain('🟡 *Web checkout* `checkout/web` · updated 6d ago · 40%');
    expect(
      buttonsIn(home.blocks)
        .filter((b) => b.value === webId)
        .map((b) => b.label),
    ).toEqual(['Update…', 'No change', 'Details']);
    expect(() => findButton(home.blocks, ACTION.updateCarryForward, webId)).toThrow();
    const noChange = findButton(home.blocks, ACTION.updateNoChange, webId);

    const mark = markCalls(running);
    const response = await clickInHome(running, LEAD, home, noChange);
    expect(response.status).toBe(200);
    const republished = await nextCall(running, mark, 'views.publish', (c) => c.args.user_id === LEAD);

    const updates = await updatesOfWeb();
    expect(updates).toHaveLength(2);
    expect(updates[1]).toMatchObject({
      authorId: LEAD,
      source: 'carried_forward',
      health: 'at_risk',
      progress: 40,
      summary: 'waiting on the vendor',
      createdAt: CLICKED,
    });
    expect(
      await (await tenantCollection(db.connection, 'workstreams', TEAM_ID)).findOne({ key: 'web' }),
    ).toMatchObject({
      lastUpdateAt: CLICKED,
      health: 'at_risk',
    });
    expect(textOf((republished.args.view as { blocks: RenderedBlock[] }).blocks)).toContain(
      '🟡 *Web checkout* `checkout/web` · updated just now · 40%',
    );
    // The Home tab is the answer: nothing else is sent.
    expect(callsAfter(running, mark, 'chat.postMessage')).toEqual([]);
  });

  it('on the Home tab, green work offers Still on track: it carries the latest update forward on track', async () => {
    await ask(running, '/status', 'api green contract drafted', { userId: API_LEAD });
    const home = await openHome(running, API_LEAD);
    const still = findButton(home.blocks, ACTION.updateCarryForward, apiId);
    expect(still.label).toBe('Still on track');
    expect(() => findButton(home.blocks, ACTION.updateNoChange, apiId)).toThrow();

    const mark = markCalls(running);
    await clickInHome(running, API_LEAD, home, still);
    await nextCall(running, mark, 'views.publish', (c) => c.args.user_id === API_LEAD);
    // The /status above also asks for a Home redraw (coalesced, after it): that publish may be the one
    // just seen, so wait for the click's write itself.
    await eventually(async () => (await carriedOf(apiId)).length > 0, 5_000);
    expect(await carriedOf(apiId)).toMatchObject([
      { authorId: API_LEAD, health: 'on_track', summary: 'contract drafted', createdAt: CLICKED },
    ]);
  });

  it('on a Home tab drawn before the work turned amber, Still on track records nothing, says it is now at risk, and the Home tab redrawn offers No change', async () => {
    now = new Date(CLICKED.getTime() + 3_600_000);
    const stale = await openHome(running, API_LEAD);
    const still = findButton(stale.blocks, ACTION.updateCarryForward, apiId);
    await ask(running, '/status', 'api red the vendor pulled out', { userId: API_LEAD });

    const mark = markCalls(running);
    await clickInHome(running, API_LEAD, stale, still);
    // The Home tab has no response URL: the answer comes by DM, with Update… and No change.
    const dm = postedMessage(
      await nextCall(running, mark, 'chat.postMessage', (c) => c.args.channel === API_LEAD),
    );
    expect(textOf(dm.blocks)).toContain(
      '*Checkout API* is now 🔴 off track, not on track: nothing was recorded. Use *Update…* to say how it stands, or *No change* to record that it stays off track.',
    );
    expect(buttonsIn(dm.blocks).map((b) => [b.label, b.action_id, b.value])).toEqual([
      ['Update…', ACTION.updateOpen, apiId],
      ['No change', ACTION.updateNoChange, apiId],
    ]);
    const republished = await nextCall(running, mark, 'views.publish', (c) => c.args.user_id === API_LEAD);
    const redrawn = (republished.args.view as { blocks: RenderedBlock[] }).blocks;
    expect(findButton(redrawn, ACTION.updateNoChange, apiId).label).toBe('No change');
    expect(await carriedOf(apiId)).toHaveLength(1);

    // No change from the DM records the red update carried forward, and says so.
    const answer = await answerTo(
      running,
      await clickInMessage(running, API_LEAD, dm, findButton(dm.blocks, ACTION.updateNoChange, apiId)),
    );
    expect(answer).toMatchObject({
      response_type: 'ephemeral',
      text: 'No change recorded: Checkout API (checkout/api) stays off track',
    });
    expect((await carriedOf(apiId)).at(-1)).toMatchObject({
      health: 'off_track',
      summary: 'the vendor pulled out',
      createdAt: now,
    });
    now = CLICKED;
  });
});

describe('Update…', () => {
  it('on the workstream card: opens the form on that workstream, and its submission records the update', async () => {
    const update = findButton(card, ACTION.updateOpen, webId);
    expect(update.label).toBe('Update…');

    const mark = markCalls(running);
    const response = await clickInMessage(running, LEAD, ephemeralMessage({ blocks: card }), update);
    expect(response.status).toBe(200);
    const open = await nextCall(running, mark, 'views.open');
    expect(open.response.ok).toBe(true);
    const modal = open.response.view as {
      title: { text: string };
      private_metadata: string;
      blocks: Array<RenderedBlock & { element?: { initial_option?: { value: string } } }>;
    };
    expect(modal.title.text).toBe('Status update');
    expect(modal.blocks.find((b) => b.block_id === 'workstream')?.element?.initial_option?.value).toBe(webId);
    expect(JSON.parse(modal.private_metadata)).toEqual({ channelId: 'C0CAIRN' });

    const submitMark = markCalls(running);
    const submitted = await running.driver.viewSubmission({
      user: { id: LEAD, username: 'lead', name: 'lead', team_id: TEAM_ID },
      view: {
        ...modal,
        state: {
          values: {
            workstream: { value: { type: 'static_select', selected_option: { value: webId } } },
            health: { value: { type: 'radio_buttons', selected_option: { value: 'on_track' } } },
            progress: { value: { type: 'number_input', value: '55' } },
            summary: { value: { type: 'plain_text_input', value: 'Vendor signed' } },
            next_steps: { value: { type: 'plain_text_input', value: 'Wire the new flow' } },
            blockers: { value: { type: 'plain_text_input', value: null } },
            forecast: { value: { type: 'datepicker', selected_date: null } },
          },
        },
      },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.text).toBe('');
    const confirmation = await nextCall(
      running,
      submitMark,
      'chat.postEphemeral',
      (c) => c.args.user === LEAD,
    );
    expect(confirmation.args.text).toBe('Recorded for Web checkout (checkout/web): 🟢 On track · 55%');

    const updates = await updatesOfWeb();
    expect(updates).toHaveLength(3);
    expect(updates[2]).toMatchObject({
      authorId: LEAD,
      source: 'modal',
      health: 'on_track',
      progress: 55,
      summary: 'Vendor signed',
      nextSteps: 'Wire the new flow',
      createdAt: CLICKED,
    });
  });
});
