/**
 * Reads the update modal's submitted state into update content, with an error per field in
 * Slack's `response_action: errors` shape (block id → message) when something is off.
 */
import type { UpdateContent } from '../domain/entities.js';
import type { Health } from '../domain/types.js';
import { AUDIENCE_CHOICE, INPUT_ACTION, UPDATE_FIELD } from './ids.js';

type StateValues = Record<
  string,
  Record<
    string,
    {
      type?: string;
      value?: string | null;
      selected_option?: { value: string } | null;
      selected_date?: string | null;
      selected_options?: Array<{ value: string }> | null;
    }
  >
>;

export type UpdateForm =
  | {
      ok: true;
      workstreamId?: string;
      content: UpdateContent;
      /** Whether a blocker named in the form opens internal: unless "Blockers visible to clients" is ticked. */
      blockerInternal: boolean;
    }
  | { ok: false; errors: Record<string, string> };

const HEALTH_VALUES = new Set(['on_track', 'at_risk', 'off_track', 'blocked']);

export function readUpdateForm(values: StateValues, today: string): UpdateForm {
  const field = (block: string) => values[block]?.[INPUT_ACTION];
  const errors: Record<string, string> = {};

  const workstreamId = field(UPDATE_FIELD.workstream)?.selected_option?.value;
  if (values[UPDATE_FIELD.workstream] && (!workstreamId || !/^[0-9a-f]{24}$/.test(workstreamId)))
    errors[UPDATE_FIELD.workstream] = 'Choose one of the workstreams.';

  const healthValue = field(UPDATE_FIELD.health)?.selected_option?.value ?? '';
  if (!HEALTH_VALUES.has(healthValue)) errors[UPDATE_FIELD.health] = 'Choose how the workstream is doing.';

  const progressText = field(UPDATE_FIELD.progress)?.value?.trim();
  let progress: number | undefined;
  if (progressText) {
    progress = Number(progressText);
    if (!Number.isInteger(progress) || progress < 0 || progress > 100)
      errors[UPDATE_FIELD.progress] = 'Progress is a whole number from 0 to 100.';
  }

  const summary = field(UPDATE_FIELD.summary)?.value?.trim() ?? '';
  if (!summary) errors[UPDATE_FIELD.summary] = 'Say in a line or two what happened since the last update.';
  else if (summary.length > 2000)
    errors[UPDATE_FIELD.summary] = `Keep the summary under 2,000 characters (it has ${summary.length}).`;
  const nextSteps = field(UPDATE_FIELD.nextSteps)?.value?.trim() || undefined;
  const blockers = field(UPDATE_FIELD.blockers)?.value?.trim() || undefined;
  if (healthValue === 'blocked' && !blockers)
    errors[UPDATE_FIELD.blockers] = 'Blocked by what? Name the blocker so its owner can act.';

  const forecastDate = field(UPDATE_FIELD.forecast)?.selected_date ?? undefined;
  if (forecastDate && !/^\d{4}-\d{2}-\d{2}$/.test(forecastDate))
    errors[UPDATE_FIELD.forecast] = 'Pick a date from the calendar.';
  else if (forecastDate && forecastDate < today)
    errors[UPDATE_FIELD.forecast] = `A forecast is for the future; ${forecastDate} has passed.`;

  const ticked = new Set((field(UPDATE_FIELD.audience)?.selected_options ?? []).map((o) => o.value));

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const blocked = healthValue === 'blocked';
  const health: Health = blocked ? 'off_track' : (healthValue as Health);
  return {
    ok: true,
    workstreamId,
    content: {
      health,
      blocked,
      progress,
      summary,
      nextSteps,
      blockers,
      forecastDate,
      internal: ticked.has(AUDIENCE_CHOICE.internal),
    },
    blockerInternal: !ticked.has(AUDIENCE_CHOICE.blockersVisible),
  };
}
