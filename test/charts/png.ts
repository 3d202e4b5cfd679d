/**
 * What the chart tests check in a PNG: its size, that it is not blank (many distinct colours, the
 * series' colours present), and how far it is from a golden image.
 *
 * Golden images live in test/fixtures/charts/. After an intended change to a chart, look at the new
 * images, then rewrite them (and the copies in docs/images/) with
 *
 *   UPDATE_GOLDEN=1 npx vitest run test/charts
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const GOLDEN_DIR = join(root, 'test/fixtures/charts');
export const DOCS_IMAGES_DIR = join(root, 'docs/images');
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

export interface Decoded {
  width: number;
  height: number;
  /** RGBA, row by row. */
  data: Buffer;
}

export function decode(png: Buffer): Decoded {
  const image = PNG.sync.read(png);
  return { width: image.width, height: image.height, data: image.data };
}

/** How many pixels have each opaque colour, keyed `#rrggbb`. */
export function colourCounts(image: Decoded): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < image.data.length; i += 4) {
    const key = `#${image.data.subarray(i, i + 3).toString('hex')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Pixels whose colour is exactly `hex` (`#rrggbb`). */
export const pixelsOf = (image: Decoded, hex: string): number =>
  colourCounts(image).get(hex.toLowerCase()) ?? 0;

export interface Difference {
  /** Pixels where some channel differs by more than the threshold. */
  differing: number;
  /** Their share of all pixels. */
  share: number;
  /** The largest difference of any channel. */
  largest: number;
}

/** How two images of the same size differ, ignoring channel differences up to `threshold`. */
export function difference(a: Decoded, b: Decoded, threshold = 24): Difference {
  if (a.width !== b.width || a.height !== b.height) {
    return { differing: a.width * a.height, share: 1, largest: 255 };
  }
  let differing = 0;
  let largest = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    let worst = 0;
    for (let c = 0; c < 4; c++) worst = Math.max(worst, Math.abs(a.data[i + c]! - b.data[i + c]!));
    largest = Math.max(largest, worst);
    if (worst > threshold) differing++;
  }
  return { differing, share: differing / (a.width * a.height), largest };
}

/**
 * The golden image `name` (e.g. `health-history.png`); with UPDATE_GOLDEN=1, first rewritten from
 * `png`, together with its copy in docs/images/. Undefined when there is none yet.
 */
export function golden(name: string, png: Buffer): Buffer | undefined {
  const file = join(GOLDEN_DIR, name);
  if (UPDATE_GOLDEN) {
    for (const dir of [GOLDEN_DIR, DOCS_IMAGES_DIR]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, name), png);
    }
  }
  return existsSync(file) ? readFileSync(file) : undefined;
}
