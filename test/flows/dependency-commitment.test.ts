/**
 * Issue 15, point 5: dependencies the provider commits to, through the signed receiver, the fake
 * Slack and the real database, with the app's clock pinned. `depend` asks the providing lead by DM
 * (Commit · Propose another date · Decline); each answer is recorded once and shown where the
 * dependency is shown (the card, the digest); a forged click writes nothing; a request unanswered
 * for 3 working days needs attention; the analysis uses the committed date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODAL, PROPOSE_FIELD } from '../../src/views/ids.js';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import {
  ACTION,
  answerTo,
  callsAfter,
  clickInMessage,
  findButton,
  markCalls,
  nextCall,
  textOf,
  type ShownMessage,
} from '../support/clicks.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { ask } from '../support/conversation.js';
import { auditsOf, depend as dependAs, dependencyNamed as namedIn } from '../support/dependency-requests.js';
import { testDatabase } from '../support/database.js';

const PM = 'U0PM';
const WEB_LEAD = 'U0WEB';
const API_LEAD = 'U0API';
const SEARCH_LEAD = 'U0SEARCH';
const INFRA_LEAD = 'U0INFRA';
const DOCS_LEAD = 'U0DOCS';
const MALLORY = 'U0MALLORY';
/** Thursday 3 Dec 2026, 10:00 UTC: every request is made then. */
const THURSDAY = new Date('2026-12-03T10:00:00Z');
let now = THURSDAY;

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

const dependencyNamed = (deliverable: string | RegExp) => namedIn(db.connection, deliverable);
const audits = (action: string) => auditsOf(db.connection, action);
const preview = async () =>
  textOf((await ask(running, '/program', 'preview checkout', { userId: PM })).blocks as never);
const card = async (key: string) => (await ask(running, '/status', `checkout/${key}`, { userId: PM })).all;

/** `/program depend …` by the PM; resolves the request DM sent to `lead`. */
const depend = (text: string, lead: string) => dependAs(running, PM, text, lead);

const dmsTo = (calls: RecordedCall[], user: string) => calls.filter((c) => c.args.channel === user);

beforeAll(async () => {
  db = await testDatabase('dependency-commitment');
  running = await startCairn(db.connection, { now: () => now, jobs: () => [] });
  running.slack.setRateLimiting(false);
  for (const id of [PM, WEB_LEAD, API_LEAD, SEARCH_LEAD, INFRA_LEAD, DOCS_LEAD, MALLORY])
    running.slack.setUser({ id, tz: 'UTC' });
  const as = { userId: PM };
  await ask(running, '/program', 'new checkout "Checkout revamp" channel:<#C0CHECKOUT|checkout>', as);
  for (const [key, name, lead] of [
    ['web', 'Web checkout', WEB_LEAD],
    ['api', 'Checkout API', API_LEAD],
    ['search', 'Search', SEARCH_LEAD],
    ['infra', 'Infrastructure', INFRA_LEAD],
    ['docs', 'Docs', DOCS_LEAD],
  ] as const)
    await ask(running, '/program', `add checkout ${key} "${name}" team:${key} lead:<@${lead}>`, as);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('a dependency request', () => {
  let request: ShownMessage;

  it("asks the providing workstream's lead by DM, once, with Commit · Propose another date · Decline", async () => {
    const mark = markCalls(running);
    request = await depend('web on api by 2026-12-10 "Login API"', API_LEAD);
    const d = await dependencyNamed('Login API');
    expect(d?.commitment).toMatchObject({ state: 'requested', requestedAt: THURSDAY });
    expect(textOf(request.blocks)).toContain(
      '`checkout/web` needs *Login API* from `checkout/api` by Thu 10 Dec. Can `checkout/api` commit to that date?',
    );
    const value = `${String(d?._id)}:0`;
    expect(findButton(request.blocks, ACTION.dependencyCommit, value).label).toBe('Commit');
    expect(findButton(request.blocks, ACTION.dependencyPropose, value).label).toBe('Propose another date');
    expect(findButton(request.blocks, ACTION.dependencyDecline, value).label).toBe('Decline');
    // The same `depend` again changes nothing and asks nobody again.
    await ask(running, '/program', 'depend web on api by 2026-12-10 "Login API"', { userId: PM });
    expect(dmsTo(callsAfter(running, mark, 'chat.postMessage'), API_LEAD)).toHaveLength(1);
    // Until answered, the card says it is requested.
    expect(await card('api')).toContain(
      'Login API — for `checkout/web` by Thu 10 Dec · requested, not committed yet',
    );
  });

  it('refuses a forged Commit by someone who is not the provider, writing nothing', async () => {
    const before = await dependencyNamed('Login API');
    const mark = markCalls(running);
    const response = await clickInMessage(
      running,
      MALLORY,
      request,
      findButton(request.blocks, ACTION.dependencyCommit, `${String(before?._id)}:0`),
    );
    const answer = await answerTo(running, response);
    expect(JSON.stringify(answer)).toContain("Only the providing workstream's lead");
    expect(await dependencyNamed('Login API')).toEqual(before);
    expect(await audits('dependency.committed')).toEqual([]);
    expect(callsAfter(running, mark, 'chat.postMessage')).toEqual([]);
  });

  it("Commit: committed on the date needed, shown on the provider's card, the consumer's lead told, and only once", async () => {
    const d = await dependencyNamed('Login API');
    const mark = markCalls(running);
    const commit = findButton(request.blocks, ACTION.dependencyCommit, `${String(d?._id)}:0`);
    const answer = await answerTo(running, await clickInMessage(running, API_LEAD, request, commit));
    expect(JSON.stringify(answer)).toContain('commits to *Login API* for `checkout/web`');
    expect((await dependencyNamed('Login API'))?.commitment).toMatchObject({
      state: 'committed',
      date: '2026-12-10',
      answeredBy: API_LEAD,
      answeredAt: THURSDAY,
    });
    const told = await nextCall(running, mark, 'chat.postMessage', (c) => c.args.channel === WEB_LEAD);
    expect(String(told.args.text)).toContain('`checkout/api` commits to *Login API*');
    expect(await card('api')).toContain('Login API — for `checkout/web` by Thu 10 Dec · committed');
    expect(await card('web')).toContain('Login API — from `checkout/api` by Thu 10 Dec · committed');
    // A second click (a double click, a second replica) records nothing more.
    const again = await answerTo(running, await clickInMessage(running, API_LEAD, request, commit));
    expect(JSON.stringify(again)).toContain('That dependency is committed already.');
    expect(await audits('dependency.committed')).toHaveLength(1);
  });
});

describe('a re-plan', () => {
  it('asks the provider again; an answer on the old request is refused, writing nothing', async () => {
    const old = await dependencyNamed('Login API');
    const request = await depend('web on api by 2026-12-14 "Login API"', API_LEAD);
    const replanned = await dependencyNamed('Login API');
    expect(replanned?.commitment).toMatchObject({ state: 'requested', requestedAt: THURSDAY });
    expect(replanned?.commitment?.answeredBy).toBeUndefined();
    expect(findButton(request.blocks, ACTION.dependencyCommit, `${String(old?._id)}:1`).label).toBe('Commit');
    expect(textOf(request.blocks)).toContain('re-planned, was Thu 10 Dec');

    const stale = {
      action_id: ACTION.dependencyDecline,
      value: `${String(old?._id)}:0`,
      label: 'Decline',
      blockId: 'b',
      nearText: '',
    };
    const answer = await answerTo(running, await clickInMessage(running, API_LEAD, request, stale));
    expect(JSON.stringify(answer)).toContain('That request was re-planned since');
    expect(await dependencyNamed('Login API')).toEqual(replanned);

    await answerTo(
      running,
      await clickInMessage(
        running,
        API_LEAD,
        request,
        findButton(request.blocks, ACTION.dependencyCommit, `${String(old?._id)}:1`),
      ),
    );
    expect((await dependencyNamed('Login API'))?.commitment).toMatchObject({
      state: 'committed',
      date: '2026-12-14',
    });
  });
});

describe('Propose another date', () => {
  it('opens a modal; its submission commits to that date, marked proposed; the consumer lead is told; the consumer is at risk', async () => {
    const request = await depend('web on search by 2026-12-10 "Search index"', SEARCH_LEAD);
    const d = await dependencyNamed('Search index');
    const mark = markCalls(running);
    const response = await clickInMessage(
      running,
      SEARCH_LEAD,
      request,
      findButton(request.blocks, ACTION.dependencyPropose, `${String(d?._id)}:0`),
    );
    expect(response.status).toBe(200);
    const open = await nextCall(running, mark, 'views.open');
    expect(open.response.ok).toBe(true);
    expect(open.args.trigger_id).toBe(response.sent.trigger_id);
    const view = running.slack.view(String((open.response.view as { id: string }).id)) as unknown as {
      id: string;
      callback_id: string;
      private_metadata: string;
    };
    expect(view.callback_id).toBe(MODAL.proposeDate);

    const submit = (userId: string, date: string) =>
      running.driver.viewSubmission({
        user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: TEAM_ID },
        view: {
          id: view.id,
          callback_id: MODAL.proposeDate,
          private_metadata: view.private_metadata,
          state: { values: { [PROPOSE_FIELD.date]: { value: { type: 'datepicker', selected_date: date } } } },
        },
      });
    // A forged submission by someone else is refused on the field, and writes nothing.
    const forged = await submit(MALLORY, '2026-12-17');
    expect(forged.text).toContain("Only the providing workstream's lead");
    expect((await dependencyNamed('Search index'))?.commitment).toMatchObject({ state: 'requested' });

    const saved = await submit(SEARCH_LEAD, '2026-12-17');
    expect(saved.status).toBe(200);
    expect(saved.text).toBe('');
    expect((await dependencyNamed('Search index'))?.commitment).toMatchObject({
      state: 'committed',
      date: '2026-12-17',
      proposed: true,
      answeredBy: SEARCH_LEAD,
    });
    const told = await nextCall(running, mark, 'chat.postMessage', (c) => c.args.channel === WEB_LEAD);
    expect(String(told.args.text)).toContain('`checkout/search` proposes Thu 17 Dec for *Search index*');
    expect(await card('search')).toContain(
      'Search index — for `checkout/web` by Thu 10 Dec · committed Thu 17 Dec (proposed)',
    );
    // The analysis uses the committed date: a week after the date needed, so web is at risk.
    expect(await preview()).toContain(
      '🟡🔗 *Web checkout* `web` <@U0WEB> — at risk: waits on *Search* `search` (needed Thu 10 Dec, committed Thu 17 Dec (proposed))',
    );
  });
});

describe('Decline', () => {
  it('records it declined: shown on the card, and in the digest as a broken dependency', async () => {
    const request = await depend('api on infra by 2026-12-10 "Cluster"', INFRA_LEAD);
    const d = await dependencyNamed('Cluster');
    const answer = await answerTo(
      running,
      await clickInMessage(
        running,
        INFRA_LEAD,
        request,
        findButton(request.blocks, ACTION.dependencyDecline, `${String(d?._id)}:0`),
      ),
    );
    expect(JSON.stringify(answer)).toContain('declines *Cluster*');
    expect((await dependencyNamed('Cluster'))?.commitment).toMatchObject({ state: 'declined' });
    expect(await card('infra')).toContain(
      'Cluster — for `checkout/api` by Thu 10 Dec · declined by the provider',
    );
    const digest = await preview();
    expect(digest).toContain(
      '• 🟡🔗 *Checkout API* `api` <@U0API> — at risk: waits on *Infrastructure* `infra` for _Cluster_, declined by its lead (needed Thu 10 Dec)',
    );
    expect(await audits('dependency.declined')).toHaveLength(1);
  });
});

describe('a request nobody answers', () => {
  it('needs attention once 3 working days have passed (Mon–Fri): not on Monday, on Tuesday', async () => {
    const request = await depend('docs on web by 2026-12-18 "Screenshots"', WEB_LEAD);
    now = new Date('2026-12-07T10:00:00Z'); // Monday: Friday and Monday, 2 working days
    expect(await preview()).not.toContain('has not answered');
    now = new Date('2026-12-08T10:00:00Z'); // Tuesday: 3 working days
    expect(await preview()).toContain(
      "• ⏳ *Web checkout* `web` <@U0WEB> has not answered *Docs* `docs`'s request for _Screenshots_ (needed Fri 18 Dec): asked Thu 3 Dec, 3 working days ago",
    );
    // The card shows it requested.
    expect(await card('web')).toContain(
      'Screenshots — for `checkout/docs` by Fri 18 Dec · requested, not committed yet',
    );
    // Answered: it no longer needs attention.
    const d = await dependencyNamed('Screenshots');
    await answerTo(
      running,
      await clickInMessage(
        running,
        WEB_LEAD,
        request,
        findButton(request.blocks, ACTION.dependencyCommit, `${String(d?._id)}:0`),
      ),
    );
    expect(await preview()).not.toContain('has not answered');
  });
});
