/** The layer rules of docs/architecture.md, checked on the imports of every source file. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sourcesIn(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourcesIn(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** What a file imports: project files as paths from the root (`src/data/programs.ts`), packages by name. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)].map(([, spec]) =>
    spec!.startsWith('.')
      ? relative(root, resolve(root, dirname(file), spec!)).replace(/\.js$/, '.ts')
      : spec!,
  );
}

const rules: Array<[layer: string, forbidden: RegExp]> = [
  ['src/domain', /^(src\/(data|use-cases|slack|views|parsing|text)\/|handlers\/|jobs\/|mongoose$|@slack\/)/],
  ['src/parsing', /^(src\/(data|use-cases|slack|views)\/|handlers\/|jobs\/|mongoose$|@slack\/)/],
  ['src/views', /^(src\/(data|use-cases|slack|parsing)\/|handlers\/|jobs\/|mongoose$)/],
  ['src/text', /^(src\/|handlers\/|jobs\/|mongoose$|@slack\/)/],
];

describe('layers', () => {
  it.each(rules)('%s imports nothing it must not', (layer, forbidden) => {
    const leaks = sourcesIn(layer).flatMap((file) =>
      importsOf(file)
        .filter((spec) => forbidden.test(spec))
        .map((spec) => `${file} → ${spec}`),
    );
    expect(leaks).toEqual([]);
  });

  it('only the composition root imports handlers/ and jobs/', () => {
    const importers = sourcesIn('src').filter((file) =>
      importsOf(file).some((spec) => /^(handlers|jobs)\//.test(spec)),
    );
    expect(importers).toEqual(['src/app.ts']);
  });

  it('reads the clock in one module only', () => {
    const readers = ['src', 'handlers', 'jobs']
      .flatMap(sourcesIn)
      .filter((file) => /new Date\(\)|Date\.now\(\)/.test(readFileSync(join(root, file), 'utf8')));
    expect(readers).toEqual(['src/clock.ts']);
  });
});
