/**
 * `npm start`: reads the configuration, starts the embedded database when no MONGODB_URI is set,
 * connects, serves Slack, and shuts down gracefully on SIGTERM/SIGINT.
 */
import type { Connection } from 'mongoose';
import { createCairn, type Cairn } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { closeDatabase, connectDatabase, describeServer } from './db/connection.js';
import { moveToPartitions } from './data/move-to-partitions.js';
import { partitions } from './data/partitions.js';
import { startDatabaseServer, type DatabaseServer } from './db/database-server.js';
import { createLogger, type Logger } from './logger.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`cairn: configuration error: ${error.message}\n`);
    process.exit(1);
  }
  const log = createLogger(config.logLevel);
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));

  let embedded: DatabaseServer | undefined;
  let connection: Connection | undefined;
  let cairn: Cairn | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing work in flight');
    await stopAll(log, cairn, connection, embedded);
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  try {
    let uri = config.database.uri;
    if (!uri) {
      embedded = await startDatabaseServer({
        dataDir: config.database.dataDir,
        prefer: config.database.embedded,
        log,
      });
      uri = embedded.uri;
    }
    connection = await connectDatabase(uri, { log, dbName: config.database.name });
    log.info(
      { server: await describeServer(connection), embedded: embedded?.kind ?? false },
      'database ready',
    );
    const db = partitions(connection, config.database.layout);
    log.info({ layout: await db.layout() }, 'database layout');
    const moved = await moveToPartitions(connection, db);
    if (Object.keys(moved).length > 0) log.info({ moved }, 'moved documents into per-workspace collections');
    cairn = createCairn({ config, connection, log });
    await cairn.start();
  } catch (error) {
    log.fatal(
      { err: error },
      `Cairn could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
    await stopAll(log, cairn, connection, embedded);
    process.exit(1);
  }
}

async function stopAll(log: Logger, cairn?: Cairn, connection?: Connection, embedded?: DatabaseServer) {
  const step = async (what: string, action: (() => Promise<unknown>) | undefined) => {
    if (action)
      await action().catch((error: unknown) => log.warn({ err: error }, `${what} did not stop cleanly`));
  };
  await step('Cairn', cairn && (() => cairn.stop()));
  await step('database connection', connection && (() => closeDatabase(connection)));
  await step('embedded database', embedded && (() => embedded.stop()));
}

await main();
