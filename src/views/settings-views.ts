/** `/program settings` (SPEC §8): the workspace settings form, its reader, and the answer to a save. */
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { ProgramCreation } from '../domain/permissions.js';
import {
  MAX_PROGRAM_CREATORS,
  SETTING_DAYS,
  type SettingName,
  type WorkspaceSettings,
} from '../domain/settings.js';
import { oneLine, quoteInput, truncate } from '../text/escape.js';
import type { Answer } from './answer.js';
import { section } from './blocks.js';
import { INPUT_ACTION, MODAL, SETTINGS_FIELD } from './ids.js';

const CREATORS: Record<ProgramCreation['creators'], string> = {
  anyone: 'Anyone in the workspace',
  listed: 'Only the people listed below',
};
const option = (creators: ProgramCreation['creators']): PlainTextOption => ({
  text: { type: 'plain_text', text: CREATORS[creators] },
  value: creators,
});
const DAYS_RULE = `a whole number of days from ${SETTING_DAYS.min} to ${SETTING_DAYS.max}`;
/** Slack's limit on a view's private_metadata. */
const METADATA_LIMIT = 3000;

function daysInput(blockId: string, label: string, hint: string, days: number): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: label },
    hint: { type: 'plain_text', text: hint },
    element: {
      type: 'number_input',
      action_id: INPUT_ACTION,
      is_decimal_allowed: false,
      min_value: String(SETTING_DAYS.min),
      max_value: String(SETTING_DAYS.max),
      initial_value: String(days),
    },
  };
}

/**
 * The settings as they are. The form carries them in its metadata too, so that a save changes only
 * what this admin changed, not what someone else saved while the form was open.
 */
export function settingsModal(settings: WorkspaceSettings): ModalView {
  const metadata = JSON.stringify(settings);
  return {
    type: 'modal',
    callback_id: MODAL.settings,
    title: { type: 'plain_text', text: 'Workspace settings' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    // Past Slack's limit (a very long list of people) the form does without: a save then applies in full.
    private_metadata: metadata.length <= METADATA_LIMIT ? metadata : '',
    blocks: [
      section(
        "Cairn's settings for everyone in this workspace. Only workspace admins and owners change them.",
      ),
      {
        type: 'input',
        block_id: SETTINGS_FIELD.timezone,
        label: { type: 'plain_text', text: 'Default timezone' },
        hint: {
          type: 'plain_text',
          text: 'For anyone whose own timezone Slack does not give, and for dates no one person reads. An IANA name such as America/New_York, Europe/London or Asia/Kolkata.',
        },
        element: {
          type: 'plain_text_input',
          action_id: INPUT_ACTION,
          initial_value: settings.defaultTimezone,
          max_length: 64,
        },
      },
      daysInput(
        SETTINGS_FIELD.staleAfterDays,
        'Flag work with no update for (days)',
        'Work whose latest update is older than this is flagged in digests, whatever its stated health.',
        settings.staleAfterDays,
      ),
      daysInput(
        SETTINGS_FIELD.escalateAfterDays,
        'Escalate blockers open for (days)',
        "A blocker open this long is brought to its program's owner, and again at each multiple.",
        settings.escalateBlockersAfterDays,
      ),
      {
        type: 'input',
        block_id: SETTINGS_FIELD.creators,
        label: { type: 'plain_text', text: 'Who may create programs' },
        hint: { type: 'plain_text', text: 'Workspace admins and owners always may.' },
        element: {
          type: 'radio_buttons',
          action_id: INPUT_ACTION,
          options: [option('anyone'), option('listed')],
          initial_option: option(settings.programCreation.creators),
        },
      },
      {
        type: 'input',
        block_id: SETTINGS_FIELD.creatorIds,
        optional: true,
        label: { type: 'plain_text', text: 'People who may create programs' },
        hint: { type: 'plain_text', text: 'Used when only the people listed may create programs.' },
        element: {
          type: 'multi_users_select',
          action_id: INPUT_ACTION,
          max_selected_items: MAX_PROGRAM_CREATORS,
          ...(settings.programCreation.creatorIds.length > 0
            ? { initial_users: [...settings.programCreation.creatorIds] }
            : {}),
        },
      },
    ],
  };
}

export type SettingsForm =
  | {
      ok: true;
      submitted: WorkspaceSettings;
      /** What the form showed when it opened; absent when its metadata is missing or not readable. */
      seen?: WorkspaceSettings;
    }
  | { ok: false; errors: Record<string, string> };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const SLACK_USER = /^[UW][A-Z0-9]{2,20}$/;

/** A whole number of days within range, or why not. */
function daysFrom(raw: unknown): number | string {
  const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
  if (text === '') return `Give ${DAYS_RULE}.`;
  if (!/^\d{1,6}$/.test(text))
    return `"${truncate(oneLine(text), 20)}" is not a whole number: give ${DAYS_RULE}.`;
  const days = Number(text);
  if (days < SETTING_DAYS.min || days > SETTING_DAYS.max)
    return `${days} is out of range: give ${DAYS_RULE}.`;
  return days;
}

function creatorsFrom(raw: unknown): ProgramCreation['creators'] | undefined {
  return raw === 'anyone' || raw === 'listed' ? raw : undefined;
}

/** Slack user ids, each once; undefined when the list holds anything else. */
function peopleFrom(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || !raw.every((id) => typeof id === 'string' && SLACK_USER.test(id)))
    return undefined;
  return [...new Set(raw as string[])];
}

/**
 * The submitted form: settings within range, or an error on each block that is not. Reads whatever
 * arrives (a submission can be forged) and never throws.
 */
export function readSettingsForm(
  values: unknown,
  privateMetadata: unknown,
  isValidZone: (zone: string) => boolean,
): SettingsForm {
  const errors: Record<string, string> = {};
  const field = (block: string): Record<string, unknown> => {
    const byAction = isRecord(values) && Object.hasOwn(values, block) ? values[block] : undefined;
    const element = isRecord(byAction) && Object.hasOwn(byAction, INPUT_ACTION) ? byAction[INPUT_ACTION] : {};
    return isRecord(element) ? element : {};
  };

  const typedZone = field(SETTINGS_FIELD.timezone).value;
  const defaultTimezone = typeof typedZone === 'string' ? typedZone.trim() : '';
  if (defaultTimezone === '')
    errors[SETTINGS_FIELD.timezone] = 'Give a timezone: an IANA name such as America/New_York.';
  else if (!isValidZone(defaultTimezone))
    errors[SETTINGS_FIELD.timezone] =
      `"${truncate(oneLine(defaultTimezone), 40)}" is not a timezone I know. Use an IANA name such as America/New_York.`;

  const staleAfterDays = daysFrom(field(SETTINGS_FIELD.staleAfterDays).value);
  if (typeof staleAfterDays === 'string') errors[SETTINGS_FIELD.staleAfterDays] = staleAfterDays;
  const escalateBlockersAfterDays = daysFrom(field(SETTINGS_FIELD.escalateAfterDays).value);
  if (typeof escalateBlockersAfterDays === 'string')
    errors[SETTINGS_FIELD.escalateAfterDays] = escalateBlockersAfterDays;

  const chosen = field(SETTINGS_FIELD.creators).selected_option;
  const creators = creatorsFrom(isRecord(chosen) ? chosen.value : undefined);
  if (!creators) errors[SETTINGS_FIELD.creators] = 'Choose who may create programs.';

  const creatorIds = peopleFrom(field(SETTINGS_FIELD.creatorIds).selected_users);
  if (!creatorIds) errors[SETTINGS_FIELD.creatorIds] = 'Pick the people from the list.';
  else if (creatorIds.length > MAX_PROGRAM_CREATORS)
    errors[SETTINGS_FIELD.creatorIds] = `List at most ${MAX_PROGRAM_CREATORS} people.`;

  if (
    Object.keys(errors).length > 0 ||
    typeof staleAfterDays !== 'number' ||
    typeof escalateBlockersAfterDays !== 'number' ||
    !creators ||
    !creatorIds
  )
    return { ok: false, errors };
  const submitted: WorkspaceSettings = {
    defaultTimezone,
    staleAfterDays,
    escalateBlockersAfterDays,
    programCreation: { creators, creatorIds },
  };
  const seen = seenIn(privateMetadata, isValidZone);
  return seen ? { ok: true, submitted, seen } : { ok: true, submitted };
}

/** The settings the form opened with, from its metadata; undefined unless every one of them is valid. */
function seenIn(
  privateMetadata: unknown,
  isValidZone: (zone: string) => boolean,
): WorkspaceSettings | undefined {
  let parsed: unknown;
  try {
    parsed = typeof privateMetadata === 'string' && privateMetadata ? JSON.parse(privateMetadata) : undefined;
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || !isRecord(parsed.programCreation)) return undefined;
  const { defaultTimezone, staleAfterDays, escalateBlockersAfterDays } = parsed;
  const stale = daysFrom(staleAfterDays);
  const escalate = daysFrom(escalateBlockersAfterDays);
  const creators = creatorsFrom(parsed.programCreation.creators);
  const creatorIds = peopleFrom(parsed.programCreation.creatorIds);
  if (
    typeof defaultTimezone !== 'string' ||
    !isValidZone(defaultTimezone) ||
    typeof stale !== 'number' ||
    typeof escalate !== 'number' ||
    !creators ||
    !creatorIds
  )
    return undefined;
  return {
    defaultTimezone,
    staleAfterDays: stale,
    escalateBlockersAfterDays: escalate,
    programCreation: { creators, creatorIds },
  };
}

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;
const people = (ids: readonly string[]) => (ids.length ? ids.map((id) => `<@${id}>`).join(', ') : 'nobody');
const WHO_CREATES: Record<ProgramCreation['creators'], string> = {
  anyone: 'anyone in the workspace',
  listed: 'only the people listed and workspace admins',
};

/** The answer to a save: each setting it changed, from what to what. */
export function settingsChangedView(o: {
  before: WorkspaceSettings;
  after: WorkspaceSettings;
  fields: readonly SettingName[];
}): Answer {
  const say = (text: string): Answer => ({ response_type: 'ephemeral', text, blocks: [section(text)] });
  if (o.fields.length === 0) return say('The workspace settings say that already. Nothing changed.');
  const { before, after } = o;
  const line: Record<SettingName, () => string> = {
    defaultTimezone: () =>
      `default timezone: ${quoteInput(before.defaultTimezone)} → ${quoteInput(after.defaultTimezone)}`,
    staleAfterDays: () =>
      `work is flagged after ${days(before.staleAfterDays)} → *${days(after.staleAfterDays)}* with no update`,
    escalateBlockersAfterDays: () =>
      `blockers are escalated after ${days(before.escalateBlockersAfterDays)} → *${days(after.escalateBlockersAfterDays)}* open`,
    creators: () =>
      `programs may be created by ${WHO_CREATES[before.programCreation.creators]} → *${WHO_CREATES[after.programCreation.creators]}*`,
    creatorIds: () =>
      `people listed to create programs: ${people(after.programCreation.creatorIds)} (were ${people(before.programCreation.creatorIds)})`,
  };
  const text = `Changed the workspace settings:\n${o.fields.map((f) => `• ${line[f]()}`).join('\n')}`;
  return say(text);
}
