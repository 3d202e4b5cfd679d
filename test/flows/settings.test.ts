/**
 * `/program settings` (SPEC §8, issue 13), through the signed receiver: a workspace admin opens the
 * form on the settings in force and saves new ones (stored, audited, confirmed); anyone else is
 * refused, at the command and at a forged submission alike; bad values are answered on their own
 * fields; two admins saving at once keep each other's changes; and each setting is read where it
 * matters: who may create programs, the default timezone, the stale-after days, the escalation threshold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEscalationTick } from '../../src/use-cases/escalation.js';
import { SETTINGS_FIELD } from '../../src/views/ids.js';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { callsAfter, markCalls, nextCall } from '../support/clicks.js';
import { ask } from '../support/conversation.js';
import { tenantCollection, testDatabase } from '../support/database.js';

const ADMIN = 'U0ADMIN';
const OTHER_ADMIN = 'U0BOSS';
const MEMBER = 'U0MEMBER';
const LISTED = 'U0LISTED';
/** Slack gives no timezone for this one. */
const NO_TZ = 'U0NOTZ';
/** Monday 2 Nov 2026, 10:00 UTC: the app's clock, moved only where a test says so. */
const START = new Date('2026-11-02T10:00:00Z');
let clock = START;

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

interface ShownView {
  id: string;
  private_metadata: string;
  blocks: Array<{ type: string; block_id?: string; element?: Record<string, unknown> }>;
}

/** What a person enters in the form, as Slack submits it. */
interface Entries {
  timezone?: string | null;
  stale?: string | null;
  escalate?: string | null;
  creators?: string | null;
  creatorIds?: string[];
}

const workspace = () => db.connection.collection('workspaces').findOne({ teamId: TEAM_ID });
const settingsAudits = async () =>
  (await tenantCollection(db.connection, 'audit_events', TEAM_ID))
    .find({ action: 'workspace.settings_changed' })
    .sort({ at: 1, _id: 1 })
    .toArray();

async function openSettings(userId: string): Promise<ShownView> {
  const mark = markCalls(running);
  const sent = await running.driver.slashCommand({ command: '/program', text: 'settings', userId });
  expect(sent.status).toBe(200);
  const open = await nextCall(running, mark, 'views.open');
  expect(open.response.ok).toBe(true);
  return running.slack.view(String((open.response.view as { id: string }).id)) as unknown as ShownView;
}

/** The form's fields as it opened: what Slack submits for fields nobody touched. */
function entriesOf(view: ShownView): Required<Entries> {
  const element = (blockId: string) => view.blocks.find((b) => b.block_id === blockId)?.element ?? {};
  return {
    timezone: element(SETTINGS_FIELD.timezone).initial_value as string,
    stale: element(SETTINGS_FIELD.staleAfterDays).initial_value as string,
    escalate: element(SETTINGS_FIELD.escalateAfterDays).initial_value as string,
    creators: (element(SETTINGS_FIELD.creators).initial_option as { value: string }).value,
    creatorIds: (element(SETTINGS_FIELD.creatorIds).initial_users as string[] | undefined) ?? [],
  };
}

/** Submits the form as `userId`: the opened view's fields, with `typed` over them. */
function submit(userId: string, view: ShownView, typed: Entries) {
  const e = { ...entriesOf(view), ...typed };
  return running.driver.viewSubmission({
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: TEAM_ID },
    view: {
      id: view.id,
      callback_id: 'workspace_settings',
      private_metadata: view.private_metadata,
      state: {
        values: {
          [SETTINGS_FIELD.timezone]: { value: { type: 'plain_text_input', value: e.timezone } },
          [SETTINGS_FIELD.staleAfterDays]: { value: { type: 'number_input', value: e.stale } },
          [SETTINGS_FIELD.escalateAfterDays]: { value: { type: 'number_input', value: e.escalate } },
          [SETTINGS_FIELD.creators]: {
            value: {
              type: 'radio_buttons',
              selected_option: e.creators
                ? { text: { type: 'plain_text', text: e.creators }, value: e.creators }
                : null,
            },
          },
          [SETTINGS_FIELD.creatorIds]: {
            value: { type: 'multi_users_select', selected_users: e.creatorIds },
          },
        },
      },
    },
  });
}

/** An admin opens the form and saves `typed`; the save is accepted (the modal closes). */
async function save(typed: Entries, as = ADMIN) {
  const response = await submit(as, await openSettings(as), typed);
  expect(response.status).toBe(200);
  expect(response.text).toBe('');
}

beforeAll(async () => {
  db = await testDatabase('settings');
  running = await startCairn(db.connection, { now: () => clock });
  running.slack.setRateLimiting(false);
  running.slack.setUser({ id: ADMIN, is_admin: true, tz: 'Europe/Paris' });
  running.slack.setUser({ id: OTHER_ADMIN, is_owner: true, tz: 'America/New_York' });
  running.slack.setUser({ id: MEMBER, tz: 'UTC' });
  running.slack.setUser({ id: LISTED, tz: 'UTC', name: 'lee' });
  running.slack.setUser({ id: NO_TZ, tz: null });
  await ask(running, '/program', 'new checkout "Checkout" channel:<#C0CHECKOUT|checkout>', { userId: NO_TZ });
  await ask(running, '/program', `add checkout payments "Payments" team:core lead:<@${NO_TZ}>`, {
    userId: NO_TZ,
  });
  await ask(running, '/status', 'payments green on plan', { userId: NO_TZ });
  await ask(running, '/program', 'blocker payments "Waiting on PCI sign-off"', { userId: NO_TZ });
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('/program settings', () => {
  it('opens for a workspace admin on the settings in force, and a save stores, audits and confirms what changed', async () => {
    const view = await openSettings(ADMIN);
    expect(entriesOf(view)).toEqual({
      timezone: 'UTC',
      stale: '7',
      escalate: '5',
      creators: 'anyone',
      creatorIds: [],
    });

    const mark = markCalls(running);
    const response = await submit(ADMIN, view, { timezone: ' Europe/London ', stale: '10', escalate: '3' });
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    expect((await workspace())?.settings).toMatchObject({
      defaultTimezone: 'Europe/London',
      staleAfterDays: 10,
      escalateBlockersAfterDays: 3,
    });
    const audits = await settingsAudits();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorId: ADMIN,
      target: { kind: 'workspace', key: TEAM_ID },
      at: START,
      details: {
        before: { defaultTimezone: 'UTC', staleAfterDays: 7, escalateBlockersAfterDays: 5 },
        after: { defaultTimezone: 'Europe/London', staleAfterDays: 10, escalateBlockersAfterDays: 3 },
      },
    });
    const dm = await nextCall(running, mark, 'chat.postMessage', (c) => c.args.channel === ADMIN);
    expect(String(dm.args.text)).toBe(
      [
        'Changed the workspace settings:',
        '• default timezone: `UTC` → `Europe/London`',
        '• work is flagged after 7 days → *10 days* with no update',
        '• blockers are escalated after 5 days → *3 days* open',
      ].join('\n'),
    );

    // Opened again, the form shows what was saved; saved unchanged, it changes and audits nothing.
    const again = await openSettings(OTHER_ADMIN);
    expect(entriesOf(again)).toMatchObject({ timezone: 'Europe/London', stale: '10', escalate: '3' });
    const unchanged = markCalls(running);
    expect((await submit(OTHER_ADMIN, again, {})).text).toBe('');
    const said = await nextCall(
      running,
      unchanged,
      'chat.postMessage',
      (c) => c.args.channel === OTHER_ADMIN,
    );
    expect(String(said.args.text)).toBe('The workspace settings say that already. Nothing changed.');
    expect(await settingsAudits()).toHaveLength(1);
  });

  it('is refused to anyone but a workspace admin, naming who may; a forged submission writes nothing', async () => {
    const mark = markCalls(running);
    const answer = await ask(running, '/program', 'settings', { userId: MEMBER });
    expect(answer.all).toContain(
      "Only the workspace's admins and owners may change Cairn's workspace settings.",
    );
    expect(callsAfter(running, mark, 'views.open')).toHaveLength(0);

    const before = await workspace();
    const forged = await submit(MEMBER, await openSettings(ADMIN), {
      timezone: 'Asia/Tokyo',
      stale: '1',
      creators: 'listed',
      creatorIds: [MEMBER],
    });
    expect(forged.json).toEqual({
      response_action: 'errors',
      errors: {
        [SETTINGS_FIELD.timezone]:
          "Only the workspace's admins and owners may change Cairn's workspace settings.",
      },
    });
    expect((await workspace())?.settings).toEqual(before?.settings);
    expect(await settingsAudits()).toHaveLength(1);
  });

  it('answers bad values on their own fields, and saves nothing', async () => {
    const before = await workspace();
    const view = await openSettings(ADMIN);
    const bad = await submit(ADMIN, view, {
      timezone: 'Mars/Olympus',
      stale: '0',
      escalate: 'soon',
      creators: null,
    });
    expect(bad.json).toEqual({
      response_action: 'errors',
      errors: {
        [SETTINGS_FIELD.timezone]:
          '"Mars/Olympus" is not a timezone I know. Use an IANA name such as America/New_York.',
        [SETTINGS_FIELD.staleAfterDays]: '0 is out of range: give a whole number of days from 1 to 60.',
        [SETTINGS_FIELD.escalateAfterDays]:
          '"soon" is not a whole number: give a whole number of days from 1 to 60.',
        [SETTINGS_FIELD.creators]: 'Choose who may create programs.',
      },
    });
    const more = await submit(ADMIN, view, {
      timezone: '',
      stale: '61',
      escalate: '2.5',
      creatorIds: ['#general'],
    });
    expect(more.json).toEqual({
      response_action: 'errors',
      errors: {
        [SETTINGS_FIELD.timezone]: 'Give a timezone: an IANA name such as America/New_York.',
        [SETTINGS_FIELD.staleAfterDays]: '61 is out of range: give a whole number of days from 1 to 60.',
        [SETTINGS_FIELD.escalateAfterDays]:
          '"2.5" is not a whole number: give a whole number of days from 1 to 60.',
        [SETTINGS_FIELD.creatorIds]: 'Pick the people from the list.',
      },
    });
    expect((await workspace())?.settings).toEqual(before?.settings);
    expect(await settingsAudits()).toHaveLength(1);
  });

  it('keeps both of two admins’ changes when they save forms opened on the same settings at once', async () => {
    const [first, second] = [await openSettings(ADMIN), await openSettings(OTHER_ADMIN)];
    const responses = await Promise.all([
      submit(ADMIN, first, { stale: '12', creatorIds: [ADMIN] }),
      submit(OTHER_ADMIN, second, { escalate: '4', creatorIds: [OTHER_ADMIN] }),
    ]);
    expect(responses.map((r) => r.text)).toEqual(['', '']);
    const settings = (await workspace())?.settings as Record<string, unknown> & {
      programCreation: { creatorIds: string[] };
    };
    expect(settings).toMatchObject({
      defaultTimezone: 'Europe/London',
      staleAfterDays: 12,
      escalateBlockersAfterDays: 4,
    });
    expect([...settings.programCreation.creatorIds].sort()).toEqual([OTHER_ADMIN, ADMIN].sort());

    // Taking one person off the list leaves the other; taking both off empties it.
    await save({ creatorIds: [OTHER_ADMIN] }, OTHER_ADMIN);
    expect((await workspace())?.settings.programCreation.creatorIds).toEqual([OTHER_ADMIN]);
    await save({ creatorIds: [] }, OTHER_ADMIN);
    expect((await workspace())?.settings.programCreation.creatorIds).toEqual([]);
  });
});

describe('the settings where they are read', () => {
  it('lets only listed people and workspace admins create programs once creation is limited', async () => {
    await save({ creators: 'listed', creatorIds: [LISTED] });
    expect(entriesOf(await openSettings(ADMIN))).toMatchObject({ creators: 'listed', creatorIds: [LISTED] });
    const dm = running.slack
      .calls('chat.postMessage')
      .filter((c) => c.args.channel === ADMIN)
      .at(-1);
    expect(String(dm?.args.text)).toContain(
      'programs may be created by anyone in the workspace → *only the people listed and workspace admins*',
    );
    const programs = await tenantCollection(db.connection, 'programs', TEAM_ID);
    const refusal = 'In this workspace only <@U0LISTED> and workspace admins may create programs.';

    expect((await ask(running, '/program', 'new ops "Ops"', { userId: MEMBER })).all).toContain(refusal);
    const mark = markCalls(running);
    expect((await ask(running, '/program', 'new', { userId: MEMBER })).all).toContain(refusal);
    expect(callsAfter(running, mark, 'views.open')).toHaveLength(0);
    const forged = await running.driver.viewSubmission({
      user: { id: MEMBER, username: 'member', name: 'member', team_id: TEAM_ID },
      view: {
        callback_id: 'program_new',
        state: {
          values: {
            name: { value: { type: 'plain_text_input', value: 'Ops' } },
            key: { value: { type: 'plain_text_input', value: 'ops' } },
            objective: { value: { type: 'plain_text_input', value: null } },
            channel: { value: { type: 'conversations_select', selected_conversation: null } },
          },
        },
      },
    });
    expect(forged.json).toEqual({
      response_action: 'errors',
      errors: { name: 'In this workspace only @lee and workspace admins may create programs.' },
    });
    expect(await programs.findOne({ key: 'ops' })).toBeNull();

    expect((await ask(running, '/program', 'new ops "Ops"', { userId: LISTED })).all).toContain(
      'Created *Ops* (`ops`)',
    );
    expect((await ask(running, '/program', 'new infra "Infra"', { userId: ADMIN })).all).toContain(
      'Created *Infra* (`infra`)',
    );
    expect((await programs.find({}).toArray()).map((p) => p.key).sort()).toEqual([
      'checkout',
      'infra',
      'ops',
    ]);
  });

  it("stands the workspace's default timezone in for a user whose timezone Slack does not give", async () => {
    const scheduleTimezone = async (userId: string) => {
      const mark = markCalls(running);
      await running.driver.slashCommand({ command: '/program', text: 'schedule checkout', userId });
      const open = await nextCall(running, mark, 'views.open');
      const view = open.args.view as ShownView;
      return view.blocks.find((b) => b.block_id === 'timezone')?.element?.initial_value;
    };
    expect(await scheduleTimezone(NO_TZ)).toBe('Europe/London');
    await save({ timezone: 'Asia/Kolkata' });
    expect(await scheduleTimezone(NO_TZ)).toBe('Asia/Kolkata');
    // Someone whose timezone Slack gives keeps their own.
    expect(await scheduleTimezone(ADMIN)).toBe('Europe/Paris');
  });

  it('counts work as missing its update after the stale-after days set', async () => {
    clock = new Date(START.getTime() + 4 * 86_400_000);
    try {
      expect((await ask(running, '/program', 'preview checkout', { userId: ADMIN })).all).toContain(
        '*0* no update for over 12 days',
      );
      await save({ stale: '3' });
      expect((await ask(running, '/program', 'preview checkout', { userId: ADMIN })).all).toContain(
        '*1* no update for over 3 days',
      );
    } finally {
      clock = START;
    }
  });

  it('brings a blocker to its program owner after the escalation threshold set', async () => {
    const deps = {
      stores: running.cairn.services.stores,
      slackFor: running.cairn.services.slackFor,
      log: running.cairn.services.log,
    };
    const escalations = () =>
      running.slack
        .calls('chat.postMessage')
        .filter((c) => c.args.channel === NO_TZ && String(c.args.text).includes('Blocker open'));
    const day = 86_400_000;
    await save({ escalate: '2' });
    await runEscalationTick(deps, new Date(START.getTime() + day + 3_600_000));
    expect(escalations()).toHaveLength(0);
    // Two days: under the default of five, but past the threshold now set.
    await runEscalationTick(deps, new Date(START.getTime() + 2 * day + 3_600_000));
    expect(escalations()).toHaveLength(1);
    expect(JSON.stringify(escalations()[0]!.args.blocks)).toContain('open for 2 days');
  });
});
