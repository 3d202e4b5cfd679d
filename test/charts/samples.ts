/**
 * Fixed sample data for the chart tests, the golden images (test/fixtures/charts/), the images in
 * docs/images/ and bench/charts.ts. Every date is written out: nothing depends on the clock or TZ.
 */
import type { HealthPoint, MilestoneRow } from '../../src/charts/index.js';

export const SAMPLE_PROGRAM = 'Checkout re-platform';

/** Twelve weekly digests, a program that slipped in November and is recovering. */
export const SAMPLE_POINTS: HealthPoint[] = [
  { date: '2026-09-09', onTrack: 6, atRisk: 1, offTrack: 0, noUpdate: 1 },
  { date: '2026-09-16', onTrack: 7, atRisk: 1, offTrack: 0, noUpdate: 0 },
  { date: '2026-09-23', onTrack: 7, atRisk: 0, offTrack: 0, noUpdate: 1 },
  { date: '2026-09-30', onTrack: 6, atRisk: 2, offTrack: 0, noUpdate: 0 },
  { date: '2026-10-07', onTrack: 5, atRisk: 2, offTrack: 1, noUpdate: 1 },
  { date: '2026-10-14', onTrack: 5, atRisk: 3, offTrack: 1, noUpdate: 0 },
  { date: '2026-10-21', onTrack: 4, atRisk: 3, offTrack: 2, noUpdate: 0 },
  { date: '2026-10-28', onTrack: 3, atRisk: 4, offTrack: 2, noUpdate: 1 },
  { date: '2026-11-04', onTrack: 4, atRisk: 3, offTrack: 2, noUpdate: 0 },
  { date: '2026-11-11', onTrack: 5, atRisk: 3, offTrack: 1, noUpdate: 0 },
  { date: '2026-11-18', onTrack: 6, atRisk: 2, offTrack: 1, noUpdate: 0 },
  { date: '2026-11-25', onTrack: 7, atRisk: 1, offTrack: 0, noUpdate: 1 },
];

export const SAMPLE_TODAY = '2026-11-25';

export const SAMPLE_MILESTONES: MilestoneRow[] = [
  { name: 'Design sign-off', date: '2026-11-20', forecast: '2026-11-18', atRisk: false },
  { name: 'Payments API beta', date: '2026-12-04', forecast: '2026-12-18', atRisk: true },
  { name: 'Pilot in 3 stores', date: '2026-12-15', forecast: '2026-12-11', atRisk: false },
  { name: 'Data migration rehearsal', date: '2027-01-08', forecast: '2027-01-29', atRisk: true },
  { name: 'General availability', date: '2027-02-01', atRisk: false },
];

/** Names that must neither break the SVG nor leak into it as markup. */
export const HOSTILE_NAMES: ReadonlyArray<[label: string, name: string]> = [
  ['markup', '</text><script>alert(1)</script><text>'],
  ['an entity', 'R&amp;D &lt;b&gt; & "quotes" \'apostrophes\''],
  ['1,000 characters', 'Ω'.repeat(250) + 'W'.repeat(750)],
  ['emoji', '🚀 Launch 👩‍👩‍👧 🇫🇷 🟢🟡🔴⚪'],
  ['control characters', 'nul\u0000 bell\u0007 esc\u001b del\u007f c1\u0085 bom\ufeff'],
  ['a lone surrogate', 'half \ud83d pair \ude00 end'],
  ['bidi overrides', 'abc \u202edef\u202c \u2067ghi\u2069'],
  ['line breaks', 'first\nsecond\r\nthird\u2028fourth'],
  ['a CDATA end and a comment', ']]> <!-- --> <![CDATA[ x ]]>'],
  ['a user mention', 'owner <@U0123ABCD> and <@W0999|someone>'],
  ['only spaces', '   \t  '],
  // The chart library caches text widths in plain objects keyed by the text.
  ['__proto__', '__proto__'],
  ['constructor', 'constructor'],
];

/**
 * What none of those names may leave in a chart's SVG: markup of theirs, characters XML forbids (which
 * make resvg refuse the SVG), bidi controls, a user id.
 */
export const UNSAFE_IN_SVG =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /<script|<text>|<!--|]]> <|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u202e\u2067]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|U0123ABCD/;
