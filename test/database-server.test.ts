/**
 * What the embedded database server tells the person starting Cairn: one line when mongod cannot be
 * had, and the FerretDB build notice only when it builds. The build runs against a fake `go` on a
 * PATH of our own, so this needs neither Go nor the network and never touches .cache/.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errors } from 'mongodb-memory-server-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ferretdbBinary, mongodFailureReason } from '../src/db/database-server.js';
import { createLogger } from '../src/logger.js';

const root = new URL('..', import.meta.url).pathname;

describe('when mongod cannot be had', () => {
  it('says why in one line: the URL and the cause of a failed download', () => {
    const url = 'https://fastdl.mongodb.org/linux/mongodb-linux-x86_64-debian12-8.2.6.tgz';
    const error = new errors.DownloadError(url, 'getaddrinfo ENOTFOUND fastdl.mongodb.org', 'ENOTFOUND');
    expect(mongodFailureReason(error)).toBe(
      `download of ${url} failed: getaddrinfo ENOTFOUND fastdl.mongodb.org`,
    );
  });

  it('keeps the first line of any other error, and never a stack', () => {
    const error = new Error(
      'Instance failed to start because a library is missing\n  at somewhere (x.js:1:1)',
    );
    expect(mongodFailureReason(error)).toBe('Instance failed to start because a library is missing');
    expect(mongodFailureReason('spawn   ENOENT\n')).toBe('spawn ENOENT');
  });
});

describe('finding FerretDB', () => {
  const saved = {
    PATH: process.env.PATH,
    FERRETDB_BIN: process.env.FERRETDB_BIN,
    FERRETDB_HOME: process.env.FERRETDB_HOME,
  };
  let dir: string;
  let lines: Array<Record<string, unknown>>;
  const log = () =>
    createLogger('debug', 'test', {
      write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
    });
  const infoMessages = () => lines.filter((l) => l.level === 30).map((l) => l.msg);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cairn-ferretdb-'));
    lines = [];
    // A PATH with only what scripts/install-ferretdb.sh uses, so the machine's own Go is out of reach.
    await mkdir(join(dir, 'bin'));
    for (const tool of ['bash', 'dirname', 'awk', 'head', 'mktemp', 'cp', 'mkdir', 'mv', 'rm', 'chmod']) {
      const found = (saved.PATH ?? '')
        .split(':')
        .map((d) => join(d, tool))
        .find((p) => existsSync(p));
      if (found) await symlink(found, join(dir, 'bin', tool));
    }
    process.env.PATH = join(dir, 'bin');
    process.env.FERRETDB_HOME = join(dir, 'home');
    delete process.env.FERRETDB_BIN;
  });
  afterEach(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('without Go, fails with the one line that says which Go it needs', async () => {
    await expect(ferretdbBinary(log())).rejects.toThrow(
      /^FerretDB is not available: Go 1\.\d+ or later is needed to build FerretDB v[\d.]+ \(https:\/\/go\.dev\/dl\/\)$/,
    );
    expect(infoMessages()).toEqual([]);
  });

  it('announces the build when it builds, and says nothing once the binary is there', async () => {
    const goMod = await readFile(join(root, 'tools/ferretdb/go.mod'), 'utf8');
    const version = /github\.com\/FerretDB\/FerretDB (v\S+)/.exec(goMod)?.[1];
    // A stand-in for `go`: "mod vendor" makes the folder the script writes into, "build -o X" writes
    // a binary that reports the pinned version.
    await writeFile(
      join(dir, 'bin', 'go'),
      [
        '#!/bin/bash',
        'case "$1" in',
        '  mod) mkdir -p vendor/github.com/FerretDB/FerretDB/build/version; echo "go: downloading modules" >&2 ;;',
        `  build) while [ "$1" != -o ]; do shift; done; printf '#!/bin/bash\\necho "version: ${version}"\\n' > "$2"; chmod +x "$2" ;;`,
        'esac',
      ].join('\n'),
    );
    await chmod(join(dir, 'bin', 'go'), 0o755);

    const built = await ferretdbBinary(log());
    expect(built).toBe(join(dir, 'home', version!, 'ferretdb'));
    expect(infoMessages()).toEqual([`building FerretDB ${version} (first time only; takes a minute or two)`]);
    expect(lines.some((l) => l.level === 20 && l.output === 'go: downloading modules')).toBe(true);
    expect(lines[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    lines = [];
    expect(await ferretdbBinary(log())).toBe(built);
    expect(infoMessages()).toEqual([]);
  });
});
