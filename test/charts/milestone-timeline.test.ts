import fc from 'fast-check';
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import {
  MILESTONE_COLOURS,
  MILESTONE_ROWS,
  milestoneRows,
  milestoneTimelineChart,
  milestoneTimelineOption,
  renderSvg,
  type MilestoneRow,
} from '../../src/charts/index.js';
import { dateOf, dayOf } from '../../src/domain/analysis/days.js';
import type { MilestoneForecast } from '../../src/domain/analysis/milestones.js';
import { colourCounts, decode, difference, golden, pixelsOf } from './png.js';
import { HOSTILE_NAMES, SAMPLE_MILESTONES, SAMPLE_PROGRAM, SAMPLE_TODAY, UNSAFE_IN_SVG } from './samples.js';

const PROTOTYPE_MEMBERS = Object.getOwnPropertyNames(Object.prototype).sort();
const OBJECT_MEMBERS = Object.getOwnPropertyNames(Object).sort();

/** Axis values are days since Monday 5 Jan 1970 (day 4). */
const MONDAY = 4;

const chart = (
  milestones: MilestoneRow[] = SAMPLE_MILESTONES,
  today = SAMPLE_TODAY,
  program = SAMPLE_PROGRAM,
) => {
  const image = milestoneTimelineChart(milestones, today, { program });
  if (!image) throw new Error('expected a chart');
  return image;
};

describe('milestoneTimelineChart', () => {
  it('draws a PNG of the fixed size, not blank, with targets, forecasts on time and late, and today', () => {
    const image = chart();
    expect([image.width, image.height]).toEqual([800, 400]);
    const decoded = decode(image.png);
    expect([decoded.width, decoded.height]).toEqual([800, 400]);
    expect(colourCounts(decoded).size).toBeGreaterThan(50);
    for (const colour of [
      MILESTONE_COLOURS.target,
      MILESTONE_COLOURS.onTime,
      MILESTONE_COLOURS.late,
      MILESTONE_COLOURS.today,
    ]) {
      expect(pixelsOf(decoded, colour), colour).toBeGreaterThan(100);
    }
  });

  it('is byte-identical when drawn again, whatever was drawn in between', () => {
    const first = chart();
    chart(SAMPLE_MILESTONES.slice(1), '2027-01-01', 'another');
    const second = chart();
    expect(second.png.equals(first.png)).toBe(true);
    const { option } = milestoneTimelineOption(SAMPLE_MILESTONES, SAMPLE_TODAY)!;
    expect(renderSvg(option)).toBe(renderSvg(option));
  });

  it('matches the golden image (UPDATE_GOLDEN=1 rewrites it)', () => {
    const image = chart();
    const expected = golden('milestone-timeline.png', image.png);
    expect(expected, 'no golden image yet: run UPDATE_GOLDEN=1 npx vitest run test/charts').toBeDefined();
    const diff = difference(decode(image.png), decode(expected!));
    expect(diff.share, `${diff.differing} pixels differ (largest ${diff.largest})`).toBeLessThan(0.002);
  });

  it('says each milestone in words, with how late its forecast is', () => {
    expect(chart().altText).toBe(
      'Milestones of Checkout re-platform, today 25 Nov 2026: ' +
        'Design sign-off, target 20 Nov 2026, forecast 18 Nov 2026; ' +
        'Payments API beta, target 4 Dec 2026, forecast 18 Dec 2026 (14 days late); ' +
        'Pilot in 3 stores, target 15 Dec 2026, forecast 11 Dec 2026; ' +
        'Data migration rehearsal, target 8 Jan 2027, forecast 29 Jan 2027 (21 days late); ' +
        'General availability, target 1 Feb 2027, no forecast.',
    );
    const sameYear = chart([{ name: 'Beta', date: '2026-12-04', forecast: '2026-12-05', atRisk: true }]);
    expect(sameYear.altText).toBe(
      'Milestones of Checkout re-platform, today 25 Nov: Beta, target 4 Dec, forecast 5 Dec (1 day late).',
    );
  });

  it(`shows the first ${MILESTONE_ROWS} rows and says how many more; alt text stays under 1,000 characters`, () => {
    const many = Array.from({ length: 40 }, (_, i): MilestoneRow => ({
      name: `${i} ${'long milestone name '.repeat(25)}`,
      date: `2027-01-${String(1 + (i % 28)).padStart(2, '0')}`,
      forecast: `2027-02-${String(1 + (i % 28)).padStart(2, '0')}`,
      atRisk: true,
    }));
    const { option, altText } = milestoneTimelineOption(many, SAMPLE_TODAY, { program: 'p'.repeat(500) })!;
    expect((option.yAxis as { data: string[] }).data).toHaveLength(MILESTONE_ROWS);
    expect((option.title as { subtext: string }).subtext).toContain('the first 10 of 40');
    expect(altText.length).toBeLessThan(1000);
    expect(altText).toMatch(/; and \d+ more\.$/);
    expect(decode(chart(many).png).height).toBe(400);
  });

  it('returns undefined when there is no milestone to draw', () => {
    expect(milestoneTimelineChart([], SAMPLE_TODAY)).toBeUndefined();
    expect(
      milestoneTimelineChart([{ name: 'x', date: '2026-02-30', atRisk: false }], SAMPLE_TODAY),
    ).toBeUndefined();
  });

  it('draws one milestone without a forecast, and copes with a bad today or forecast', () => {
    const lone = chart([{ name: 'GA', date: '2026-11-25', forecast: 'soon', atRisk: false }], 'today');
    expect(decode(lone.png).width).toBe(800);
    expect(lone.altText).toBe('Milestones of Checkout re-platform: GA, target 25 Nov, no forecast.');
  });

  it('puts every date and today on an axis of at most 8 steps, whatever the dates', () => {
    const day = fc.integer({ min: dayOf('2000-01-01')!, max: dayOf('2100-12-31')! });
    fc.assert(
      fc.property(
        fc.array(fc.record({ date: day, forecast: fc.option(day, { nil: undefined }) }), {
          minLength: 1,
          maxLength: 12,
        }),
        day,
        (dates, today) => {
          const rows = dates.map((d) => ({
            name: 'm',
            date: dateOf(d.date),
            ...(d.forecast === undefined ? {} : { forecast: dateOf(d.forecast) }),
            atRisk: d.forecast !== undefined && d.forecast > d.date,
          }));
          const { option } = milestoneTimelineOption(rows, dateOf(today))!;
          const axis = option.xAxis as { min: number; max: number; interval: number };
          expect((axis.max - axis.min) / axis.interval).toBeLessThanOrEqual(8);
          const shown = rows.slice(0, MILESTONE_ROWS).flatMap((r) => [r.date, r.forecast ?? r.date]);
          for (const d of [...shown, dateOf(today)].map((x) => dayOf(x)! - MONDAY)) {
            expect(d).toBeGreaterThan(axis.min);
            expect(d).toBeLessThan(axis.max);
          }
        },
      ),
    );
  });

  it('draws any names', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom(...PROTOTYPE_MEMBERS)),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        (names) => {
          const rows = names.map((name, i) => ({ ...SAMPLE_MILESTONES[i]!, name }));
          const image = milestoneTimelineChart(rows, SAMPLE_TODAY, { program: names[0]! });
          expect(decode(image!.png).width).toBe(800);
          expect(image!.altText.length).toBeLessThan(1000);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('spans years and long ranges with a readable axis', () => {
    const { option } = milestoneTimelineOption(
      [
        { name: 'Now', date: '2026-11-30', atRisk: false },
        { name: 'Far', date: '2029-06-01', forecast: '2031-01-01', atRisk: true },
      ],
      SAMPLE_TODAY,
    )!;
    const axis = option.xAxis as { min: number; max: number; interval: number };
    expect((axis.max - axis.min) / axis.interval).toBeLessThanOrEqual(8);
  });

  it.each(HOSTILE_NAMES)('draws milestone and program names with %s, escaped and cut', (_label, name) => {
    const rows = SAMPLE_MILESTONES.map((m) => ({ ...m, name }));
    const { option, altText } = milestoneTimelineOption(rows, SAMPLE_TODAY, { program: name })!;
    const svg = renderSvg(option);
    expect(svg).not.toMatch(UNSAFE_IN_SVG);
    expect(altText).not.toContain('U0123ABCD');
    expect(altText).not.toContain('<@');
    expect(altText.length).toBeLessThan(1000);
    for (const label of (option.yAxis as { data: string[] }).data)
      expect(label.length).toBeLessThanOrEqual(80);
    const image = decode(chart(rows, SAMPLE_TODAY, name).png);
    expect([image.width, image.height]).toEqual([800, 400]);
    expect(pixelsOf(image, MILESTONE_COLOURS.late)).toBeGreaterThan(100);
    // Nothing written onto shared objects by the chart library's caches.
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_MEMBERS);
    expect(Object.getOwnPropertyNames(Object).sort()).toEqual(OBJECT_MEMBERS);
  });
});

describe('milestoneRows', () => {
  it("joins the milestones' names to the analysis's forecasts, in the analysis's order", () => {
    const beta = { _id: new Types.ObjectId(), name: 'Beta' };
    const ga = { _id: new Types.ObjectId(), name: 'GA' };
    const forecasts: MilestoneForecast[] = [
      { milestoneId: ga._id.toHexString(), date: '2026-12-01', atRisk: false, daysLate: 0, undated: [] },
      {
        milestoneId: beta._id.toHexString(),
        date: '2026-12-04',
        forecast: '2026-12-18',
        atRisk: true,
        daysLate: 14,
        undated: [],
      },
      {
        milestoneId: new Types.ObjectId().toHexString(),
        date: '2026-12-05',
        atRisk: false,
        daysLate: 0,
        undated: [],
      },
    ];
    expect(milestoneRows([beta, ga], forecasts)).toEqual([
      { name: 'GA', date: '2026-12-01', atRisk: false },
      { name: 'Beta', date: '2026-12-04', forecast: '2026-12-18', atRisk: true },
    ]);
  });
});
