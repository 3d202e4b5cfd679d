/**
 * The one font the charts use: DejaVu Sans (regular and bold) from the `dejavu-fonts-ttf` npm package,
 * never a system font, so that a chart is drawn the same on every machine. Its files are located
 * through the package and read once, on the first chart: for the widths of texts (to cut names to fit,
 * and to let the chart library lay out labels with the widths they will be drawn at) and for the
 * glyphs text-paths.ts draws.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseFont, type Font } from './ttf.js';

/** The family name the charts' SVG asks for, as the font itself names it. */
export const FONT_FAMILY = 'DejaVu Sans';

export interface ChartFonts {
  /**
   * The font files, for resvg, which needs them only for a text text-paths.ts leaves to it (resvg-js 2
   * takes no font buffers, and reads a font file anew for every glyph it draws).
   */
  files: string[];
  regular: Font;
  bold: Font;
}

let loaded: ChartFonts | undefined;

/** The font files and their metrics, read on the first call. */
export function chartFonts(): ChartFonts {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    const regular = join(dir, 'DejaVuSans.ttf');
    const bold = join(dir, 'DejaVuSans-Bold.ttf');
    loaded = {
      files: [regular, bold],
      regular: parseFont(readFileSync(regular)),
      bold: parseFont(readFileSync(bold)),
    };
  }
  return loaded;
}

/**
 * Code points a shaper draws as nothing (zero-width joiners and spaces, variation selectors, tags,
 * bidi marks): resvg does not show the font's missing-glyph box for them, so they take no width.
 */
export function isInvisible(codePoint: number): boolean {
  return (
    (codePoint >= 0x200b && codePoint <= 0x200f) ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2060 && codePoint <= 0x206f) ||
    (codePoint >= 0xfe00 && codePoint <= 0xfe0f) ||
    codePoint === 0xfeff ||
    (codePoint >= 0xe0000 && codePoint <= 0xe0fff)
  );
}

/** How wide `text` is drawn in DejaVu Sans at `size` pixels, kerning included. */
export function textWidth(text: string, size: number, bold = false): number {
  const font = bold ? chartFonts().bold : chartFonts().regular;
  let units = 0;
  let previous: number | undefined;
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    if (isInvisible(codePoint)) continue;
    const glyph = font.glyphOf(codePoint);
    units += font.advance(glyph) + (previous === undefined ? 0 : font.kerning(previous, glyph));
    previous = glyph;
  }
  return (units * size) / font.unitsPerEm;
}

/**
 * The chart library's text measurement (zrender's `platformApi.measureText`), given a CSS font such as
 * `bold 16px DejaVu Sans`. zrender takes the width of `国` as a font's line height; DejaVu Sans has no
 * such glyph (it would measure its narrow missing-glyph box), so that one answers 1 em, as a browser
 * would.
 */
export function measureChartText(text: string, font?: string): { width: number } {
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? '')?.[1] ?? 12);
  if (text === '国') return { width: size };
  return { width: textWidth(text, size, /\bbold\b|\b[6-9]00\b/.test(font ?? '')) };
}
