/**
 * The charts' texts drawn as paths, from the glyph outlines of the font read once (fonts.ts), instead
 * of by resvg. resvg-js 2 loads fonts from files only, and reads the whole font file (757 KB) again for
 * every glyph it lays out: about 500 reads for a timeline of ten milestones, four fifths of the time a
 * chart took to draw. As paths, a chart needs no font file at render time at all.
 *
 * Only what lays out as one glyph after another is converted: Latin, Greek, Cyrillic, Armenian,
 * Georgian and common characters (digits, punctuation, symbols), with no combining marks. A text in
 * another script (Arabic or Hebrew, right to left and joined; Devanagari…) needs shaping and is left
 * as SVG text for resvg to lay out with the font; so is any `<text>` of a form not known here (a
 * rotation, a stroke, an unknown style). Glyphs are placed by their advances and the font's `kern`
 * pairs, as textWidth measures them; a character the font lacks shows its missing-glyph box, as resvg
 * would show it.
 */
import { chartFonts, FONT_FAMILY, isInvisible } from './fonts.js';
import type { Font } from './ttf.js';

const TEXT = /<text ([^>]*)>([^<]*)<\/text>/g;
const ATTRIBUTE = /([a-zA-Z:-]+)="([^"]*)"/g;
const NUMBER = String.raw`-?\d+(?:\.\d+)?(?:e-?\d+)?`;
const TRANSLATE = new RegExp(String.raw`^translate\((${NUMBER})[ ,]+(${NUMBER})\)$`);
/** Scripts drawn one glyph after another, left to right, with nothing to shape. */
const SIMPLE =
  /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Armenian}\p{Script=Georgian}\p{Script=Common}]$/u;
const MARK = /^\p{M}$/u;
/** Attributes copied to the path as they are. */
const KEPT = new Set(['fill', 'class', 'opacity', 'fill-opacity']);

export interface TextPaths {
  svg: string;
  /** Whether some text was left as text, so resvg needs the font files. */
  textLeft: boolean;
}

/** The SVG with every `<text>` that can be drawn as a path replaced by one. */
export function textsToPaths(svg: string): TextPaths {
  let textLeft = false;
  const converted = svg.replace(TEXT, (element, attributes: string, content: string) => {
    const path = asPath(attributes, content);
    if (path === undefined) textLeft = true;
    return path ?? element;
  });
  return { svg: converted, textLeft };
}

function asPath(attributeText: string, content: string): string | undefined {
  const attributes = new Map<string, string>();
  const rest = attributeText.replace(ATTRIBUTE, (_, name: string, value: string) => {
    attributes.set(name, value);
    return '';
  });
  if (rest.trim() !== '') return undefined;
  for (const [name] of attributes) {
    if (!KEPT.has(name) && !HANDLED.has(name)) return undefined;
  }

  let x = number(attributes.get('x') ?? '0');
  let y = number(attributes.get('y') ?? '0');
  const transform = attributes.get('transform');
  if (transform !== undefined) {
    const translate = TRANSLATE.exec(transform);
    if (!translate) return undefined;
    x += number(translate[1]!);
    y += number(translate[2]!);
  }
  const style = styleOf(attributes.get('style') ?? '');
  if (!style || !Number.isFinite(x) || !Number.isFinite(y)) return undefined;
  const font = style.bold ? chartFonts().bold : chartFonts().regular;

  let text = decode(content);
  if (attributes.get('xml:space') !== 'preserve')
    text = text
      .replace(/[\r\n]/g, '')
      .replace(/\t/g, ' ')
      .trim()
      .replace(/ +/g, ' ');

  // Lay the glyphs out.
  const glyphs: Array<{ glyph: number; at: number }> = [];
  let pen = 0;
  let previous: number | undefined;
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    if (isInvisible(codePoint)) continue;
    if (!SIMPLE.test(char) || MARK.test(char)) return undefined;
    const glyph = font.glyphOf(codePoint);
    if (previous !== undefined) pen += font.kerning(previous, glyph);
    glyphs.push({ glyph, at: pen });
    pen += font.advance(glyph);
    previous = glyph;
  }

  const scale = style.size / font.unitsPerEm;
  const anchor = attributes.get('text-anchor') ?? 'start';
  const shift = ({ start: 0, middle: -pen / 2, end: -pen } as Record<string, number>)[anchor];
  const baseline = attributes.get('dominant-baseline') ?? 'auto';
  // `central`: the middle of the em box (ascender to descender) at y, as resvg places it.
  const drop = (
    { auto: 0, alphabetic: 0, central: (font.ascender + font.descender) / 2 } as Record<string, number>
  )[baseline];
  if (shift === undefined || drop === undefined) return undefined;

  const d = glyphs
    .map(({ glyph, at }) => outlinePath(font, glyph, x + (at + shift) * scale, y + drop * scale, scale))
    .join('');
  if (d === '') return '';
  const kept = [...attributes]
    .filter(([name]) => KEPT.has(name))
    .map(([name, value]) => ` ${name}="${value}"`);
  return `<path d="${d}"${kept.join('')}></path>`;
}

/** Attributes the conversion itself reads. */
const HANDLED = new Set(['x', 'y', 'transform', 'style', 'xml:space', 'text-anchor', 'dominant-baseline']);

/** The text's font from zrender's inline style, if it is one this module can draw. */
function styleOf(style: string): { size: number; bold: boolean } | undefined {
  let size: number | undefined;
  let bold = false;
  for (const declaration of style.split(';')) {
    if (declaration.trim() === '') continue;
    const [name, value] = declaration.split(':').map((part) => part.trim());
    if (name === 'font-size' && /^\d+(\.\d+)?px$/.test(value ?? '')) size = Number.parseFloat(value!);
    else if (name === 'font-family' && value === FONT_FAMILY) continue;
    else if (
      name === 'font-weight' &&
      value !== undefined &&
      /^(normal|bold|bolder|lighter|\d00)$/.test(value)
    ) {
      bold = value === 'bold' || value === 'bolder' || (/^\d/.test(value) && Number(value) >= 600);
    } else return undefined;
  }
  return size === undefined ? undefined : { size, bold };
}

function outlinePath(font: Font, glyph: number, x: number, y: number, scale: number): string {
  const X = (v: number) => round(x + v * scale);
  const Y = (v: number) => round(y - v * scale);
  let d = '';
  for (const c of font.outline(glyph)) {
    if (c[0] === 'Z') d += 'Z';
    else if (c[0] === 'Q') d += `Q${X(c[1])} ${Y(c[2])} ${X(c[3])} ${Y(c[4])}`;
    else d += `${c[0]}${X(c[1])} ${Y(c[2])}`;
  }
  return d;
}

/** Two decimals (a hundredth of a pixel), and never `-0`. */
const round = (v: number): string => String(Math.round(v * 100) / 100 + 0);

const number = (text: string): number => (text.trim() === '' ? NaN : Number(text));

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text content as zrender escaped it (encodeHTML), back to characters. */
function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (entity, name: string) => {
    if (!name.startsWith('#')) return ENTITIES[name] ?? entity;
    const codePoint = name.startsWith('#x') ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
  });
}
