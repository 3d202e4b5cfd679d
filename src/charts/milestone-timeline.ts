/**
 * A program's milestones on a timeline (SPEC §7): one row each, its target date (◆) and its forecast
 * (●, from the analysis: src/domain/analysis/milestones.ts) joined by a line, red when the forecast
 * is late; today as a dashed vertical line. Dates are calendar days: no timezone is involved.
 */
import type { LinesSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import { dateOf, dayOf } from '../domain/analysis/days.js';
import type { MilestoneForecast } from '../domain/analysis/milestones.js';
import type { Id } from '../domain/entities.js';
import type { CalendarDate } from '../domain/types.js';
import {
  CHART_WIDTH,
  MUTED_TEXT_COLOUR,
  renderChart,
  TEXT_COLOUR,
  type ChartImage,
  type ChartLabels,
  type ChartOption,
} from './render.js';
import { boundedList, chartText, dayLabel, fitWidth, shorten } from './text.js';

export interface MilestoneRow {
  /** The milestone's name (any text: cut to fit, made safe). */
  name: string;
  /** Its target date, `YYYY-MM-DD`. */
  date: CalendarDate;
  /** Its forecast, when the analysis has one. */
  forecast?: CalendarDate;
  /** The forecast passes the date (MilestoneForecast.atRisk). */
  atRisk: boolean;
}

/** How many milestones the chart shows at most (the first ones given); the alt text says how many more. */
export const MILESTONE_ROWS = 10;

export const MILESTONE_COLOURS = {
  target: '#37474f',
  onTime: '#2e7d32',
  late: '#c62828',
  line: '#90a4ae',
  today: '#1565c0',
} as const;

const NAME_WIDTH = 200;
const GRID = { left: NAME_WIDTH + 28, right: 72, top: 72, bottom: 78 };
/** Axis values are days since Monday 5 Jan 1970, so steps of 7 days fall on Mondays. */
const MONDAY = 4;

/**
 * The chart of `milestones` (the first 10, in the order given: milestoneForecasts gives them by date)
 * against `today` (`YYYY-MM-DD`, in the program's timezone); `undefined` when there are none to draw
 * (no milestones, or none with a real date).
 */
export function milestoneTimelineChart(
  milestones: readonly MilestoneRow[],
  today: CalendarDate,
  labels: ChartLabels = {},
): ChartImage | undefined {
  const chart = milestoneTimelineOption(milestones, today, labels);
  return chart && renderChart(chart.option, chart.altText);
}

/** Rows from the milestones and the analysis's forecasts of them, in the analysis's order (by date). */
export function milestoneRows(
  milestones: ReadonlyArray<{ _id: Id; name: string }>,
  forecasts: readonly MilestoneForecast[],
): MilestoneRow[] {
  const names = new Map(milestones.map((m) => [m._id.toHexString(), m.name]));
  return forecasts.flatMap((f) => {
    const name = names.get(f.milestoneId);
    if (name === undefined) return [];
    return [{ name, date: f.date, ...(f.forecast ? { forecast: f.forecast } : {}), atRisk: f.atRisk }];
  });
}

interface Row {
  name: string;
  target: number;
  forecast?: number;
  late: boolean;
  daysLate: number;
}

/** The chart's ECharts option and alt text (milestoneTimelineChart without the drawing). */
export function milestoneTimelineOption(
  milestones: readonly MilestoneRow[],
  today: CalendarDate,
  labels: ChartLabels = {},
): { option: ChartOption; altText: string } | undefined {
  const all = milestones.flatMap((m): Row[] => {
    const target = dayOf(m.date);
    if (target === undefined) return [];
    const forecast = dayOf(m.forecast);
    const daysLate = forecast === undefined ? 0 : Math.max(0, forecast - target);
    return [
      {
        name: chartText(m.name) || 'Untitled',
        target,
        ...(forecast === undefined ? {} : { forecast }),
        late: m.atRisk || daysLate > 0,
        daysLate,
      },
    ];
  });
  if (all.length === 0) return undefined;
  const rows = all.slice(0, MILESTONE_ROWS);
  const hidden = all.length - rows.length;
  const todayDay = dayOf(today);
  const program = labels.program === undefined ? '' : chartText(labels.program);

  const days = rows.flatMap((r) => (r.forecast === undefined ? [r.target] : [r.target, r.forecast]));
  if (todayDay !== undefined) days.push(todayDay);
  const axis = timeAxis(Math.min(...days) - MONDAY, Math.max(...days) - MONDAY);
  const withYear = dateOf(axis.min + MONDAY).slice(0, 4) !== dateOf(axis.max + MONDAY).slice(0, 4);
  const at = (day: number) => day - MONDAY;

  const segments: LinesSeriesOption['data'] = rows.flatMap((r, i) =>
    r.forecast === undefined || r.forecast === r.target
      ? []
      : [
          {
            coords: [
              [at(r.target), i],
              [at(r.forecast), i],
            ],
            lineStyle: { color: r.late ? MILESTONE_COLOURS.late : MILESTONE_COLOURS.line },
          },
        ],
  );
  const forecasts = (late: boolean): ScatterSeriesOption['data'] =>
    rows.flatMap((r, i) =>
      r.forecast === undefined || r.late !== late
        ? []
        : [
            {
              value: [at(r.forecast), i],
              label: { show: late && r.daysLate > 0, formatter: `+${r.daysLate} d` },
            },
          ],
    );

  const shown = hidden > 0 ? ` (the first ${rows.length} of ${all.length})` : '';
  const option: ChartOption = {
    title: {
      text: fitWidth(program || 'Milestones', CHART_WIDTH - 32, 16, true),
      subtext: `Milestones${shown}: target date against forecast${todayDay === undefined ? '' : `, today ${dayLabel(today, withYear)}`}`,
      left: 16,
      top: 12,
      itemGap: 6,
      textStyle: { fontSize: 16, fontWeight: 'bold', color: TEXT_COLOUR },
      subtextStyle: { fontSize: 12, color: MUTED_TEXT_COLOUR },
    },
    legend: {
      bottom: 10,
      left: 'center',
      itemGap: 24,
      textStyle: { fontSize: 12, color: TEXT_COLOUR },
      data: [
        { name: 'Target date', icon: 'diamond' },
        { name: 'Forecast on time', icon: 'circle' },
        { name: 'Forecast late', icon: 'circle' },
      ],
    },
    grid: { ...GRID, outerBoundsMode: 'none' },
    xAxis: {
      type: 'value',
      min: axis.min,
      max: axis.max,
      interval: axis.interval,
      axisLine: { show: true, lineStyle: { color: MUTED_TEXT_COLOUR } },
      axisTick: { show: true },
      axisLabel: {
        fontSize: 12,
        color: TEXT_COLOUR,
        lineHeight: 15,
        // The year under the first date and wherever it changes.
        formatter: (value: number, index: number) => {
          const date = dateOf(value + MONDAY);
          const newYear =
            index === 0 || dateOf(value - axis.interval + MONDAY).slice(0, 4) !== date.slice(0, 4);
          return newYear ? `${dayLabel(date)}\n${date.slice(0, 4)}` : dayLabel(date);
        },
      },
      splitLine: { lineStyle: { color: '#e0e6ea' } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) => fitWidth(r.name, NAME_WIDTH, 12)),
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: { fontSize: 12, color: TEXT_COLOUR, interval: 0 },
      splitLine: { show: true, lineStyle: { color: '#f0f3f5' } },
    },
    series: [
      {
        type: 'lines',
        coordinateSystem: 'cartesian2d',
        silent: true,
        lineStyle: { width: 3, opacity: 1 },
        data: segments,
        z: 1,
      },
      {
        type: 'scatter',
        name: 'Target date',
        symbol: 'diamond',
        symbolSize: 16,
        color: MILESTONE_COLOURS.target,
        itemStyle: { opacity: 1 },
        z: 2,
        label: { position: 'right', fontSize: 11, color: MUTED_TEXT_COLOUR, distance: 8 },
        data: rows.map((r, i) => ({
          value: [at(r.target), i],
          label: { show: r.forecast === undefined, formatter: 'no forecast' },
        })),
        ...(todayDay === undefined ? {} : { markLine: todayLine(at(todayDay)) }),
      },
      {
        type: 'scatter',
        name: 'Forecast on time',
        symbol: 'circle',
        symbolSize: 13,
        color: MILESTONE_COLOURS.onTime,
        itemStyle: { opacity: 1 },
        z: 3,
        data: forecasts(false),
      },
      {
        type: 'scatter',
        name: 'Forecast late',
        symbol: 'circle',
        symbolSize: 13,
        color: MILESTONE_COLOURS.late,
        itemStyle: { opacity: 1 },
        z: 3,
        label: {
          position: 'right',
          fontSize: 11,
          fontWeight: 'bold',
          color: MILESTONE_COLOURS.late,
          distance: 6,
        },
        data: forecasts(true),
      },
    ],
  };

  const when = (day: number) => dayLabel(dateOf(day), withYear);
  const head =
    `Milestones of ${program ? shorten(program, 80) : 'the program'}` +
    `${todayDay === undefined ? '' : `, today ${dayLabel(today, withYear)}`}: `;
  const items = all.map(
    (r) =>
      `${shorten(r.name, 60)}, target ${when(r.target)}, ` +
      (r.forecast === undefined
        ? 'no forecast'
        : `forecast ${when(r.forecast)}${r.daysLate > 0 ? ` (${r.daysLate} ${r.daysLate === 1 ? 'day' : 'days'} late)` : r.late ? ' (at risk)' : ''}`),
  );
  return { option, altText: boundedList(head, items, 990) };
}

function todayLine(x: number): NonNullable<ScatterSeriesOption['markLine']> {
  return {
    silent: true,
    symbol: 'none',
    animation: false,
    lineStyle: { color: MILESTONE_COLOURS.today, type: 'dashed', width: 2 },
    label: {
      show: true,
      position: 'start',
      formatter: 'today',
      color: MILESTONE_COLOURS.today,
      fontSize: 11,
    },
    data: [{ xAxis: x }],
  };
}

/**
 * The date axis: from a few days before the first date to a few after the last, in steps of whole
 * days, weeks or multiples of four weeks (on Mondays): the shortest step that needs at most 8.
 */
function timeAxis(first: number, last: number): { min: number; interval: number; max: number } {
  for (let i = 0; ; i++) {
    const interval = STEPS[i] ?? 364 * 2 ** (i - STEPS.length + 1);
    const pad = Math.max(1, Math.round(interval / 4));
    const min = Math.floor((first - pad) / interval) * interval;
    const max = Math.ceil((last + pad) / interval) * interval;
    if ((max - min) / interval <= 8) return { min, interval, max };
  }
}

const STEPS = [1, 2, 7, 14, 28, 56, 84, 182, 364];
