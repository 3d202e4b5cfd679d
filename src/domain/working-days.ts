/**
 * Working days (issue 15: a dependency request unanswered for 3 working days needs attention): Monday
 * to Friday, on calendar dates already taken in the workspace's timezone. No holidays. Pure.
 */
import { dayOf } from './analysis/days.js';
import type { CalendarDate } from './types.js';

/** How many working days an unanswered request may wait before it needs attention. */
export const ANSWER_WITHIN_WORKING_DAYS = 3;

/**
 * How many working days an unanswered request waits before its providing lead is reminded, once per
 * plan (counted as ANSWER_WITHIN_WORKING_DAYS is): a day before it needs attention.
 */
export const REMIND_AFTER_WORKING_DAYS = 2;

/** 0 Monday … 6 Sunday, from a day number (1970-01-01, day 0, was a Thursday). */
const weekday = (day: number): number => (((day + 3) % 7) + 7) % 7;

/**
 * The working days after `from` up to and including `to`: a request made on a Thursday has waited 1
 * working day on Friday, still 1 over the weekend, 2 on Monday and 3 on Tuesday. 0 when `to` is not
 * after `from` or either is not a date.
 */
export function workingDaysBetween(from: CalendarDate, to: CalendarDate): number {
  const a = dayOf(from);
  const b = dayOf(to);
  if (a === undefined || b === undefined || b <= a) return 0;
  const span = b - a;
  let count = Math.floor(span / 7) * 5;
  for (let d = a + Math.floor(span / 7) * 7 + 1; d <= b; d += 1) if (weekday(d) < 5) count += 1;
  return count;
}
