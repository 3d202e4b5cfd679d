/**
 * The charts of issue 11 (src/charts/): how long one PNG takes, health history (12 digests) and
 * milestone timeline (10 milestones), from data to PNG bytes. Pure CPU, no database. Printed against
 * a baseline measured in the same run — the chart's SVG alone (ECharts' server-side rendering, its
 * texts then drawn as paths; no PNG) — so the ratio means something on any machine; the PNG step
 * alone (resvg) is shown too, and, for comparison, the SVG rendered with its texts left to resvg (which
 * reads the font file for every glyph). Also counts the distinct PNGs among 20 renders of each chart:
 * 1 means byte-identical every time.
 *
 *   npm run bench:charts          (BENCH_REPS to change the number of runs, 100 by default)
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  healthHistoryChart,
  healthHistoryOption,
  milestoneTimelineChart,
  milestoneTimelineOption,
  renderSvg,
  svgToPng,
  type HealthPoint,
  type MilestoneRow,
} from '../src/charts/index.js';
import { SAMPLE_POINTS, SAMPLE_PROGRAM, SAMPLE_TODAY } from '../test/charts/samples.js';
import { fixed, machineLine, median, percentile, table } from './support.js';

const REPS = Number(process.env.BENCH_REPS ?? 100);

const points: HealthPoint[] = SAMPLE_POINTS;
const milestones: MilestoneRow[] = Array.from({ length: 10 }, (_, i) => {
  const month = `2027-0${1 + Math.floor(i / 4)}`;
  const date = `${month}-${String(3 + (i % 4) * 7).padStart(2, '0')}`;
  const forecast = i % 5 === 4 ? undefined : `${month}-${String(1 + (i % 4) * 9).padStart(2, '0')}`;
  return {
    name: `Milestone ${i + 1}: ${['Payments API beta', 'Pilot in 3 stores', 'Data migration rehearsal'][i % 3]}`,
    date,
    ...(forecast ? { forecast } : {}),
    atRisk: forecast !== undefined && forecast > date,
  };
});
const labels = { program: SAMPLE_PROGRAM };

/** The first call, timed alone: module state, font files read, V8 compiling. */
function cold<T>(run: () => T): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

/**
 * Times every task `REPS` times, interleaved (one run of each in turn), so that a change of load on
 * the machine during the bench weighs on all of them alike; after 10 warm-up rounds.
 */
function timedTogether(tasks: ReadonlyArray<() => unknown>): number[][] {
  const times = tasks.map((): number[] => []);
  for (let round = -10; round < REPS; round++) {
    tasks.forEach((run, i) => {
      const started = performance.now();
      run();
      if (round >= 0) times[i]!.push(performance.now() - started);
    });
  }
  return times;
}

const distinct = (run: () => Buffer): number =>
  new Set(Array.from({ length: 20 }, () => createHash('sha256').update(run()).digest('hex'))).size;

const first = cold(() => healthHistoryChart(points, labels));
const health = healthHistoryOption(points, labels)!;
const timeline = milestoneTimelineOption(milestones, SAMPLE_TODAY, labels)!;
const healthSvg = renderSvg(health.option);
const timelineSvg = renderSvg(timeline.option);

const tasks: Array<[string, () => unknown]> = [
  ['baseline: health history, SVG only', () => renderSvg(health.option)],
  ['health history, SVG → PNG only (resvg)', () => svgToPng(healthSvg)],
  ['healthHistoryChart (target ≤ 100 ms)', () => healthHistoryChart(points, labels)],
  [
    'for comparison: the whole chart, texts left to resvg',
    () => svgToPng(renderSvg(health.option, { textsAsPaths: false })),
  ],
  ['baseline: milestone timeline, SVG only', () => renderSvg(timeline.option)],
  ['milestone timeline, SVG → PNG only (resvg)', () => svgToPng(timelineSvg)],
  [
    'milestoneTimelineChart (target ≤ 100 ms)',
    () => milestoneTimelineChart(milestones, SAMPLE_TODAY, labels),
  ],
  [
    'for comparison: the whole chart, texts left to resvg',
    () => svgToPng(renderSvg(timeline.option, { textsAsPaths: false })),
  ],
];
const times = timedTogether(tasks.map(([, run]) => run));
const rows = tasks.map(([what], i): [string, number[]] => [what, times[i]!]);
const baselines = [median(rows[0]![1]), median(rows[4]![1])];

console.log(machineLine('no database (pure CPU)'));
console.log(
  `800 × 400 PNGs; health history of ${points.length} digests, timeline of ${milestones.length} milestones; ` +
    `${REPS} runs each, interleaved, after 10 warm-up rounds. First call of the process (fonts read, code compiled): ${fixed(first, 1)} ms.\n`,
);
console.log(
  table(
    ['what', 'median ms', 'p90 ms', 'max ms', 'ratio to its SVG baseline (median)'],
    rows.map(([what, ms], i) => [
      what,
      fixed(median(ms), 2),
      fixed(percentile(ms, 90), 2),
      fixed(Math.max(...ms), 2),
      fixed(median(ms) / baselines[i < 4 ? 0 : 1]!, 2),
    ]),
  ),
);
console.log(
  `\nDistinct PNGs in 20 renders: health history ${distinct(() => healthHistoryChart(points, labels)!.png)}, ` +
    `milestone timeline ${distinct(() => milestoneTimelineChart(milestones, SAMPLE_TODAY, labels)!.png)} (1 = byte-identical). ` +
    `PNG sizes: ${healthHistoryChart(points, labels)!.png.length} and ` +
    `${milestoneTimelineChart(milestones, SAMPLE_TODAY, labels)!.png.length} bytes.`,
);
