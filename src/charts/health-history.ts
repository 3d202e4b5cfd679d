/**
 * A program's health over its last digests (SPEC §7): one stacked bar per posted digest, counting its
 * open workstreams on track, at risk, off track and with no update, oldest on the left.
 */
import type { BarSeriesOption } from 'echarts/charts';
import { DateTime } from 'luxon';
import type { DigestSnapshot } from '../domain/digest-data.js';
import type { PortfolioDigestPosted } from '../domain/entities.js';
import type { CalendarDate } from '../domain/types.js';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  MUTED_TEXT_COLOUR,
  renderChart,
  TEXT_COLOUR,
  type ChartImage,
  type ChartLabels,
  type ChartOption,
} from './render.js';
import { boundedList, chartText, dayLabel, fitWidth, shorten } from './text.js';

/** What one posted digest showed: its date (in the program's timezone) and its counts. */
export interface HealthPoint {
  /** `YYYY-MM-DD`. */
  date: CalendarDate;
  onTrack: number;
  atRisk: number;
  offTrack: number;
  noUpdate: number;
}

/** How many digests the chart shows at most: the last ones. */
export const HEALTH_HISTORY_LENGTH = 12;

export type HealthKey = 'onTrack' | 'atRisk' | 'offTrack' | 'noUpdate';

/** Bottom to top of each bar. */
export const HEALTH_KEYS: readonly HealthKey[] = ['onTrack', 'atRisk', 'offTrack', 'noUpdate'];

export const HEALTH_COLOURS: Readonly<Record<HealthKey, string>> = {
  onTrack: '#2e7d32',
  atRisk: '#f9a825',
  offTrack: '#c62828',
  noUpdate: '#b0bec5',
};

/** In words: the emoji 🟢🟡🔴⚪ the digest uses are not in the charts' font. */
export const HEALTH_WORDS: Readonly<Record<HealthKey, string>> = {
  onTrack: 'on track',
  atRisk: 'at risk',
  offTrack: 'off track',
  noUpdate: 'no update',
};

const LABEL_COLOURS: Readonly<Record<HealthKey, string>> = {
  onTrack: '#ffffff',
  atRisk: TEXT_COLOUR,
  offTrack: '#ffffff',
  noUpdate: TEXT_COLOUR,
};

const GRID = { left: 56, right: 24, top: 72, bottom: 78 };
/** A count is written inside its part of a bar when that part is at least this tall. */
const MIN_LABELLED_HEIGHT = 16;

/**
 * The chart of the last (up to) 12 of `points`, given oldest first; `undefined` when there are none
 * (no digest posted yet: nothing to draw, so nothing to upload).
 */
export function healthHistoryChart(
  points: readonly HealthPoint[],
  labels: ChartLabels = {},
): ChartImage | undefined {
  const chart = healthHistoryOption(points, labels);
  return chart && renderChart(chart.option, chart.altText);
}

/** The chart's ECharts option and alt text (healthHistoryChart without the drawing). */
export function healthHistoryOption(
  points: readonly HealthPoint[],
  labels: ChartLabels = {},
): { option: ChartOption; altText: string } | undefined {
  const shown = points.slice(-HEALTH_HISTORY_LENGTH).map(counted);
  if (shown.length === 0) return undefined;
  const program = labels.program === undefined ? '' : chartText(labels.program);
  const { max, interval } = valueAxis(Math.max(...shown.map(total)));
  const pixelsPerWorkstream = (CHART_HEIGHT - GRID.top - GRID.bottom) / max;
  const dates = dateLabels(shown.map((p) => p.date));
  const digests = shown.length === 1 ? 'the last digest' : `each of the last ${shown.length} digests`;

  const option: ChartOption = {
    title: {
      text: fitWidth(program || 'Program health', CHART_WIDTH - 32, 16, true),
      subtext: `Open workstreams by health at ${digests}`,
      left: 16,
      top: 12,
      itemGap: 6,
      textStyle: { fontSize: 16, fontWeight: 'bold', color: TEXT_COLOUR },
      subtextStyle: { fontSize: 12, color: MUTED_TEXT_COLOUR },
    },
    legend: {
      bottom: 10,
      left: 'center',
      icon: 'roundRect',
      itemWidth: 14,
      itemHeight: 14,
      itemGap: 24,
      textStyle: { fontSize: 12, color: TEXT_COLOUR },
      data: HEALTH_KEYS.map((key) => capitalised(HEALTH_WORDS[key])),
    },
    grid: { ...GRID, outerBoundsMode: 'none' },
    xAxis: {
      type: 'category',
      data: dates,
      axisTick: { alignWithLabel: true },
      axisLine: { lineStyle: { color: MUTED_TEXT_COLOUR } },
      axisLabel: { interval: 0, fontSize: 12, color: TEXT_COLOUR, lineHeight: 15 },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max,
      interval,
      axisLabel: { fontSize: 12, color: MUTED_TEXT_COLOUR },
      splitLine: { lineStyle: { color: '#e0e6ea' } },
    },
    series: HEALTH_KEYS.map((key): BarSeriesOption => ({
      type: 'bar',
      name: capitalised(HEALTH_WORDS[key]),
      stack: 'health',
      barMaxWidth: 44,
      color: HEALTH_COLOURS[key],
      label: { position: 'inside', fontSize: 11, fontWeight: 'bold', color: LABEL_COLOURS[key] },
      data: shown.map((p) => ({
        value: p[key],
        label: { show: p[key] > 0 && p[key] * pixelsPerWorkstream >= MIN_LABELLED_HEIGHT },
      })),
    })),
  };

  const head = `Health of ${program ? shorten(program, 80) : 'the program'} at ${digests}, in open workstreams: `;
  const items = shown.map((p, i) => `${dates[i]!.replace('\n', ' ')}: ${inWords(p)}`);
  return { option, altText: boundedList(head, items, 990) };
}

/**
 * Health points from the snapshots posted digests keep (`DigestRun.snapshot`), oldest first, each
 * dated by when it was posted, in `timezone` (UTC when that is not a valid zone). A snapshot counts its
 * workstreams that are neither done nor cancelled; one with no stated health counts as no update.
 */
export function pointsFromSnapshots(snapshots: readonly DigestSnapshot[], timezone: string): HealthPoint[] {
  return snapshots
    .filter((s) => s.postedAt instanceof Date && Number.isFinite(s.postedAt.getTime()))
    .map((s, order) => ({ s, order }))
    .sort((a, b) => a.s.postedAt.getTime() - b.s.postedAt.getTime() || a.order - b.order)
    .map(({ s }) => {
      const point: HealthPoint = {
        date: localDate(s.postedAt, timezone),
        onTrack: 0,
        atRisk: 0,
        offTrack: 0,
        noUpdate: 0,
      };
      for (const w of Object.values(s.workstreams ?? {})) {
        if (w.state === 'done' || w.state === 'cancelled') continue;
        if (w.health === 'on_track') point.onTrack++;
        else if (w.health === 'at_risk') point.atRisk++;
        else if (w.health === 'off_track') point.offTrack++;
        else point.noUpdate++;
      }
      return point;
    });
}

/**
 * Health points from a portfolio's posted digests (each program's counts then), oldest first: the
 * portfolio's open workstreams by health, all its programs together, at each digest.
 */
export function pointsFromPortfolioHistory(
  history: readonly PortfolioDigestPosted[],
  timezone: string,
): HealthPoint[] {
  return history
    .filter((h) => h.postedAt instanceof Date && Number.isFinite(h.postedAt.getTime()))
    .map((h, order) => ({ h, order }))
    .sort((a, b) => a.h.postedAt.getTime() - b.h.postedAt.getTime() || a.order - b.order)
    .map(({ h }) => {
      const point: HealthPoint = { date: localDate(h.postedAt, timezone), ...NO_COUNTS };
      for (const counts of Object.values(h.counts ?? {}))
        for (const key of HEALTH_KEYS) point[key] += Number.isFinite(counts[key]) ? counts[key] : 0;
      return point;
    });
}

const NO_COUNTS: Readonly<Record<HealthKey, number>> = { onTrack: 0, atRisk: 0, offTrack: 0, noUpdate: 0 };

function localDate(at: Date, timezone: string): CalendarDate {
  const local = DateTime.fromJSDate(at, { zone: timezone });
  return (local.isValid ? local : DateTime.fromJSDate(at, { zone: 'UTC' })).toISODate()!;
}

/** Counts as whole non-negative numbers, whatever was passed. */
function counted(p: HealthPoint): HealthPoint {
  const n = (v: number) => (Number.isFinite(v) && v > 0 ? Math.floor(v) : 0);
  return {
    date: p.date,
    onTrack: n(p.onTrack),
    atRisk: n(p.atRisk),
    offTrack: n(p.offTrack),
    noUpdate: n(p.noUpdate),
  };
}

const total = (p: HealthPoint) => p.onTrack + p.atRisk + p.offTrack + p.noUpdate;

/** A round top for the count axis, with at most 5 steps of 1, 2 or 5 × 10ⁿ workstreams. */
function valueAxis(top: number): { max: number; interval: number } {
  if (top <= 0) return { max: 1, interval: 1 };
  for (let magnitude = 1; ; magnitude *= 10) {
    for (const step of [1, 2, 5]) {
      const interval = step * magnitude;
      if (top / interval <= 5) return { max: Math.ceil(top / interval) * interval, interval };
    }
  }
}

/** `25 Nov` under each bar; the year under the first and wherever it changes. */
function dateLabels(dates: readonly CalendarDate[]): string[] {
  return dates.map((date, i) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return '?';
    const year = date.slice(0, 4);
    const newYear = i === 0 || dates[i - 1]?.slice(0, 4) !== year;
    return newYear ? `${dayLabel(date)}\n${year}` : dayLabel(date);
  });
}

function inWords(p: HealthPoint): string {
  const parts = HEALTH_KEYS.filter((key) => p[key] > 0).map((key) => `${p[key]} ${HEALTH_WORDS[key]}`);
  return parts.length > 0 ? parts.join(', ') : 'none open';
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
