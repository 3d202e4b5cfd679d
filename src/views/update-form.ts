/**
 * Reads the update modal's submitted state into update content, with an error per field in
 * Slack's `response_action: errors` shape (block id → message) when something is off.
 */
import type { UpdateContent } from '../data/updates.js';
import type { Health } from '../domain/types.js';
import { escapeMrkdwn } from './escape.js';

type StateValues = Record<
  string,
  Record<
    string,
    {
      type?: string;
      value?: string | null;
      selected_option?: { value: string } | null;
      selected_date?: string | null;
    }
  >
>;

export type UpdateForm =
  { ok: true; workstreamId?: string; content: UpdateContent } | { ok: false; errors: Record<string, string> };

const HEALTH_VALUES = new Set(['on_track', 'at_risk', 'off_track', 'blocked']);

export function readUpdateForm(values: StateValues, today: string): UpdateForm {
  const field = (block: string) => values[block]?.value;
  const errors: Record<string, string> = {};

  const workstreamId = field('workstream')?.selected_option?.value;
  if (values.workstream && (!workstreamId || !/^[0-9a-f]{24}$/.test(workstreamId)))
    errors.workstream = 'Choose one of the workstreams.';

  const healthValue = field('health')?.selected_option?.value ?? '';
  if (!HEALTH_VALUES.has(healthValue)) errors.health = 'Choose how the workstream is doing.';

  const progressText = field('progress')?.value?.trim();
  let progress: number | undefined;
  if (progressText) {
    progress = Number(progressText);
    if (!Number.isInteger(progress) || progress < 0 || progress > 100)
      errors.progress = 'Progress is a whole number from 0 to 100.';
  }

  const summary = field('summary')?.value?.trim() ?? '';
  if (!summary) errors.summary = 'Say in a line or two what happened since the last update.';
  else if (summary.length > 2000)
    errors.summary = `Keep the summary under 2,000 characters (it has ${summary.length}).`;
  const nextSteps = field('next_steps')?.value?.trim() || undefined;
  const blockers = field('blockers')?.value?.trim() || undefined;
  if (healthValue === 'blocked' && !blockers)
    errors.blockers = 'Blocked by what? Name the blocker so its owner can act.';

  const forecastDate = field('forecast')?.selected_date ?? undefined;
  if (forecastDate && !/^\d{4}-\d{2}-\d{2}$/.test(forecastDate))
    errors.forecast = 'Pick a date from the calendar.';
  else if (forecastDate && forecastDate < today)
    errors.forecast = `A forecast is for the future; ${escapeMrkdwn(forecastDate)} has passed.`;

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const blocked = healthValue === 'blocked';
  const health: Health = blocked ? 'off_track' : (healthValue as Health);
  return {
    ok: true,
    workstreamId,
    content: { health, blocked, progress, summary, nextSteps, blockers, forecastDate },
  };
}
