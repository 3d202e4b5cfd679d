/**
 * The playground's view_submission state: Slack's `view.state.values` shape for what the page
 * collected, checked on Cairn's own modals and read back by Cairn's own form readers.
 */
import fc from 'fast-check';
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/domain/settings.js';
import { WEEKDAYS } from '../../src/domain/schedule.js';
import { isValidTimezone } from '../../src/parsing/dates.js';
import { type EnteredValues, initialEntries, viewStateValues } from '../../src/slack-peer/view-state.js';
import { newProgramModal, readNewProgramForm } from '../../src/views/program-modal.js';
import { readScheduleForm, scheduleModal } from '../../src/views/schedule-views.js';
import { readSettingsForm, settingsModal } from '../../src/views/settings-views.js';
import { readUpdateForm } from '../../src/views/update-form.js';
import { updateModal } from '../../src/views/update-views.js';
import { DigestFixture, inDays, TODAY } from '../support/digest-fixtures.js';
import { everySurface } from '../support/every-surface.js';

const plain = (text: string) => ({ type: 'plain_text', text });
/** Each of Cairn's fields answers to one action id (INPUT_ACTION), so a field is entered by block id. */
const fields = (values: Record<string, string | string[] | null>): EnteredValues =>
  Object.fromEntries(Object.entries(values).map(([block, value]) => [block, { value }]));

const fx = new DigestFixture({ name: 'Checkout', channelId: 'C0CHECK' });
const pay = fx.workstream('pay', { name: 'Payments' });
const web = fx.workstream('web', { name: 'Web' });

describe('the state of Cairn’s modals', () => {
  it('new program: text fields, an emptied one as null, and the channel', () => {
    const view = newProgramModal('C0CHECK');
    const state = viewStateValues(
      view,
      fields({ name: 'Checkout revamp', key: 'checkout', objective: '', channel: 'C0GEN' }),
    );
    expect(state).toEqual({
      name: { value: { type: 'plain_text_input', value: 'Checkout revamp' } },
      key: { value: { type: 'plain_text_input', value: 'checkout' } },
      objective: { value: { type: 'plain_text_input', value: null } },
      channel: { value: { type: 'conversations_select', selected_conversation: 'C0GEN' } },
    });
    expect(readNewProgramForm(state)).toEqual({
      ok: true,
      programKey: 'checkout',
      name: 'Checkout revamp',
      objective: undefined,
      channelId: 'C0GEN',
    });
  });

  it('schedule: channel, days as the view’s options, time, timezone, audience, reminder and quiet', () => {
    const view = scheduleModal(fx.program, 'Europe/Paris');
    const state = viewStateValues(
      view,
      fields({
        channel: 'C0CHECK',
        days: ['thu', 'mon', 'someday'],
        time: '09:30',
        timezone: 'Europe/Paris',
        variant: 'leadership',
        reminder: '60',
        quiet: 'yes',
      }),
    );
    expect(state).toEqual({
      channel: { value: { type: 'conversations_select', selected_conversation: 'C0CHECK' } },
      days: {
        value: {
          type: 'checkboxes',
          selected_options: [
            { text: plain('Monday'), value: 'mon' },
            { text: plain('Thursday'), value: 'thu' },
          ],
        },
      },
      time: { value: { type: 'timepicker', selected_time: '09:30' } },
      timezone: { value: { type: 'plain_text_input', value: 'Europe/Paris' } },
      variant: {
        value: {
          type: 'radio_buttons',
          selected_option: {
            text: plain('Leadership: counts, changes, attention, milestones'),
            value: 'leadership',
          },
        },
      },
      reminder: {
        value: { type: 'static_select', selected_option: { text: plain('1 hour before'), value: '60' } },
      },
      quiet: {
        value: {
          type: 'radio_buttons',
          selected_option: {
            text: plain('Yes: one line when nothing changed since the last digest'),
            value: 'yes',
          },
        },
      },
    });
    expect(readScheduleForm(state, view.private_metadata, isValidTimezone)).toEqual({
      ok: true,
      subject: { programKey: fx.program.key },
      input: {
        channelId: 'C0CHECK',
        days: ['mon', 'thu'],
        time: '09:30',
        timezone: 'Europe/Paris',
        variant: 'leadership',
        reminderLeadMinutes: 60,
        quiet: true,
      },
    });
  });

  it('a schedule’s Edit form, submitted untouched, reads back as that schedule, whatever its choices', () => {
    const schedule = fc.record({
      channelId: fc.constantFrom('C0CHECK', 'G0PRIVATE'),
      days: fc.subarray([...WEEKDAYS], { minLength: 1 }),
      time: fc
        .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
        .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
      timezone: fc.constantFrom('UTC', 'Europe/Paris', 'America/New_York', 'Pacific/Chatham'),
      variant: fc.constantFrom('team' as const, 'leadership' as const, 'client' as const),
      reminderLeadMinutes: fc.constantFrom(0, 30, 60, 120, 240, 1440),
      quiet: fc.boolean(),
    });
    fc.assert(
      fc.property(schedule, (input) => {
        const editing = {
          ...input,
          _id: new Types.ObjectId(),
          teamId: 'T1',
          paused: false,
          createdBy: 'U1',
          createdAt: new Date(0),
          lastSlotAt: new Date(0),
        };
        const view = scheduleModal(fx.program, 'Asia/Kolkata', editing);
        const state = viewStateValues(view, initialEntries(view));
        expect(readScheduleForm(state, view.private_metadata, isValidTimezone)).toEqual({
          ok: true,
          subject: { programKey: fx.program.key },
          scheduleId: editing._id.toHexString(),
          input,
        });
      }),
    );
  });

  it('a portfolio’s schedule has no audience nor reminder, and values for them are ignored', () => {
    const portfolio = { ...fx.program, programIds: [fx.program._id] };
    const view = scheduleModal({ kind: 'portfolio', portfolio }, 'UTC');
    const state = viewStateValues(
      view,
      fields({
        channel: 'C0CHECK',
        days: ['sun'],
        time: '18:00',
        timezone: 'UTC',
        variant: 'team',
        reminder: '0',
      }),
    );
    expect(Object.keys(state)).toEqual(['channel', 'days', 'time', 'timezone']);
    expect(readScheduleForm(state, view.private_metadata, isValidTimezone)).toMatchObject({
      ok: true,
      input: { days: ['sun'], time: '18:00', variant: 'leadership', reminderLeadMinutes: 0 },
    });
  });

  it('new update: workstream, health, progress, texts, forecast, and the audience boxes with their descriptions', () => {
    const view = updateModal({ workstreams: [pay, web], metadata: {} });
    const state = viewStateValues(
      view,
      fields({
        workstream: web._id.toHexString(),
        health: 'blocked',
        progress: '40',
        summary: 'Vendor is late',
        next_steps: '',
        blockers: 'Contract unsigned',
        forecast: inDays(10),
        audience: ['blockers_visible', 'internal'],
      }),
    );
    expect(Object.keys(state)).toEqual([
      'workstream',
      'health',
      'progress',
      'summary',
      'next_steps',
      'blockers',
      'forecast',
      'audience',
    ]);
    expect(state.workstream!.value).toEqual({
      type: 'static_select',
      selected_option: {
        text: { ...plain('Web (checkout/web)'), emoji: true },
        value: web._id.toHexString(),
      },
    });
    expect(state.health!.value!.selected_option?.value).toBe('blocked');
    expect(state.progress!.value).toEqual({ type: 'number_input', value: '40' });
    expect(state.next_steps!.value).toEqual({ type: 'plain_text_input', value: null });
    expect(state.forecast!.value).toEqual({ type: 'datepicker', selected_date: inDays(10) });
    expect(state.audience!.value).toEqual({
      type: 'checkboxes',
      selected_options: [
        {
          text: { ...plain('Internal update'), emoji: true },
          value: 'internal',
          description: plain('Its summary and next steps stay out of client digests'),
        },
        {
          text: { ...plain('Blockers visible to clients'), emoji: true },
          value: 'blockers_visible',
          description: plain('Otherwise client digests say “an internal blocker”'),
        },
      ],
    });
    expect(readUpdateForm(state, TODAY)).toEqual({
      ok: true,
      workstreamId: web._id.toHexString(),
      content: {
        health: 'off_track',
        blocked: true,
        progress: 40,
        summary: 'Vendor is late',
        nextSteps: undefined,
        blockers: 'Contract unsigned',
        forecastDate: inDays(10),
        internal: true,
      },
      blockerInternal: false,
    });
  });

  it('editing an update: no workstream field (the section naming it is no input)', () => {
    const editing = fx.update(pay, { health: 'at_risk', ago: 1, summary: 'Card flow' });
    const view = updateModal({ workstreams: [pay], selected: pay, editing, metadata: {} });
    const state = viewStateValues(view, fields({ workstream: pay._id.toHexString(), health: 'at_risk' }));
    expect(state).not.toHaveProperty('workstream');
    expect(state.audience!.value).toEqual({ type: 'checkboxes', selected_options: [] });
    expect(readUpdateForm(state, TODAY)).toEqual({
      ok: false,
      errors: { summary: 'Say in a line or two what happened since the last update.' },
    });
  });

  it('settings: the days as text, who creates, and the people listed', () => {
    const view = settingsModal(DEFAULT_SETTINGS);
    const state = viewStateValues(
      view,
      fields({
        default_timezone: 'Europe/London',
        stale_after_days: '10',
        escalate_after_days: '3',
        program_creators: 'listed',
        program_creator_ids: ['U0ANA', 'U0BO', 'U0ANA'],
      }),
    );
    expect(state).toEqual({
      default_timezone: { value: { type: 'plain_text_input', value: 'Europe/London' } },
      stale_after_days: { value: { type: 'number_input', value: '10' } },
      escalate_after_days: { value: { type: 'number_input', value: '3' } },
      program_creators: {
        value: {
          type: 'radio_buttons',
          selected_option: { text: plain('Only the people listed below'), value: 'listed' },
        },
      },
      program_creator_ids: { value: { type: 'multi_users_select', selected_users: ['U0ANA', 'U0BO'] } },
    });
    expect(readSettingsForm(state, view.private_metadata, isValidTimezone)).toEqual({
      ok: true,
      submitted: {
        defaultTimezone: 'Europe/London',
        staleAfterDays: 10,
        escalateBlockersAfterDays: 3,
        programCreation: { creators: 'listed', creatorIds: ['U0ANA', 'U0BO'] },
      },
      seen: DEFAULT_SETTINGS,
    });
  });

  it('with nothing entered, every field is there, empty, and Cairn’s readers say what is missing', () => {
    const state = viewStateValues(settingsModal(DEFAULT_SETTINGS), {});
    expect(state).toEqual({
      default_timezone: { value: { type: 'plain_text_input', value: null } },
      stale_after_days: { value: { type: 'number_input', value: null } },
      escalate_after_days: { value: { type: 'number_input', value: null } },
      program_creators: { value: { type: 'radio_buttons', selected_option: null } },
      program_creator_ids: { value: { type: 'multi_users_select', selected_users: [] } },
    });
    expect(readSettingsForm(state, '', isValidTimezone)).toMatchObject({
      ok: false,
      errors: { default_timezone: expect.any(String), program_creators: expect.any(String) },
    });
    const schedule = viewStateValues(scheduleModal(fx.program, 'UTC'), {});
    expect(schedule.days!.value).toEqual({ type: 'checkboxes', selected_options: [] });
    expect(schedule.time!.value).toEqual({ type: 'timepicker', selected_time: null });
    expect(schedule.channel!.value).toEqual({ type: 'conversations_select', selected_conversation: null });
    expect(
      Object.keys(
        (
          readScheduleForm(schedule, JSON.stringify({ programKey: 'checkout' }), isValidTimezone) as {
            errors: object;
          }
        ).errors,
      ).sort(),
    ).toEqual(['channel', 'days', 'reminder', 'time', 'timezone', 'variant']);
  });
});

describe('values Slack would not send', () => {
  const view = {
    type: 'modal',
    blocks: [
      { type: 'section', block_id: 'intro', text: plain('Hello') },
      { type: 'actions', block_id: 'acts', elements: [{ type: 'button', action_id: 'go' }] },
      { type: 'input', label: plain('No id'), element: { type: 'plain_text_input', action_id: 'a' } },
      {
        type: 'input',
        block_id: 'no_action',
        label: plain('No action'),
        element: { type: 'plain_text_input' },
      },
      { type: 'input', block_id: 'when', element: { type: 'datepicker', action_id: 'd' } },
      { type: 'input', block_id: 'at', element: { type: 'timepicker', action_id: 't' } },
      {
        type: 'input',
        block_id: 'pick',
        element: {
          type: 'static_select',
          action_id: 's',
          option_groups: [{ label: plain('Group'), options: [{ text: plain('One'), value: '1' }] }],
        },
      },
      { type: 'input', block_id: 'who', element: { type: 'users_select', action_id: 'u' } },
      { type: 'input', block_id: 'where', element: { type: 'channels_select', action_id: 'c' } },
      { type: 'input', block_id: 'rich', element: { type: 'rich_text_input', action_id: 'r' } },
      {
        type: 'input',
        block_id: '__proto__',
        element: { type: 'plain_text_input', action_id: 'constructor' },
      },
    ],
  };

  it.each([
    ['2026-02-30', null],
    ['2026-2-3', null],
    ['2026-12-01T00:00', null],
    ['2028-02-29', '2028-02-29'],
  ])('a date %j is %j', (date, expected) => {
    expect(viewStateValues(view, { when: { d: date } }).when!.d!.selected_date).toBe(expected);
  });

  it.each([
    ['24:00', null],
    ['9:00', null],
    ['09:60', null],
    ['9am', null],
    ['23:59', '23:59'],
  ])('a time %j is %j', (time, expected) => {
    expect(viewStateValues(view, { at: { t: time } }).at!.t!.selected_time).toBe(expected);
  });

  it('keeps to the view: its input blocks, their action ids, its options', () => {
    const state = viewStateValues(view, {
      intro: { value: 'x' },
      acts: { go: 'x' },
      no_action: { undefined: 'x' },
      when: { other: '2026-12-01', d: ['2026-12-01', '2026-12-02'] },
      pick: { s: '2' },
      who: { u: ['U0ANA'] },
      where: { c: 'C0GEN' },
      rich: { r: 'text' },
      stranger: { value: 'x' },
      ['__proto__']: { constructor: 'proto' },
    });
    expect(state).toEqual({
      when: { d: { type: 'datepicker', selected_date: null } },
      at: { t: { type: 'timepicker', selected_time: null } },
      pick: { s: { type: 'static_select', selected_option: null } },
      who: { u: { type: 'users_select', selected_user: 'U0ANA' } },
      where: { c: { type: 'channels_select', selected_channel: 'C0GEN' } },
      rich: { r: { type: 'rich_text_input' } },
      ['__proto__']: { constructor: { type: 'plain_text_input', value: 'proto' } },
    });
    expect(Object.getPrototypeOf(state)).toBe(Object.prototype);
    expect(viewStateValues(view, { pick: { s: '1' } }).pick!.s!.selected_option).toEqual({
      text: plain('One'),
      value: '1',
    });
  });

  it('copies the options, so a change to the state leaves the view as it was', () => {
    const state = viewStateValues(view, { pick: { s: '1' } });
    state.pick!.s!.selected_option!.text.text = 'changed';
    expect(viewStateValues(view, { pick: { s: '1' } }).pick!.s!.selected_option!.text.text).toBe('One');
  });
});

describe('state properties', () => {
  const id = fc.string({ minLength: 1, maxLength: 12 });
  const option = fc.record(
    { text: fc.string().map(plain), value: fc.string({ maxLength: 6 }), description: fc.string().map(plain) },
    { requiredKeys: ['text', 'value'] },
  );
  const element = fc.oneof(
    fc.constantFrom('plain_text_input', 'number_input', 'datepicker', 'timepicker').map((type) => ({ type })),
    fc
      .constantFrom('conversations_select', 'channels_select', 'users_select', 'multi_users_select')
      .map((type) => ({
        type,
      })),
    fc.record({
      type: fc.constantFrom('static_select', 'radio_buttons', 'checkboxes'),
      options: fc.array(option, { maxLength: 5 }),
    }),
    fc.record({
      type: fc.constant('static_select'),
      option_groups: fc.array(
        fc.record({ label: fc.string().map(plain), options: fc.array(option, { maxLength: 3 }) }),
        {
          maxLength: 3,
        },
      ),
    }),
  );
  const inputs = fc.uniqueArray(fc.record({ blockId: id, actionId: id, element }), {
    selector: (b) => b.blockId,
    maxLength: 8,
  });
  const value = fc.oneof(
    fc.constant(null),
    fc.string({ maxLength: 6 }),
    fc.array(fc.string({ maxLength: 6 }), { maxLength: 4 }),
  );
  const entered = (blocks: Array<{ blockId: string; actionId: string }>) =>
    fc.dictionary(
      fc.oneof(id, fc.constantFrom(...blocks.map((b) => b.blockId), 'x')),
      fc.dictionary(fc.oneof(id, fc.constantFrom(...blocks.map((b) => b.actionId), 'x')), value, {
        maxKeys: 3,
      }),
      { maxKeys: 10 },
    );
  const viewOf = (blocks: Array<{ blockId: string; actionId: string; element: object }>) => ({
    type: 'modal',
    blocks: blocks.flatMap((b) => [
      { type: 'section', block_id: `${b.blockId}!`, text: plain('between') },
      {
        type: 'input',
        block_id: b.blockId,
        label: plain('L'),
        element: { ...b.element, action_id: b.actionId },
      },
    ]),
  });
  const optionsOf = (e: { options?: unknown[]; option_groups?: Array<{ options: unknown[] }> }) => [
    ...(e.options ?? []),
    ...(e.option_groups ?? []).flatMap((g) => g.options),
  ];

  it('has each input block once, under its action id, of its type, and nothing else', () => {
    fc.assert(
      fc.property(
        inputs.chain((blocks) => fc.tuple(fc.constant(blocks), entered(blocks))),
        ([blocks, typed]) => {
          const state = viewStateValues(viewOf(blocks), typed);
          // (JSON key order is no part of Slack's payload, and JavaScript puts integer-like keys first.)
          expect(Object.keys(state).sort()).toEqual(blocks.map((b) => b.blockId).sort());
          for (const b of blocks) {
            expect(Object.keys(state[b.blockId]!)).toEqual([b.actionId]);
            expect(state[b.blockId]![b.actionId]!.type).toBe(b.element.type);
          }
        },
      ),
    );
  });

  it('chooses only among the view’s options: one of them or null; a subset, each once', () => {
    fc.assert(
      fc.property(
        inputs.chain((blocks) => fc.tuple(fc.constant(blocks), entered(blocks))),
        ([blocks, typed]) => {
          const state = viewStateValues(viewOf(blocks), typed);
          for (const b of blocks) {
            const got = state[b.blockId]![b.actionId]!;
            const options = optionsOf(b.element as never);
            if (got.selected_option !== undefined && got.selected_option !== null)
              expect(options).toContainEqual(got.selected_option);
            for (const chosen of got.selected_options ?? []) expect(options).toContainEqual(chosen);
            const values = (got.selected_options ?? []).map((o) => o.value);
            expect(new Set(values).size).toBe(values.length);
          }
        },
      ),
    );
  });

  it('gives every real modal of Cairn’s its input blocks, whatever is typed, and Cairn’s readers never throw on it', () => {
    const modals = everySurface().flatMap((s) => (s.view?.type === 'modal' ? [s.view] : []));
    const inputIds = (v: (typeof modals)[number]) =>
      v.blocks.flatMap((b) => (b.type === 'input' && b.block_id ? [b.block_id] : []));
    const allIds = [...new Set(modals.flatMap(inputIds))];
    fc.assert(
      fc.property(
        fc.constantFrom(...modals),
        fc.dictionary(fc.constantFrom(...allIds, 'stranger'), fc.record({ value }), { maxKeys: 12 }),
        (view, typed) => {
          const state = viewStateValues(view, typed);
          expect(Object.keys(state)).toEqual(inputIds(view));
          expect(() => readUpdateForm(state, TODAY)).not.toThrow();
          expect(() => readScheduleForm(state, view.private_metadata, isValidTimezone)).not.toThrow();
          expect(() => readSettingsForm(state, view.private_metadata, isValidTimezone)).not.toThrow();
          expect(() => readNewProgramForm(state)).not.toThrow();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a schedule chosen in the form is the schedule Cairn reads', () => {
    const view = scheduleModal(fx.program, 'UTC');
    fc.assert(
      fc.property(
        fc.subarray([...WEEKDAYS], { minLength: 1 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.constantFrom('team', 'leadership', 'client'),
        fc.constantFrom(0, 30, 60, 120, 240, 1440),
        // Left untouched (null): off.
        fc.constantFrom('yes', 'no', null),
        (days, hour, minute, variant, lead, quiet) => {
          const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
          const state = viewStateValues(
            view,
            fields({
              channel: 'C0CHECK',
              days: [...days].reverse(),
              time,
              timezone: 'UTC',
              variant,
              reminder: String(lead),
              quiet,
            }),
          );
          expect(readScheduleForm(state, view.private_metadata, isValidTimezone)).toEqual({
            ok: true,
            subject: { programKey: fx.program.key },
            input: {
              channelId: 'C0CHECK',
              days,
              time,
              timezone: 'UTC',
              variant,
              reminderLeadMinutes: lead,
              quiet: quiet === 'yes',
            },
          });
        },
      ),
    );
  });

  it('settings chosen in the form are the settings Cairn reads', () => {
    const view = settingsModal(DEFAULT_SETTINGS);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom('anyone', 'listed'),
        fc.uniqueArray(fc.stringMatching(/^U[A-Z0-9]{4,10}$/), { maxLength: 5 }),
        (stale, escalate, creators, creatorIds) => {
          const state = viewStateValues(
            view,
            fields({
              default_timezone: 'Asia/Kolkata',
              stale_after_days: String(stale),
              escalate_after_days: String(escalate),
              program_creators: creators,
              program_creator_ids: creatorIds,
            }),
          );
          expect(readSettingsForm(state, view.private_metadata, isValidTimezone)).toMatchObject({
            ok: true,
            submitted: {
              defaultTimezone: 'Asia/Kolkata',
              staleAfterDays: stale,
              escalateBlockersAfterDays: escalate,
              programCreation: { creators, creatorIds },
            },
          });
        },
      ),
    );
  });
});
