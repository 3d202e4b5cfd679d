/**
 * What the benches share: a database server (MONGODB_URI, else one started in a temp folder by the
 * module `npm start` uses), percentiles and medians, and markdown tables. Timings are printed,
 * never asserted: they depend on the machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import mongoose, { type Connection, type ConnectOptions } from 'mongoose';
import { declaredFamilies, layoutSetting, partitions, type LayoutSetting } from '../src/data/partitions.js';
import { describeServer } from '../src/db/connection.js';
import { startDatabaseServer, type ServerPreference } from '../src/db/database-server.js';
import { createLogger } from '../src/logger.js';

/** Cairn's own logs stay quiet during a bench unless LOG_LEVEL says otherwise. */
export const benchLog = createLogger(process.env.LOG_LEVEL ?? 'silent', 'bench');

export interface BenchDatabase {
  uri: string;
  /** e.g. "FerretDB v1.24.2 (MongoDB 7.0.77 compatible)". */
  server: string;
  /** A connection to database `name` on the server (mongoose, commands not buffered). */
  connect(name: string, options?: ConnectOptions): Promise<Connection>;
  stop(): Promise<void>;
}

/** MONGODB_URI when set, else an embedded server (CAIRN_EMBEDDED_DB: auto, mongod or ferretdb). */
export async function startDatabase(): Promise<BenchDatabase> {
  let uri = process.env.MONGODB_URI;
  let stopServer = async () => {};
  if (!uri) {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-bench-db-'));
    const prefer = (process.env.CAIRN_EMBEDDED_DB ?? 'auto') as ServerPreference;
    const server = await startDatabaseServer({ dataDir, prefer, log: benchLog });
    uri = server.uri;
    stopServer = async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const connect = (name: string, options: ConnectOptions = {}) =>
    mongoose
      .createConnection(uri, {
        dbName: name,
        serverSelectionTimeoutMS: 10_000,
        bufferCommands: false,
        ...options,
      })
      .asPromise();
  const probe = await connect('admin');
  const server = await describeServer(probe);
  await probe.close();
  return {
    uri,
    server: `${server}${process.env.MONGODB_URI ? ' (MONGODB_URI)' : ''}`,
    connect,
    stop: stopServer,
  };
}

/** A database name of its own for one bench run. */
export function benchDatabaseName(label: string): string {
  return `bench_${label}_${Date.now().toString(36)}`;
}

/** Waits until every model of the connection has built its indexes (unique claims depend on them). */
export async function indexesReady(connection: Connection): Promise<void> {
  await Promise.all(Object.values(connection.models).map((model) => model.init()));
}

/**
 * Inserts documents through Cairn's own mongoose models (validated and cast by their schemas), in
 * chunks, each into the collection the stores read it from: its workspace's (and program's) own in
 * the partitioned layout (src/data/partitions.ts). `DATABASE_LAYOUT` as for Cairn; `auto` by default.
 */
export async function insertInChunks(
  connection: Connection,
  modelName: string,
  docs: readonly object[],
  chunk = 5_000,
): Promise<void> {
  const fam = declaredFamilies().find((f) => f.model === modelName);
  const groups = new Map<string, { model: Promise<Inserter>; docs: object[] }>();
  if (!fam)
    groups.set('', { model: Promise.resolve(connection.model(modelName) as Inserter), docs: [...docs] });
  else {
    const db = partitions(connection, benchLayout());
    for (const doc of docs) {
      const key = fam.keyOf(doc as Record<string, unknown>);
      const group = groups.get(key.join('\0')) ?? {
        model: db.writable(fam, ...key) as Promise<Inserter>,
        docs: [],
      };
      group.docs.push(doc);
      groups.set(key.join('\0'), group);
    }
  }
  for (const group of groups.values()) {
    const model = await group.model;
    for (let i = 0; i < group.docs.length; i += chunk)
      await model.insertMany(group.docs.slice(i, i + chunk), { ordered: false });
  }
}

/** What inserting needs of a mongoose model. */
interface Inserter {
  insertMany(docs: object[], options: { ordered: boolean }): Promise<unknown>;
}

/** The layout a bench's stores use: DATABASE_LAYOUT when set, else what the server suits. */
export const benchLayout = (): LayoutSetting => layoutSetting(process.env.DATABASE_LAYOUT);

/** The value at percentile `p` (0–100) of a list of numbers, by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** Runs `task(i)` for i in [0, count) with at most `concurrency` running at once. */
export async function runPool(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Formats a number with a fixed number of decimals (an em dash when not a number). */
export function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

export const mb = (bytes: number): string => fixed(bytes / 1024 / 1024, 1);

/** A markdown table, columns padded so that it also reads well in a terminal. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, i) => Math.max(h.length, 3, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** One line naming where a bench ran, printed above its table. */
export function machineLine(server: string): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `${cpus().length} × ${cpu}, ${mb(totalmem())} MB RAM, Node ${process.version}, ${server}; load average ${load}`;
}

/**
 * CPU seconds used so far by the local database server listening on the URI's port (FerretDB or
 * mongod), read from /proc; undefined elsewhere (another OS, a remote MONGODB_URI).
 */
export function serverCpuSeconds(uri: string): number | undefined {
  const port = new URL(uri.replace(/^mongodb(\+srv)?:/, 'http:')).port;
  if (process.platform !== 'linux' || !port) return undefined;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!/(ferretdb|mongod)$/.test(args[0] ?? '')) continue;
      if (!args.some((a) => a === port || a.endsWith(`:${port}`))) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime, in clock ticks (100 a second on Linux).
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // the process ended meanwhile
    }
  }
  return undefined;
}
