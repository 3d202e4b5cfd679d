/**
 * The settings form's reader (src/views/settings-views.ts) takes whatever a submission carries, forged
 * or not: it yields settings within range or errors on the form's own blocks, and never throws. A form
 * submitted as it opened reads back as the settings it showed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PROGRAM_CREATORS, SETTING_DAYS, type WorkspaceSettings } from '../../src/domain/settings.js';
import { isValidTimezone } from '../../src/parsing/dates.js';
import { INPUT_ACTION, SETTINGS_FIELD } from '../../src/views/ids.js';
import { readSettingsForm, settingsModal } from '../../src/views/settings-views.js';

const BLOCKS: string[] = Object.values(SETTINGS_FIELD);
const ZONES = ['UTC', 'Europe/London', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata', 'Etc/GMT+5'];
const userId = fc.stringMatching(/^[UW][A-Z0-9]{2,12}$/);

const settings: fc.Arbitrary<WorkspaceSettings> = fc.record({
  defaultTimezone: fc.constantFrom(...ZONES),
  staleAfterDays: fc.integer({ min: SETTING_DAYS.min, max: SETTING_DAYS.max }),
  escalateBlockersAfterDays: fc.integer({ min: SETTING_DAYS.min, max: SETTING_DAYS.max }),
  programCreation: fc.record({
    creators: fc.constantFrom('anyone' as const, 'listed' as const),
    creatorIds: fc.uniqueArray(userId, { maxLength: MAX_PROGRAM_CREATORS }),
  }),
});

/** What Slack submits for a form nobody touched: each element's initial value. */
function untouched(view: ReturnType<typeof settingsModal>): Record<string, Record<string, unknown>> {
  const state: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks) {
    if (block.type !== 'input' || !block.block_id) continue;
    const el = (block as { element: unknown }).element as Record<string, unknown>;
    state[block.block_id] = {
      [INPUT_ACTION]: {
        type: el.type,
        value: el.initial_value ?? null,
        selected_option: el.initial_option ?? null,
        selected_users: el.initial_users ?? [],
      },
    };
  }
  return state;
}

/** Anything a field's element might carry: plausible values, near misses and junk. */
const text = fc.oneof(
  fc.constantFrom(
    ...ZONES,
    'Mars/Olympus',
    'utc',
    '',
    '   ',
    '7',
    '0',
    '60',
    '61',
    '-3',
    '2.5',
    '1e1',
    '007',
  ),
  fc.string({ maxLength: 80 }),
  fc.integer().map(String),
  fc.integer({ min: -5, max: 100 }),
  fc.constant(null),
  fc.anything(),
);
const element = fc.record(
  {
    type: fc.constantFrom('plain_text_input', 'number_input', 'radio_buttons', 'multi_users_select'),
    value: text,
    selected_option: fc.oneof(
      fc.constant(null),
      fc.record({ value: fc.oneof(fc.constantFrom('anyone', 'listed', 'nobody'), fc.anything()) }),
      fc.anything(),
    ),
    selected_users: fc.oneof(
      fc.constant(null),
      fc.array(userId, { maxLength: MAX_PROGRAM_CREATORS + 5 }),
      fc.array(fc.oneof(userId, fc.string(), fc.anything()), { maxLength: 5 }),
      fc.anything(),
    ),
  },
  { requiredKeys: [] },
);
/** A form as it opened, with some of its fields (perhaps none) replaced by anything. */
const edited = fc
  .tuple(settings, fc.dictionary(fc.constantFrom(...BLOCKS), element, { maxKeys: 2 }))
  .map(([s, replaced]) => {
    const state = untouched(settingsModal(s));
    for (const [block, el] of Object.entries(replaced)) state[block] = { [INPUT_ACTION]: el };
    return state;
  });
const values = fc.oneof(
  { arbitrary: edited, weight: 3 },
  fc.dictionary(fc.constantFrom(...BLOCKS), fc.dictionary(fc.constantFrom(INPUT_ACTION, 'other'), element)),
  fc.dictionary(fc.constantFrom(...BLOCKS, '__proto__', 'constructor'), fc.anything()),
  fc.anything(),
);
const metadata = fc.oneof(
  settings.map((s) => JSON.stringify(s)),
  settings.map((s) => JSON.stringify({ ...s, staleAfterDays: 0 })),
  fc.json(),
  fc.string(),
  fc.anything(),
);

/** Whether `s` is settings the workspace may have. */
function valid(s: WorkspaceSettings): boolean {
  const days = (n: number) => Number.isInteger(n) && n >= SETTING_DAYS.min && n <= SETTING_DAYS.max;
  const ids = s.programCreation.creatorIds;
  return (
    isValidTimezone(s.defaultTimezone) &&
    s.defaultTimezone === s.defaultTimezone.trim() &&
    days(s.staleAfterDays) &&
    days(s.escalateBlockersAfterDays) &&
    ['anyone', 'listed'].includes(s.programCreation.creators) &&
    ids.length <= MAX_PROGRAM_CREATORS &&
    new Set(ids).size === ids.length &&
    ids.every((id) => /^[UW][A-Z0-9]{2,}$/.test(id))
  );
}

describe('readSettingsForm', () => {
  it('yields valid settings or errors on the form’s own blocks, whatever is submitted, and never throws', () => {
    fc.assert(
      fc.property(values, metadata, (v, m) => {
        const form = readSettingsForm(v, m, isValidTimezone);
        if (form.ok) {
          expect(valid(form.submitted)).toBe(true);
          if (form.seen) expect(valid(form.seen)).toBe(true);
        } else {
          const blocks = Object.keys(form.errors);
          expect(blocks.length).toBeGreaterThan(0);
          for (const block of blocks) expect(BLOCKS).toContain(block);
          for (const message of Object.values(form.errors)) {
            expect(message.length).toBeGreaterThan(0);
            expect(message.length).toBeLessThan(300);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('reads a form submitted as it opened as the settings it showed, and knows what it showed', () => {
    fc.assert(
      fc.property(settings, (s) => {
        const view = settingsModal(s);
        const form = readSettingsForm(untouched(view), view.private_metadata, isValidTimezone);
        expect(form).toEqual({ ok: true, submitted: s, seen: s });
      }),
    );
  });

  it('names each bad field, and only those', () => {
    const view = settingsModal({
      defaultTimezone: 'UTC',
      staleAfterDays: 7,
      escalateBlockersAfterDays: 5,
      programCreation: { creators: 'anyone', creatorIds: [] },
    });
    const state = untouched(view);
    state[SETTINGS_FIELD.escalateAfterDays]![INPUT_ACTION] = { type: 'number_input', value: '90' };
    expect(readSettingsForm(state, view.private_metadata, isValidTimezone)).toEqual({
      ok: false,
      errors: {
        [SETTINGS_FIELD.escalateAfterDays]: '90 is out of range: give a whole number of days from 1 to 60.',
      },
    });
  });
});
