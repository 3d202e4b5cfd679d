/**
 * ECharts option → SVG (ECharts' server-side SVG renderer, no DOM, no browser; its texts then drawn
 * as paths by text-paths.ts) → PNG (resvg, in process, with no system font). Deterministic: no
 * animation, the chart library's clock is never read for what it draws, zrender's process-wide ids
 * renamed, a fixed size and locale, and one font, so the same option gives the same bytes.
 *
 * Two settings of the chart library are global to the process and set here once: the parts of ECharts
 * the charts use (`use`), and its text measurement (`setPlatformAPI`), which answers with DejaVu
 * Sans's real widths instead of ECharts' built-in table for a generic sans-serif (too narrow: legend
 * labels overlapped their neighbours).
 */
import { Resvg } from '@resvg/resvg-js';
import { BarChart, LinesChart, ScatterChart } from 'echarts/charts';
import type { BarSeriesOption, LinesSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkLineComponentOption,
  type TitleComponentOption,
} from 'echarts/components';
import { init, setPlatformAPI, use, type ComposeOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { chartFonts, FONT_FAMILY, measureChartText } from './fonts.js';
import { textsToPaths } from './text-paths.js';

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LinesSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TitleComponentOption
>;

/** A chart drawn as a PNG, with the words a screen reader says instead. */
export interface ChartImage {
  png: Buffer;
  width: number;
  height: number;
  /** The chart's content in words: plain text, under 1,000 characters, no user ids. */
  altText: string;
}

/** What a chart may be titled with. */
export interface ChartLabels {
  /** The program's name, for the title and the alt text (made safe and cut to fit: any text will do). */
  program?: string;
}

/** Every chart's size, in pixels. */
export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 400;

export const BACKGROUND = '#ffffff';
export const TEXT_COLOUR = '#263238';
export const MUTED_TEXT_COLOUR = '#607d8b';

let ready = false;

function prepare(): void {
  if (ready) return;
  chartFonts();
  use([
    BarChart,
    LinesChart,
    ScatterChart,
    GridComponent,
    LegendComponent,
    MarkLineComponent,
    TitleComponent,
    SVGRenderer,
  ]);
  setPlatformAPI({ measureText: measureChartText });
  ready = true;
}

/**
 * The SVG of an option, at the charts' fixed size, its texts drawn as paths where they can be (with
 * `textsAsPaths: false`, left as text for resvg: only to compare, as bench/charts.ts does).
 */
export function renderSvg(option: ChartOption, { textsAsPaths = true } = {}): string {
  prepare();
  const chart = init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    locale: 'EN',
  });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: BACKGROUND,
      textStyle: { fontFamily: FONT_FAMILY, color: TEXT_COLOUR },
      ...option,
    });
    const svg = stableIds(chart.renderToSVGString());
    return textsAsPaths ? textsToPaths(svg).svg : svg;
  } finally {
    // Without it the chart keeps a timer, and the process, alive.
    chart.dispose();
  }
}

/**
 * zrender names classes and clip paths after counters global to the process (`zr7-cls-42`); renamed
 * in order of appearance, the same chart gives the same SVG whatever was drawn before it.
 */
function stableIds(svg: string): string {
  const names = new Map<string, string>();
  return svg.replace(/\bzr\d+-([a-z]+)-?(\d+)\b/g, (id, kind: string) => {
    let name = names.get(id);
    if (name === undefined) {
      name = `zr-${kind}-${names.size}`;
      names.set(id, name);
    }
    return name;
  });
}

/**
 * A PNG of an SVG. Texts renderSvg drew as paths need no font; resvg gets the charts' font files (and
 * never a system font) only when some text was left to it.
 */
export function svgToPng(svg: string): Buffer {
  const fontFiles = svg.includes('<text') ? chartFonts().files : [];
  return new Resvg(svg, {
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    background: BACKGROUND,
    fitTo: { mode: 'original' },
    logLevel: 'off',
  })
    .render()
    .asPng();
}

/** An option drawn as a PNG, with its alt text. */
export function renderChart(option: ChartOption, altText: string): ChartImage {
  return { png: svgToPng(renderSvg(option)), width: CHART_WIDTH, height: CHART_HEIGHT, altText };
}
