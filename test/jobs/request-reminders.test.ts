/**
 * Issue 15: a dependency request unanswered for 2 working days (Monday to Friday, in the workspace's
 * timezone) brings the providing lead one reminder DM — the request again, with its buttons — once
 * per dependency and plan, from any number of replicas; not to a lead who is away (they get it once
 * back), not for an answered, settled or re-planned-away request, not between workstreams that are
 * over, not in an uninstalled workspace. Through the real job, the fake Slack and the real database,
 * on the app's pinned clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cairnJobs, type Job } from '../../jobs/index.js';
import { runRequestReminderTick } from '../../src/use-cases/request-reminders.js';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { ACTION, answerTo, clickInMessage, findButton, postedMessage, textOf } from '../support/clicks.js';
import { ask } from '../support/conversation.js';
import { depend as dependAs, dependencyNamed as namedIn } from '../support/dependency-requests.js';
import { tenantCollection, testDatabase } from '../support/database.js';

const PM = 'U0PM';
const WEB_LEAD = 'U0WEB';
const API_LEAD = 'U0API';
const SEARCH_LEAD = 'U0SEARCH';
const INFRA_LEAD = 'U0INFRA';
const DOCS_LEAD = 'U0DOCS';
const OPS_LEAD = 'U0OPS';
const MOBILE_LEAD = 'U0MOBILE';
const DESIGN_LEAD = 'U0DESIGN';
/** Friday 4 Dec 2026, 10:00 UTC. */
let now = new Date('2026-12-04T10:00:00Z');

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
let job: Job;

const at = (iso: string) => {
  now = new Date(iso);
};
const deps = () => ({
  stores: running.cairn.services.stores,
  slackFor: running.cairn.services.slackFor,
  log: running.cairn.services.log,
});
const tick = () => runRequestReminderTick(deps(), now);
const dependencyNamed = (deliverable: string | RegExp) => namedIn(db.connection, deliverable);
const remindersTo = (user: string) =>
  running.slack
    .calls('chat.postMessage')
    .filter((c) => c.args.channel === user && String(c.args.text).startsWith('Reminder:'))
    .map(postedMessage);

/** `/program depend …` by the PM; resolves the request DM sent to `lead`. */
const depend = (text: string, lead: string) => dependAs(running, PM, text, lead);

beforeAll(async () => {
  db = await testDatabase('request_reminders');
  running = await startCairn(db.connection, { now: () => now, jobs: () => [] });
  running.slack.setRateLimiting(false);
  for (const id of [
    PM,
    WEB_LEAD,
    API_LEAD,
    SEARCH_LEAD,
    INFRA_LEAD,
    DOCS_LEAD,
    OPS_LEAD,
    MOBILE_LEAD,
    DESIGN_LEAD,
  ])
    running.slack.setUser({ id, tz: 'UTC' });
  // The production job, as every replica registers it.
  job = cairnJobs(running.cairn.services).find((j) => j.name === 'request-reminders')!;
  expect(job).toBeDefined();
  const as = { userId: PM };
  await ask(running, '/program', 'new checkout "Checkout revamp" channel:<#C0CHECKOUT|checkout>', as);
  for (const [key, lead] of [
    ['web', WEB_LEAD],
    ['api', API_LEAD],
    ['search', SEARCH_LEAD],
    ['infra', INFRA_LEAD],
    ['docs', DOCS_LEAD],
    ['ops', OPS_LEAD],
    ['mobile', MOBILE_LEAD],
    ['design', DESIGN_LEAD],
  ] as const)
    await ask(running, '/program', `add checkout ${key} "${key}" team:${key} lead:<@${lead}>`, as);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('a request unanswered for 2 working days', () => {
  it('is not reminded before (weekends do not count), then once from two concurrent runs, never again', async () => {
    at('2026-12-04T10:00:00Z'); // Friday
    const request = await depend('web on api by 2026-12-18 "Login API <!channel> *now*"', API_LEAD);
    for (const day of [
      '2026-12-04T18:00:00Z', // Friday
      '2026-12-05T12:00:00Z', // Saturday
      '2026-12-06T12:00:00Z', // Sunday
      '2026-12-07T10:00:00Z', // Monday: 1 working day
      '2026-12-07T23:59:00Z',
    ]) {
      at(day);
      expect((await tick()).sent).toBe(0);
    }
    expect(remindersTo(API_LEAD)).toHaveLength(0);

    at('2026-12-08T08:55:00Z'); // Tuesday: 2 working days, but not yet 09:00
    expect((await tick()).sent).toBe(0);
    at('2026-12-08T09:05:00Z');
    await Promise.all([job.run(now), job.run(now)]);
    expect(remindersTo(API_LEAD)).toHaveLength(1);
    for (const later of ['2026-12-08T12:00:00Z', '2026-12-09T09:00:00Z']) {
      at(later);
      expect((await tick()).sent).toBe(0);
    }
    expect(remindersTo(API_LEAD)).toHaveLength(1);

    const reminder = remindersTo(API_LEAD)[0]!;
    const text = textOf(reminder.blocks);
    expect(text.split('\n')[0]).toBe(
      '⏰ *Reminder:* `checkout/web` is still waiting for your answer (asked Fri 4 Dec).',
    );
    // The request itself, as it was sent, with its three answers for this plan; user text escaped.
    expect(reminder.blocks.slice(1)).toEqual(request.blocks);
    expect(JSON.stringify(reminder.blocks)).not.toContain('<!channel>');
    const value = `${String((await dependencyNamed(/^Login API/))?._id)}:0`;
    expect(findButton(reminder.blocks, ACTION.dependencyPropose, value).label).toBe('Propose another date');
    expect(findButton(reminder.blocks, ACTION.dependencyDecline, value).label).toBe('Decline');

    // Its Commit answers the request, as the request's own would.
    const answer = await answerTo(
      running,
      await clickInMessage(
        running,
        API_LEAD,
        reminder,
        findButton(reminder.blocks, ACTION.dependencyCommit, value),
      ),
    );
    expect(JSON.stringify(answer)).toContain('commits to *Login API');
    expect((await dependencyNamed(/^Login API/))?.commitment).toMatchObject({
      state: 'committed',
      answeredBy: API_LEAD,
    });
  });

  it('is reminded again after a re-plan, once, 2 working days after the new request', async () => {
    at('2026-12-09T10:00:00Z'); // Wednesday
    const request = await depend('web on api by 2026-12-21 "Login API <!channel> *now*"', API_LEAD);
    const id = String((await dependencyNamed(/^Login API/))?._id);
    expect(findButton(request.blocks, ACTION.dependencyCommit, `${id}:1`).label).toBe('Commit');
    at('2026-12-10T15:00:00Z'); // Thursday: 1 working day
    expect((await tick()).sent).toBe(0);
    at('2026-12-11T09:00:00Z'); // Friday: 2 working days
    await Promise.all([tick(), tick()]);
    await tick();
    const reminders = remindersTo(API_LEAD);
    expect(reminders).toHaveLength(2);
    expect(textOf(reminders[1]!.blocks)).toContain('still waiting for your answer (asked Wed 9 Dec)');
    expect(findButton(reminders[1]!.blocks, ACTION.dependencyCommit, `${id}:1`).label).toBe('Commit');
  });

  it('is not reminded once answered', async () => {
    at('2026-12-11T10:00:00Z'); // Friday
    const request = await depend('docs on search by 2026-12-23 "Search index"', SEARCH_LEAD);
    const d = await dependencyNamed('Search index');
    at('2026-12-14T10:00:00Z'); // Monday: answered from the request
    await answerTo(
      running,
      await clickInMessage(
        running,
        SEARCH_LEAD,
        request,
        findButton(request.blocks, ACTION.dependencyDecline, `${String(d?._id)}:0`),
      ),
    );
    for (const day of ['2026-12-15T10:00:00Z', '2026-12-17T10:00:00Z']) {
      at(day);
      await tick();
    }
    expect(remindersTo(SEARCH_LEAD)).toHaveLength(0);
  });

  it('is not sent to a lead who is away, and is sent once they are back if still unanswered', async () => {
    at('2026-12-11T10:00:00Z'); // Friday
    await depend('web on infra by 2026-12-23 "Cluster"', INFRA_LEAD);
    expect((await ask(running, '/status', 'away until 2026-12-16', { userId: INFRA_LEAD })).all).toContain(
      'You are away until Wed 16 Dec',
    );
    for (const day of ['2026-12-15T00:05:00Z', '2026-12-15T10:00:00Z', '2026-12-16T23:45:00Z']) {
      at(day); // Tuesday and Wednesday: due, but away
      await tick();
    }
    expect(remindersTo(INFRA_LEAD)).toHaveLength(0);
    at('2026-12-17T09:05:00Z'); // Thursday: back
    await Promise.all([tick(), tick()]);
    await tick();
    expect(remindersTo(INFRA_LEAD)).toHaveLength(1);
    expect(textOf(remindersTo(INFRA_LEAD)[0]!.blocks)).toContain('(asked Fri 11 Dec)');
  });
});

describe('no reminder', () => {
  it('for a met or broken dependency, for work that is done or cancelled, or while Cairn is uninstalled', async () => {
    at('2026-12-18T10:00:00Z'); // Friday
    const stores = running.cairn.services.stores;
    await depend('api on docs by 2026-12-30 "Guides"', DOCS_LEAD);
    await depend('docs on ops by 2026-12-30 "Runbook"', OPS_LEAD);
    await depend('mobile on search by 2026-12-30 "Search SDK"', SEARCH_LEAD);
    await depend('design on web by 2026-12-30 "Metrics"', WEB_LEAD);
    await depend('docs on mobile by 2026-12-30 "App screens"', MOBILE_LEAD);
    const guides = (await dependencyNamed('Guides'))!;
    const screens = (await dependencyNamed('App screens'))!;
    expect(await stores.dependencies.settle(TEAM_ID, guides._id, 'broken', PM, now)).not.toBeNull();
    expect(await stores.dependencies.settle(TEAM_ID, screens._id, 'met', PM, now)).not.toBeNull();
    const workstreams = await tenantCollection(db.connection, 'workstreams', TEAM_ID);
    await workstreams.updateOne({ key: 'ops' }, { $set: { state: 'done' } }); // a provider that is done
    await workstreams.updateOne({ key: 'mobile' }, { $set: { state: 'cancelled' } }); // a consumer cancelled
    await stores.workspaces.setInstalled({ teamId: TEAM_ID }, false, now);

    at('2026-12-22T10:00:00Z'); // Tuesday: all due
    expect((await tick()).sent).toBe(0);
    await stores.workspaces.setInstalled({ teamId: TEAM_ID }, true, now);
    at('2026-12-22T10:15:00Z');
    expect((await tick()).sent).toBe(1);
    expect(remindersTo(WEB_LEAD)).toHaveLength(1);
    expect(textOf(remindersTo(WEB_LEAD)[0]!.blocks)).toContain('`checkout/design` is still waiting');
    for (const lead of [DOCS_LEAD, OPS_LEAD, SEARCH_LEAD, MOBILE_LEAD])
      expect(remindersTo(lead)).toHaveLength(0);
  });
});

describe('the working days', () => {
  it("are counted in the workspace's default timezone", async () => {
    const stores = running.cairn.services.stores;
    at('2026-12-24T02:00:00Z'); // Thursday in UTC, still Wednesday 18:00 in Los Angeles
    await stores.workspaces.changeSettings(
      TEAM_ID,
      { defaultTimezone: 'America/Los_Angeles', addCreators: [], removeCreators: [] },
      now,
    );
    await depend('design on infra by 2027-01-08 "Dashboards"', INFRA_LEAD);
    const before = remindersTo(INFRA_LEAD).length;
    at('2026-12-25T07:45:00Z'); // Thursday 23:45 there: 1 working day
    expect((await tick()).sent).toBe(0);
    at('2026-12-25T08:15:00Z'); // Friday 00:15 there: 2 working days, but the night
    expect((await tick()).sent).toBe(0);
    at('2026-12-25T17:15:00Z'); // Friday 09:15 there: sent (in UTC, still 1 working day)
    expect((await tick()).sent).toBe(1);
    expect(remindersTo(INFRA_LEAD)).toHaveLength(before + 1);
    expect(textOf(remindersTo(INFRA_LEAD)[before]!.blocks)).toContain(
      '`checkout/design` is still waiting for your answer (asked Wed 23 Dec)',
    );
  });
});
