import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, TEAM_ID, type RunningCairn } from '../../support/cairn-harness.js';
import { ask } from '../../support/conversation.js';
import { everyDocument, testDatabase } from '../../support/database.js';

const OWNER = 'U0OWNER';
const OTHER = 'U0OTHER';
let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
const NOW = new Date('2026-11-25T15:00:00Z'); // a Wednesday

beforeAll(async () => {
  db = await testDatabase('schedule-modal');
  running = await startCairn(db.connection, { now: () => NOW, jobs: () => [] });
  running.slack.setRateLimiting(false);
  running.slack.setUser({ id: OWNER, tz: 'Europe/London' });
  running.slack.setUser({ id: OTHER, tz: 'Asia/Kolkata' });
  await ask(running, '/program', 'new checkout "Checkout" channel:<#C0HOME|home>', { userId: OWNER });
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

type Values = Record<string, Record<string, Record<string, unknown>>>;
const values = (overrides: Partial<Record<string, Record<string, unknown>>> = {}): Values => ({
  channel: { value: { type: 'conversations_select', selected_conversation: 'C0HOME', ...overrides.channel } },
  days: {
    value: { type: 'checkboxes', selected_options: [{ value: 'mon' }, { value: 'thu' }], ...overrides.days },
  },
  time: { value: { type: 'timepicker', selected_time: '09:00', ...overrides.time } },
  timezone: { value: { type: 'plain_text_input', value: 'Europe/London', ...overrides.timezone } },
  variant: {
    value: { type: 'radio_buttons', selected_option: { value: 'leadership' }, ...overrides.variant },
  },
  reminder: { value: { type: 'static_select', selected_option: { value: '120' }, ...overrides.reminder } },
});

function submit(v: Values, userId = OWNER, programKey = 'checkout') {
  return running.driver.viewSubmission({
    user: { id: userId, username: userId, name: userId, team_id: TEAM_ID },
    view: {
      id: `V${Math.random().toString(36).slice(2, 9).toUpperCase()}`,
      callback_id: 'schedule_new',
      private_metadata: JSON.stringify({ programKey }),
      state: { values: v },
    },
  });
}

describe('/program schedule and /program schedules', () => {
  it("opens the schedule modal with the owner's timezone and the program's channel", async () => {
    const response = await running.driver.slashCommand({
      command: '/program',
      text: 'schedule checkout',
      userId: OWNER,
    });
    expect(response.status).toBe(200);
    const open = await running.slack.waitForCall('views.open');
    expect(open.response.ok).toBe(true);
    const blocks = (
      open.args.view as { blocks: Array<{ block_id?: string; element?: Record<string, unknown> }> }
    ).blocks;
    expect(blocks.find((b) => b.block_id === 'timezone')?.element?.initial_value).toBe('Europe/London');
    expect(blocks.find((b) => b.block_id === 'channel')?.element?.initial_conversation).toBe('C0HOME');
  });

  it('refuses the modal to someone who may not change the schedules', async () => {
    const answer = await ask(running, '/program', 'schedule checkout', { userId: OTHER });
    expect(answer.all).toContain('may change its digest schedules');
  });

  it('answers invalid choices inline, naming each field', async () => {
    const response = await submit(
      values({
        days: { selected_options: [] },
        timezone: { value: 'Mars/Olympus' },
        time: { selected_time: null },
      }),
    );
    expect(response.json).toEqual({
      response_action: 'errors',
      errors: {
        days: 'Choose at least one day.',
        time: 'Choose a time of day.',
        timezone: '"Mars/Olympus" is not a timezone I know. Use an IANA name such as America/New_York.',
      },
    });
    expect(await db.connection.collection('digest_schedules').countDocuments()).toBe(0);
  });

  it('checks permission again at submission, whatever the form says', async () => {
    const response = await submit(values(), OTHER);
    expect((response.json as { errors: { channel: string } }).errors.channel).toContain(
      'may change its digest schedules',
    );
    expect(await db.connection.collection('digest_schedules').countDocuments()).toBe(0);
  });

  it('creates the schedule and lists it with its next run in local time, with Edit, Pause and Remove', async () => {
    const response = await submit(values());
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    const schedule = await db.connection.collection('digest_schedules').findOne({ programKey: 'checkout' });
    expect(schedule).toMatchObject({
      days: ['mon', 'thu'],
      time: '09:00',
      timezone: 'Europe/London',
      variant: 'leadership',
      reminderLeadMinutes: 120,
      channelId: 'C0HOME',
    });
    // Wednesday 25 Nov → Thursday 26 Nov, 09:00 in London (GMT) = 09:00Z.
    expect((schedule?.nextSlotAt as Date).toISOString()).toBe('2026-11-26T09:00:00.000Z');

    const list = await ask(running, '/program', 'schedules checkout', { userId: OTHER });
    expect(list.all).toMatch(
      /leadership digest in <#C0HOME>, Mon, Thu at 09:00 \(Europe\/London\) — next Thu 26 Nov, 09:00 (GMT|GMT\+0)/,
    );
    const buttons = list.blocks.find((b) => b.type === 'actions')?.elements as Array<{
      action_id: string;
      value: string;
    }>;
    expect(buttons.map((b) => b.action_id)).toEqual(['schedule_edit', 'schedule_pause', 'schedule_remove']);
  });

  it('pauses and removes only for the owner; the list is redrawn in place', async () => {
    const id = String(
      (await db.connection.collection('digest_schedules').findOne({ programKey: 'checkout' }))?._id,
    );
    const click = (actionId: string, userId: string) =>
      running.driver.blockAction({
        user: { id: userId, username: userId, name: userId, team_id: TEAM_ID },
        actions: [{ type: 'button', action_id: actionId, block_id: 'b', value: id, action_ts: '1' }],
      });
    const refused = await click('schedule_remove', OTHER);
    const refusedAnswer = await running.slack.waitForResponse((r) =>
      String(refused.sent.response_url).endsWith(r.id),
    );
    expect(JSON.stringify(refusedAnswer.body)).toContain('may change its digest schedules');
    expect(await db.connection.collection('digest_schedules').countDocuments()).toBe(1);

    const paused = await click('schedule_pause', OWNER);
    const pausedAnswer = await running.slack.waitForResponse((r) =>
      String(paused.sent.response_url).endsWith(r.id),
    );
    expect(pausedAnswer.body).toMatchObject({ replace_original: true });
    expect(JSON.stringify(pausedAnswer.body)).toContain('_paused_');
    expect((await db.connection.collection('digest_schedules').findOne({}))?.paused).toBe(true);

    const removed = await click('schedule_remove', OWNER);
    await running.slack.waitForResponse((r) => String(removed.sent.response_url).endsWith(r.id));
    expect(await db.connection.collection('digest_schedules').countDocuments()).toBe(0);
    const actions = (await everyDocument(db.connection, 'audit_events', { 'target.kind': 'schedule' })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(['schedule.created', 'schedule.paused', 'schedule.removed']);
  });
});
