import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { chartFonts } from '../../src/charts/fonts.js';
import { healthHistoryOption, milestoneTimelineOption, renderSvg, svgToPng } from '../../src/charts/index.js';
import { textsToPaths } from '../../src/charts/text-paths.js';
import { decode, difference } from './png.js';
import { SAMPLE_MILESTONES, SAMPLE_POINTS, SAMPLE_PROGRAM, SAMPLE_TODAY } from './samples.js';

const svgOf = (texts: string) =>
  `<svg width="600" height="160" xmlns="http://www.w3.org/2000/svg"><rect width="600" height="160" fill="#fff"></rect>${texts}</svg>`;

const text = (content: string, attributes = '', style = '') =>
  `<text dominant-baseline="central" text-anchor="start" style="font-size:24px;font-family:DejaVu Sans;${style}" transform="translate(20 40)" fill="#263238"${attributes}>${content}</text>`;

/** The SVG as resvg draws it with the charts' fonts, its texts laid out by resvg itself. */
const byResvg = (svg: string) =>
  decode(
    new Resvg(svg, {
      font: { fontFiles: chartFonts().files, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
    })
      .render()
      .asPng(),
  );

describe('textsToPaths', () => {
  it.each([
    ['Latin, digits and punctuation', text('Checkout re-platform: 25 Nov, +14 d (AV To Wa)')],
    ['bold', text('Payments API beta', '', 'font-weight:bold;')],
    // One script a text: resvg shapes a mixed one in the script of its first letters, with kerning a
    // hundredth of an em different from the font's kern table for the others.
    [
      'Greek, Cyrillic and accents',
      text('Ωμέγα · Αθήνα') +
        text('Привет · Москва').replace('translate(20 40)', 'translate(20 80)') +
        text('Crème brûlée · Ærøskøbing').replace('translate(20 40)', 'translate(20 120)'),
    ],
    ['escaped markup', text('&lt;/text&gt;&lt;script&gt; &amp;amp; &quot;q&quot; &#39;a&#39;')],
    [
      'every anchor and baseline',
      text('start', ' y="40"') +
        text('middle', ' x="280"').replace('text-anchor="start"', 'text-anchor="middle"') +
        text('end', ' x="560"').replace('text-anchor="start"', 'text-anchor="end"') +
        text('alphabetic').replace('dominant-baseline="central"', 'dominant-baseline="alphabetic"'),
    ],
  ])('draws %s as paths, as resvg draws the text', (_label, texts) => {
    const svg = svgOf(texts);
    const converted = textsToPaths(svg);
    expect(converted.textLeft).toBe(false);
    expect(converted.svg).not.toContain('<text');
    const diff = difference(byResvg(svg), byResvg(converted.svg));
    expect(diff.share, `${diff.differing} pixels differ`).toBeLessThan(0.002);
  });

  it.each([
    ['Arabic (right to left, joined)', text('مرحبا بالعالم')],
    ['Hebrew', text('שלום עולם')],
    ['Devanagari', text('नमस्ते')],
    ['a combining mark', text('e\u0301tude')],
    ['a rotation', text('Beta').replace('translate(20 40)', 'matrix(0 1 -1 0 20 40)')],
    ['a stroke', text('Beta', ' stroke="#fff"')],
    ['an italic', text('Beta', '', 'font-style:italic;')],
    ['another font', text('Beta').replace('DejaVu Sans', 'Arial')],
  ])('leaves %s to resvg, which still gets the font', (_label, texts) => {
    const svg = svgOf(texts);
    const converted = textsToPaths(svg);
    expect(converted).toEqual({ svg, textLeft: true });
    const png = decode(svgToPng(converted.svg));
    expect(png.width).toBe(600);
    expect(difference(png, byResvg(svg)).differing).toBe(0);
  });

  it('skips invisible characters and drops a text with nothing to draw', () => {
    expect(textsToPaths(svgOf(text('   '))).svg).toBe(svgOf(''));
    const joined = textsToPaths(svgOf(text('a\u200bb\u2060c'))).svg;
    expect(joined).toBe(textsToPaths(svgOf(text('abc'))).svg);
  });

  it("leaves no text in the charts' SVG, so drawing them reads no font file", () => {
    const health = renderSvg(healthHistoryOption(SAMPLE_POINTS, { program: SAMPLE_PROGRAM })!.option);
    const timeline = renderSvg(
      milestoneTimelineOption(SAMPLE_MILESTONES, SAMPLE_TODAY, { program: SAMPLE_PROGRAM })!.option,
    );
    expect(health).not.toContain('<text');
    expect(timeline).not.toContain('<text');
  });
});

describe('the font tables', () => {
  const font = chartFonts().regular;
  const glyph = (char: string) => font.glyphOf(char.codePointAt(0)!);

  it('maps characters to glyphs, with advances and kerning pairs', () => {
    expect(font.unitsPerEm).toBe(2048);
    expect(glyph('A')).toBeGreaterThan(0);
    expect(glyph('\u{1F7E2}')).toBe(0);
    expect(font.advance(glyph('W'))).toBe(2025);
    expect(font.kerning(glyph('A'), glyph('V'))).toBeLessThan(0);
    expect(font.kerning(glyph('o'), glyph('o'))).toBe(0);
  });

  it('reads outlines: contours of simple glyphs, composite glyphs resolved', () => {
    const contours = (char: string) => font.outline(glyph(char)).filter((c) => c[0] === 'M').length;
    expect(contours('l')).toBe(1);
    expect(contours('o')).toBe(2);
    expect(contours('B')).toBe(3);
    expect(contours('é')).toBe(contours('e') + 1);
    expect(font.outline(glyph(' '))).toEqual([]);
  });
});
