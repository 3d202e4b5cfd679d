/**
 * What the charts read from a TrueType font: glyph ids (`cmap`), advances (`hmtx`), kerning pairs
 * (the `kern` table), vertical metrics (`hhea`) and glyph outlines (`glyf`, simple and composite).
 * Enough to measure a text as resvg draws it (so names are cut to fit and the chart library lays out
 * labels with the right widths) and to draw simple texts as paths (text-paths.ts). Pure: takes the
 * bytes; each glyph is decoded once, on first use.
 */

/** A glyph's outline in font units (y up): `M x y`, `L x y`, `Q cx cy x y`, `Z`. */
export type Outline = ReadonlyArray<
  | readonly ['M', number, number]
  | readonly ['L', number, number]
  | readonly ['Q', number, number, number, number]
  | readonly ['Z']
>;

export interface Font {
  unitsPerEm: number;
  /** hhea ascender and descender (negative), in font units. */
  ascender: number;
  descender: number;
  /** The glyph for a code point; 0 (the missing glyph) when the font has none. */
  glyphOf(codePoint: number): number;
  /** A glyph's advance, in font units. */
  advance(glyph: number): number;
  /** The kerning between two glyphs, in font units (0 when the pair has none). */
  kerning(left: number, right: number): number;
  outline(glyph: number): Outline;
}

interface Table {
  offset: number;
  length: number;
}

export function parseFont(font: Uint8Array): Font {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const tables = new Map<string, Table>();
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const at = 12 + i * 16;
    const tag = String.fromCharCode(font[at]!, font[at + 1]!, font[at + 2]!, font[at + 3]!);
    tables.set(tag, { offset: view.getUint32(at + 8), length: view.getUint32(at + 12) });
  }
  const table = (tag: string): Table => {
    const t = tables.get(tag);
    if (!t) throw new Error(`font has no ${tag} table`);
    return t;
  };
  const head = table('head').offset;
  const hhea = table('hhea').offset;
  const numberOfHMetrics = view.getUint16(hhea + 34);
  const hmtx = table('hmtx').offset;
  const numGlyphs = view.getUint16(table('maxp').offset + 4);
  const glyphOf = cmapLookup(view, table('cmap').offset);
  const kerning = kernLookup(view, tables.get('kern'));
  const outlines = glyphOutlines(
    view,
    table('glyf').offset,
    table('loca').offset,
    numGlyphs,
    view.getInt16(head + 50),
  );

  const glyphs = new Map<number, number>();
  return {
    unitsPerEm: view.getUint16(head + 18),
    ascender: view.getInt16(hhea + 4),
    descender: view.getInt16(hhea + 6),
    glyphOf(codePoint) {
      let glyph = glyphs.get(codePoint);
      if (glyph === undefined) {
        glyph = glyphOf(codePoint);
        if (glyph >= numGlyphs) glyph = 0;
        glyphs.set(codePoint, glyph);
      }
      return glyph;
    },
    advance: (glyph) => view.getUint16(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1)),
    kerning,
    outline: outlines,
  };
}

/** A code point → glyph id function from the best Unicode subtable (format 12, else format 4). */
function cmapLookup(view: DataView, cmap: number): (codePoint: number) => number {
  const count = view.getUint16(cmap + 2);
  let format4: number | undefined;
  let format12: number | undefined;
  for (let i = 0; i < count; i++) {
    const at = cmap + 4 + i * 8;
    const platform = view.getUint16(at);
    const encoding = view.getUint16(at + 2);
    const subtable = cmap + view.getUint32(at + 4);
    const format = view.getUint16(subtable);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12) format12 ??= subtable;
    if (format === 4) format4 ??= subtable;
  }
  if (format12 !== undefined) {
    const table = format12;
    const groups = view.getUint32(table + 12);
    return (codePoint) => {
      let lo = 0;
      let hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const at = table + 16 + mid * 12;
        const start = view.getUint32(at);
        const end = view.getUint32(at + 4);
        if (codePoint < start) hi = mid - 1;
        else if (codePoint > end) lo = mid + 1;
        else return view.getUint32(at + 8) + (codePoint - start);
      }
      return 0;
    };
  }
  if (format4 !== undefined) {
    const table = format4;
    const segments = view.getUint16(table + 6) / 2;
    const ends = table + 14;
    const starts = ends + segments * 2 + 2;
    const deltas = starts + segments * 2;
    const rangeOffsets = deltas + segments * 2;
    return (codePoint) => {
      if (codePoint > 0xffff) return 0;
      let lo = 0;
      let hi = segments - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (view.getUint16(ends + mid * 2) < codePoint) lo = mid + 1;
        else hi = mid;
      }
      const s = lo;
      const start = view.getUint16(starts + s * 2);
      if (codePoint < start || codePoint > view.getUint16(ends + s * 2)) return 0;
      const delta = view.getUint16(deltas + s * 2);
      const rangeOffset = view.getUint16(rangeOffsets + s * 2);
      if (rangeOffset === 0) return (codePoint + delta) & 0xffff;
      const glyph = view.getUint16(rangeOffsets + s * 2 + rangeOffset + (codePoint - start) * 2);
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    };
  }
  throw new Error('font has no Unicode cmap subtable');
}

/** Horizontal kerning pairs of the `kern` table's format 0 subtables (none without the table). */
function kernLookup(view: DataView, kern: Table | undefined): (left: number, right: number) => number {
  if (!kern || view.getUint16(kern.offset) !== 0) return () => 0;
  const pairs: Array<{ at: number; count: number }> = [];
  let at = kern.offset + 4;
  for (let i = 0, n = view.getUint16(kern.offset + 2); i < n; i++) {
    const length = view.getUint16(at + 2);
    const coverage = view.getUint16(at + 4);
    // Format 0, horizontal, not minimum values, not cross-stream.
    if (coverage >> 8 === 0 && (coverage & 0x7) === 0x1)
      pairs.push({ at: at + 14, count: view.getUint16(at + 6) });
    at += length;
  }
  return (left, right) => {
    const key = left * 0x10000 + right;
    let total = 0;
    for (const { at: first, count } of pairs) {
      let lo = 0;
      let hi = count - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const pair = first + mid * 6;
        const k = view.getUint16(pair) * 0x10000 + view.getUint16(pair + 2);
        if (k < key) lo = mid + 1;
        else if (k > key) hi = mid - 1;
        else {
          total += view.getInt16(pair + 4);
          break;
        }
      }
    }
    return total;
  };
}

type Point = { x: number; y: number; on: boolean };

function glyphOutlines(
  view: DataView,
  glyf: number,
  loca: number,
  numGlyphs: number,
  indexToLocFormat: number,
): (glyph: number) => Outline {
  const offsetOf = (glyph: number) =>
    indexToLocFormat === 0 ? view.getUint16(loca + glyph * 2) * 2 : view.getUint32(loca + glyph * 4);
  const cache = new Map<number, Point[][]>();

  /** A glyph's contours, composite glyphs resolved (to a depth of 8). */
  function contours(glyph: number, depth = 0): Point[][] {
    const cached = cache.get(glyph);
    if (cached) return cached;
    let result: Point[][] = [];
    if (glyph < numGlyphs && depth <= 8) {
      const start = offsetOf(glyph);
      if (offsetOf(glyph + 1) > start) {
        const at = glyf + start;
        const count = view.getInt16(at);
        result = count >= 0 ? simple(at, count) : composite(at, depth);
      }
    }
    cache.set(glyph, result);
    return result;
  }

  function simple(at: number, count: number): Point[][] {
    const ends: number[] = [];
    for (let i = 0; i < count; i++) ends.push(view.getUint16(at + 10 + i * 2));
    const points = count === 0 ? 0 : ends[count - 1]! + 1;
    let p = at + 10 + count * 2;
    p += 2 + view.getUint16(p); // instructions
    const flags: number[] = [];
    while (flags.length < points) {
      const flag = view.getUint8(p++);
      flags.push(flag);
      if (flag & 0x08) {
        for (let r = view.getUint8(p++); r > 0; r--) flags.push(flag);
      }
    }
    const coordinates = (short: number, same: number): number[] => {
      const values: number[] = [];
      let value = 0;
      for (const flag of flags) {
        if (flag & short) value += view.getUint8(p++) * (flag & same ? 1 : -1);
        else if (!(flag & same)) {
          value += view.getInt16(p);
          p += 2;
        }
        values.push(value);
      }
      return values;
    };
    const xs = coordinates(0x02, 0x10);
    const ys = coordinates(0x04, 0x20);
    const result: Point[][] = [];
    let first = 0;
    for (const end of ends) {
      const contour: Point[] = [];
      for (let i = first; i <= end && i < points; i++)
        contour.push({ x: xs[i]!, y: ys[i]!, on: (flags[i]! & 1) === 1 });
      if (contour.length > 0) result.push(contour);
      first = end + 1;
    }
    return result;
  }

  function composite(at: number, depth: number): Point[][] {
    const result: Point[][] = [];
    let p = at + 10;
    for (;;) {
      const flags = view.getUint16(p);
      const component = view.getUint16(p + 2);
      p += 4;
      let dx = 0;
      let dy = 0;
      if (flags & 0x0001) {
        dx = view.getInt16(p);
        dy = view.getInt16(p + 2);
        p += 4;
      } else {
        dx = view.getInt8(p);
        dy = view.getInt8(p + 1);
        p += 2;
      }
      if (!(flags & 0x0002)) dx = dy = 0; // point matching: not used by DejaVu
      let [a, b, c, d] = [1, 0, 0, 1];
      const f2dot14 = (o: number) => view.getInt16(o) / 16384;
      if (flags & 0x0008) {
        a = d = f2dot14(p);
        p += 2;
      } else if (flags & 0x0040) {
        a = f2dot14(p);
        d = f2dot14(p + 2);
        p += 4;
      } else if (flags & 0x0080) {
        [a, b, c, d] = [f2dot14(p), f2dot14(p + 2), f2dot14(p + 4), f2dot14(p + 6)];
        p += 8;
      }
      for (const contour of contours(component, depth + 1)) {
        result.push(contour.map((q) => ({ x: a * q.x + c * q.y + dx, y: b * q.x + d * q.y + dy, on: q.on })));
      }
      if (!(flags & 0x0020)) return result;
    }
  }

  const outlines = new Map<number, Outline>();
  return (glyph) => {
    let outline = outlines.get(glyph);
    if (!outline) {
      outline = contours(glyph).flatMap(toPath);
      outlines.set(glyph, outline);
    }
    return outline;
  };
}

/** One contour of on- and off-curve points as quadratic path commands. */
function toPath(contour: Point[]): Outline {
  const n = contour.length;
  const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, on: true });
  // Start on an on-curve point (or between two off-curve ones).
  const startIndex = contour.findIndex((q) => q.on);
  const start = startIndex >= 0 ? contour[startIndex]! : mid(contour[0]!, contour[n - 1]!);
  const from = startIndex >= 0 ? startIndex : n - 1;
  const path: Array<Outline[number]> = [['M', start.x, start.y]];
  let control: Point | undefined;
  for (let k = 1; k <= n; k++) {
    const q = k === n && startIndex >= 0 ? start : contour[(from + k) % n]!;
    if (q.on) {
      path.push(control ? ['Q', control.x, control.y, q.x, q.y] : ['L', q.x, q.y]);
      control = undefined;
    } else if (control) {
      const m = mid(control, q);
      path.push(['Q', control.x, control.y, m.x, m.y]);
      control = q;
    } else {
      control = q;
    }
  }
  if (control) path.push(['Q', control.x, control.y, start.x, start.y]);
  path.push(['Z']);
  return path;
}
