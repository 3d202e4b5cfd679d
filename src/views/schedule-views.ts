import { variantRefusal } from '../domain/audience.js';
import type { ScheduleInput, ScheduleSubject, ScheduleSubjectRef } from '../domain/schedule.js';
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
/** The `quiet` option: one line instead of the digest when nothing changed since the last one. */
const QUIET: Array<{ value: 'yes' | 'no'; text: string }> = [
  { value: 'no', text: 'No: always the full digest' },
  { value: 'yes', text: 'Yes: one line when nothing changed since the last digest' },
];
const option = (text: string, value: string): PlainTextOption => ({
  text: { type: 'plain_text', text },
  value,
});

/**
 * `/program schedule <program>`: channel, days, time, timezone (the user's by default), variant,
 * reminder lead, quiet (no by default). `/program portfolio schedule <key>`: the same without variant,
 * reminders and quiet (a portfolio's digest is for leadership and chases nobody, and its "what
 * changed" is not a program's). With `editing`, the same form filled in with that schedule's choices
 * (its **Edit** button); its id rides in the metadata.
 */
export function scheduleModal(
  subject: Program | ScheduleSubject,
  defaultTimezone: string,
  editing?: DigestSchedule,
): ModalView {
  const about = subjectOf(subject);
  const program = about.kind === 'program' ? about.program : undefined;
  const lead = LEADS.find((l) => l.minutes === editing?.reminderLeadMinutes) ?? LEADS[3]!;
  const variant = VARIANTS.find((v) => v.value === editing?.variant) ?? VARIANTS[0]!;
  const quiet = QUIET[editing?.quiet ? 1 : 0]!;
  const channelId = editing?.channelId ?? program?.channelId;
  const days = editing?.days.length ? editing.days : (['mon'] as const);
  return {
    type: 'modal',
    callback_id: MODAL.newSchedule,
    title: { type: 'plain_text', text: editing ? 'Edit schedule' : 'Digest schedule' },
    submit: { type: 'plain_text', text: editing ? 'Save' : 'Schedule' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify({
      ...(about.kind === 'program'
        ? { programKey: about.program.key }
        : { portfolioKey: about.portfolio.key }),
      ...(editing ? { scheduleId: editing._id.toHexString() } : {}),
    }),
    blocks: [
      section(
        about.kind === 'program'
          ? `A digest of *${userText(about.program.name, 200)}* (\`${about.program.key}\`), posted on a schedule.`
          : `The leadership digest of the portfolio *${userText(about.portfolio.name, 200)}* (\`${about.portfolio.key}\`), posted on a schedule.`,
      ),
      {
        type: 'input',
        block_id: SCHEDULE_FIELD.channel,
        label: { type: 'plain_text', text: 'Channel' },
        element: {
          type: 'conversations_select',
          action_id: INPUT_ACTION,
          filter: { include: ['public', 'private'], exclude_bot_users: true },
          ...(channelId ? { initial_conversation: channelId } : {}),
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
          initial_options: days.map((d) => option(DAY_LABEL[d], d)),
        },
      },
      {
        type: 'input',
        block_id: SCHEDULE_FIELD.time,
        label: { type: 'plain_text', text: 'Time of day' },
        element: { type: 'timepicker', action_id: INPUT_ACTION, initial_time: editing?.time ?? '09:00' },
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
          initial_value: editing?.timezone ?? defaultTimezone,
          max_length: 64,
        },
      },
      ...(program
        ? ([
            {
              type: 'input',
              block_id: SCHEDULE_FIELD.variant,
              label: { type: 'plain_text', text: 'Audience' },
              element: {
                type: 'radio_buttons',
                action_id: INPUT_ACTION,
                options: VARIANTS.map((v) => option(v.text, v.value)),
                initial_option: option(variant.text, variant.value),
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
                initial_option: option(lead.text, String(lead.minutes)),
              },
            },
            {
              type: 'input',
              block_id: SCHEDULE_FIELD.quiet,
              label: { type: 'plain_text', text: 'Quiet when nothing changed' },
              hint: {
                type: 'plain_text',
                text: 'When nothing changed since the last digest, post one line with the counts instead.',
              },
              element: {
                type: 'radio_buttons',
                action_id: INPUT_ACTION,
                options: QUIET.map((q) => option(q.text, q.value)),
                initial_option: option(quiet.text, quiet.value),
              },
            },
          ] satisfies KnownBlock[])
        : []),
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
  | {
      ok: true;
      subject: ScheduleSubjectRef;
      input: ScheduleInput;
      /** The schedule edited (the form opened from its Edit button); absent for a new one. */
      scheduleId?: string;
    }
  | { ok: false; errors: Record<string, string> };

const KEY = /^[a-z0-9][a-z0-9-]{0,31}$/;

export function readScheduleForm(
  values: StateValues,
  privateMetadata: string | undefined,
  isValidZone: (zone: string) => boolean,
): ScheduleForm {
  const errors: Record<string, string> = {};
  const field = (block: string) => values[block]?.[INPUT_ACTION];
  const { subject, scheduleId } = subjectOfMetadata(privateMetadata);
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
  // A portfolio's form has neither: its digest is the leadership one and sends no reminders.
  const forPortfolio = subject !== undefined && 'portfolioKey' in subject;
  const variant = forPortfolio
    ? 'leadership'
    : (field(SCHEDULE_FIELD.variant)?.selected_option?.value as DigestVariant | undefined);
  if (!variant || !VARIANTS.some((v) => v.value === variant))
    errors[SCHEDULE_FIELD.variant] = 'Choose who the digest is for.';
  const lead = forPortfolio ? 0 : Number(field(SCHEDULE_FIELD.reminder)?.selected_option?.value);
  if (!LEADS.some((l) => l.minutes === lead))
    errors[SCHEDULE_FIELD.reminder] = 'Choose when to remind leads.';
  // Untouched (or a form opened before the option existed): off. A portfolio's form has none.
  const quietChoice = forPortfolio ? 'no' : (field(SCHEDULE_FIELD.quiet)?.selected_option?.value ?? 'no');
  if (quietChoice !== 'yes' && quietChoice !== 'no')
    errors[SCHEDULE_FIELD.quiet] = 'Choose whether to post one line when nothing changed.';
  if (!subject)
    errors[SCHEDULE_FIELD.channel] =
      'This form lost track of what it schedules; close it and run /program schedule again.';
  if (Object.keys(errors).length > 0 || !subject) return { ok: false, errors };
  return {
    ok: true,
    subject,
    ...(scheduleId ? { scheduleId } : {}),
    input: {
      channelId,
      days,
      time: time!,
      timezone,
      variant: variant!,
      reminderLeadMinutes: lead,
      ...(forPortfolio ? {} : { quiet: quietChoice === 'yes' }),
    },
  };
}

/** The program's or portfolio's key the modal was opened for, and the schedule it edits, from its private metadata. */
function subjectOfMetadata(privateMetadata: string | undefined): {
  subject?: ScheduleSubjectRef;
  scheduleId?: string;
} {
  let metadata: { programKey?: unknown; portfolioKey?: unknown; scheduleId?: unknown } = {};
  try {
    const parsed: unknown = JSON.parse(privateMetadata || '{}');
    if (parsed && typeof parsed === 'object') metadata = parsed;
  } catch {
    return {};
  }
  const scheduleId =
    typeof metadata.scheduleId === 'string' && /^[0-9a-f]{24}$/.test(metadata.scheduleId)
      ? { scheduleId: metadata.scheduleId }
      : {};
  if (typeof metadata.programKey === 'string' && KEY.test(metadata.programKey))
    return { subject: { programKey: metadata.programKey }, ...scheduleId };
  if (typeof metadata.portfolioKey === 'string' && KEY.test(metadata.portfolioKey))
    return { subject: { portfolioKey: metadata.portfolioKey }, ...scheduleId };
  return {};
}

export function scheduleCreatedView(
  subject: Program | ScheduleSubject,
  schedule: DigestSchedule,
  edited = false,
): Answer {
  const about = subjectOf(subject);
  const next = schedule.nextSlotAt ? localSlotLabel(schedule.nextSlotAt, schedule.timezone) : 'never';
  const what =
    about.kind === 'program'
      ? `the ${schedule.variant} digest of *${userText(about.program.name, 200)}*`
      : `the leadership digest of the portfolio *${userText(about.portfolio.name, 200)}*`;
  const quiet = schedule.quiet ? ' Quiet: one line when nothing changed since the last digest.' : '';
  const paused = schedule.paused ? ' It stays paused until you resume it.' : '';
  const text = `${edited ? 'Changed the schedule of' : 'Scheduled'} ${what} in <#${schedule.channelId}>: ${describeTiming(schedule)}. Next: ${schedule.paused ? 'none while paused' : next}.${quiet}${paused}`;
  // A client schedule of an internal program skips its runs until the program is client-facing.
  const warning =
    about.kind === 'program' && variantRefusal(about.program, schedule.variant)
      ? `\n:warning: \`${about.program.key}\` is internal, so each run is skipped (and recorded as skipped) until it is made client-facing: \`/program set ${about.program.key} audience:client\`.`
      : '';
  return { response_type: 'ephemeral', text, blocks: [section(`${text}${warning}`)] };
}

export function describeTiming(s: Pick<DigestSchedule, 'days' | 'time' | 'timezone'>): string {
  const days = s.days.length === 7 ? 'every day' : s.days.map((d) => DAY_LABEL[d].slice(0, 3)).join(', ');
  return `${days} at ${s.time} (${s.timezone})`;
}

/**
 * `/program schedules <program>` and `/program portfolio schedules <key>`: each schedule with its next
 * run in local time, and its buttons.
 */
export function scheduleListView(
  subject: Program | ScheduleSubject,
  schedules: readonly DigestSchedule[],
): Answer {
  const about = subjectOf(subject);
  const { name, key } = about.kind === 'program' ? about.program : about.portfolio;
  const scheduleCommand =
    about.kind === 'program' ? `/program schedule ${key}` : `/program portfolio schedule ${key}`;
  if (schedules.length === 0) {
    return {
      response_type: 'ephemeral',
      text: 'No schedules',
      blocks: [section(`*${userText(name, 200)}* has no digest schedules. \`${scheduleCommand}\` adds one.`)],
    };
  }
  const blocks: KnownBlock[] = [
    section(
      `*Digest schedules of ${about.kind === 'portfolio' ? 'the portfolio ' : ''}${userText(name, 200)}* (\`${key}\`)`,
    ),
  ];
  for (const s of schedules.slice(0, 15)) {
    const next = s.paused
      ? '_paused_'
      : s.nextSlotAt
        ? `next ${localSlotLabel(s.nextSlotAt, s.timezone)}`
        : 'no next run';
    const quiet = s.quiet ? ', quiet (one line when nothing changed)' : '';
    blocks.push(
      section(`• ${s.variant} digest in <#${s.channelId}>, ${describeTiming(s)}${quiet} — ${next}`),
    );
    const id = s._id.toHexString();
    blocks.push({
      type: 'actions',
      block_id: `schedule-${id}`,
      elements: [
        button('Edit', ACTION.scheduleEdit, id),
        s.paused ? button('Resume', ACTION.scheduleResume, id) : button('Pause', ACTION.schedulePause, id),
        button('Remove', ACTION.scheduleRemove, id, 'danger'),
      ],
    });
  }
  if (schedules.length > 15) blocks.push(context(`…and ${plural(schedules.length - 15, 'more schedule')}.`));
  return { response_type: 'ephemeral', text: plural(schedules.length, 'digest schedule'), blocks };
}

/** Views take a program (as before portfolios could be scheduled) or either subject. */
function subjectOf(subject: Program | ScheduleSubject): ScheduleSubject {
  return 'kind' in subject ? subject : { kind: 'program', program: subject };
}
