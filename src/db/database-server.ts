/**
 * The one place that answers "give me a MongoDB-compatible server" when no MONGODB_URI is set:
 * `npm start` uses it for its embedded database and the tests for their ephemeral one.
 *
 * mongod comes through mongodb-memory-server where its binary can be obtained (already on disk, or
 * downloadable); otherwise FerretDB (SQLite backend), built from the version pinned in
 * tools/ferretdb/go.mod by scripts/install-ferretdb.sh. Data lives on disk under `dataDir`, one
 * sub-folder per kind of server, so a restart loses nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopwatch, systemNow } from '../clock.js';
import type { Logger } from '../logger.js';

export type ServerKind = 'mongod' | 'ferretdb';
export type ServerPreference = ServerKind | 'auto';

export interface DatabaseServer {
  readonly uri: string;
  readonly kind: ServerKind;
  readonly port: number;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export interface StartDatabaseServerOptions {
  dataDir: string;
  /** A fixed port, e.g. to restart a server where its clients expect it; a free one when omitted. */
  port?: number;
  prefer?: ServerPreference;
  log: Logger;
}

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..').replace(/\/dist$/, '');
const cacheDir = join(projectRoot, '.cache');
/** Where we remember that mongod could not be obtained, so each start does not wait on a failing download. */
const mongodUnavailableMarker = join(cacheDir, 'mongod-unavailable.txt');
const MONGOD_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

export async function startDatabaseServer(options: StartDatabaseServerOptions): Promise<DatabaseServer> {
  const prefer = options.prefer ?? 'auto';
  if (prefer === 'mongod') return startMongod(options);
  if (prefer === 'ferretdb') return startFerretDB(options);
  if (await mongodWorthTrying()) {
    try {
      return await startMongod(options);
    } catch (error) {
      const reason = mongodFailureReason(error);
      options.log.debug({ err: error }, 'mongod failed to start');
      options.log.warn(
        { reason },
        `mongod unavailable (${reason}); using FerretDB, and not trying mongod again for a day`,
      );
      await mkdir(cacheDir, { recursive: true });
      await writeFile(mongodUnavailableMarker, `${systemNow().toISOString()} ${reason}\n`);
    }
  }
  return startFerretDB(options);
}

async function mongodWorthTrying(): Promise<boolean> {
  try {
    const { mtimeMs } = await stat(mongodUnavailableMarker);
    return systemNow().getTime() - mtimeMs > MONGOD_RETRY_AFTER_MS;
  } catch {
    return true;
  }
}

/**
 * One line saying why mongod could not be had, e.g. "download of https://fastdl.mongodb.org/…tgz
 * failed: getaddrinfo ENOTFOUND fastdl.mongodb.org", for the fallback notice; the stack goes to debug.
 */
export function mongodFailureReason(error: unknown): string {
  const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
  if (error instanceof Error) {
    const { url, msg } = error as Error & { url?: unknown; msg?: unknown };
    // mongodb-memory-server's DownloadError: "Download failed for url "…", Details:\n<cause>".
    if (typeof url === 'string' && typeof msg === 'string')
      return `download of ${url} failed: ${oneLine(msg)}`;
    const first = error.message.split('\n').find((line) => line.trim() !== '');
    return oneLine(first ?? error.name);
  }
  return oneLine(String(error)) || 'unknown error';
}

async function startMongod(options: StartDatabaseServerOptions): Promise<DatabaseServer> {
  const { MongoBinary, MongoMemoryServer } = await import('mongodb-memory-server-core');
  const dbPath = join(options.dataDir, 'mongod');
  await mkdir(dbPath, { recursive: true });
  process.env.MONGOMS_DOWNLOAD_DIR ??= join(cacheDir, 'mongodb-binaries');
  // Obtain the binary first: a failed download then throws here, whereas inside create() the
  // library also prints the whole error with its stack to stderr before throwing.
  await MongoBinary.getPath();
  const server = await MongoMemoryServer.create({
    instance: {
      dbPath,
      storageEngine: 'wiredTiger',
      ip: '127.0.0.1',
      ...(options.port ? { port: options.port } : {}),
    },
  });
  const uri = server.getUri();
  const port = Number(new URL(uri).port);
  options.log.info({ kind: 'mongod', uri, dataDir: dbPath }, 'embedded database started');
  return {
    uri,
    kind: 'mongod',
    port,
    dataDir: dbPath,
    stop: async () => {
      await server.stop({ doCleanup: false, force: false });
    },
  };
}

/**
 * Finds the pinned FerretDB binary, building it first when it is not there yet (and Go is at hand).
 * The build notice is logged only when scripts/install-ferretdb.sh announces that it builds.
 */
export async function ferretdbBinary(log?: Logger): Promise<string> {
  if (process.env.FERRETDB_BIN) return process.env.FERRETDB_BIN;
  const child = spawn('bash', [join(projectRoot, 'scripts/install-ferretdb.sh')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let pending = '';
  /** The script's own messages ("install-ferretdb: …"); Go's output goes to debug. */
  const messages: string[] = [];
  const readLine = (line: string) => {
    const message = /^install-ferretdb: (.*)$/.exec(line)?.[1];
    if (message === undefined) {
      if (line.trim()) log?.debug({ output: line }, 'FerretDB build output');
    } else if (message.startsWith('building ')) log?.info(message);
    else messages.push(message);
  };
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    lines.forEach(readLine);
  });
  const [code] = (await once(child, 'close')) as [number | null];
  readLine(pending);
  if (code !== 0) {
    const why = messages.at(-1) ?? `scripts/install-ferretdb.sh exited with ${code}`;
    throw new Error(`FerretDB is not available: ${why}`);
  }
  return stdout.trim().split('\n').at(-1) ?? '';
}

/**
 * FerretDB's own defaults (a 10 s busy wait, WAL), in its order, plus `synchronous(normal)`: in WAL
 * mode SQLite then syncs at checkpoints rather than at every commit. Every write waits for the one
 * writer, and a sync per commit held it for tens of milliseconds here (bench:fanout: about 14 writes a
 * second in all, each waiting 2–3 s). The database stays consistent; a power cut may lose the last
 * commits, which Cairn's run-id lookup before a repeated post covers for digests.
 */
const SQLITE_PRAGMAS = ['busy_timeout(10000)', 'journal_mode(wal)', 'synchronous(normal)']
  .map((pragma) => `_pragma=${encodeURIComponent(pragma)}`)
  .join('&');

async function startFerretDB(options: StartDatabaseServerOptions): Promise<DatabaseServer> {
  const binary = await ferretdbBinary(options.log);
  const dataDir = join(options.dataDir, 'ferretdb');
  await mkdir(dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const child = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/?${SQLITE_PRAGMAS}`,
      `--state-dir=${dataDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  await waitForPort(port, child, () => stderr);
  const uri = `mongodb://127.0.0.1:${port}/`;
  options.log.info({ kind: 'ferretdb', uri, dataDir }, 'embedded database started');
  return { uri, kind: 'ferretdb', port, dataDir, stop: () => stopChild(child) };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

/**
 * Waits until the port takes connections and FerretDB is still running a moment later: on a port
 * reused after a restart, another process may have taken it meanwhile, and FerretDB then exits on
 * "address already in use" while the port answers for that other process.
 */
async function waitForPort(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const elapsed = stopwatch();
  const exited = () =>
    new Error(`FerretDB exited with code ${child.exitCode} before listening: ${stderr().trim()}`);
  while (elapsed() < 30_000) {
    if (child.exitCode !== null) throw exited();
    if (await canConnect(port)) {
      await new Promise((r) => setTimeout(r, 300));
      if (child.exitCode !== null) throw exited();
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`FerretDB did not listen on 127.0.0.1:${port} within 30 s: ${stderr().trim()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
