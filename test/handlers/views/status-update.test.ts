import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, TEAM_ID, type RunningCairn } from '../../support/cairn-harness.js';
import { ask, countWrites } from '../../support/conversation.js';
import { everyDocument, tenantCollection, testDatabase } from '../../support/database.js';

const LEAD = 'U0LEAD';
let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
let workstreamId: string;
let now = new Date('2026-11-25T15:00:00Z');

beforeAll(async () => {
  db = await testDatabase('status-update-modal');
  running = await startCairn(db.connection, { now: () => now });
  running.slack.setRateLimiting(false);
  await ask(running, '/program', 'new checkout "Checkout"', { userId: LEAD });
  await ask(running, '/program', `add checkout web "Web" team:web lead:<@${LEAD}>`, { userId: LEAD });
  const workstreams = await tenantCollection(db.connection, 'workstreams', TEAM_ID);
  workstreamId = String((await workstreams.findOne({ key: 'web' }))?._id);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

type Values = Record<string, Record<string, Record<string, unknown>>>;
const valid = (): Values => ({
  workstream: { value: { type: 'static_select', selected_option: { value: workstreamId } } },
  health: { value: { type: 'radio_buttons', selected_option: { value: 'at_risk' } } },
  progress: { value: { type: 'number_input', value: '60' } },
  summary: { value: { type: 'plain_text_input', value: 'Design review moved' } },
  next_steps: { value: { type: 'plain_text_input', value: null } },
  blockers: { value: { type: 'plain_text_input', value: null } },
  forecast: { value: { type: 'datepicker', selected_date: null } },
});

function submit(
  values: Values,
  viewId = `V${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
  metadata: object = {},
) {
  return running.driver.viewSubmission({
    user: { id: LEAD, username: 'lead', name: 'lead', team_id: TEAM_ID },
    view: {
      id: viewId,
      callback_id: 'status_update',
      private_metadata: JSON.stringify(metadata),
      state: { values },
    },
  });
}

describe('the update modal submission', () => {
  const invalid: Array<[string, (v: Values) => void, Record<string, string>]> = [
    [
      'no health chosen',
      (v) => (v.health!.value!.selected_option = null),
      { health: 'Choose how the workstream is doing.' },
    ],
    [
      'an empty summary',
      (v) => (v.summary!.value!.value = '   '),
      { summary: 'Say in a line or two what happened since the last update.' },
    ],
    [
      'progress over 100',
      (v) => (v.progress!.value!.value = '140'),
      { progress: 'Progress is a whole number from 0 to 100.' },
    ],
    [
      'blocked without a blocker',
      (v) => (v.health!.value!.selected_option = { value: 'blocked' }),
      { blockers: 'Blocked by what? Name the blocker so its owner can act.' },
    ],
    [
      'a forecast in the past',
      (v) => (v.forecast!.value!.selected_date = '2026-11-01'),
      { forecast: 'A forecast is for the future; 2026-11-01 has passed.' },
    ],
    [
      'a forged workstream value',
      (v) => (v.workstream!.value!.selected_option = { value: '{"$gt":""}' }),
      { workstream: 'Choose one of the workstreams.' },
    ],
  ];

  it.each(invalid)(
    'answers %s with an inline error naming the field, and saves nothing',
    async (_case, spoil, errors) => {
      const before = await countWrites(db.connection);
      const values = valid();
      spoil(values);
      const response = await submit(values);
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ response_action: 'errors', errors });
      expect(await countWrites(db.connection)).toEqual(before);
    },
  );

  it('records one update for a submission Slack sends twice', async () => {
    const before = (await everyDocument(db.connection, 'updates')).length;
    const first = await submit(valid(), 'VTWICE');
    const second = await submit(valid(), 'VTWICE');
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await everyDocument(db.connection, 'updates')).toHaveLength(before + 1);
  });

  it('edits an update within 24 hours, keeping the earlier text; refuses after', async () => {
    const quick = await ask(running, '/status', 'web green first words', { userId: LEAD });
    // The Edit button's value: `<programId>/<updateId>`.
    const updateRef = String(
      (quick.blocks.find((b) => b.type === 'actions')?.elements?.[0] as { value: string }).value,
    );
    const [programId] = updateRef.split('/');
    const values = valid();
    delete values.workstream;
    values.summary!.value!.value = 'second thoughts';
    const edited = await submit(values, 'VEDIT1', { updateRef });
    expect(edited.status).toBe(200);
    expect(edited.text).toBe('');
    const updates = await tenantCollection(db.connection, 'updates', TEAM_ID, programId!);
    const update = await updates.findOne({ summary: 'second thoughts' });
    expect(update?.health).toBe('at_risk');
    expect(update?.revisions).toMatchObject([{ summary: 'first words', health: 'on_track' }]);
    const workstreams = await tenantCollection(db.connection, 'workstreams', TEAM_ID);
    expect((await workstreams.findOne({ key: 'web' }))?.health).toBe('at_risk');

    now = new Date(now.getTime() + 25 * 60 * 60 * 1000);
    values.summary!.value!.value = 'too late';
    const late = await submit(values, 'VEDIT2', { updateRef });
    expect(late.json).toEqual({
      response_action: 'errors',
      errors: {
        summary: 'That update can no longer be edited (edits are open for 24 hours). Post a new one instead.',
      },
    });
  });
});
