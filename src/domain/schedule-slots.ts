import { DateTime, IANAZone } from 'luxon';
import { WEEKDAYS, type ScheduleTiming, type Weekday } from './schedule.js';

/**
 * When a digest schedule fires (SPEC §5): at its local time on each of its local weekdays in its
 * IANA zone.
 *
 * - A local time that does not exist that day (clocks spring forward) fires shifted forward by the
 *   gap: New York's 02:30 becomes 03:30, Lord Howe's 02:15 becomes 02:45.
 * - A local time that occurs twice (clocks fall back) fires once, at its first occurrence, i.e. with
 *   the offset in force before the transition.
 *
 * Luxon's `DateTime.fromObject({...}, { zone })` does shift gap times forward, but in a fold it
 * picks either occurrence depending on the zone and the direction of its offsets (New York 01:30 on
 * the fall-back day comes out as the second, EST, occurrence), so wall times are resolved here from
 * the zone's offsets directly.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

interface Resolved {
  zone: IANAZone;
  days: ReadonlySet<Weekday>;
  hour: number;
  minute: number;
}

function resolveTiming(timing: ScheduleTiming): Resolved {
  const { timezone, time, days } = timing;
  if (typeof timezone !== 'string' || timezone === '' || !IANAZone.isValidZone(timezone)) {
    throw new Error(
      `Unknown timezone ${JSON.stringify(timezone)}: expected an IANA zone such as America/New_York`,
    );
  }
  const match = typeof time === 'string' ? TIME_OF_DAY.exec(time) : null;
  if (!match) {
    throw new Error(`Invalid schedule time ${JSON.stringify(time)}: expected HH:MM (24-hour)`);
  }
  for (const day of days) {
    if (!WEEKDAYS.includes(day)) throw new Error(`Invalid weekday ${JSON.stringify(day)}`);
  }
  return {
    zone: IANAZone.create(timezone),
    days: new Set(days),
    hour: Number(match[1]),
    minute: Number(match[2]),
  };
}

/** The zone's UTC offset, in minutes, at an instant. */
function offsetAt(zone: IANAZone, instantMs: number): number {
  return zone.offset(instantMs);
}

/**
 * The instant of a local wall time (given as milliseconds of that wall time read as if it were UTC),
 * following the policy above.
 */
function wallTimeToInstant(zone: IANAZone, wallMs: number): number {
  // Every offset the zone uses near this wall time. A valid instant for it lies within ±14h of
  // `wallMs`, so sampling a day either side catches both sides of any one transition; the loop also
  // adds the offset at each candidate instant, which catches a second transition in the window.
  const candidates = new Set<number>([
    offsetAt(zone, wallMs - DAY_MS),
    offsetAt(zone, wallMs),
    offsetAt(zone, wallMs + DAY_MS),
  ]);
  for (let grew = true; grew;) {
    grew = false;
    for (const offset of [...candidates]) {
      const seen = offsetAt(zone, wallMs - offset * MINUTE_MS);
      if (!candidates.has(seen)) {
        candidates.add(seen);
        grew = true;
      }
    }
  }

  // Offsets under which this wall time really occurs. Several: a fold; take the first occurrence,
  // the earliest instant, i.e. the largest offset (the one before clocks went back).
  const valid = [...candidates].filter((offset) => offsetAt(zone, wallMs - offset * MINUTE_MS) === offset);
  if (valid.length > 0) return wallMs - Math.max(...valid) * MINUTE_MS;

  // None: the wall time falls in a gap. Read it with the offset in force before the transition,
  // which lands it after the transition shifted forward by the gap (02:30 → 03:30). Reading it with
  // the largest (post-transition) offset gives an instant before the transition, whose offset is the
  // pre-transition one.
  const before = offsetAt(zone, wallMs - Math.max(...candidates) * MINUTE_MS);
  return wallMs - before * MINUTE_MS;
}

/** The zone's local calendar date of an instant, as midnight UTC of that date, in milliseconds. */
function localDateMs(zone: IANAZone, instantMs: number): number {
  const wall = instantMs + offsetAt(zone, instantMs) * MINUTE_MS;
  return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
}

function weekdayOf(dateMs: number): Weekday {
  // getUTCDay: 0 = Sunday; WEEKDAYS starts on Monday.
  return WEEKDAYS[(new Date(dateMs).getUTCDay() + 6) % 7] as Weekday;
}

function slotsIn(resolved: Resolved, afterMs: number, untilMs: number): number[] {
  if (resolved.days.size === 0 || !(untilMs > afterMs)) return [];
  const timeMs = (resolved.hour * 60 + resolved.minute) * MINUTE_MS;
  // A day either side: a gap shift can move a slot across midnight.
  const first = localDateMs(resolved.zone, afterMs) - DAY_MS;
  const last = localDateMs(resolved.zone, untilMs) + DAY_MS;
  const slots = new Set<number>();
  for (let date = first; date <= last; date += DAY_MS) {
    if (!resolved.days.has(weekdayOf(date))) continue;
    const instant = wallTimeToInstant(resolved.zone, date + timeMs);
    if (instant > afterMs && instant <= untilMs) slots.add(instant);
  }
  // Already ascending, except in a zone that skipped a whole calendar day: sort to be sure.
  return [...slots].sort((a, b) => a - b);
}

function instantMs(date: Date, name: string): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`Invalid ${name} date`);
  return ms;
}

/** Every slot of the schedule in (afterExclusive, untilInclusive], ascending. */
export function slotsBetween(timing: ScheduleTiming, afterExclusive: Date, untilInclusive: Date): Date[] {
  const resolved = resolveTiming(timing);
  return slotsIn(resolved, instantMs(afterExclusive, 'after'), instantMs(untilInclusive, 'until')).map(
    (ms) => new Date(ms),
  );
}

/** The schedule's first slot strictly after `after`; undefined only when it has no days. */
export function nextSlot(timing: ScheduleTiming, after: Date): Date | undefined {
  const resolved = resolveTiming(timing);
  if (resolved.days.size === 0) return undefined;
  let from = instantMs(after, 'after');
  // Any week holds every weekday; look a little further in case a zone skipped a calendar day.
  for (let attempt = 0; attempt < 4; attempt++) {
    const until = from + 8 * DAY_MS;
    const [slot] = slotsIn(resolved, from, until);
    if (slot !== undefined) return new Date(slot);
    from = until;
  }
  return undefined;
}

// Locales probed, in order, for a zone abbreviation (EST, BST, CET, AEDT, CHADT, IST, …). ICU knows
// most abbreviations only in the locale of the zone's region; elsewhere it shows `GMT+5:30`.
const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-NZ', 'en-IN'];
const GMT_OFFSET = /^(GMT|UTC)[+\u2212-]/;

function zoneAbbreviation(local: DateTime): string {
  let fallback: string | undefined;
  for (const locale of ABBREVIATION_LOCALES) {
    const name = local.setLocale(locale).offsetNameShort;
    if (!name) continue;
    if (!GMT_OFFSET.test(name)) return name;
    fallback ??= name;
  }
  return fallback ?? local.toFormat('ZZ');
}

/** A slot as its zone sees it, e.g. `Mon 30 Nov, 09:00 EST`. */
export function localSlotLabel(slot: Date, timezone: string): string {
  if (!IANAZone.isValidZone(timezone)) {
    throw new Error(
      `Unknown timezone ${JSON.stringify(timezone)}: expected an IANA zone such as America/New_York`,
    );
  }
  const local = DateTime.fromMillis(instantMs(slot, 'slot'), { zone: timezone, locale: 'en-US' });
  return `${local.toFormat('ccc d LLL, HH:mm')} ${zoneAbbreviation(local)}`;
}

const TIME_INPUT = /^(\d{1,2})(?:[:.](\d{2}))?\s*(?:([ap])\.?\s*m\.?)?$/i;

/**
 * A time of day as people type it — `9:00`, `09:00`, `9am`, `9:30 pm`, `21:30` — as `HH:MM`, or
 * undefined. A bare number (`9`) is refused: without minutes or am/pm it is too easily something
 * else.
 */
export function parseTimeOfDay(text: string): string | undefined {
  if (typeof text !== 'string') return undefined;
  const match = TIME_INPUT.exec(text.trim());
  if (!match) return undefined;
  const [, hourText = '', minuteText, meridiem] = match;
  let hour = Number(hourText);
  const minute = minuteText === undefined ? 0 : Number(minuteText);
  if (minute > 59) return undefined;
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    const pm = meridiem.toLowerCase() === 'p';
    hour = (hour % 12) + (pm ? 12 : 0);
  } else {
    if (minuteText === undefined || hour > 23) return undefined;
  }
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}
