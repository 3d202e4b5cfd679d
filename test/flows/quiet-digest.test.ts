/**
 * Quiet when nothing changed (issue 15, point 2), through the signed receiver, the fake Slack and the
 * real database, with the app's clock (and Slack's) pinned: `quiet` is set in the schedule modal; a
 * quiet schedule's first digest is the full one; a slot with nothing changed since the previous
 * digest posts one line (no thread, no charts), once, and records the run with its snapshot; after
 * an update the next slot posts the full digest again; a schedule with quiet off always posts it
 * in full. The option applies to the leadership variant as to the team's, and a follower gets the
 * same line by DM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSchedulerTick, type TickReport } from '../../src/use-cases/scheduler.js';
import { BOT_TOKEN, startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { textOf, type RenderedBlock } from '../support/clicks.js';
import { ask } from '../support/conversation.js';
import { everyDocument, testDatabase } from '../support/database.js';
import { FakeSlack, type FakeMessage } from '../support/fake-slack.js';

const PM = 'U0PM';
const LEAD = 'U0LEAD';
/** Follows `checkout`: gets each schedule's digest by DM. */
const FAN = 'U0FAN';
const HOME = 'C0CHECKOUT';
/** The team digest, quiet. */
const QUIET = 'C0QUIET';
/** The leadership digest, quiet. */
const LEADERS = 'C0LEADERS';
/** The team digest, quiet off. */
const FULL = 'C0FULL';

/** Set up on Sunday 29 Nov 2026; the schedules post daily at 09:00 UTC. */
let clock = new Date('2026-11-29T10:00:00Z');
const SLOT_1 = new Date('2026-11-30T09:00:00Z');
const SLOT_2 = new Date('2026-12-01T09:00:00Z');
const SLOT_3 = new Date('2026-12-02T09:00:00Z');
const SLOT_4 = new Date('2026-12-03T09:00:00Z');
const SLOT_5 = new Date('2026-12-04T09:00:00Z');
const SLOT_6 = new Date('2026-12-05T09:00:00Z');
const later = (at: Date, ms: number) => new Date(at.getTime() + ms);

let db: Awaited<ReturnType<typeof testDatabase>>;
let slack: FakeSlack;
let running: RunningCairn;

const topLevel = (messages: FakeMessage[]) => messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts);
const runIdOf = (m: FakeMessage) =>
  (m.metadata as { event_payload?: { run_id?: string } } | undefined)?.event_payload?.run_id;
const digestsIn = (where: string) => topLevel(slack.messages(where)).filter((m) => runIdOf(m) !== undefined);
const repliesTo = (where: string, m: FakeMessage) =>
  slack.messages(where).filter((r) => r.thread_ts === m.ts && r.ts !== m.ts);
const scheduleIn = async (channelId: string) =>
  (await everyDocument(db.connection, 'digest_schedules', { channelId }))[0]!;
const runOf = async (channelId: string, slot: Date) =>
  (
    await everyDocument(db.connection, 'digest_runs', {
      scheduleKey: String((await scheduleIn(channelId))._id),
      slot,
    })
  )[0]!;
/** The digest a slot posted in a channel: it must be exactly one. */
async function postedAt(channelId: string, slot: Date): Promise<FakeMessage> {
  const run = await runOf(channelId, slot);
  expect(run.state).toBe('posted');
  const found = digestsIn(channelId).filter((m) => runIdOf(m) === String(run._id));
  expect(found, `${channelId} at ${slot.toISOString()}`).toHaveLength(1);
  return found[0]!;
}

async function tick(at: Date, ...replicas: string[]): Promise<TickReport[]> {
  clock = at;
  const options = { graceMs: 6 * 3_600_000, staleClaimMs: 120_000, retryDelayMs: 1_000 };
  return Promise.all(
    replicas.map((replicaId) => runSchedulerTick(running.cairn.services, { ...options, replicaId }, at)),
  );
}

type Values = Record<string, Record<string, Record<string, unknown>>>;
const values = (channelId: string, variant: string, quiet?: string): Values => ({
  channel: { value: { type: 'conversations_select', selected_conversation: channelId } },
  days: {
    value: {
      type: 'checkboxes',
      selected_options: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((value) => ({ value })),
    },
  },
  time: { value: { type: 'timepicker', selected_time: '09:00' } },
  timezone: { value: { type: 'plain_text_input', value: 'UTC' } },
  variant: { value: { type: 'radio_buttons', selected_option: { value: variant } } },
  reminder: { value: { type: 'static_select', selected_option: { value: '0' } } },
  ...(quiet ? { quiet: { value: { type: 'radio_buttons', selected_option: { value: quiet } } } } : {}),
});
const submit = (v: Values) =>
  running.driver.viewSubmission({
    user: { id: PM, username: PM, name: PM, team_id: TEAM_ID },
    view: {
      id: `V${Math.random().toString(36).slice(2, 9).toUpperCase()}`,
      callback_id: 'schedule_new',
      private_metadata: JSON.stringify({ programKey: 'checkout' }),
      state: { values: v },
    },
  });

beforeAll(async () => {
  db = await testDatabase('quiet-digest');
  slack = await FakeSlack.start({ botToken: BOT_TOKEN, teamId: TEAM_ID, now: () => clock.getTime() });
  running = await startCairn(db.connection, { now: () => clock, slack, jobs: () => [] });
  slack.setRateLimiting(false);
  for (const id of [PM, LEAD, FAN]) slack.setUser({ id, tz: 'UTC' });
  for (const text of [
    `new checkout "Checkout revamp" channel:<#${HOME}|checkout>`,
    `add checkout web "Web checkout" team:web lead:<@${LEAD}>`,
    `add checkout api "Checkout API" team:api lead:<@${PM}>`,
  ]) {
    expect((await ask(running, '/program', text, { userId: PM })).all, text).not.toContain(':warning:');
  }
  await ask(running, '/status', 'web green on plan', { userId: LEAD });
  await ask(running, '/status', 'api amber waiting on the PCI audit', { userId: PM });
  expect((await ask(running, '/program', 'follow checkout', { userId: FAN })).all).toContain(
    'You now follow',
  );
});
afterAll(async () => {
  await running?.stop();
  await slack?.stop();
  await db?.drop();
});

describe('quiet: yes|no in the schedule modal', () => {
  it('refuses a quiet value that is not one of the options, naming the field', async () => {
    const response = await submit(values(QUIET, 'team', 'sometimes'));
    expect(response.json).toEqual({
      response_action: 'errors',
      errors: { quiet: 'Choose whether to post one line when nothing changed.' },
    });
    expect(await everyDocument(db.connection, 'digest_schedules')).toEqual([]);
  });

  it('saves quiet on or off as chosen (off when the form has no answer), and the list says which', async () => {
    for (const v of [
      values(QUIET, 'team', 'yes'),
      values(LEADERS, 'leadership', 'yes'),
      values(FULL, 'team'),
    ]) {
      const response = await submit(v);
      expect(response.status).toBe(200);
      expect(response.text).toBe('');
    }
    expect((await scheduleIn(QUIET)).quiet).toBe(true);
    expect((await scheduleIn(LEADERS)).quiet).toBe(true);
    expect((await scheduleIn(FULL)).quiet).toBe(false);
    const list = await ask(running, '/program', 'schedules checkout', { userId: PM });
    expect(list.all).toContain(
      `team digest in <#${QUIET}>, every day at 09:00 (UTC), quiet (one line when nothing changed) — next`,
    );
    expect(list.all).toContain(
      `leadership digest in <#${LEADERS}>, every day at 09:00 (UTC), quiet (one line when nothing changed) — next`,
    );
    expect(list.all).toContain(`team digest in <#${FULL}>, every day at 09:00 (UTC) — next`);
    const confirmations = slack.messages(PM).map((m) => m.text);
    expect(confirmations.filter((t) => t?.includes('Quiet: one line when nothing changed'))).toHaveLength(2);
  });
});

describe('a quiet schedule at its slots', () => {
  it("posts a schedule's first digest in full, whatever its quiet option", async () => {
    const reports = await tick(later(SLOT_1, 30_000), 'replica-a', 'replica-b');
    expect(reports.reduce((n, r) => n + r.posted, 0)).toBe(3);
    for (const channel of [QUIET, LEADERS, FULL]) {
      const digest = await postedAt(channel, SLOT_1);
      expect(digest.text).not.toContain('No change since');
      expect(textOf(digest.blocks as RenderedBlock[])).toContain('on track');
    }
    // The team digests have their thread and charts.
    for (const channel of [QUIET, FULL]) {
      expect(repliesTo(channel, await postedAt(channel, SLOT_1)).length).toBeGreaterThan(0);
      expect(slack.uploadedFiles(channel).length).toBeGreaterThan(0);
    }
  });

  it('posts exactly one line when nothing changed since the previous digest: no thread, no charts', async () => {
    const filesBefore = slack.uploadedFiles(QUIET).length;
    const reports = await tick(later(SLOT_2, 30_000), 'replica-a', 'replica-b');
    expect(reports.reduce((n, r) => n + r.posted, 0)).toBe(3);
    // The same minute again: nothing more.
    await tick(later(SLOT_2, 75_000), 'replica-b', 'replica-a');

    const line = 'No change since Mon 30 Nov — 1 on track, 1 at risk';
    for (const channel of [QUIET, LEADERS]) {
      const quiet = await postedAt(channel, SLOT_2);
      expect(quiet.text).toBe(`Checkout revamp — ${line}`);
      expect(quiet.blocks).toHaveLength(1);
      expect(textOf(quiet.blocks as RenderedBlock[])).toBe(`*Checkout revamp* (\`checkout\`) — ${line}`);
      expect(repliesTo(channel, quiet)).toEqual([]);
      // Recorded as posted, with its snapshot, for the next digest to measure from.
      const run = await runOf(channel, SLOT_2);
      expect(run.ts).toBe(quiet.ts);
      expect(Object.keys((run.snapshot as { workstreams: object }).workstreams)).toHaveLength(2);
    }
    expect(slack.uploadedFiles(QUIET)).toHaveLength(filesBefore);
    // Quiet off: the full digest, with its thread, even with nothing changed.
    const full = await postedAt(FULL, SLOT_2);
    expect(full.text).not.toContain('No change since');
    expect(repliesTo(FULL, full).length).toBeGreaterThan(0);
  });

  it('sends a follower the same one line by DM, without a thread', async () => {
    const run = await runOf(QUIET, SLOT_2);
    const dms = digestsIn(FAN).filter((m) => runIdOf(m) === String(run._id));
    expect(dms).toHaveLength(1);
    const dm = dms[0]!;
    const channel = await postedAt(QUIET, SLOT_2);
    expect(dm.text).toBe(channel.text);
    const blocks = dm.blocks as RenderedBlock[];
    expect(blocks.slice(0, -1)).toEqual(channel.blocks);
    expect(textOf(blocks.slice(-1))).toContain('You follow *Checkout revamp*');
    expect(repliesTo(FAN, dm)).toEqual([]);
    // The follower's DM of the schedule with quiet off is the full digest.
    const fullRun = await runOf(FULL, SLOT_2);
    const [fullDm] = digestsIn(FAN).filter((m) => runIdOf(m) === String(fullRun._id));
    expect(fullDm!.text).not.toContain('No change since');
  });

  it('posts the full digest again after an update, then is quiet again since that digest', async () => {
    clock = later(SLOT_2, 3_600_000);
    await ask(running, '/status', 'web amber the payment provider is late', { userId: LEAD });
    await tick(later(SLOT_3, 30_000), 'replica-a');
    for (const channel of [QUIET, LEADERS, FULL]) {
      const digest = await postedAt(channel, SLOT_3);
      expect(digest.text, channel).not.toContain('No change since');
      expect(JSON.stringify(digest.blocks)).toContain('Web checkout');
    }
    expect(repliesTo(QUIET, await postedAt(QUIET, SLOT_3)).length).toBeGreaterThan(0);

    await tick(later(SLOT_4, 30_000), 'replica-a');
    for (const channel of [QUIET, LEADERS]) {
      expect((await postedAt(channel, SLOT_4)).text).toBe(
        'Checkout revamp — No change since Wed 2 Dec — 0 on track, 2 at risk',
      );
    }
    expect((await postedAt(FULL, SLOT_4)).text).not.toContain('No change since');
    // Each slot of each schedule posted once.
    for (const channel of [QUIET, LEADERS, FULL]) expect(digestsIn(channel)).toHaveLength(4);
  });

  it('sends the one line to a follower whose DM is taken over on a later tick, as the channel got it', async () => {
    // Every DM of the slot fails at first; the tick after a stale claim's time goes through them again.
    slack.injectError('conversations.open', { error: 'internal_error', times: 3 });
    await tick(later(SLOT_5, 30_000), 'replica-a');
    const quietRun = await runOf(QUIET, SLOT_5);
    const fullRun = await runOf(FULL, SLOT_5);
    const dmOf = (run: Record<string, unknown>) =>
      digestsIn(FAN).filter((m) => runIdOf(m) === String(run._id));
    expect(dmOf(quietRun)).toEqual([]);
    await tick(later(SLOT_5, 30_000 + 180_000), 'replica-a', 'replica-b');
    const [dm] = dmOf(quietRun);
    expect(dm?.text).toBe('Checkout revamp — No change since Thu 3 Dec — 0 on track, 2 at risk');
    expect(dm?.text).toBe((await postedAt(QUIET, SLOT_5)).text);
    expect(repliesTo(FAN, dm!)).toEqual([]);
    expect(dmOf(fullRun)[0]?.text).not.toContain('No change since');
  });

  it('takes an update that keeps the same health as a change: the full digest', async () => {
    clock = later(SLOT_5, 3_600_000);
    await ask(running, '/status', 'api amber the audit moved to Monday', { userId: PM });
    await tick(later(SLOT_6, 30_000), 'replica-a');
    for (const channel of [QUIET, LEADERS])
      expect((await postedAt(channel, SLOT_6)).text, channel).not.toContain('No change since');
    expect(repliesTo(QUIET, await postedAt(QUIET, SLOT_6)).length).toBeGreaterThan(0);
  });
});
