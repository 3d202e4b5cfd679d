import { describe, expect, it } from 'vitest';
import { describeDate, isValidTimezone, parseDate, type ParseContext } from '../../src/parsing/dates.js';

const at = (iso: string, timezone = 'UTC'): ParseContext => ({ now: new Date(iso), timezone });

// Wednesday 25 Nov 2026 at 20:00 UTC is already Thursday 26 Nov in Auckland (UTC+13).
const auckland = at('2026-11-25T20:00:00Z', 'Pacific/Auckland');

describe('parseDate: the user’s today', () => {
  it.each([
    ['Pacific/Auckland', '2026-11-26'],
    ['UTC', '2026-11-25'],
    ['America/Los_Angeles', '2026-11-25'],
    ['Asia/Kolkata', '2026-11-26'],
    ['Mars/Olympus_Mons', '2026-11-25'], // unknown zone: UTC
    ['', '2026-11-25'],
  ])('in %j today is %s', (timezone, today) => {
    expect(parseDate('today', at('2026-11-25T20:00:00Z', timezone))).toBe(today);
  });

  it('reads "tomorrow" from the user’s date, not the server’s', () => {
    expect(parseDate('tomorrow', auckland)).toBe('2026-11-27');
    expect(parseDate('tomorrow', at('2026-11-26T05:00:00Z', 'America/Los_Angeles'))).toBe('2026-11-26');
  });
});

describe('parseDate: written dates (today is Thu 26 Nov 2026 in Auckland)', () => {
  it.each([
    ['2026-12-15', '2026-12-15'],
    ['2027-1-5', '2027-01-05'],
    ['dec 15', '2026-12-15'],
    ['Dec 15', '2026-12-15'],
    ['DEC 15', '2026-12-15'],
    ['15 dec', '2026-12-15'],
    ['december 15', '2026-12-15'],
    ['Dec 15th', '2026-12-15'],
    ['1st jan', '2027-01-01'],
    ['dec. 15', '2026-12-15'],
    ['sept 1', '2027-09-01'],
    ['dec 15 2027', '2027-12-15'],
    ['dec 15, 2027', '2027-12-15'],
    ['nov 26', '2026-11-26'], // today stays this year
    ['nov 25', '2027-11-25'], // yesterday means next year
    ['jan 5', '2027-01-05'],
    ['feb 29', '2028-02-29'], // the next one that exists
    ['  dec   15  ', '2026-12-15'],
  ])('%j → %s', (words, date) => {
    expect(parseDate(words, auckland)).toBe(date);
  });

  it.each([
    '2026-02-30',
    '2026-13-01',
    '1999-12-31',
    '2101-01-01',
    'feb 30',
    'dec 32',
    'dec 0',
    '45 dec',
    'dec 45',
    'dec',
    'next',
    'someday',
    '',
    '13/12/2026',
    'in 3 fortnights',
    'next month',
    'dec 15 1999',
  ])('refuses %j', (words) => {
    expect(parseDate(words, auckland)).toBeUndefined();
  });

  it('accepts 2000 and 2100 but nothing outside', () => {
    expect(parseDate('2000-01-01', auckland)).toBe('2000-01-01');
    expect(parseDate('2100-12-31', auckland)).toBe('2100-12-31');
  });
});

describe('parseDate: weekdays and relative dates on each day of the week', () => {
  // Mon 23 Nov 2026 … Sun 29 Nov 2026, at noon in New York.
  it.each([
    [
      '2026-11-23',
      { fri: '2026-11-27', monday: '2026-11-23', 'next monday': '2026-11-30', 'next fri': '2026-12-04' },
    ],
    [
      '2026-11-24',
      { fri: '2026-11-27', monday: '2026-11-30', 'next monday': '2026-11-30', 'next fri': '2026-12-04' },
    ],
    [
      '2026-11-25',
      { fri: '2026-11-27', monday: '2026-11-30', 'next monday': '2026-11-30', 'next fri': '2026-12-04' },
    ],
    [
      '2026-11-26',
      { fri: '2026-11-27', monday: '2026-11-30', 'next monday': '2026-11-30', 'next fri': '2026-12-04' },
    ],
    [
      '2026-11-27',
      { fri: '2026-11-27', monday: '2026-11-30', 'next monday': '2026-11-30', 'next fri': '2026-12-04' },
    ],
    [
      '2026-11-28',
      { fri: '2026-12-04', monday: '2026-11-30', 'next monday': '2026-11-30', 'next fri': '2026-12-04' },
    ],
    [
      '2026-11-29',
      { fri: '2026-12-04', monday: '2026-11-30', 'next monday': '2026-11-30', 'next fri': '2026-12-04' },
    ],
  ])('on %s', (day, expected) => {
    const ctx = at(`${day}T17:00:00Z`, 'America/New_York');
    for (const [words, date] of Object.entries(expected)) expect(parseDate(words, ctx), words).toBe(date);
  });

  it.each([
    ['mon', '2026-11-30'],
    ['tue', '2026-12-01'],
    ['tues', '2026-12-01'],
    ['wednesday', '2026-12-02'],
    ['thu', '2026-11-26'],
    ['thursday', '2026-11-26'],
    ['Friday', '2026-11-27'],
    ['sat', '2026-11-28'],
    ['SUNDAY', '2026-11-29'],
    ['next sunday', '2026-12-06'],
    ['in 3 days', '2026-11-29'],
    ['in 1 day', '2026-11-27'],
    ['in 2 weeks', '2026-12-10'],
    ['in a week', '2026-12-03'],
    ['in 0 days', '2026-11-26'],
  ])('%j from Thu 26 Nov → %s', (words, date) => {
    expect(parseDate(words, auckland)).toBe(date);
  });

  it('crosses the year end', () => {
    const newYearsEve = at('2026-12-31T12:00:00Z'); // a Thursday
    expect(parseDate('tomorrow', newYearsEve)).toBe('2027-01-01');
    expect(parseDate('fri', newYearsEve)).toBe('2027-01-01');
    expect(parseDate('next monday', newYearsEve)).toBe('2027-01-04');
    expect(parseDate('jan 1', newYearsEve)).toBe('2027-01-01');
    expect(parseDate('dec 31', newYearsEve)).toBe('2026-12-31');
    expect(parseDate('dec 30', newYearsEve)).toBe('2027-12-30');
    expect(parseDate('in 2 weeks', newYearsEve)).toBe('2027-01-14');
    // In Auckland it is already 2027.
    expect(parseDate('today', at('2026-12-31T12:00:00Z', 'Pacific/Auckland'))).toBe('2027-01-01');
  });

  it('counts calendar days across a daylight-saving change', () => {
    // Sat 7 Mar 2026, late evening in New York; clocks spring forward on Sun 8 Mar.
    const ctx = at('2026-03-08T04:30:00Z', 'America/New_York');
    expect(parseDate('today', ctx)).toBe('2026-03-07');
    expect(parseDate('in 2 days', ctx)).toBe('2026-03-09');
    expect(parseDate('next monday', ctx)).toBe('2026-03-09');
  });
});

describe('describeDate and isValidTimezone', () => {
  it('describes a date, relative to today when given a context', () => {
    expect(describeDate('2026-12-15')).toBe('Tue 15 Dec 2026');
    expect(describeDate('2026-11-26', auckland)).toBe('Thu 26 Nov 2026 (today)');
    expect(describeDate('2026-11-27', auckland)).toBe('Fri 27 Nov 2026 (tomorrow)');
    expect(describeDate('2026-12-01', auckland)).toBe('Tue 1 Dec 2026');
    expect(describeDate('not a date')).toBe('not a date');
  });

  it.each([
    ['Pacific/Auckland', true],
    ['America/Los_Angeles', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
  ])('%j valid: %s', (tz, valid) => {
    expect(isValidTimezone(tz)).toBe(valid);
  });
});
