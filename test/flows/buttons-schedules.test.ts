/**
 * Pause, Resume and Remove on `/program schedules`, each clicked on the list Cairn rendered (first
 * the command's answer, then the list as Cairn redrew it in place), through the signed receiver, the
 * fake Slack and the real database, with the app's clock pinned. The schedule itself is made through
 * `/program schedule` and its modal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import {
  ACTION,
  answerTo,
  buttonsIn,
  callsAfter,
  clickInMessage,
  ephemeralMessage,
  findButton,
  markCalls,
  nextCall,
  textOf,
  type RenderedBlock,
  type ShownMessage,
} from '../support/clicks.js';
import { ask } from '../support/conversation.js';
import { initialEntries, viewStateValues } from '../../src/slack-peer/view-state.js';
import { tenantCollection, testDatabase } from '../support/database.js';

const OWNER = 'U0OWNER';
const CHANNEL = 'C0HOME';
/** Wednesday 25 Nov 2026, 15:00 UTC: the schedule is made (Mondays and Thursdays, 09:00 London). */
const MADE = new Date('2026-11-25T15:00:00Z');
/** Tuesday 1 Dec, 12:00 UTC: resumed, after Thursday's and Monday's slots went by while paused. */
const RESUMED = new Date('2026-12-01T12:00:00Z');
let now = MADE;

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
let scheduleId = '';
/** The list as the user sees it: the command's answer, then each redraw. */
let list: ShownMessage;

const schedule = () => db.connection.collection('digest_schedules').findOne({});
const auditActions = async () =>
  (
    await (
      await tenantCollection(db.connection, 'audit_events', TEAM_ID)
    )
      .find({ 'target.kind': 'schedule' }, { sort: { at: 1, _id: 1 } })
      .toArray()
  ).map((e) => [e.action, e.actorId, (e.at as Date).toISOString()]);

beforeAll(async () => {
  db = await testDatabase('buttons-schedules');
  running = await startCairn(db.connection, { now: () => now, jobs: () => [] });
  running.slack.setRateLimiting(false);
  running.slack.setUser({ id: OWNER, tz: 'Europe/London' });
  await ask(running, '/program', `new checkout "Checkout" channel:<#${CHANNEL}|home>`, { userId: OWNER });

  // `/program schedule checkout` opens the modal; the owner submits it as Slack sends it back.
  const mark = markCalls(running);
  const command = await running.driver.slashCommand({
    command: '/program',
    text: 'schedule checkout',
    userId: OWNER,
  });
  expect(command.status).toBe(200);
  const open = await nextCall(running, mark, 'views.open');
  expect(open.response.ok).toBe(true);
  const modal = open.response.view as Record<string, unknown>;
  const submitted = await running.driver.viewSubmission({
    user: { id: OWNER, username: 'owner', name: 'owner', team_id: TEAM_ID },
    view: {
      ...modal,
      state: {
        values: {
          channel: { value: { type: 'conversations_select', selected_conversation: CHANNEL } },
          days: { value: { type: 'checkboxes', selected_options: [{ value: 'mon' }, { value: 'thu' }] } },
          time: { value: { type: 'timepicker', selected_time: '09:00' } },
          timezone: { value: { type: 'plain_text_input', value: 'Europe/London' } },
          variant: { value: { type: 'radio_buttons', selected_option: { value: 'leadership' } } },
          reminder: { value: { type: 'static_select', selected_option: { value: '120' } } },
        },
      },
    },
  });
  expect(submitted.status).toBe(200);
  expect(submitted.text).toBe('');
  const made = await schedule();
  expect(made).toMatchObject({
    paused: false,
    days: ['mon', 'thu'],
    time: '09:00',
    timezone: 'Europe/London',
  });
  expect((made?.nextSlotAt as Date).toISOString()).toBe('2026-11-26T09:00:00.000Z');
  scheduleId = String(made?._id);

  const answer = await ask(running, '/program', 'schedules checkout', { userId: OWNER });
  list = ephemeralMessage(answer);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

/** Clicks the button on the list as shown, checks the list was redrawn in place, and shows the redraw. */
async function click(actionId: string): Promise<{ body: Record<string, unknown>; blocks: RenderedBlock[] }> {
  const button = findButton(list.blocks, actionId, scheduleId);
  const response = await clickInMessage(running, OWNER, list, button);
  const body = await answerTo(running, response);
  expect(body.replace_original).toBe(true);
  const blocks = (body.blocks ?? []) as RenderedBlock[];
  list = ephemeralMessage(body as { text?: string; blocks?: unknown[] }, list.channel, list.ts);
  return { body, blocks };
}

describe('schedule buttons on /program schedules', () => {
  it('Pause: pauses the schedule, keeps its next slot, and redraws the list in place with Resume', async () => {
    expect(findButton(list.blocks, ACTION.schedulePause, scheduleId).label).toBe('Pause');
    const { blocks } = await click(ACTION.schedulePause);

    const paused = await schedule();
    expect(paused?.paused).toBe(true);
    expect((paused?.nextSlotAt as Date).toISOString()).toBe('2026-11-26T09:00:00.000Z');
    expect(await auditActions()).toEqual([
      ['schedule.created', OWNER, MADE.toISOString()],
      ['schedule.paused', OWNER, MADE.toISOString()],
    ]);
    expect(textOf(blocks)).toContain(
      '• leadership digest in <#C0HOME>, Mon, Thu at 09:00 (Europe/London) — _paused_',
    );
    expect(buttonsIn(blocks).map((b) => [b.action_id, b.value, b.label])).toEqual([
      [ACTION.scheduleEdit, scheduleId, 'Edit'],
      [ACTION.scheduleResume, scheduleId, 'Resume'],
      [ACTION.scheduleRemove, scheduleId, 'Remove'],
    ]);
  });

  it('Resume: unpauses it from now on, without catching up the slots missed, and redraws the list in place', async () => {
    now = RESUMED;
    const { blocks } = await click(ACTION.scheduleResume);

    const resumed = await schedule();
    expect(resumed?.paused).toBe(false);
    // Thursday 26 Nov and Monday 30 Nov went by while paused: the next is Thursday 3 Dec, 09:00 GMT.
    expect((resumed?.nextSlotAt as Date).toISOString()).toBe('2026-12-03T09:00:00.000Z');
    expect((resumed?.lastSlotAt as Date).toISOString()).toBe(RESUMED.toISOString());
    expect((await auditActions()).at(-1)).toEqual(['schedule.resumed', OWNER, RESUMED.toISOString()]);
    expect(textOf(blocks)).toMatch(
      /• leadership digest in <#C0HOME>, Mon, Thu at 09:00 \(Europe\/London\) — next Thu 3 Dec, 09:00 (GMT|GMT\+0)$/m,
    );
    expect(buttonsIn(blocks).map((b) => [b.action_id, b.value])).toEqual([
      [ACTION.scheduleEdit, scheduleId],
      [ACTION.schedulePause, scheduleId],
      [ACTION.scheduleRemove, scheduleId],
    ]);
  });

  it('Edit: opens the form filled in with its choices; saving changes the schedule from now on, audited, and the list shows it', async () => {
    const mark = markCalls(running);
    const response = await clickInMessage(
      running,
      OWNER,
      list,
      findButton(list.blocks, ACTION.scheduleEdit, scheduleId),
    );
    expect(response.status).toBe(200);
    const open = await nextCall(running, mark, 'views.open');
    expect(open.response.ok).toBe(true);
    const modal = open.response.view as { title: { text: string }; private_metadata: string };
    expect(modal.title.text).toBe('Edit schedule');
    expect(JSON.parse(modal.private_metadata)).toEqual({ programKey: 'checkout', scheduleId });
    const initial = Object.fromEntries(
      Object.entries(initialEntries(modal)).map(([block, entry]) => [block, entry.value]),
    );
    expect(initial).toEqual({
      channel: CHANNEL,
      days: ['mon', 'thu'],
      time: '09:00',
      timezone: 'Europe/London',
      variant: 'leadership',
      reminder: '120',
      quiet: 'no',
    });

    // Tuesdays too, an hour earlier, quiet: Tuesday 1 Dec 08:00 went by before the edit (12:00).
    const entered: Record<string, string | string[]> = {
      ...(initial as Record<string, string | string[]>),
      days: ['mon', 'tue', 'thu'],
      time: '08:00',
      quiet: 'yes',
    };
    const submitted = await running.driver.viewSubmission({
      user: { id: OWNER, username: 'owner', name: 'owner', team_id: TEAM_ID },
      view: {
        ...modal,
        state: {
          values: viewStateValues(
            modal,
            Object.fromEntries(Object.entries(entered).map(([block, value]) => [block, { value }])),
          ),
        },
      },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.text).toBe('');
    const edited = await schedule();
    expect(edited).toMatchObject({ days: ['mon', 'tue', 'thu'], time: '08:00', quiet: true, paused: false });
    expect(String(edited?._id)).toBe(scheduleId);
    // Nothing before the edit is "missed": the next slot is the new timing's next, Thursday 08:00 GMT.
    expect((edited?.lastSlotAt as Date).toISOString()).toBe(RESUMED.toISOString());
    expect((edited?.nextSlotAt as Date).toISOString()).toBe('2026-12-03T08:00:00.000Z');
    const dm = await nextCall(running, mark, 'chat.postMessage', (c) => c.args.channel === OWNER);
    expect(String(dm.args.text)).toMatch(
      /^Changed the schedule of the leadership digest of \*Checkout\* in <#C0HOME>: Mon, Tue, Thu at 08:00 \(Europe\/London\)\. Next: Thu 3 Dec, 08:00 GMT(\+0)?\. Quiet/,
    );
    const audit = await (
      await tenantCollection(db.connection, 'audit_events', TEAM_ID)
    ).findOne({
      action: 'schedule.changed',
    });
    expect(audit?.details).toEqual({
      days: { from: ['mon', 'thu'], to: ['mon', 'tue', 'thu'] },
      time: { from: '09:00', to: '08:00' },
      quiet: { from: false, to: true },
    });

    const shown = ephemeralMessage(await ask(running, '/program', 'schedules checkout', { userId: OWNER }));
    expect(textOf(shown.blocks)).toContain(
      '• leadership digest in <#C0HOME>, Mon, Tue, Thu at 08:00 (Europe/London), quiet (one line when nothing changed) — next Thu 3 Dec',
    );
    list = shown;
  });

  it('Edit: someone who may not change the schedule can neither open its form nor save it', async () => {
    const OTHER = 'U0OTHER';
    const before = await schedule();
    const mark = markCalls(running);
    const response = await clickInMessage(
      running,
      OTHER,
      list,
      findButton(list.blocks, ACTION.scheduleEdit, scheduleId),
    );
    const refusal = await answerTo(running, response);
    expect(String(refusal.text)).toMatch(/owner|admin/i);
    expect(callsAfter(running, mark, 'views.open')).toEqual([]);

    // A form forged with the schedule's id: refused on submit, nothing changed.
    const forged = await running.driver.viewSubmission({
      user: { id: OTHER, username: 'other', name: 'other', team_id: TEAM_ID },
      view: {
        type: 'modal',
        callback_id: 'schedule_new',
        private_metadata: JSON.stringify({ programKey: 'checkout', scheduleId }),
        state: {
          values: {
            channel: { value: { type: 'conversations_select', selected_conversation: 'C0ELSEWHERE' } },
            days: { value: { type: 'checkboxes', selected_options: [{ value: 'sun' }] } },
            time: { value: { type: 'timepicker', selected_time: '03:00' } },
            timezone: { value: { type: 'plain_text_input', value: 'UTC' } },
            variant: { value: { type: 'radio_buttons', selected_option: { value: 'team' } } },
            reminder: { value: { type: 'static_select', selected_option: { value: '0' } } },
          },
        },
      },
    });
    expect(forged.status).toBe(200);
    expect(JSON.parse(forged.text).response_action).toBe('errors');
    expect(await schedule()).toEqual(before);
  });

  it('Remove: deletes the schedule and redraws the list in place, empty', async () => {
    const { blocks } = await click(ACTION.scheduleRemove);

    expect(await db.connection.collection('digest_schedules').countDocuments()).toBe(0);
    expect((await auditActions()).at(-1)).toEqual(['schedule.removed', OWNER, RESUMED.toISOString()]);
    expect(textOf(blocks)).toBe('*Checkout* has no digest schedules. `/program schedule checkout` adds one.');
    expect(buttonsIn(blocks)).toEqual([]);
  });
});
