/**
 * OAuth distribution from install to uninstall and back (SPEC §5, §8), through the real app over
 * loopback against the fake Slack: a browser installs Cairn at /slack/install, Slack's authorize page
 * sends it back with a code, Cairn exchanges the code and keeps the installation with its tokens
 * sealed; each workspace's commands and digests use that workspace's bot token and see its data
 * alone. Uninstalling (app_uninstalled, or tokens_revoked with bot tokens) deletes the workspace's
 * tokens at once and pauses its schedules: no digest, reminder, escalation or capacity warning goes
 * out for it while it is gone, though slots come due. Installing again resumes what the removal
 * paused (not what a person paused), and the next slot posts with the new token.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/permissions.js';
import { BOT_SCOPES } from '../../src/slack/scopes.js';
import { keyIdOf } from '../../src/slack/token-cipher.js';
import { runCapacityTick } from '../../src/use-cases/capacity-alerts.js';
import { runEscalationTick } from '../../src/use-cases/escalation.js';
import { runReminderTick } from '../../src/use-cases/reminders.js';
import { runSchedulerTick } from '../../src/use-cases/scheduler.js';
import { changeSchedule, createSchedule } from '../../src/use-cases/schedules.js';
import {
  eventually,
  SIGNING_SECRET,
  startCairn,
  testConfig,
  type RunningCairn,
} from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { tenantCollection, testDatabase } from '../support/database.js';
import { FakeSlack, type RecordedCall } from '../support/fake-slack.js';

const ACME = 'T0ACME';
const GLOBEX = 'T0GLOBEX';
const ANA = 'U0ANA'; // Acme's program manager
const BEN = 'U0BEN'; // Globex's program manager
const ACME_CHANNEL = 'C0ACME';
const GLOBEX_CHANNEL = 'C0GLOBEX';
const CLIENT_ID = '4242.1717';
const CLIENT_SECRET = '0123456789abcdef0123456789abcdef';
const KEY = Buffer.alloc(32, 21).toString('base64');
/** Wednesday 25 Nov 2026, 15:00 UTC; digests daily at 09:00 UTC, the first on Thursday 26 Nov. */
let clock = new Date('2026-11-25T15:00:00Z');
const at = (iso: string) => (clock = new Date(iso));

let db: Awaited<ReturnType<typeof testDatabase>>;
let slack: FakeSlack;
let running: RunningCairn;
/** Each workspace's bot token, as Slack issued it at its latest install. */
const tokens: Record<string, string> = {};
const scheduleIds: Record<string, string> = {};

const actor = (teamId: string, userId: string): Actor => ({
  teamId,
  userId,
  timezone: 'UTC',
  isWorkspaceAdmin: false,
});
const installations = () => db.connection.collection('installations');
const schedule = (name: string) =>
  db.connection.collection('digest_schedules').findOne({ _id: scheduleIdOf(name) });
const scheduleIdOf = (name: string) => new Types.ObjectId(scheduleIds[name]);
const workspace = (teamId: string) => db.connection.collection('workspaces').findOne({ teamId });
const digestsIn = (channel: string) =>
  slack.messages(channel).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
/** Calls made since `mark` (an index into the fake's record). */
const since = (mark: number): RecordedCall[] => slack.calls().slice(mark);
const mark = () => slack.calls().length;
const schedulerTick = (iso: string) =>
  runSchedulerTick(
    running.cairn.services,
    { replicaId: 'replica-a', graceMs: 6 * 3_600_000, staleClaimMs: 120_000, retryDelayMs: 1_000 },
    at(iso),
  );
const removedAudit = async (teamId: string) =>
  (await tenantCollection(db.connection, 'audit_events', teamId)).findOne({
    teamId,
    action: 'workspace.uninstalled',
  });

/**
 * A browser installing Cairn, signed in to Slack as `userId` of `teamId`: the install page sends it
 * to Slack's authorize page with a state cookie, Slack sends it back to Cairn with a code and the
 * same state, and the browser carries the cookie there, as any browser would.
 */
async function install(teamId: string, userId: string) {
  slack.signIn({ teamId, userId });
  const start = await fetch(`${running.url}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const authorizeUrl = new URL(start.headers.get('location')!);
  const cookie = start.headers.getSetCookie().find((c) => c.startsWith('slack-app-oauth-state='));
  expect(cookie).toBeDefined();
  const stateCookie = cookie!.split(';')[0]!;

  const approved = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(approved.status).toBe(302);
  const back = new URL(approved.headers.get('location')!);
  const callback = await fetch(back, { headers: { cookie: stateCookie }, redirect: 'manual' });
  const page = await callback.text();
  expect(callback.status, page).toBe(200);
  tokens[teamId] = slack.tokenOf(teamId)!;
  return { authorizeUrl, stateCookie, back, page };
}

beforeAll(async () => {
  db = await testDatabase('oauth-lifecycle');
  slack = await FakeSlack.start({ rateLimit: false });
  slack.addWorkspace({ teamId: ACME, teamName: 'Acme' });
  slack.addWorkspace({ teamId: GLOBEX, teamName: 'Globex' });
  const config = testConfig(slack.apiUrl, {
    slack: {
      kind: 'oauth',
      signingSecret: SIGNING_SECRET,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      stateSecret: 'a-state-secret-of-some-length',
      encryptionKey: KEY,
      oldEncryptionKeys: [],
      apiUrl: slack.apiUrl,
    },
  });
  running = await startCairn(db.connection, { slack, config, now: () => clock });
  slack.setOAuthApp({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUrl: `${running.url}/slack/oauth_redirect`,
  });
});
afterAll(async () => {
  await running?.stop();
  await slack?.stop();
  await db?.drop();
});

describe('OAuth distribution, from install to uninstall and back', () => {
  it('installs through /slack/install and Slack’s authorize page, and keeps the tokens sealed', async () => {
    const before = mark();
    const { authorizeUrl, stateCookie, page } = await install(ACME, ANA);

    expect(authorizeUrl.origin + authorizeUrl.pathname).toBe(
      new URL('../oauth/v2/authorize', slack.apiUrl).href,
    );
    expect(authorizeUrl.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(authorizeUrl.searchParams.get('scope')!.split(',').sort()).toEqual([...BOT_SCOPES].sort());
    const state = authorizeUrl.searchParams.get('state');
    expect(state).toBeTruthy();
    expect(stateCookie).toBe(`slack-app-oauth-state=${state}`);
    expect(slack.authorizations().at(-1)).toMatchObject({ teamId: ACME, userId: ANA, state });

    const exchange = since(before).filter((c) => c.method === 'oauth.v2.access');
    expect(exchange).toHaveLength(1);
    expect(exchange[0]!.args).toMatchObject({
      client_id: CLIENT_ID,
      code: slack.authorizations().at(-1)!.code,
    });
    expect(exchange[0]!.response).toMatchObject({ ok: true, team: { id: ACME } });
    // Bolt's own success page, back to the workspace's app
    expect(page).toContain(`slack://app?team=${ACME}&amp;id=A0001`);

    const raw = await installations().findOne({ teamId: ACME });
    expect(raw).toMatchObject({ key: `team:${ACME}`, isEnterpriseInstall: false });
    expect(raw?.sealed.keyId).toBe(keyIdOf(KEY));
    expect(tokens[ACME]).toMatch(/^xoxb-/);
    expect(JSON.stringify(raw)).not.toContain(tokens[ACME]);
    expect(JSON.stringify(raw)).not.toContain('xoxb-');
    expect(await workspace(ACME)).not.toHaveProperty('uninstalledAt');
  });

  it("answers that workspace's signed commands, every Web API call with its own bot token", async () => {
    const before = mark();
    for (const text of [
      `new checkout "Acme checkout" channel:<#${ACME_CHANNEL}|acme>`,
      `add checkout ui "Checkout UI" team:web lead:<@${ANA}> due:2026-12-20`,
      'blocker checkout/ui "Waiting on PCI sign-off"',
      'resource "SRE on-call" capacity:1',
      'allocate "SRE on-call" checkout/ui 3 from:2026-12-14 to:2026-12-18',
      'digest checkout',
    ]) {
      const answer = await ask(running, '/program', text, { teamId: ACME, userId: ANA });
      expect(answer.all, text).not.toContain(':warning:');
    }
    expect(digestsIn(ACME_CHANNEL)).toHaveLength(1);
    const calls = since(before);
    expect(calls.map((c) => c.method)).toContain('chat.postMessage');
    expect(calls.filter((c) => c.token !== tokens[ACME])).toEqual([]);
  });

  it('installs a second workspace alongside, its own token for its own commands, and neither sees the other', async () => {
    await install(GLOBEX, BEN);
    expect(tokens[GLOBEX]).not.toBe(tokens[ACME]);
    expect(await installations().countDocuments({})).toBe(2);

    const before = mark();
    for (const text of [
      `new checkout "Globex billing" channel:<#${GLOBEX_CHANNEL}|globex>`,
      `add checkout api "Billing API" team:pay lead:<@${BEN}>`,
      'digest checkout',
    ]) {
      const answer = await ask(running, '/program', text, { teamId: GLOBEX, userId: BEN });
      expect(answer.all, text).not.toContain(':warning:');
    }
    const calls = since(before);
    expect(calls.some((c) => c.method === 'chat.postMessage' && c.args.channel === GLOBEX_CHANNEL)).toBe(
      true,
    );
    expect(calls.filter((c) => c.token !== tokens[GLOBEX])).toEqual([]);

    const acme = await ask(running, '/program', 'show checkout', { teamId: ACME, userId: ANA });
    expect(acme.all).toContain('Acme checkout');
    expect(acme.all).not.toContain('Globex');
    const acmeList = await ask(running, '/program', 'list', { teamId: ACME, userId: ANA });
    expect(acmeList.all).toContain('Acme checkout');
    expect(acmeList.all).not.toContain('Globex billing');
    const globex = await ask(running, '/program', 'show checkout', { teamId: GLOBEX, userId: BEN });
    expect(globex.all).toContain('Globex billing');
    expect(globex.all).not.toContain('Acme');
  });

  it("posts each workspace's digest slot with that workspace's token", async () => {
    const { stores } = running.cairn.services;
    const daily = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
    const make = async (teamId: string, userId: string, channelId: string, time: string, lead: number) => {
      const made = await createSchedule(
        stores,
        actor(teamId, userId),
        { programKey: 'checkout' },
        { channelId, days: [...daily], time, timezone: 'UTC', variant: 'team', reminderLeadMinutes: lead },
        clock,
      );
      if (!made.ok) throw new Error(JSON.stringify(made.problem));
      return made.value.schedule._id.toHexString();
    };
    scheduleIds.acme = await make(ACME, ANA, ACME_CHANNEL, '09:00', 120);
    scheduleIds.globex = await make(GLOBEX, BEN, GLOBEX_CHANNEL, '09:00', 0);
    // One Ana pauses herself: the uninstall must leave it as she left it.
    scheduleIds.acmePausedByAna = await make(ACME, ANA, 'C0ACMEWEEKLY', '10:00', 0);
    const paused = await changeSchedule(
      stores,
      actor(ACME, ANA),
      scheduleIdOf('acmePausedByAna'),
      'pause',
      clock,
    );
    expect(paused.ok).toBe(true);

    const before = mark();
    await schedulerTick('2026-11-26T09:00:05Z');
    expect(digestsIn(ACME_CHANNEL)).toHaveLength(2);
    expect(digestsIn(GLOBEX_CHANNEL)).toHaveLength(2);
    const posts = since(before).filter((c) => c.method === 'chat.postMessage');
    expect(posts.filter((c) => c.args.channel === ACME_CHANNEL).every((c) => c.token === tokens[ACME])).toBe(
      true,
    );
    expect(
      posts.filter((c) => c.args.channel === GLOBEX_CHANNEL).every((c) => c.token === tokens[GLOBEX]),
    ).toBe(true);
    expect(since(before).filter((c) => c.response.ok !== true)).toEqual([]);
  });

  it('app_uninstalled deletes the workspace’s tokens at once and pauses its schedules; nothing goes out for it after', async () => {
    at('2026-11-26T12:00:00Z');
    slack.revokeTokens(ACME);
    const sent = await running.driver.event({ type: 'app_uninstalled' }, { teamId: ACME });
    expect(sent.status).toBe(200);
    await eventually(async () => (await removedAudit(ACME)) !== null, 5_000, 50);

    expect(await installations().countDocuments({ teamId: ACME })).toBe(0);
    expect(await installations().countDocuments({ teamId: GLOBEX })).toBe(1);
    expect(await schedule('acme')).toMatchObject({ paused: true, pausedReason: 'uninstalled' });
    const ana = await schedule('acmePausedByAna');
    expect(ana?.paused).toBe(true);
    expect(ana).not.toHaveProperty('pausedReason');
    expect(await schedule('globex')).toMatchObject({ paused: false });
    expect((await workspace(ACME))?.uninstalledAt).toEqual(new Date('2026-11-26T12:00:00Z'));
    expect(await workspace(GLOBEX)).not.toHaveProperty('uninstalledAt');
    expect((await removedAudit(ACME))?.details).toEqual({ cause: 'app_uninstalled', pausedSchedules: 1 });

    const before = mark();
    // The next slot comes due: Globex's digest goes out, Acme's does not.
    await schedulerTick('2026-11-27T09:00:05Z');
    expect(digestsIn(GLOBEX_CHANNEL)).toHaveLength(3);
    expect(digestsIn(ACME_CHANNEL)).toHaveLength(2);
    // Ana's workstream has no update, her blocker is 6 days old, her resource is over capacity.
    const { services } = running.cairn;
    await runReminderTick(services, 'replica-a', at('2026-11-28T08:00:00Z'));
    await runEscalationTick(services, at('2026-12-01T11:00:00Z'));
    await runCapacityTick(services, clock);
    const forAcme = since(before).filter((c) => slack.teamOfToken(c.token) === ACME);
    expect(forAcme).toEqual([]);
    expect(since(before).filter((c) => c.response.error === 'token_revoked')).toEqual([]);
  });

  it('installing again resumes what the uninstall paused, and the next slot posts with the new token', async () => {
    const old = tokens[ACME]!;
    at('2026-12-01T12:00:00Z');
    await install(ACME, ANA);
    expect(tokens[ACME]).not.toBe(old);
    expect(await schedule('acme')).toMatchObject({
      paused: false,
      // From now on: the five slots missed while away are not caught up.
      nextSlotAt: new Date('2026-12-02T09:00:00Z'),
    });
    expect(await schedule('acme')).not.toHaveProperty('pausedReason');
    expect(await schedule('acmePausedByAna')).toMatchObject({ paused: true });
    expect(await workspace(ACME)).not.toHaveProperty('uninstalledAt');

    const before = mark();
    const { services } = running.cairn;
    // What waited while Cairn was away goes out now, to Ana, with the new token.
    expect((await runEscalationTick(services, clock)).blockers).toBe(1);
    expect((await runCapacityTick(services, clock)).notified).toBe(1);
    expect((await runReminderTick(services, 'replica-a', at('2026-12-02T08:00:00Z'))).sent).toBe(1);
    await schedulerTick('2026-12-02T09:00:05Z');
    expect(digestsIn(ACME_CHANNEL)).toHaveLength(3);
    // Globex's missed slots (28 Nov – 1 Dec) were more than the grace period ago: only today's is posted.
    expect(digestsIn(GLOBEX_CHANNEL)).toHaveLength(4);
    const calls = since(before);
    expect(calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === ANA)).toHaveLength(3);
    const acme = calls.filter((c) => slack.teamOfToken(c.token) === ACME);
    expect(acme.length).toBeGreaterThan(0);
    expect(acme.filter((c) => c.token !== tokens[ACME])).toEqual([]);
    expect(calls.filter((c) => c.response.ok !== true)).toEqual([]);
  });

  it('tokens_revoked with bot tokens does the same: tokens gone, schedules paused until the workspace installs again', async () => {
    at('2026-12-02T12:00:00Z');
    const old = tokens[GLOBEX]!;
    slack.revokeTokens(GLOBEX);
    const sent = await running.driver.event(
      { type: 'tokens_revoked', tokens: { bot: [slack.botUserOf(GLOBEX)] } },
      { teamId: GLOBEX },
    );
    expect(sent.status).toBe(200);
    await eventually(async () => (await removedAudit(GLOBEX)) !== null, 5_000, 50);
    expect((await removedAudit(GLOBEX))?.details).toEqual({ cause: 'tokens_revoked', pausedSchedules: 1 });
    expect(await installations().countDocuments({ teamId: GLOBEX })).toBe(0);
    expect(await schedule('globex')).toMatchObject({ paused: true, pausedReason: 'uninstalled' });

    let before = mark();
    await schedulerTick('2026-12-03T09:00:05Z');
    expect(digestsIn(ACME_CHANNEL)).toHaveLength(4);
    expect(digestsIn(GLOBEX_CHANNEL)).toHaveLength(4);
    expect(since(before).filter((c) => slack.teamOfToken(c.token) === GLOBEX)).toEqual([]);

    at('2026-12-03T12:00:00Z');
    await install(GLOBEX, BEN);
    expect(tokens[GLOBEX]).not.toBe(old);
    before = mark();
    await schedulerTick('2026-12-04T09:00:05Z');
    expect(digestsIn(GLOBEX_CHANNEL)).toHaveLength(5);
    const globex = since(before).filter((c) => c.args.channel === GLOBEX_CHANNEL);
    expect(globex.length).toBeGreaterThan(0);
    expect(globex.filter((c) => c.token !== tokens[GLOBEX])).toEqual([]);
  });

  it('a reinstall replaces a token whose revocation never reached Cairn, though a client still holds it', async () => {
    // Slack revoked Globex's token but the event was lost; the last tick left a client with that token.
    const old = tokens[GLOBEX]!;
    slack.revokeTokens(GLOBEX);
    at('2026-12-04T12:00:00Z');
    await install(GLOBEX, BEN);
    expect(tokens[GLOBEX]).not.toBe(old);
    const before = mark();
    await schedulerTick('2026-12-05T09:00:05Z');
    expect(digestsIn(GLOBEX_CHANNEL)).toHaveLength(6);
    expect(since(before).filter((c) => c.token === old)).toEqual([]);
  });
});
