import { variantRefusal } from '../domain/audience.js';
import type { ScheduleInput } from '../domain/schedule.js';
import type { DigestSchedule, Program } from '../domain/entities.js';
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { WEEKDAYS, type DigestVariant, type Weekday } from '../domain/schedule.js';
import { localSlotLabel, parseTimeOfDay } from '../domain/schedule-slots.js';
import type { Answer } from './answer.js';
import { button, context, section } from './blocks.js';
import { oneLine, truncate, userText } from '../text/escape.js';
import { ACTION, INPUT_ACTION, MODAL, SCHEDULE_FIELD } from './ids.js';
import { plural } from './plural.js';

const DAY_LABEL: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
const VARIANTS: Array<{ value: DigestVariant; text: string }> = [
  { value: 'team', text: 'Team: everything, with detail by team' },
  { value: 'leadership', text: 'Leadership: counts, changes, attention, milestones' },
  { value: 'client', text: 'Client: client-visible text only (a client-facing program)' },
];
const LEADS: Array<{ minutes: number; text: string }> = [
  { minutes: 0, text: 'No reminders' },
  { minutes: 30, text: '30 minutes before' },
  { minutes: 60, text: '1 hour before' },
  { minutes: 120, text: '2 hours before' },
  { minutes: 240, text: '4 hours before' },
  { minutes: 1440, text: 'The day before' },
];
const option = (text: string, value: string): PlainTextOption => ({
  text: { type: 'plain_text', text },
  value,
});

/** `/program schedule <program>`: channel, days, time, timezone (the user's by default), variant, reminder lead. */
export function scheduleModal(program: Program, defaultTimezone: string): ModalView {
  const leadDefault = LEADS[3]!;
  return {
    type: 'modal',
    callback_id: MODAL.newSchedule,
    title: { type: 'plain_text', text: 'Digest schedule' },
    submit: { type: 'plain_text', text: 'Schedule' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify({ programKey: program.key }),
    blocks: [
      section(`A digest of *${userText(program.name, 200)}* (\`${program.key}\`), posted on a schedule.`),
      {
        type: 'input',
        block_id: SCHEDULE_FIELD.channel,
        label: { type: 'plain_text', text: 'Channel' },
        element: {
          type: 'conversations_select',
          action_id: INPUT_ACTION,
          filter: { include: ['public', 'private'], exclude_bot_users: true },
          ...(program.channelId ? { initial_conversation: program.channelId } : {}),
        },
      },
      {
        type: 'input',
        block_id: SCHEDULE_FIELD.days,
        label: { type: 'plain_text', text: 'Days' },
        element: {
          type: 'checkboxes',
          action_id: INPUT_ACTION,
          options: WEEKDAYS.map((d) => option(DAY_LABEL[d], d)),
          initial_options: [option(DAY_LABEL.mon, 'mon')],
        },
      },
      {
        type: 'input',
        block_id: SCHEDULE_FIELD.time,
        label: { type: 'plain_text', text: 'Time of day' },
        element: { type: 'timepicker', action_id: INPUT_ACTION, initial_time: '09:00' },
      },
      {
        type: 'input',
        block_id: SCHEDULE_FIELD.timezone,
        label: { type: 'plain_text', text: 'Timezone' },
        hint: {
          type: 'plain_text',
          text: 'An IANA name such as America/New_York, Europe/London or Asia/Kolkata.',
        },
        element: {
          type: 'plain_text_input',
          action_id: INPUT_ACTION,
          initial_value: defaultTimezone,
          max_length: 64,
        },
      },
      {
        type: 'input',
        block_id: SCHEDULE_FIELD.variant,
        label: { type: 'plain_text', text: 'Audience' },
        element: {
          type: 'radio_buttons',
          action_id: INPUT_ACTION,
          options: VARIANTS.map((v) => option(v.text, v.value)),
          initial_option: option(VARIANTS[0]!.text, 'team'),
        },
      },
      {
        type: 'input',
        block_id: SCHEDULE_FIELD.reminder,
        label: { type: 'plain_text', text: 'Remind leads with no update' },
        element: {
          type: 'static_select',
          action_id: INPUT_ACTION,
          options: LEADS.map((l) => option(l.text, String(l.minutes))),
          initial_option: option(leadDefault.text, String(leadDefault.minutes)),
        },
      },
    ],
  };
}

type StateValues = Record<
  string,
  Record<
    string,
    {
      value?: string | null;
      selected_conversation?: string | null;
      selected_time?: string | null;
      selected_option?: { value: string } | null;
      selected_options?: Array<{ value: string }>;
    }
  >
>;

export type ScheduleForm =
  { ok: true; programKey: string; input: ScheduleInput } | { ok: false; errors: Record<string, string> };

export function readScheduleForm(
  values: StateValues,
  privateMetadata: string | undefined,
  isValidZone: (zone: string) => boolean,
): ScheduleForm {
  const errors: Record<string, string> = {};
  const field = (block: string) => values[block]?.[INPUT_ACTION];
  const channelId = field(SCHEDULE_FIELD.channel)?.selected_conversation ?? '';
  if (!/^[CG][A-Z0-9]{2,}$/.test(channelId))
    errors[SCHEDULE_FIELD.channel] = 'Choose a channel for the digest.';
  const days = (field(SCHEDULE_FIELD.days)?.selected_options ?? [])
    .map((o) => o.value)
    .filter((d): d is Weekday => (WEEKDAYS as readonly string[]).includes(d));
  if (days.length === 0) errors[SCHEDULE_FIELD.days] = 'Choose at least one day.';
  const time = parseTimeOfDay(field(SCHEDULE_FIELD.time)?.selected_time ?? '');
  if (!time) errors[SCHEDULE_FIELD.time] = 'Choose a time of day.';
  const timezone = (field(SCHEDULE_FIELD.timezone)?.value ?? '').trim();
  if (!isValidZone(timezone))
    errors[SCHEDULE_FIELD.timezone] =
      `"${truncate(oneLine(timezone), 40)}" is not a timezone I know. Use an IANA name such as America/New_York.`;
  const variant = field(SCHEDULE_FIELD.variant)?.selected_option?.value as DigestVariant | undefined;
  if (!variant || !VARIANTS.some((v) => v.value === variant))
    errors[SCHEDULE_FIELD.variant] = 'Choose who the digest is for.';
  const lead = Number(field(SCHEDULE_FIELD.reminder)?.selected_option?.value);
  if (!LEADS.some((l) => l.minutes === lead))
    errors[SCHEDULE_FIELD.reminder] = 'Choose when to remind leads.';
  let programKey = '';
  try {
    programKey = String((JSON.parse(privateMetadata || '{}') as { programKey?: unknown }).programKey ?? '');
  } catch {
    programKey = '';
  }
  if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(programKey))
    errors[SCHEDULE_FIELD.channel] =
      'This form lost track of its program; close it and run /program schedule again.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    programKey,
    input: { channelId, days, time: time!, timezone, variant: variant!, reminderLeadMinutes: lead },
  };
}

export function scheduleCreatedView(program: Program, schedule: DigestSchedule): Answer {
  const next = schedule.nextSlotAt ? localSlotLabel(schedule.nextSlotAt, schedule.timezone) : 'never';
  const text = `Scheduled the ${schedule.variant} digest of *${userText(program.name, 200)}* in <#${schedule.channelId}>: ${describeTiming(schedule)}. Next: ${next}.`;
  // A client schedule of an internal program skips its runs until the program is client-facing.
  const warning = variantRefusal(program, schedule.variant)
    ? `\n:warning: \`${program.key}\` is internal, so each run is skipped (and recorded as skipped) until it is made client-facing: \`/program set ${program.key} audience:client\`.`
    : '';
  return { response_type: 'ephemeral', text, blocks: [section(`${text}${warning}`)] };
}

export function describeTiming(s: Pick<DigestSchedule, 'days' | 'time' | 'timezone'>): string {
  const days = s.days.length === 7 ? 'every day' : s.days.map((d) => DAY_LABEL[d].slice(0, 3)).join(', ');
  return `${days} at ${s.time} (${s.timezone})`;
}

/** `/program schedules <program>`: each schedule with its next run in local time, and its buttons. */
export function scheduleListView(program: Program, schedules: readonly DigestSchedule[]): Answer {
  if (schedules.length === 0) {
    return {
      response_type: 'ephemeral',
      text: 'No schedules',
      blocks: [
        section(
          `*${userText(program.name, 200)}* has no digest schedules. \`/program schedule ${program.key}\` adds one.`,
        ),
      ],
    };
  }
  const blocks: KnownBlock[] = [
    section(`*Digest schedules of ${userText(program.name, 200)}* (\`${program.key}\`)`),
  ];
  for (const s of schedules.slice(0, 15)) {
    const next = s.paused
      ? '_paused_'
      : s.nextSlotAt
        ? `next ${localSlotLabel(s.nextSlotAt, s.timezone)}`
        : 'no next run';
    blocks.push(section(`• ${s.variant} digest in <#${s.channelId}>, ${describeTiming(s)} — ${next}`));
    const id = s._id.toHexString();
    blocks.push({
      type: 'actions',
      block_id: `schedule-${id}`,
      elements: [
        s.paused ? button('Resume', ACTION.scheduleResume, id) : button('Pause', ACTION.schedulePause, id),
        button('Remove', ACTION.scheduleRemove, id, 'danger'),
      ],
    });
  }
  if (schedules.length > 15) blocks.push(context(`…and ${plural(schedules.length - 15, 'more schedule')}.`));
  return { response_type: 'ephemeral', text: plural(schedules.length, 'digest schedule'), blocks };
}
