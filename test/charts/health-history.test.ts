import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  HEALTH_COLOURS,
  healthHistoryChart,
  healthHistoryOption,
  pointsFromSnapshots,
  renderSvg,
  type HealthPoint,
} from '../../src/charts/index.js';
import type { DigestSnapshot, WorkstreamSnapshot } from '../../src/domain/digest-data.js';
import { colourCounts, decode, difference, golden, pixelsOf, UPDATE_GOLDEN } from './png.js';
import { HOSTILE_NAMES, SAMPLE_POINTS, SAMPLE_PROGRAM, UNSAFE_IN_SVG } from './samples.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const chart = (points: HealthPoint[] = SAMPLE_POINTS, program = SAMPLE_PROGRAM) => {
  const image = healthHistoryChart(points, { program });
  if (!image) throw new Error('expected a chart');
  return image;
};

describe('healthHistoryChart', () => {
  it('draws a PNG of the fixed size, not blank, with every health colour', () => {
    const image = chart();
    expect(image.png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([image.width, image.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    const decoded = decode(image.png);
    expect([decoded.width, decoded.height]).toEqual([800, 400]);
    expect(colourCounts(decoded).size).toBeGreaterThan(50);
    for (const colour of Object.values(HEALTH_COLOURS)) {
      expect(pixelsOf(decoded, colour), colour).toBeGreaterThan(200);
    }
    // Opaque white background: readable in Slack's dark theme too.
    expect(decoded.data[3]).toBe(255);
    expect(pixelsOf(decoded, '#ffffff')).toBeGreaterThan(800 * 400 * 0.3);
  });

  it('is byte-identical when drawn again, whatever was drawn in between', () => {
    const first = chart();
    chart(SAMPLE_POINTS.slice(0, 3), 'another program');
    const second = chart();
    expect(second.png.equals(first.png)).toBe(true);
    expect(second.altText).toBe(first.altText);
    const { option } = healthHistoryOption(SAMPLE_POINTS, { program: SAMPLE_PROGRAM })!;
    expect(renderSvg(option)).toBe(renderSvg(option));
  });

  it('matches the golden image (UPDATE_GOLDEN=1 rewrites it)', () => {
    const image = chart();
    const expected = golden('health-history.png', image.png);
    expect(expected, 'no golden image yet: run UPDATE_GOLDEN=1 npx vitest run test/charts').toBeDefined();
    const diff = difference(decode(image.png), decode(expected!));
    expect(diff.share, `${diff.differing} pixels differ (largest ${diff.largest})`).toBeLessThan(0.002);
  });

  it('says what it shows in words, briefly, oldest digest first', () => {
    const { altText } = chart(SAMPLE_POINTS.slice(-6));
    expect(altText).toBe(
      'Health of Checkout re-platform at each of the last 6 digests, in open workstreams: ' +
        '21 Oct 2026: 4 on track, 3 at risk, 2 off track; 28 Oct: 3 on track, 4 at risk, 2 off track, 1 no update; ' +
        '4 Nov: 4 on track, 3 at risk, 2 off track; 11 Nov: 5 on track, 3 at risk, 1 off track; ' +
        '18 Nov: 6 on track, 2 at risk, 1 off track; 25 Nov: 7 on track, 1 at risk, 1 no update.',
    );
  });

  it('shows the last 12 digests of more, and keeps its alt text under 1,000 characters', () => {
    const many = Array.from({ length: 30 }, (_, i): HealthPoint => ({
      date: `2026-${String(1 + Math.floor(i / 3)).padStart(2, '0')}-${String(1 + (i % 3) * 10).padStart(2, '0')}`,
      onTrack: 900 + i,
      atRisk: 900,
      offTrack: 900,
      noUpdate: 900,
    }));
    const { altText, option } = healthHistoryOption(many, { program: 'x'.repeat(500) })!;
    expect((option.xAxis as { data: string[] }).data).toHaveLength(12);
    expect(altText).toMatch(/^Health of x+… at each of the last 12 digests/);
    expect(altText).toContain('1 Oct: 927 on track');
    expect(altText.length).toBeLessThan(1000);
    expect(decode(chart(many).png).width).toBe(800);
  });

  it('returns undefined when no digest was posted yet (nothing to upload)', () => {
    expect(healthHistoryChart([])).toBeUndefined();
    expect(healthHistoryChart([], { program: 'Checkout' })).toBeUndefined();
  });

  it('draws one digest, and a program with no open workstream', () => {
    const one = chart([{ date: '2026-11-25', onTrack: 0, atRisk: 0, offTrack: 0, noUpdate: 0 }]);
    expect(decode(one.png).height).toBe(400);
    expect(one.altText).toBe(
      'Health of Checkout re-platform at the last digest, in open workstreams: 25 Nov 2026: none open.',
    );
  });

  it('takes counts as whole non-negative numbers and a bad date as unknown', () => {
    const { altText } = healthHistoryOption([
      { date: 'yesterday', onTrack: 2.7, atRisk: -1, offTrack: Number.NaN, noUpdate: Infinity },
    ])!;
    expect(altText).toBe('Health of the program at the last digest, in open workstreams: ?: 2 on track.');
  });

  it.each(HOSTILE_NAMES)('draws a program name with %s, escaped and cut', (_label, name) => {
    const { option, altText } = healthHistoryOption(SAMPLE_POINTS, { program: name })!;
    const svg = renderSvg(option);
    expect(svg).not.toMatch(UNSAFE_IN_SVG);
    expect(svg).not.toContain('U0123ABCD');
    expect(altText).not.toContain('U0123ABCD');
    expect(altText.length).toBeLessThan(1000);
    const title = (option.title as { text: string }).text;
    expect(title.length).toBeLessThanOrEqual(120);
    const image = decode(chart(SAMPLE_POINTS, name).png);
    expect([image.width, image.height]).toEqual([800, 400]);
    expect(pixelsOf(image, HEALTH_COLOURS.offTrack)).toBeGreaterThan(200);
  });

  it('lets the process exit when drawn (the chart is disposed, no timer left running)', () => {
    const script =
      "import { healthHistoryChart, milestoneTimelineChart } from './src/charts/index.js';" +
      "healthHistoryChart([{ date: '2026-11-25', onTrack: 1, atRisk: 0, offTrack: 0, noUpdate: 0 }]);" +
      "milestoneTimelineChart([{ name: 'GA', date: '2026-12-01', atRisk: false }], '2026-11-25');" +
      "console.log('drawn');";
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.stderr).toBe('');
    expect([run.status, run.stdout.trim()]).toEqual([0, 'drawn']);
  });
});

describe('pointsFromSnapshots', () => {
  const ws = (health: WorkstreamSnapshot['health'], state: WorkstreamSnapshot['state'] = 'active') => ({
    ...(health ? { health } : {}),
    state,
    openBlockerIds: [],
  });
  const snapshot = (postedAt: string, workstreams: WorkstreamSnapshot[]): DigestSnapshot => ({
    postedAt: new Date(postedAt),
    workstreams: Object.fromEntries(workstreams.map((w) => [new Types.ObjectId().toHexString(), w])),
  });

  it('counts open workstreams by health, no health as no update, done and cancelled left out', () => {
    const points = pointsFromSnapshots(
      [
        snapshot('2026-11-25T09:00:00Z', [
          ws('on_track'),
          ws('on_track', 'paused'),
          ws('at_risk'),
          ws('off_track'),
          ws(undefined),
          ws(undefined, 'not_started'),
          ws('on_track', 'done'),
          ws('off_track', 'cancelled'),
        ]),
      ],
      'UTC',
    );
    expect(points).toEqual([{ date: '2026-11-25', onTrack: 2, atRisk: 1, offTrack: 1, noUpdate: 2 }]);
  });

  it('dates each digest in the timezone given, oldest first', () => {
    const snapshots = [
      snapshot('2026-12-02T23:30:00Z', [ws('at_risk')]),
      snapshot('2026-11-25T23:30:00Z', [ws('on_track')]),
    ];
    expect(pointsFromSnapshots(snapshots, 'Europe/Berlin').map((p) => [p.date, p.onTrack])).toEqual([
      ['2026-11-26', 1],
      ['2026-12-03', 0],
    ]);
    expect(pointsFromSnapshots(snapshots, 'America/Los_Angeles').map((p) => p.date)).toEqual([
      '2026-11-25',
      '2026-12-02',
    ]);
    expect(pointsFromSnapshots(snapshots, 'Not/AZone').map((p) => p.date)).toEqual([
      '2026-11-25',
      '2026-12-02',
    ]);
  });

  it('skips a snapshot without a real posting time, and gives nothing for none', () => {
    expect(pointsFromSnapshots([], 'UTC')).toEqual([]);
    const broken = { postedAt: new Date(Number.NaN), workstreams: {} };
    expect(pointsFromSnapshots([broken, snapshot('2026-11-25T12:00:00Z', [])], 'UTC')).toHaveLength(1);
  });

  it('feeds the chart', () => {
    const points = pointsFromSnapshots([snapshot('2026-11-25T12:00:00Z', [ws('on_track')])], 'UTC');
    expect(healthHistoryChart(points)?.altText).toContain('25 Nov 2026: 1 on track');
  });
});

if (UPDATE_GOLDEN) console.log('UPDATE_GOLDEN=1: golden images rewritten');
