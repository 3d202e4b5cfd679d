/**
 * Cairn's charts as PNG images (SPEC §7, issue 11): drawn in process by ECharts' server-side SVG
 * renderer and resvg, with the DejaVu fonts of the `dejavu-fonts-ttf` package; nothing is downloaded
 * and no browser runs. Pure functions of their arguments (the font files are read once): the same
 * input gives byte-identical PNGs, 800 × 400. Each returns `undefined` when there is nothing to draw.
 */
export {
  HEALTH_COLOURS,
  HEALTH_HISTORY_LENGTH,
  healthHistoryChart,
  healthHistoryOption,
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
