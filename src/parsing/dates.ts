import { DateTime, IANAZone } from 'luxon';
import type { CalendarDate } from '../domain/types.js';

/** What a command is read against: the moment it arrived and the user's Slack timezone. */
export interface ParseContext {
  now: Date;
  /** IANA name from the user's Slack profile; UTC is used when it is missing or unknown. */
  timezone: string;
}

/** The date forms people may type, for help and error text. */
export const DATE_FORMS = '`2026-12-15`, `dec 15`, `fri`, `next monday`, `tomorrow` or `in 2 weeks`';

/** How many words a date may span (`in 3 days`, `dec 15 2026`); callers try up to this many. */
export const MAX_DATE_WORDS = 3;

const MONTHS = new Map<string, number>();
[
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
].forEach((name, i) => {
  MONTHS.set(name, i + 1);
  MONTHS.set(name.slice(0, 3), i + 1);
});
MONTHS.set('sept', 9);

const WEEKDAYS = new Map<string, number>();
['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].forEach((name, i) => {
  WEEKDAYS.set(name, i + 1);
  WEEKDAYS.set(name.slice(0, 3), i + 1);
});
for (const [alias, day] of [
  ['tues', 2],
  ['weds', 3],
  ['thur', 4],
  ['thurs', 4],
] as const) {
  WEEKDAYS.set(alias, day);
}

const ORDINAL = '(?:st|nd|rd|th)?';
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const MONTH_DAY = new RegExp(`^([a-z]+)\\.? (\\d{1,2})${ORDINAL}(?: (\\d{4}))?$`);
const DAY_MONTH = new RegExp(`^(\\d{1,2})${ORDINAL} ([a-z]+)\\.?(?: (\\d{4}))?$`);
const RELATIVE = /^in (\d{1,4}|a|an|one) (day|days|week|weeks)$/;

export function isValidTimezone(tz: string): boolean {
  return typeof tz === 'string' && tz !== '' && IANAZone.isValidZone(tz);
}

/**
 * The user's calendar date today, as midnight UTC: all later arithmetic is on calendar days, so
 * doing it in UTC keeps daylight-saving changes in the user's zone from shifting anything.
 */
function todayOf(ctx: ParseContext): DateTime {
  const zone = isValidTimezone(ctx.timezone) ? ctx.timezone : 'UTC';
  const local = DateTime.fromJSDate(ctx.now, { zone });
  return DateTime.utc(local.year, local.month, local.day);
}

/** The user's own calendar day at `now` (a modal's "today"), `YYYY-MM-DD`. */
export function todayIn(ctx: ParseContext): CalendarDate {
  return todayOf(ctx).toFormat('yyyy-MM-dd');
}

function calendarDay(year: number, month: number, day: number): DateTime | undefined {
  const date = DateTime.utc(year, month, day);
  // Luxon reports Feb 30 as invalid rather than rolling it over into March.
  return date.isValid ? date : undefined;
}

/** A month and day with no year: the soonest one on or after today (so Feb 29 waits for a leap year). */
function nextOccurrence(today: DateTime, month: number, day: number): DateTime | undefined {
  for (const year of [today.year, today.year + 1, today.year + 2, today.year + 3, today.year + 4]) {
    const date = calendarDay(year, month, day);
    if (date && date >= today) return date;
  }
  return undefined;
}

function monthDay(today: DateTime, monthWord: string, day: string, year: string | undefined) {
  const month = MONTHS.get(monthWord);
  if (month === undefined) return undefined;
  return year ? calendarDay(Number(year), month, Number(day)) : nextOccurrence(today, month, Number(day));
}

function read(text: string, today: DateTime): DateTime | undefined {
  if (text === 'today') return today;
  if (text === 'tomorrow') return today.plus({ days: 1 });

  const weekday = WEEKDAYS.get(text);
  if (weekday !== undefined) return today.plus({ days: (weekday - today.weekday + 7) % 7 });

  // "next monday" is in next calendar week (weeks start on Monday), even when today is Sunday.
  const nextDay = text.startsWith('next ') ? WEEKDAYS.get(text.slice(5)) : undefined;
  if (nextDay !== undefined) return today.startOf('week').plus({ weeks: 1, days: nextDay - 1 });

  let m = ISO.exec(text);
  if (m) return calendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
  m = MONTH_DAY.exec(text);
  if (m) return monthDay(today, m[1] ?? '', m[2] ?? '', m[3]);
  m = DAY_MONTH.exec(text);
  if (m) return monthDay(today, m[2] ?? '', m[1] ?? '', m[3]);
  m = RELATIVE.exec(text);
  if (m) {
    const n = /^\d+$/.test(m[1] ?? '') ? Number(m[1]) : 1;
    return today.plus(m[2]?.startsWith('week') ? { weeks: n } : { days: n });
  }
  return undefined;
}

/** Reads the words a user typed for a date, in their timezone; undefined when it is not one we know. */
export function parseDate(words: string, ctx: ParseContext): CalendarDate | undefined {
  const today = todayOf(ctx);
  if (!today.isValid) return undefined;
  const text = words.toLowerCase().replace(/,/g, ' ').trim().replace(/\s+/g, ' ');
  const date = read(text, today);
  if (!date || date.year < 2000 || date.year > 2100) return undefined;
  return date.toFormat('yyyy-MM-dd');
}

/** Whether a word could be part of a date; used to decide how much to quote back when a date is bad. */
export function looksLikeDatePart(word: string): boolean {
  const w = word.toLowerCase().replace(/[.,]$/, '');
  return (
    /^\d/.test(w) ||
    MONTHS.has(w) ||
    WEEKDAYS.has(w) ||
    ['today', 'tomorrow', 'next', 'in', 'a', 'an', 'day', 'days', 'week', 'weeks'].includes(w)
  );
}

/** "Fri 27 Nov 2026", with "(today)" or "(tomorrow)" when a context is given and it applies. */
export function describeDate(date: CalendarDate, ctx?: ParseContext): string {
  const value = DateTime.fromISO(date, { zone: 'utc' });
  if (!value.isValid) return date;
  const shown = value.setLocale('en-GB').toFormat('ccc d LLL yyyy');
  if (!ctx) return shown;
  const days = Math.round(value.diff(todayOf(ctx), 'days').days);
  const relative = { [-1]: 'yesterday', 0: 'today', 1: 'tomorrow' }[days];
  return relative ? `${shown} (${relative})` : shown;
}
