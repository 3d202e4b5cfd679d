/**
 * Issue 15 on the App Home tab: the providing lead answers a dependency request (Commit · Propose
 * another date · Decline) from the owed dependency on their Home tab, through the signed receiver, the
 * fake Slack and the real database, with the app's clock pinned. A Home click has no message and no
 * response_url: the answer is recorded as from the DM, the consumer's lead is told, and the Home tab
 * is drawn again without the buttons; a forged click is refused and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewStateValues } from '../../src/slack-peer/view-state.js';
import { INPUT_ACTION, MODAL, PROPOSE_FIELD } from '../../src/views/ids.js';
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
  textOf,
  type RenderedBlock,
} from '../support/clicks.js';
import { ask } from '../support/conversation.js';
import { auditsOf, depend as dependAs, dependencyNamed as namedIn } from '../support/dependency-requests.js';
import { testDatabase } from '../support/database.js';

const PM = 'U0PM';
const WEB_LEAD = 'U0WEB';
const API_LEAD = 'U0API';
const MALLORY = 'U0MALLORY';
/** Thursday 3 Dec 2026, 10:00 UTC. */
const THURSDAY = new Date('2026-12-03T10:00:00Z');
const now = THURSDAY;

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

const dependencyNamed = (deliverable: string | RegExp) => namedIn(db.connection, deliverable);
const audits = (action: string) => auditsOf(db.connection, action);
const requestValue = async (deliverable: string) => `${String((await dependencyNamed(deliverable))?._id)}:0`;
const blocksOf = (publish: { args: Record<string, unknown> }) =>
  (publish.args.view as { blocks: RenderedBlock[] }).blocks;

/** `/program depend …` by the PM; resolves the request DM sent to the providing lead. */
const depend = (text: string, lead: string) => dependAs(running, PM, text, lead);

beforeAll(async () => {
  db = await testDatabase('home-commitment');
  running = await startCairn(db.connection, { now: () => now, jobs: () => [] });
  running.slack.setRateLimiting(false);
  for (const id of [PM, WEB_LEAD, API_LEAD, MALLORY]) running.slack.setUser({ id, tz: 'UTC' });
  const as = { userId: PM };
  await ask(running, '/program', 'new checkout "Checkout revamp" channel:<#C0CHECKOUT|checkout>', as);
  for (const [key, name] of [
    ['web', 'Web checkout'],
    ['mobile', 'Mobile app'],
    ['admin', 'Admin console'],
  ])
    await ask(running, '/program', `add checkout ${key} "${name}" team:${key} lead:<@${WEB_LEAD}>`, as);
  await ask(running, '/program', `add checkout api "Checkout API" team:api lead:<@${API_LEAD}>`, as);
  await depend('web on api by 2026-12-10 "Login API"', API_LEAD);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe("Commit on the provider lead's Home tab", () => {
  it('shows Commit · Propose another date · Decline on the owed dependency while the request is open', async () => {
    const home = await openHome(running, API_LEAD);
    expect(textOf(home.blocks)).toContain(
      '*Login API* for `checkout/web` (<@U0WEB>) by Thu 10 Dec · from `checkout/api` · requested, not committed yet',
    );
    const value = await requestValue('Login API');
    expect(findButton(home.blocks, ACTION.dependencyCommit, value).label).toBe('Commit');
    expect(findButton(home.blocks, ACTION.dependencyPropose, value).label).toBe('Propose another date');
    expect(findButton(home.blocks, ACTION.dependencyDecline, value).label).toBe('Decline');
  });

  it('refuses a forged click by someone who may not answer, by DM, writing nothing', async () => {
    const home = await openHome(running, API_LEAD);
    const commit = findButton(home.blocks, ACTION.dependencyCommit, await requestValue('Login API'));
    const before = await dependencyNamed('Login API');
    // Mallory sends the click from her own Home tab (whatever the payload, the check is on the server).
    const own = await openHome(running, MALLORY);
    const mark = markCalls(running);
    const response = await clickInHome(running, MALLORY, own, commit);
    expect(response.status).toBe(200);
    expect(response.sent.response_url).toBeUndefined();
    const told = await nextCall(running, mark, 'chat.postMessage', (c) => c.args.channel === MALLORY);
    expect(JSON.stringify(told.args)).toContain("Only the providing workstream's lead");
    expect(await dependencyNamed('Login API')).toEqual(before);
    expect(await audits('dependency.committed')).toEqual([]);
    expect(callsAfter(running, mark, 'chat.postMessage').map((c) => c.args.channel)).toEqual([MALLORY]);
    expect(callsAfter(running, mark, 'views.publish')).toEqual([]);
  });

  it("records the commitment, tells the consumer's lead, and draws the Home tab again without the buttons", async () => {
    const home = await openHome(running, API_LEAD);
    const value = await requestValue('Login API');
    const mark = markCalls(running);
    const response = await clickInHome(
      running,
      API_LEAD,
      home,
      findButton(home.blocks, ACTION.dependencyCommit, value),
    );
    expect(response.status).toBe(200);
    const republished = await nextCall(running, mark, 'views.publish', (c) => c.args.user_id === API_LEAD);

    expect((await dependencyNamed('Login API'))?.commitment).toMatchObject({
      state: 'committed',
      date: '2026-12-10',
      answeredBy: API_LEAD,
      answeredAt: THURSDAY,
    });
    expect(await audits('dependency.committed')).toHaveLength(1);
    const told = await nextCall(running, mark, 'chat.postMessage', (c) => c.args.channel === WEB_LEAD);
    expect(String(told.args.text)).toBe(
      '✅ `checkout/api` commits to *Login API* for `checkout/web` (needed Thu 10 Dec), says <@U0API>.',
    );

    // The Home tab, in place: still owed, now committed, and nothing left to answer.
    expect(republished.response.ok).toBe(true);
    expect(running.slack.homeView(API_LEAD)?.id).toBe(home.view.id);
    const blocks = blocksOf(republished);
    expect(textOf(blocks)).toContain(
      '*Login API* for `checkout/web` (<@U0WEB>) by Thu 10 Dec · from `checkout/api` · committed',
    );
    expect(buttonsIn(blocks).filter((b) => b.value === value)).toEqual([]);
    const id = String((await dependencyNamed('Login API'))?._id);
    expect(findButton(blocks, ACTION.dependencyMet, id).label).toBe('Mark met');
    // Told on the Home tab: no DM to the one who answered.
    expect(callsAfter(running, mark, 'chat.postMessage').map((c) => c.args.channel)).toEqual([WEB_LEAD]);

    // A second click on the stale Home tab (a double click) records nothing more, and says why.
    const again = markCalls(running);
    await clickInHome(running, API_LEAD, home, findButton(home.blocks, ACTION.dependencyCommit, value));
    const why = await nextCall(running, again, 'chat.postMessage', (c) => c.args.channel === API_LEAD);
    expect(JSON.stringify(why.args)).toContain('That dependency is committed already.');
    expect(await audits('dependency.committed')).toHaveLength(1);
  });
});

describe('Propose another date on the Home tab', () => {
  it('opens the modal with the click’s trigger_id; the date proposed is recorded and Home drawn again without the buttons', async () => {
    await depend('mobile on api by 2026-12-11 "Payment intents"', API_LEAD);
    const home = await openHome(running, API_LEAD);
    const mark = markCalls(running);
    const response = await clickInHome(
      running,
      API_LEAD,
      home,
      findButton(home.blocks, ACTION.dependencyPropose, await requestValue('Payment intents')),
    );
    expect(response.status).toBe(200);
    const open = await nextCall(running, mark, 'views.open');
    expect(open.response.ok).toBe(true);
    expect(open.args.trigger_id).toBe(response.sent.trigger_id);
    expect(open.args.view).toMatchObject({
      callback_id: MODAL.proposeDate,
      private_metadata: await requestValue('Payment intents'),
    });
    expect((await dependencyNamed('Payment intents'))?.commitment).toMatchObject({ state: 'requested' });

    // Submitted with another date: recorded, and the Home tab drawn again without the buttons.
    const view = open.args.view as Record<string, unknown>;
    const submitted = await running.driver.viewSubmission({
      user: { id: API_LEAD, username: 'api', name: 'api', team_id: TEAM_ID },
      view: {
        ...view,
        state: {
          values: viewStateValues(view, { [PROPOSE_FIELD.date]: { [INPUT_ACTION]: '2026-12-18' } }),
        },
      },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.text).toBe('');
    expect((await dependencyNamed('Payment intents'))?.commitment).toMatchObject({
      state: 'committed',
      date: '2026-12-18',
    });
    const republished = await nextCall(running, mark, 'views.publish', (c) => c.args.user_id === API_LEAD);
    expect(textOf(blocksOf(republished))).toContain('Payment intents');
    expect(buttonsIn(blocksOf(republished)).filter((b) => b.value === view.private_metadata)).toEqual([]);
  });
});

describe('Decline in the DM', () => {
  it('draws the Home tab again too, without the buttons', async () => {
    const request = await depend('admin on api by 2026-12-14 "Card vault"', API_LEAD);
    const value = await requestValue('Card vault');
    expect(
      findButton((await openHome(running, API_LEAD)).blocks, ACTION.dependencyDecline, value).label,
    ).toBe('Decline');
    const mark = markCalls(running);
    const answer = await answerTo(
      running,
      await clickInMessage(
        running,
        API_LEAD,
        request,
        findButton(request.blocks, ACTION.dependencyDecline, value),
      ),
    );
    expect(answer).toMatchObject({ replace_original: true });
    expect(JSON.stringify(answer)).toContain('declines *Card vault*');
    const republished = await nextCall(running, mark, 'views.publish', (c) => c.args.user_id === API_LEAD);
    const blocks = blocksOf(republished);
    expect(textOf(blocks)).toContain('*Card vault* for `checkout/admin` (<@U0WEB>) by Mon 14 Dec');
    expect(textOf(blocks)).toContain('declined by the provider');
    expect(buttonsIn(blocks).filter((b) => b.value === value)).toEqual([]);
  });
});
