/**
 * Cairn's charts as PNG images (SPEC §7, issue 11): drawn in process by ECharts' server-side SVG
 * renderer and resvg, with the DejaVu Sans of the `dejavu-fonts-ttf` package (its files read once);
 * nothing is downloaded, no browser runs, no system font is used. Pure functions of their arguments:
 * the same input gives byte-identical PNGs, 800 × 400, in about 20–30 ms. Each returns `undefined`
 * when there is nothing to draw (no digest posted yet, no milestone), so that nothing is uploaded.
 */
export {
  HEALTH_COLOURS,
  HEALTH_HISTORY_LENGTH,
  healthHistoryChart,
  healthHistoryOption,
  pointsFromPortfolioHistory,
  pointsFromSnapshots,
  type HealthPoint,
} from './health-history.js';
export {
  MILESTONE_COLOURS,
  MILESTONE_ROWS,
  milestoneRows,
  milestoneTimelineChart,
  milestoneTimelineOption,
  type MilestoneRow,
} from './milestone-timeline.js';
export {
  CHART_HEIGHT,
  CHART_WIDTH,
  renderSvg,
  svgToPng,
  type ChartImage,
  type ChartLabels,
  type ChartOption,
} from './render.js';
