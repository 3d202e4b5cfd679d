import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateOf, dayOf } from '../../../src/domain/analysis/days.js';

describe('day numbers', () => {
  it('count days from 1970-01-01 and read back', () => {
    expect(dayOf('1970-01-01')).toBe(0);
    expect(dayOf('2025-12-18')! - dayOf('2025-12-10')!).toBe(8);
    expect(dayOf('2026-01-02')! - dayOf('2025-12-30')!).toBe(3);
    expect(dateOf(dayOf('2024-02-29')! + 1)).toBe('2024-03-01');
  });

  it('are absent for what is not a calendar date', () => {
    for (const bad of [
      undefined,
      '',
      '2025-02-30',
      '2025-13-01',
      '2025-1-01',
      '18 Dec',
      '2025-12-18T00:00:00Z',
    ]) {
      expect(dayOf(bad)).toBeUndefined();
    }
  });

  it('agree with the calendar of Date, and round-trip, for every date of years 1 to 9999', () => {
    const first = -719_162; // 0001-01-01
    const last = 2_932_896; // 9999-12-31
    expect([dateOf(first), dateOf(last)]).toEqual(['0001-01-01', '9999-12-31']);
    fc.assert(
      fc.property(fc.integer({ min: first, max: last }), (day) => {
        const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
        expect(dateOf(day)).toBe(iso);
        expect(dayOf(iso)).toBe(day);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuse every day past its month’s end, leap years included', () => {
    expect(dayOf('2024-02-29')).toBe(dayOf('2024-02-28')! + 1);
    for (const bad of [
      '2023-02-29',
      '1900-02-29',
      '2025-04-31',
      '2025-06-31',
      '2025-09-31',
      '2025-11-31',
      '2025-12-32',
    ]) {
      expect(dayOf(bad)).toBeUndefined();
    }
    expect(dayOf('2000-02-29')).toBe(dayOf('2000-03-01')! - 1);
  });
});
