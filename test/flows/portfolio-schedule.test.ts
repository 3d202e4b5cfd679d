/**
 * A portfolio's leadership digest on a schedule (SPEC §7), through the receiver: `/program portfolio
 * schedule` opens the schedule modal (no audience, no reminders: a portfolio's digest is for
 * leadership and chases nobody), its submission stores the schedule, and two replicas ticking at once
 * post each slot once, with the portfolio's health chart in the thread; the next slot's trend and
 * chart count the scheduled digests before it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReminderTick } from '../../src/use-cases/reminders.js';
import { runSchedulerTick } from '../../src/use-cases/scheduler.js';
import { validateMessageBlocks } from '../support/block-kit-limits.js';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import {
  ACTION,
  answerTo,
  clickInMessage,
  ephemeralMessage,
  findButton,
  markCalls,
  nextCall,
  textOf,
  type RenderedBlock,
} from '../support/clicks.js';
import { ask } from '../support/conversation.js';
import { tenantCollection, testDatabase } from '../support/database.js';
import { decode, colourCounts } from '../charts/png.js';

const PM = 'U0PM';
const OTHER = 'U0OTHER';
const LEADS = 'C0LEADS';
/** Wednesday 25 Nov 2026, 15:00 UTC: the world is made and the schedule set (Mondays 09:00 London). */
let clock = new Date('2026-11-25T15:00:00Z');
/** The first slot: Monday 30 Nov, 09:00 GMT. */
const FIRST_SLOT = new Date('2026-11-30T09:00:00Z');
const SECOND_SLOT = new Date('2026-12-07T09:00:00Z');

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

const scheduleDoc = () => db.connection.collection('digest_schedules').findOne({ portfolioKey: 'emea' });
const digestsIn = (channel: string) =>
  running.slack.calls('chat.postMessage').filter((c) => c.args.channel === channel && !c.args.thread_ts);
const textOfPost = (call: { args: Record<string, unknown> }) =>
  [String(call.args.text), textOf((call.args.blocks ?? []) as RenderedBlock[])].join('\n');

/** Two replicas tick at once, as two processes would at the same minute. */
async function tickTwice(at: Date) {
  clock = at;
  const deps = running.cairn.services;
  const options = { graceMs: 6 * 3_600_000, staleClaimMs: 120_000, retryDelayMs: 1_000 };
  return Promise.all([
    runSchedulerTick(deps, { ...options, replicaId: 'replica-a' }, at),
    runSchedulerTick(deps, { ...options, replicaId: 'replica-b' }, at),
  ]);
}

beforeAll(async () => {
  db = await testDatabase('portfolio-schedule');
  running = await startCairn(db.connection, { now: () => clock });
  running.slack.setRateLimiting(false);
  running.slack.setUser({ id: PM, tz: 'Europe/London' });
  running.slack.setUser({ id: OTHER, tz: 'UTC' });
  for (const text of [
    'new checkout "Checkout" channel:<#C0CHECKOUT|checkout>',
    'new payments "Payments" channel:<#C0PAYMENTS|payments>',
    `add checkout ui "Checkout UI" team:web lead:<@${PM}> due:2026-12-20`,
    `add payments api "Payments API" team:pay lead:<@${PM}>`,
    'depend checkout/ui on payments/api by 2026-12-10 "Card API"',
    'portfolio new emea "EMEA launches"',
    'portfolio add emea checkout payments',
  ]) {
    const answer = await ask(running, '/program', text, { userId: PM });
    expect(answer.all, text).not.toContain(':warning:');
  }
  await ask(running, '/status', 'checkout/ui green forecast:2026-12-12 on plan', { userId: PM });
  await ask(running, '/status', 'payments/api green forecast:2026-12-07 on plan', { userId: PM });
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('a portfolio digest on a schedule', () => {
  it('is scheduled only by whoever made the portfolio (or a workspace admin), and the refusal says who may', async () => {
    const mark = markCalls(running);
    const refused = await ask(running, '/program', 'portfolio schedule emea', { userId: OTHER });
    expect(refused.all).toContain(
      'Only whoever made the portfolio `emea` (<@U0PM>) or a workspace admin may change it.',
    );
    expect(running.slack.calls('views.open').filter((c) => !mark.has(c))).toEqual([]);
    expect((await ask(running, '/program', 'portfolio schedule nope', { userId: PM })).all).toContain(
      'There is no portfolio `nope` here.',
    );
  });

  it('opens the schedule modal without audience or reminders, and stores what is submitted', async () => {
    const mark = markCalls(running);
    const command = await running.driver.slashCommand({
      command: '/program',
      text: 'portfolio schedule emea',
      userId: PM,
    });
    expect(command.status).toBe(200);
    const open = await nextCall(running, mark, 'views.open');
    expect(open.response.ok).toBe(true);
    const modal = open.response.view as { private_metadata: string; blocks: Array<{ block_id?: string }> };
    expect(JSON.parse(modal.private_metadata)).toEqual({ portfolioKey: 'emea' });
    expect(modal.blocks.map((b) => b.block_id).filter(Boolean)).toEqual([
      'channel',
      'days',
      'time',
      'timezone',
    ]);
    expect(textOf(modal.blocks as RenderedBlock[])).toContain(
      'The leadership digest of the portfolio *EMEA launches* (`emea`)',
    );

    const submitted = await running.driver.viewSubmission({
      user: { id: PM, username: 'pm', name: 'pm', team_id: TEAM_ID },
      view: {
        ...modal,
        state: {
          values: {
            channel: { value: { type: 'conversations_select', selected_conversation: LEADS } },
            days: { value: { type: 'checkboxes', selected_options: [{ value: 'mon' }] } },
            time: { value: { type: 'timepicker', selected_time: '09:00' } },
            timezone: { value: { type: 'plain_text_input', value: 'Europe/London' } },
          },
        },
      },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.text).toBe('');
    const stored = await scheduleDoc();
    expect(stored).toMatchObject({
      teamId: TEAM_ID,
      portfolioKey: 'emea',
      channelId: LEADS,
      days: ['mon'],
      time: '09:00',
      timezone: 'Europe/London',
      variant: 'leadership',
      reminderLeadMinutes: 0,
      paused: false,
    });
    expect(stored?.programId).toBeUndefined();
    expect((stored?.nextSlotAt as Date).toISOString()).toBe(FIRST_SLOT.toISOString());

    const listed = await ask(running, '/program', 'portfolio schedules emea', { userId: OTHER });
    expect(listed.all).toContain('*Digest schedules of the portfolio EMEA launches* (`emea`)');
    expect(listed.all).toContain(
      '• leadership digest in <#C0LEADS>, Mon at 09:00 (Europe/London) — next Mon 30 Nov',
    );
  });

  it('sends no reminders of its own', async () => {
    const mark = markCalls(running);
    const sent = await runReminderTick(
      running.cairn.services,
      'replica-a',
      new Date(FIRST_SLOT.getTime() - 3_600_000),
    );
    expect(sent.sent).toBe(0);
    expect(running.slack.calls('chat.postMessage').filter((c) => !mark.has(c))).toEqual([]);
  });

  it('posts each slot once however many replicas tick, with the portfolio chart in its thread', async () => {
    const reports = await tickTwice(new Date(FIRST_SLOT.getTime() + 30_000));
    expect(reports.reduce((n, r) => n + r.posted, 0)).toBe(1);
    const posts = digestsIn(LEADS);
    expect(posts).toHaveLength(1);
    const text = textOfPost(posts[0]!);
    expect(text).toContain('Portfolio: EMEA launches');
    expect(text).toContain('EMEA launches — 0 off track, 0 at risk, 2 on track across 2 programs');
    expect(validateMessageBlocks(posts[0]!.args.blocks as unknown[])).toEqual([]);

    const run = await (
      await tenantCollection(db.connection, 'digest_runs', TEAM_ID)
    ).findOne({ scheduleKey: String((await scheduleDoc())?._id) });
    expect(run).toMatchObject({ state: 'posted', channelId: LEADS });
    expect(run?.programId).toBeUndefined();
    expect(Object.keys(run?.portfolioCounts ?? {})).toHaveLength(2);

    const charts = running.slack.uploadedFiles(LEADS);
    expect(charts).toHaveLength(1);
    expect(charts[0]).toMatchObject({
      filename: 'portfolio-emea-health.png',
      threadTs: posts[0]!.response.ts,
    });
    expect(charts[0]!.altText).toContain('Health of EMEA launches at the last digest');
    const image = decode(charts[0]!.bytes);
    expect([image.width, image.height]).toEqual([800, 400]);
    expect(colourCounts(image).size).toBeGreaterThan(20);

    // The same minute again, later in the tick: nothing more.
    await tickTwice(new Date(FIRST_SLOT.getTime() + 90_000));
    expect(digestsIn(LEADS)).toHaveLength(1);
  });

  it('tells the next slot what changed: the trend and the chart count the scheduled digest before it', async () => {
    clock = new Date('2026-12-03T10:00:00Z');
    await ask(running, '/status', 'payments/api amber forecast:2026-12-16 vendor slipped', { userId: PM });
    // Caught up within the grace period: the replicas were down at 09:00.
    await tickTwice(new Date(SECOND_SLOT.getTime() + 2 * 3_600_000));
    const posts = digestsIn(LEADS);
    expect(posts).toHaveLength(2);
    const text = textOfPost(posts[1]!);
    expect(text).toContain('trouble 0 → 1');
    const charts = running.slack.uploadedFiles(LEADS);
    expect(charts).toHaveLength(2);
    expect(charts[1]!.threadTs).toBe(posts[1]!.response.ts);
    expect(charts[1]!.altText).toContain('at each of the last 2 digests');
  });

  it('is paused and removed from its list by whoever made it, and the list is redrawn in place; others are refused', async () => {
    const id = String((await scheduleDoc())?._id);
    const shown = ephemeralMessage(
      await ask(running, '/program', 'portfolio schedules emea', { userId: PM }),
    );
    const pause = findButton(shown.blocks, ACTION.schedulePause, id);

    const refused = await answerTo(running, await clickInMessage(running, OTHER, shown, pause));
    expect(JSON.stringify(refused)).toContain('Only whoever made the portfolio `emea`');
    expect((await scheduleDoc())?.paused).toBe(false);

    const paused = await answerTo(running, await clickInMessage(running, PM, shown, pause));
    expect(paused.replace_original).toBe(true);
    expect((await scheduleDoc())?.paused).toBe(true);
    const redrawn = ephemeralMessage(
      paused as { text?: string; blocks?: unknown[] },
      shown.channel,
      shown.ts,
    );
    expect(textOf(redrawn.blocks)).toContain('*Digest schedules of the portfolio EMEA launches* (`emea`)');
    expect(textOf(redrawn.blocks)).toContain('— _paused_');

    const removed = await answerTo(
      running,
      await clickInMessage(running, PM, redrawn, findButton(redrawn.blocks, ACTION.scheduleRemove, id)),
    );
    expect(await scheduleDoc()).toBeNull();
    expect(textOf((removed.blocks ?? []) as RenderedBlock[])).toBe(
      '*EMEA launches* has no digest schedules. `/program portfolio schedule emea` adds one.',
    );
  });
});
