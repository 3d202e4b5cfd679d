import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { ScheduleTiming, Weekday } from '../../src/domain/schedule.js';
import { localSlotLabel, nextSlot, parseTimeOfDay, slotsBetween } from '../../src/domain/schedule-slots.js';

interface VectorCase {
  zone: string;
  days: Weekday[];
  time: string;
  slots: string[];
}
interface Vectors {
  policy: string;
  range: [string, string];
  tzdata: string;
  cases: VectorCase[];
}

const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/digest-slots.json', import.meta.url), 'utf8'),
) as Vectors;

const [rangeStart, rangeEnd] = vectors.range;
const DAY_MS = 86_400_000;

const timingOf = (c: VectorCase): ScheduleTiming => ({ days: c.days, time: c.time, timezone: c.zone });
const nameOf = (c: VectorCase): string => `${c.zone} ${c.days.join(',')} ${c.time}`;
const iso = (d: Date | string): string => new Date(d).toISOString();
const isos = (dates: readonly (Date | string)[]): string[] => dates.map(iso);

/** The vectors' range is local calendar dates in each case's zone: from its first midnight to its last. */
function rangeOf(zone: string): { after: Date; until: Date } {
  const start = DateTime.fromISO(rangeStart, { zone });
  const end = DateTime.fromISO(rangeEnd, { zone }).plus({ days: 1 });
  return { after: new Date(start.toMillis() - 1), until: new Date(end.toMillis() - 1) };
}

function firstMismatch(actual: string[], expected: string[]): string | undefined {
  for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
    if (actual[i] !== expected[i]) {
      return `slot #${i}: got ${actual[i] ?? '(none)'}, expected ${expected[i] ?? '(none)'}`;
    }
  }
  return undefined;
}

const at = (text: string): Date => new Date(text);

describe('slotsBetween reproduces the independent vectors', () => {
  it('has the ten cases over fourteen months', () => {
    expect(vectors.cases).toHaveLength(10);
    expect(vectors.range).toEqual(['2026-11-01', '2027-12-31']);
  });

  it.each(vectors.cases.map((c) => [nameOf(c), c] as const))('%s', (_name, c) => {
    const { after, until } = rangeOf(c.zone);
    const actual = isos(slotsBetween(timingOf(c), after, until));
    const expected = isos(c.slots);
    expect(firstMismatch(actual, expected), nameOf(c)).toBeUndefined();
    expect(actual).toEqual(expected);
  });

  it.each(vectors.cases.map((c) => [nameOf(c), c] as const))(
    '%s, fetched in 60-day windows, gives the same slots',
    (_name, c) => {
      const { after, until } = rangeOf(c.zone);
      const actual: string[] = [];
      for (let from = after.getTime(); from < until.getTime(); from += 60 * DAY_MS) {
        const to = Math.min(from + 60 * DAY_MS, until.getTime());
        actual.push(...isos(slotsBetween(timingOf(c), new Date(from), new Date(to))));
      }
      expect(firstMismatch(actual, isos(c.slots)), nameOf(c)).toBeUndefined();
    },
  );

  it('excludes `after` and includes `until`', () => {
    const c = vectors.cases[0]!;
    const [first, second, third] = c.slots.map(at);
    expect(isos(slotsBetween(timingOf(c), first!, third!))).toEqual(isos([second!, third!]));
    expect(slotsBetween(timingOf(c), first!, first!)).toEqual([]);
    expect(slotsBetween(timingOf(c), third!, first!)).toEqual([]);
  });
});

describe('nextSlot', () => {
  // A small deterministic generator, so failures reproduce.
  function* instantsIn(after: Date, until: Date, count: number, seed: number): Generator<Date> {
    let state = seed;
    const span = until.getTime() - after.getTime();
    for (let i = 0; i < count; i++) {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      yield new Date(after.getTime() + Math.floor((state / 2_147_483_648) * span));
    }
  }

  it.each(vectors.cases.map((c) => [nameOf(c), c] as const))(
    '%s: agrees with slotsBetween and the vectors, strictly after',
    (_name, c) => {
      const timing = timingOf(c);
      const slots = c.slots.map((s) => at(s).getTime());
      const { after } = rangeOf(c.zone);
      const probes: Date[] = [after];
      for (const slot of slots) probes.push(new Date(slot - 1), new Date(slot), new Date(slot + 1));
      probes.push(...instantsIn(after, new Date(slots[slots.length - 2]!), 200, slots.length));

      for (const probe of probes) {
        const expected = slots.find((s) => s > probe.getTime());
        if (expected === undefined) continue; // beyond the vectors' range
        const next = nextSlot(timing, probe);
        expect(next && iso(next), `${nameOf(c)} after ${iso(probe)}`).toBe(iso(new Date(expected)));
        const [first] = slotsBetween(timing, probe, new Date(probe.getTime() + 8 * DAY_MS));
        expect(first && iso(first), `${nameOf(c)} slotsBetween after ${iso(probe)}`).toBe(iso(next!));
      }
    },
  );

  it('exactly at a slot gives the following one', () => {
    const timing: ScheduleTiming = { days: ['mon'], time: '09:00', timezone: 'America/New_York' };
    expect(nextSlot(timing, at('2026-11-30T14:00:00Z'))).toEqual(at('2026-12-07T14:00:00Z'));
    expect(nextSlot(timing, at('2026-11-30T13:59:59.999Z'))).toEqual(at('2026-11-30T14:00:00Z'));
  });
});

describe('local time across daylight-saving changes', () => {
  const ny: ScheduleTiming = { days: ['mon'], time: '09:00', timezone: 'America/New_York' };

  it('a 09:00 Monday New York digest stays at 09:00 local through both changes', () => {
    const spring = slotsBetween(ny, at('2027-03-01T00:00:00Z'), at('2027-03-31T00:00:00Z'));
    expect(isos(spring)).toEqual(
      isos([
        '2027-03-01T14:00:00Z',
        '2027-03-08T14:00:00Z',
        '2027-03-15T13:00:00Z', // DST began Sun 14 Mar
        '2027-03-22T13:00:00Z',
        '2027-03-29T13:00:00Z',
      ]),
    );
    const autumn = slotsBetween(ny, at('2027-10-25T00:00:00Z'), at('2027-11-16T00:00:00Z'));
    expect(isos(autumn)).toEqual(
      isos(['2027-10-25T13:00:00Z', '2027-11-01T13:00:00Z', '2027-11-08T14:00:00Z', '2027-11-15T14:00:00Z']),
    );
    for (const slot of [...spring, ...autumn]) {
      const local = DateTime.fromJSDate(slot, { zone: 'America/New_York' });
      expect([local.weekday, local.toFormat('HH:mm')]).toEqual([1, '09:00']);
    }
  });

  it('labels slots in their zone', () => {
    expect(localSlotLabel(at('2026-11-30T14:00:00Z'), 'America/New_York')).toBe('Mon 30 Nov, 09:00 EST');
    expect(localSlotLabel(at('2027-07-05T13:00:00Z'), 'America/New_York')).toBe('Mon 5 Jul, 09:00 EDT');
    expect(localSlotLabel(at('2026-11-30T14:00:00Z'), 'UTC')).toBe('Mon 30 Nov, 14:00 UTC');
    expect(localSlotLabel(at('2027-07-05T08:00:00Z'), 'Europe/London')).toMatch(
      /^Mon 5 Jul, 09:00 (BST|GMT\+1)$/,
    );
    expect(localSlotLabel(at('2026-11-30T04:00:00Z'), 'Asia/Kolkata')).toMatch(
      /^Mon 30 Nov, 09:30 (IST|GMT\+5:30)$/,
    );
    // Monday 09:00 in Chatham is still Sunday in UTC.
    expect(localSlotLabel(at('2026-11-29T19:15:00Z'), 'Pacific/Chatham')).toMatch(
      /^Mon 30 Nov, 09:00 (CHADT|GMT\+13:45)$/,
    );
    expect(() => localSlotLabel(at('2026-11-30T14:00:00Z'), 'Mars/Olympus_Mons')).toThrow(/timezone/);
  });

  it('springs forward by the gap: 02:30 New York becomes 03:30', () => {
    const timing: ScheduleTiming = { days: ['sun'], time: '02:30', timezone: 'America/New_York' };
    const [slot] = slotsBetween(timing, at('2027-03-13T12:00:00Z'), at('2027-03-15T00:00:00Z'));
    expect(iso(slot!)).toBe(iso('2027-03-14T07:30:00Z'));
    expect(localSlotLabel(slot!, 'America/New_York')).toBe('Sun 14 Mar, 03:30 EDT');
  });

  it('springs forward by a 30-minute gap: 02:15 Lord Howe becomes 02:45', () => {
    const timing: ScheduleTiming = { days: ['sun'], time: '02:15', timezone: 'Australia/Lord_Howe' };
    const [slot] = slotsBetween(timing, at('2027-10-01T00:00:00Z'), at('2027-10-05T00:00:00Z'));
    expect(iso(slot!)).toBe(iso('2027-10-02T15:45:00Z'));
    expect(DateTime.fromJSDate(slot!, { zone: 'Australia/Lord_Howe' }).toFormat('ccc HH:mm ZZ')).toBe(
      'Sun 02:45 +11:00',
    );
  });

  it.each([
    // Luxon's own fromObject picks the second occurrence for these two.
    ['America/New_York', '01:30', '2026-11-01', '2026-11-01T05:30:00Z'],
    ['America/New_York', '01:30', '2027-11-07', '2027-11-07T05:30:00Z'],
    ['Europe/London', '01:15', '2027-10-31', '2027-10-31T00:15:00Z'],
    // Lord Howe falls back 30 minutes (02:00 → 01:30), Chatham an hour (03:45 → 02:45).
    ['Australia/Lord_Howe', '01:45', '2027-04-04', '2027-04-03T14:45:00Z'],
    ['Pacific/Chatham', '03:00', '2027-04-04', '2027-04-03T13:15:00Z'],
  ])('falls back once, at the first occurrence: %s %s on %s', (timezone, time, date, expected) => {
    const timing: ScheduleTiming = { days: ['sun'], time, timezone };
    const day = DateTime.fromISO(date, { zone: timezone });
    const slots = slotsBetween(timing, day.toJSDate(), day.plus({ days: 1 }).toJSDate());
    expect(isos(slots)).toEqual([iso(expected)]);
  });

  it('keeps Kolkata at +05:30 all year', () => {
    const timing: ScheduleTiming = { days: ['mon', 'thu'], time: '09:30', timezone: 'Asia/Kolkata' };
    const slots = slotsBetween(timing, at('2027-01-01T00:00:00Z'), at('2027-12-31T00:00:00Z'));
    expect(slots).toHaveLength(104);
    for (const slot of slots) expect(slot.toISOString().slice(11)).toBe('04:00:00.000Z');
  });

  it('keeps Chatham at +12:45 in winter and +13:45 in summer, on its own calendar day', () => {
    const timing: ScheduleTiming = { days: ['mon'], time: '09:00', timezone: 'Pacific/Chatham' };
    // Monday 5 July 2027, 09:00 +12:45 is Sunday 20:15 UTC.
    expect(nextSlot(timing, at('2027-07-01T00:00:00Z'))).toEqual(at('2027-07-04T20:15:00Z'));
    // Monday 6 December 2027, 09:00 +13:45 is Sunday 19:15 UTC.
    expect(nextSlot(timing, at('2027-12-01T00:00:00Z'))).toEqual(at('2027-12-05T19:15:00Z'));
  });
});

describe('edge cases of timing', () => {
  it('a schedule with no days never fires', () => {
    const timing: ScheduleTiming = { days: [], time: '09:00', timezone: 'Europe/London' };
    expect(slotsBetween(timing, at('2026-11-01T00:00:00Z'), at('2027-12-31T00:00:00Z'))).toEqual([]);
    expect(nextSlot(timing, at('2026-11-01T00:00:00Z'))).toBeUndefined();
  });

  it('every day of a 60-day window', () => {
    const timing: ScheduleTiming = {
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      time: '00:00',
      timezone: 'America/Sao_Paulo',
    };
    const slots = slotsBetween(timing, at('2027-01-01T12:00:00Z'), at('2027-03-02T12:00:00Z'));
    // São Paulo keeps -03:00 all year: local midnight is 03:00 UTC, from 2 January to 2 March.
    expect(slots).toHaveLength(60);
    expect(iso(slots[0]!)).toBe(iso('2027-01-02T03:00:00Z'));
    expect(iso(slots[59]!)).toBe(iso('2027-03-02T03:00:00Z'));
    for (const [i, slot] of slots.entries())
      expect(slot.getTime() - slots[0]!.getTime()).toBe(i * 86_400_000);
  });

  it.each([
    [{ days: ['mon'], time: '09:00', timezone: 'Mars/Olympus_Mons' }, /timezone/],
    [{ days: ['mon'], time: '09:00', timezone: '' }, /timezone/],
    [{ days: ['mon'], time: '9:00', timezone: 'UTC' }, /time/],
    [{ days: ['mon'], time: '24:00', timezone: 'UTC' }, /time/],
    [{ days: ['mon'], time: '9am', timezone: 'UTC' }, /time/],
    [{ days: ['monday' as Weekday], time: '09:00', timezone: 'UTC' }, /weekday/],
  ] as [ScheduleTiming, RegExp][])('refuses %j', (timing, error) => {
    expect(() => slotsBetween(timing, at('2026-11-01T00:00:00Z'), at('2026-12-01T00:00:00Z'))).toThrow(error);
    expect(() => nextSlot(timing, at('2026-11-01T00:00:00Z'))).toThrow(error);
  });
});

describe('parseTimeOfDay', () => {
  it.each([
    ['9:00', '09:00'],
    ['09:00', '09:00'],
    ['9am', '09:00'],
    ['9 AM', '09:00'],
    ['9a.m.', '09:00'],
    ['9:30 pm', '21:30'],
    ['9:30PM', '21:30'],
    ['21:30', '21:30'],
    ['00:00', '00:00'],
    ['0:05', '00:05'],
    ['23:59', '23:59'],
    ['12am', '00:00'],
    ['12:30 am', '00:30'],
    ['12pm', '12:00'],
    ['12:15 pm', '12:15'],
    ['1pm', '13:00'],
    ['  7:45  ', '07:45'],
    ['8.30', '08:30'],
  ])('%j → %s', (text, expected) => {
    expect(parseTimeOfDay(text)).toBe(expected);
  });

  it.each([
    '',
    '9',
    '21',
    '24:00',
    '25:00',
    '9:60',
    '9:5',
    '9:000',
    '123:00',
    '13pm',
    '0am',
    '0:30 am',
    '9 o’clock',
    'noon',
    '9:00:00',
    '-9:00',
    '9:00 xm',
    'nine',
  ])('refuses %j', (text) => {
    expect(parseTimeOfDay(text)).toBeUndefined();
  });
});
