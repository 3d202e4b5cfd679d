/**
 * Issue 15: working days (Monday to Friday) after a request, up to a day: the 3 working days a
 * dependency request may wait for its provider's answer before it needs attention.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateOf, dayOf } from '../../src/domain/analysis/days.js';
import { ANSWER_WITHIN_WORKING_DAYS, workingDaysBetween } from '../../src/domain/working-days.js';

describe('workingDaysBetween', () => {
  it.each<[string, string, string, number]>([
    ['the same day', '2026-12-03', '2026-12-03', 0],
    ['a day before', '2026-12-03', '2026-12-02', 0],
    ['Thursday → Friday', '2026-12-03', '2026-12-04', 1],
    ['Thursday → Saturday', '2026-12-03', '2026-12-05', 1],
    ['Thursday → Sunday', '2026-12-03', '2026-12-06', 1],
    ['Thursday → Monday', '2026-12-03', '2026-12-07', 2],
    ['Thursday → Tuesday: 3, it needs attention', '2026-12-03', '2026-12-08', 3],
    ['Monday → Thursday', '2026-11-30', '2026-12-03', 3],
    ['Monday → Wednesday', '2026-11-30', '2026-12-02', 2],
    ['Friday → Wednesday', '2026-12-04', '2026-12-09', 3],
    ['Saturday → Monday', '2026-12-05', '2026-12-07', 1],
    ['Saturday → Wednesday', '2026-12-05', '2026-12-09', 3],
    ['Sunday → Sunday a week later', '2026-12-06', '2026-12-13', 5],
    ['across the year', '2026-12-31', '2027-01-05', 3],
    ['two weeks', '2026-12-03', '2026-12-17', 10],
    ['not a date', 'soon', '2026-12-17', 0],
  ])('%s', (_, from, to, expected) => {
    expect(workingDaysBetween(from, to)).toBe(expected);
  });

  it('waits 3 working days', () => expect(ANSWER_WITHIN_WORKING_DAYS).toBe(3));

  it('counts as a day-by-day walk does, for any span', () => {
    const weekday = (day: number) => new Date(day * 86_400_000).getUTCDay();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 0, max: 60 }), (start, span) => {
        let expected = 0;
        for (let d = start + 1; d <= start + span; d++) if (weekday(d) !== 0 && weekday(d) !== 6) expected++;
        expect(workingDaysBetween(dateOf(start), dateOf(start + span))).toBe(expected);
        expect(dayOf(dateOf(start))).toBe(start);
      }),
    );
  });
});
