/**
 * Issue 11 through the receiver: a marker seeded into every internal field (updates' summaries and
 * next steps, blockers, milestones, people's Slack ids in texts) never reaches a client. The client
 * preview, the client digest posted on demand and a scheduled client digest are scanned whole — main
 * message, thread, every call and answer made meanwhile, and any file the fake Slack keeps — for the
 * marker, for `<@` and for the people's ids; the team digest still shows it all. An internal program
 * has no client digest at all, and `internal:yes|no` round-trips on every command that takes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERNAL_PROGRAM_SKIP, runSchedulerTick } from '../../src/use-cases/scheduler.js';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { markCalls, nextCall } from '../support/clicks.js';
import { ask, type Answer } from '../support/conversation.js';
import { everyDocument, tenantCollection, testDatabase } from '../support/database.js';

const MARK = 'ZZINTERNALZZ';
/** In the other program's names: a client digest names no other program's work. */
const OTHER = 'ZZOTHERZZ';
const PM = 'U0PMZZ';
const LEAD_A = 'U0LEADAZZ';
const LEAD_B = 'U0LEADBZZ';
const AUTHOR = 'U0AUTHORZZ';
const PEOPLE = [PM, LEAD_A, LEAD_B, AUTHOR];
const HOME = 'C0HOMEZZ';
const CLIENT_CHANNEL = 'C0CLIENTZZ';

/** Wednesday 25 Nov 2026, 15:00 UTC; moved on by the tests, never read from the machine. */
let clock = new Date('2026-11-25T15:00:00Z');
const at = (iso: string) => (clock = new Date(iso));
let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

const as = (userId: string) => ({ userId, channelId: HOME });
/** The raw collection where the stores keep the workspace's documents of `base`. */
const raw = (base: string) => tenantCollection(db.connection, base, TEAM_ID);
const program = async () => (await raw('programs')).findOne({ key: 'checkout' });

/** Everything a client could be shown, as one text, checked for every internal thing at once. */
function expectClientSafe(what: string, payload: string): void {
  expect(payload.length, what).toBeGreaterThan(0);
  expect(payload, what).not.toContain(MARK);
  expect(payload, what).not.toContain('<@');
  expect(payload, what).not.toContain(OTHER);
  expect(payload, what).not.toContain('platform/');
  for (const id of PEOPLE) expect(payload, `${what}: ${id}`).not.toContain(id);
}

/** What the fake Slack received since `mark`: every call's arguments, every response_url body, every file. */
function receivedSince(mark: { calls: number; responses: number; files: number }): string {
  const calls = running.slack.calls().slice(mark.calls);
  const responses = running.slack.responses().slice(mark.responses);
  const files = running.slack.uploadedFiles().slice(mark.files);
  return [
    ...calls.map((c) => JSON.stringify({ method: c.method, args: c.args })),
    ...responses.map((r) => JSON.stringify(r.body)),
    ...files.map((f) => JSON.stringify({ ...f, bytes: undefined, content: f.bytes.toString('latin1') })),
  ].join('\n');
}

const markNow = () => ({
  calls: running.slack.calls().length,
  responses: running.slack.responses().length,
  files: running.slack.uploadedFiles().length,
});

const answerText = (a: Answer) => JSON.stringify({ text: a.text, blocks: a.blocks });

/** Runs the production scheduler tick once, at the app's clock. */
const tick = () =>
  runSchedulerTick(running.cairn.services, { replicaId: 'client-safety', graceMs: 6 * 3_600_000 }, clock);

async function submitUpdate(userId: string, values: Record<string, Record<string, unknown>>) {
  const response = await running.driver.viewSubmission({
    user: { id: userId, username: 'lead', name: 'lead', team_id: TEAM_ID },
    view: {
      id: `V${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
      callback_id: 'status_update',
      private_metadata: JSON.stringify({ channelId: HOME }),
      state: { values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }])) },
    },
  });
  expect(response.status).toBe(200);
  expect(response.text).not.toContain('errors');
}

beforeAll(async () => {
  db = await testDatabase('client-safety');
  running = await startCairn(db.connection, { now: () => clock, jobs: () => [] });
  running.slack.setRateLimiting(false);
  for (const id of PEOPLE) running.slack.setUser({ id, tz: 'UTC' });
  const setup: Array<[string, '/program' | '/status', string]> = [
    [PM, '/program', `new checkout "Checkout" channel:<#${HOME}|home> objective:"Cut abandonment"`],
    [PM, '/program', `add checkout pay "Payments" team:pay lead:<@${LEAD_A}|leada> due:2026-12-20`],
    [PM, '/program', `add checkout web "Web" team:web lead:<@${LEAD_B}|leadb> due:2026-12-22`],
    [PM, '/program', `add checkout docs "Docs" team:web lead:<@${LEAD_B}|leadb>`],
    [PM, '/program', `new platform "Platform ${OTHER}" channel:<#C0PLATFORM|platform>`],
    [PM, '/program', `add platform auth "Auth ${OTHER}" team:idp lead:<@${AUTHOR}|author>`],
    [PM, '/program', 'depend checkout/web on platform/auth by 2026-12-10 "SSO tokens"'],
    [AUTHOR, '/status', 'platform/auth amber forecast:2026-12-18 the IdP vendor slipped'],
    // Client-visible text, which a client digest shows (without the mentions).
    [LEAD_B, '/status', `web green internal:no Site copy drafted`],
    [LEAD_B, '/status', `docs green internal:no Copy approved by <@${LEAD_B}|leadb>`],
    [PM, '/program', 'blocker web "Waiting on brand assets" internal:no'],
    [PM, '/program', 'milestone checkout "Beta launch" 2026-12-10 needs:pay,web'],
    // Internal text in every field that takes it.
    [AUTHOR, '/status', `pay red internal:yes ${MARK} vendor failing, ask <@${LEAD_A}|leada>`],
    [PM, '/program', `blocker pay "${MARK} budget freeze, says <@${PM}|pm>"`],
    [PM, '/program', `blocker pay "${MARK} legal hold on <@${AUTHOR}>" internal:yes`],
    [PM, '/program', `milestone checkout "${MARK} board review" 2026-12-05 needs:pay internal:yes`],
    // Blocked, with no internal: the update is client-visible, the blocker it opens internal.
    [LEAD_A, '/status', `web blocked staging is down`],
  ];
  for (const [userId, command, text] of setup) {
    const answer = await ask(running, command, text, as(userId));
    expect(answer.all, text).not.toContain(':warning:');
  }
  // The update form: an internal update with next steps and a blocker (its blockers left internal).
  const workstream = await (await raw('workstreams')).findOne({ key: 'web' });
  clock = new Date('2026-11-25T15:01:00Z');
  await submitUpdate(LEAD_B, {
    workstream: { type: 'static_select', selected_option: { value: String(workstream?._id) } },
    health: { type: 'radio_buttons', selected_option: { value: 'at_risk' } },
    progress: { type: 'number_input', value: '40' },
    summary: { type: 'plain_text_input', value: `${MARK} modal summary for <@${LEAD_B}>` },
    next_steps: { type: 'plain_text_input', value: `${MARK} next steps with <@${PM}>` },
    blockers: { type: 'plain_text_input', value: `${MARK} modal blocker` },
    forecast: { type: 'datepicker', selected_date: null },
    audience: { type: 'checkboxes', selected_options: [{ value: 'internal' }] },
  });
}, 60_000);
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('what was recorded', () => {
  it('keeps internal:yes|no on updates, blockers and milestones, blockers internal by default', async () => {
    const updates = (await everyDocument(db.connection, 'updates')).sort(
      (a, b) => (a.createdAt as Date).getTime() - (b.createdAt as Date).getTime(),
    );
    const internalOf = (summary: string) =>
      updates.find((u) => String(u.summary).startsWith(summary))?.internal;
    expect(internalOf('Copy approved')).toBe(false);
    expect(internalOf('Site copy drafted')).toBe(false);
    expect(internalOf(`${MARK} vendor failing`)).toBe(true);
    expect(internalOf(`${MARK} modal summary`)).toBe(true);
    expect(internalOf('staging is down')).toBeUndefined();
    const blockers = await everyDocument(db.connection, 'blockers');
    const blocker = (text: string) => blockers.find((b) => String(b.text).startsWith(text))?.internal;
    expect(blocker('Waiting on brand assets')).toBe(false);
    expect(blocker(`${MARK} budget freeze`)).toBe(true);
    expect(blocker(`${MARK} legal hold`)).toBe(true);
    expect(blocker(`${MARK} modal blocker`)).toBe(true);
    expect(blocker('staging is down')).toBe(true);
    const milestones = await everyDocument(db.connection, 'milestones');
    expect(milestones.map((m) => [m.name, m.internal])).toEqual(
      expect.arrayContaining([
        ['Beta launch', false],
        [`${MARK} board review`, true],
      ]),
    );
  });

  it('says in each answer whether what it recorded is internal', async () => {
    clock = new Date('2026-11-25T15:02:00Z');
    const update = await ask(running, '/status', `pay red internal:yes ${MARK} still failing`, as(AUTHOR));
    expect(update.all).toContain('Internal: client digests show its health, not its words.');
    const blocker = await ask(running, '/program', 'blocker pay "Another hold"', as(PM));
    expect(blocker.all).toContain('Internal: client digests show it as “an internal blocker”');
    const visible = await ask(running, '/program', 'blocker pay "Public hold" internal:no', as(PM));
    expect(visible.all).toContain('Client-visible: client digests show its text.');
    const milestone = await ask(
      running,
      '/program',
      'milestone checkout "Audit" 2027-01-15 internal:yes',
      as(PM),
    );
    expect(milestone.all).toContain('Added internal milestone *Audit*');
  });

  it('refuses internal:perhaps on every command that takes internal:, recording nothing', async () => {
    const count = async () =>
      Promise.all(
        ['updates', 'blockers', 'milestones'].map(
          async (c) => (await everyDocument(db.connection, c)).length,
        ),
      );
    const before = await count();
    const update = await ask(running, '/status', 'pay green internal:perhaps fine', as(LEAD_A));
    expect(update.all).toContain(
      '`internal:` is `yes` (its summary and next steps stay out of client digests) or `no`, not `perhaps`; nothing was recorded.',
    );
    const blocker = await ask(running, '/program', 'blocker pay "x" internal:perhaps', as(PM));
    expect(blocker.all).toContain(
      "`internal:` is `yes` (the blocker's text stays out of client digests) or `no`, not `internal:perhaps`; nothing was added.",
    );
    const milestone = await ask(
      running,
      '/program',
      'milestone checkout "x" 2027-01-20 internal:perhaps',
      as(PM),
    );
    expect(milestone.all).toContain('not `internal:perhaps`; nothing was added.');
    expect(await count()).toEqual(before);
  });
});

describe('while the program is internal', () => {
  it('the team preview still shows internal text, people and buttons', async () => {
    const answer = await ask(running, '/program', 'preview checkout', as(PM));
    const text = answerText(answer);
    expect(text).toContain(`${MARK} modal summary`);
    expect(text).toContain(`${MARK} board review`);
    expect(text).toContain(`<@${LEAD_A}>`);
    expect(text).toContain('Auth');
  });

  it('refuses a client preview and a client digest, saying how to make it client-facing', async () => {
    const mark = markNow();
    for (const sub of ['preview', 'digest']) {
      const answer = await ask(running, '/program', `${sub} checkout as:client`, as(PM));
      expect(answer.all).toContain(
        '`checkout` is an internal program, so it has no client digest: nothing was shown or posted. Its owner, an admin or a workspace admin can make it client-facing with `/program set checkout audience:client`',
      );
    }
    expect(
      running.slack
        .calls()
        .slice(mark.calls)
        .map((c) => c.method),
    ).not.toContain('chat.postMessage');
  });

  it('skips a scheduled client digest with its reason recorded, posting nothing', async () => {
    // `/program schedule checkout`, and the modal submitted: every day at 16:00 UTC, for clients.
    const mark = markCalls(running);
    const command = await running.driver.slashCommand({
      command: '/program',
      text: 'schedule checkout',
      userId: PM,
    });
    expect(command.status).toBe(200);
    const open = await nextCall(running, mark, 'views.open');
    const submitted = await running.driver.viewSubmission({
      user: { id: PM, username: 'pm', name: 'pm', team_id: TEAM_ID },
      view: {
        ...(open.response.view as Record<string, unknown>),
        state: {
          values: {
            channel: { value: { type: 'conversations_select', selected_conversation: CLIENT_CHANNEL } },
            days: {
              value: {
                type: 'checkboxes',
                selected_options: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((value) => ({
                  value,
                })),
              },
            },
            time: { value: { type: 'timepicker', selected_time: '16:00' } },
            timezone: { value: { type: 'plain_text_input', value: 'UTC' } },
            variant: { value: { type: 'radio_buttons', selected_option: { value: 'client' } } },
            reminder: { value: { type: 'static_select', selected_option: { value: '0' } } },
          },
        },
      },
    });
    expect(submitted.status).toBe(200);
    expect(await db.connection.collection('digest_schedules').countDocuments({ variant: 'client' })).toBe(1);
    const confirmation = await nextCall(running, mark, 'chat.postMessage');
    expect(JSON.stringify(confirmation.args.blocks)).toContain(
      '`checkout` is internal, so each run is skipped (and recorded as skipped) until it is made client-facing',
    );

    at('2026-11-25T16:05:00Z');
    const report = await tick();
    expect(report).toMatchObject({ claimed: 1, posted: 0, skipped: 1, failed: 0 });
    const run = await (await raw('digest_runs')).findOne({ channelId: CLIENT_CHANNEL });
    expect(run).toMatchObject({ state: 'skipped', error: INTERNAL_PROGRAM_SKIP });
    expect(running.slack.messages(CLIENT_CHANNEL)).toEqual([]);
  });
});

describe('making it client-facing', () => {
  it('is refused to a lead, naming who may', async () => {
    const answer = await ask(running, '/program', 'set checkout audience:client', as(LEAD_A));
    expect(answer.all).toContain(
      `Only the owner of \`checkout\` (<@${PM}>), its admins or a workspace admin may change its audience.`,
    );
    expect((await program())?.audience).toBe('internal');
  });

  it('is done by the owner, audited with before and after', async () => {
    at('2026-11-25T16:10:00Z');
    const answer = await ask(running, '/program', 'set checkout audience:client', as(PM));
    expect(answer.all).toContain('*Checkout* (`checkout`) is now client-facing (it was internal).');
    expect((await program())?.audience).toBe('external');
    const event = await (await raw('audit_events')).findOne({ action: 'program.changed' });
    expect(event).toMatchObject({
      actorId: PM,
      target: { kind: 'program', key: 'checkout' },
      details: { before: { audience: 'internal' }, after: { audience: 'external' } },
    });
    const again = await ask(running, '/program', 'set checkout audience:client', as(PM));
    expect(again.all).toContain('is client-facing already. Nothing changed.');
    expect(await everyDocument(db.connection, 'audit_events', { action: 'program.changed' })).toHaveLength(1);
    expect((await ask(running, '/program', 'show checkout', as(PM))).all).toContain('client-facing');
  });
});

describe('the client digest', () => {
  it('previewed, shows only client-visible text: no marker, mention, id, other program or button', async () => {
    const mark = markNow();
    const answer = await ask(running, '/program', 'preview checkout as:client', as(PM));
    const text = answerText(answer);
    expect(text).toContain('client digest');
    // Slack sends `<@U…|name>`; Cairn stores `<@U…>`, which a client digest shows as `@someone`.
    expect(text).toContain('Copy approved by @someone');
    expect(text).toContain('Waiting on brand assets');
    expect(text).toContain('Beta launch');
    expect(text).toContain('_an internal blocker_');
    expect(text).toContain('_work in another program_');
    expect(answer.blocks.filter((b) => b.type === 'actions')).toEqual([]);
    expectClientSafe('client preview', text);
    expectClientSafe('everything sent while previewing', receivedSince(mark));
  });

  it('posted on demand, carries none of it in its message, its thread or anything else sent', async () => {
    at('2026-11-25T16:20:00Z');
    const mark = markNow();
    const answer = await ask(running, '/program', 'digest checkout as:client', as(PM));
    expect(answer.all).toContain(`Posted the client digest of *Checkout* to <#${HOME}>.`);
    const posts = running.slack
      .calls()
      .slice(mark.calls)
      .filter((c) => c.method === 'chat.postMessage');
    const main = posts.find((c) => c.args.channel === HOME && !c.args.thread_ts)!;
    expect(main).toBeDefined();
    const thread = posts.filter((c) => c.args.thread_ts === main.response.ts);
    expect(thread.length).toBeGreaterThan(0);
    for (const post of [main, ...thread]) {
      const blocks = post.args.blocks as Array<{ type: string }>;
      expect(blocks.filter((b) => b.type === 'actions')).toEqual([]);
    }
    const sent = receivedSince(mark);
    expect(sent).not.toContain('blocker_resolve');
    expect(sent).not.toContain('digest_nudge');
    expect(sent).not.toContain('digest_post_update');
    expectClientSafe('client digest', sent);
    // What the channel holds of it, main message and thread, read back from the fake.
    const stored = running.slack
      .messages(HOME)
      .filter((m) => m.ts === main.response.ts || m.thread_ts === main.response.ts);
    expectClientSafe('client digest as stored', JSON.stringify(stored));
    const run = await (await raw('digest_runs')).findOne({ ts: main.response.ts });
    expect(run?.scheduleKey).toMatch(/^on-demand:[0-9a-f]{24}:client$/);
  });

  it('scheduled, is posted at the next slot and carries none of it either', async () => {
    at('2026-11-26T16:05:00Z');
    const mark = markNow();
    const report = await tick();
    expect(report).toMatchObject({ claimed: 1, posted: 1, skipped: 0, failed: 0 });
    const messages = running.slack.messages(CLIENT_CHANNEL);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.some((m) => m.thread_ts)).toBe(true);
    expectClientSafe('scheduled client digest', JSON.stringify(messages));
    expectClientSafe('everything sent by the scheduled run', receivedSince(mark));
    expectClientSafe(
      'files shared in the client channel',
      JSON.stringify(
        running.slack.uploadedFiles(CLIENT_CHANNEL).map((f) => ({ ...f, bytes: f.bytes.toString('latin1') })),
      ) + ' ',
    );
  });

  it('leaves the team digest as it was: internal text, people and buttons', async () => {
    at('2026-11-26T16:30:00Z');
    const mark = markNow();
    const answer = await ask(running, '/program', 'digest checkout', as(PM));
    expect(answer.all).toContain(`Posted the digest of *Checkout* to <#${HOME}>.`);
    const sent = receivedSince(mark);
    expect(sent).toContain(`${MARK} still failing`);
    expect(sent).toContain(`${MARK} budget freeze`);
    expect(sent).toContain(`${MARK} next steps`);
    expect(sent).toContain(`<@${LEAD_A}>`);
    expect(sent).toContain('blocker_resolve');
    expect(sent).toContain('digest_post_update');
  });

  it('is refused again once the program is internal again', async () => {
    await ask(running, '/program', 'set checkout audience:internal', as(PM));
    const answer = await ask(running, '/program', 'preview checkout as:client', as(PM));
    expect(answer.all).toContain('`checkout` is an internal program, so it has no client digest');
  });
});
