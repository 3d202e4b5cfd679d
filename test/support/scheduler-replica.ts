/**
 * A scheduler replica as its own process, for fault tests that kill one with SIGKILL: it runs the
 * production scheduler tick against MONGODB_URI and SLACK_API_URL, with the real clock.
 *   MONGODB_URI, MONGODB_DATABASE, SLACK_API_URL, REPLICA_ID, STALE_CLAIM_MS, TICK_MS
 */
import { connectDatabase } from '../../src/db/connection.js';
import { layoutSetting } from '../../src/data/partitions.js';
import { createLogger } from '../../src/logger.js';
import { createStores } from '../../src/services.js';
import { singleWorkspaceClients } from '../../src/slack/workspace-client.js';
import { runSchedulerTick } from '../../src/use-cases/scheduler.js';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const log = createLogger(process.env.LOG_LEVEL ?? 'warn', `replica-${env('REPLICA_ID')}`);
const connection = await connectDatabase(env('MONGODB_URI'), { log, dbName: env('MONGODB_DATABASE') });
const deps = {
  // The layout the test run asks for, as Cairn's configuration reads it.
  stores: createStores(connection, layoutSetting(process.env.DATABASE_LAYOUT)),
  slackFor: singleWorkspaceClients('xoxb-test-token', {
    slackApiUrl: env('SLACK_API_URL'),
    retryConfig: { retries: 4, factor: 1.5, minTimeout: 100, maxTimeout: 2_000 },
  }),
  log,
};
const options = {
  replicaId: env('REPLICA_ID'),
  graceMs: 6 * 3_600_000,
  staleClaimMs: Number(env('STALE_CLAIM_MS')),
  retryDelayMs: 500,
};
process.stdout.write(`ready ${options.replicaId}\n`);
for (;;) {
  const report = await runSchedulerTick(deps, options, new Date());
  if (report.posted + report.recovered + report.failed > 0)
    process.stdout.write(`${JSON.stringify(report)}\n`);
  await new Promise((r) => setTimeout(r, Number(process.env.TICK_MS ?? 200)));
}
