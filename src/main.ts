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
import { systemNow } from './clock.js';
import { startPlayground, type Playground } from './slack-peer/playground.js';
import { FakeSlack as SlackPeer } from './slack-peer/slack-peer.js';
import { createSamplePortfolio, SAMPLE_PEOPLE } from './use-cases/sample-portfolio.js';
import { postDigestNow } from './use-cases/scheduler.js';

/** The playground's workspace and the sample programs' home channels (ids and names). */
const PLAYGROUND_TEAM = 'T0PLAYGROUND';
const SAMPLE_CHANNELS = {
  'sample-checkout': { id: 'C0SAMPLECHK', name: 'checkout' },
  'sample-payments': { id: 'C0SAMPLEPAY', name: 'payments' },
  'sample-mobile': { id: 'C0SAMPLEMOB', name: 'mobile' },
} as const;

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
  let peer: SlackPeer | undefined;
  let playground: Playground | undefined;
  const stopPlayground = async () => {
    await playground?.stop();
    await peer?.stop();
  };
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing work in flight');
    await stopAll(log, cairn, connection, embedded);
    await stopPlayground();
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
    const pageAt = config.playground &&
      config.slack.kind === 'http' && {
        ...config.playground,
        port: config.port,
        signingSecret: config.slack.signingSecret,
      };
    if (pageAt && config.slack.kind === 'http') {
      // Cairn talks to a local Slack peer, on a free port of its own; the page takes PORT.
      peer = await SlackPeer.start({ botToken: config.slack.botToken, teamId: PLAYGROUND_TEAM });
      for (const person of Object.values(SAMPLE_PEOPLE)) peer.setUser({ id: person.id, name: person.name });
      config = { ...config, port: 0, slack: { ...config.slack, apiUrl: peer.apiUrl } };
    }
    cairn = createCairn({ config, connection, log });
    const { port } = await cairn.start();
    if (pageAt && peer) {
      const sample = await createSamplePortfolio(cairn.services.stores, {
        teamId: PLAYGROUND_TEAM,
        channelIds: {
          'sample-checkout': SAMPLE_CHANNELS['sample-checkout'].id,
          'sample-payments': SAMPLE_CHANNELS['sample-payments'].id,
          'sample-mobile': SAMPLE_CHANNELS['sample-mobile'].id,
        },
        now: systemNow(),
      });
      if (sample.created) {
        // The first thing a newcomer sees: each sample program's digest in its channel.
        const { services } = cairn;
        for (const key of Object.keys(SAMPLE_CHANNELS)) {
          const program = await services.stores.programs.findByKey(PLAYGROUND_TEAM, key);
          if (program)
            await postDigestNow(services, program, { replicaId: 'playground', now: services.now() });
        }
      }
      playground = await startPlayground({
        peer,
        cairnUrl: `http://127.0.0.1:${port}`,
        signingSecret: pageAt.signingSecret,
        users: Object.values(SAMPLE_PEOPLE),
        channelNames: Object.fromEntries(Object.values(SAMPLE_CHANNELS).map((c) => [c.id, c.name])),
        port: pageAt.port,
        host: pageAt.host,
      });
      log.info(
        { url: playground.url, sample: sample.created ? 'created' : 'already there' },
        `Cairn playground: open ${playground.url}`,
      );
    }
  } catch (error) {
    log.fatal(
      { err: error },
      `Cairn could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
    await stopAll(log, cairn, connection, embedded);
    await stopPlayground();
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
