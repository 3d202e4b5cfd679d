import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCS_IMAGES_DIR, GOLDEN_DIR } from './png.js';

/** docs/images/ shows the charts as the golden images have them (UPDATE_GOLDEN=1 rewrites both). */
describe('the chart images in docs/images/', () => {
  it.each(['health-history.png', 'milestone-timeline.png'])('%s is the golden image', (name) => {
    const docs = join(DOCS_IMAGES_DIR, name);
    expect(existsSync(docs), `${docs} is missing: run UPDATE_GOLDEN=1 npx vitest run test/charts`).toBe(true);
    expect(readFileSync(docs).equals(readFileSync(join(GOLDEN_DIR, name)))).toBe(true);
  });
});
