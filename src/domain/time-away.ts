/**
 * Time away (issue 15): a person away gets no reminders or escalations, and their workstreams show
 * "lead away until …" rather than "missing". Pure: absences and a day in, who is away out.
 */
import { dateIn } from './digest/context.js';
import type { CalendarDate } from './types.js';

export interface Absence {
  userId: string;
  /** The last day away, in `timezone`. */
  until: CalendarDate;
  timezone: string;
}

/** The people away at `now` (in their own timezone, their absence lasts through today), with their last day away. */
export function awayAt(absences: readonly Absence[], now: Date): Map<string, CalendarDate> {
  return new Map(absences.filter((a) => a.until >= dateIn(now, a.timezone)).map((a) => [a.userId, a.until]));
}

/** The earliest date it is anywhere at `now` (UTC−12): no one can be away at `now` with an earlier `until`. */
export const earliestDateAt = (now: Date): CalendarDate => dateIn(now, 'Etc/GMT+12');

/** What `/status away` or `/status back` did. */
export type AwayChange = { kind: 'away'; until: CalendarDate } | { kind: 'back'; wasAway: boolean };
