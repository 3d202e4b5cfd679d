import mongoose, { type Connection } from 'mongoose';
import type { Logger } from '../logger.js';

export interface ConnectOptions {
  log: Logger;
  /** The database to use when the URI names none. */
  dbName?: string;
  /** Attempts before giving up at start-up; the driver reconnects by itself after that. */
  attempts?: number;
  /** Delay before the second attempt; doubles each time, capped at 10 s. */
  firstDelayMs?: number;
  /** How long one operation waits for a reachable server before failing (keeps answers to users prompt). */
  serverSelectionTimeoutMS?: number;
}

export async function connectDatabase(uri: string, options: ConnectOptions): Promise<Connection> {
  const { log, dbName, attempts = 6, firstDelayMs = 500, serverSelectionTimeoutMS = 5_000 } = options;
  const where = redactUri(uri);
  for (let attempt = 1; ; attempt++) {
    const connection = mongoose.createConnection(uri, {
      ...(dbName ? { dbName } : {}),
      serverSelectionTimeoutMS,
      heartbeatFrequencyMS: 2_000,
      // A server that comes back must be seen within seconds. Polled checks, each bounded by the
      // connect timeout, rather than the streaming protocol, whose monitor was seen to miss a
      // restarted embedded server for over a minute (every operation then failing server selection).
      serverMonitoringMode: 'poll',
      connectTimeoutMS: 5_000,
      // Fail fast instead of queueing operations for 10 s while the database is away.
      bufferCommands: false,
      autoIndex: true,
    });
    try {
      await connection.asPromise();
      log.info({ uri: where, attempt }, 'database connected');
      return watchConnection(connection, log);
    } catch (error) {
      await connection.close(true).catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      if (attempt >= attempts) {
        throw new Error(`could not connect to the database at ${where} after ${attempt} attempts: ${reason}`);
      }
      const delay = Math.min(firstDelayMs * 2 ** (attempt - 1), 10_000);
      log.warn({ uri: where, attempt, retryInMs: delay, reason }, 'database connection failed; retrying');
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** Connections being closed on purpose: their "disconnected" is expected, not worth a warning. */
const closing = new WeakSet<Connection>();

/** Closes the connection at shutdown, without the warning a lost connection gets. */
export async function closeDatabase(connection: Connection): Promise<void> {
  closing.add(connection);
  await connection.close();
}

function watchConnection(connection: Connection, log: Logger): Connection {
  connection.on('disconnected', () => {
    if (!closing.has(connection)) log.warn('database disconnected; the driver keeps retrying');
  });
  connection.on('reconnected', () => log.info('database reconnected'));
  connection.on('error', (error: Error) => log.error({ err: error }, 'database error'));
  return connection;
}

export interface DatabaseState {
  state: 'up' | 'down';
  latencyMs?: number;
  error?: string;
}

/** A live round trip, bounded in time so a health check never hangs on a dead server. */
export async function pingDatabase(connection: Connection, timeoutMs = 2_000): Promise<DatabaseState> {
  const started = performance.now();
  const db = connection.db;
  if (!db) return { state: 'down', error: 'not connected' };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([db.command({ ping: 1 }), timeout]);
    return { state: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { state: 'down', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Names the server behind a connection, e.g. "FerretDB v1.24.2 (MongoDB 7.0.77 compatible)". */
export async function describeServer(connection: Connection): Promise<string> {
  const info = (await connection.db?.command({ buildInfo: 1 })) as
    { version?: string; ferretdbVersion?: string; ferretdb?: { version?: string } } | undefined;
  const ferret = info?.ferretdbVersion ?? info?.ferretdb?.version;
  return ferret
    ? `FerretDB ${ferret} (MongoDB ${info?.version ?? '?'} compatible)`
    : `MongoDB ${info?.version ?? 'unknown'}`;
}

export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}
