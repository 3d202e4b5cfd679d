/**
 * The composition root: builds the Bolt app for the configured Slack mode, wires the core's services
 * into handlers/ and jobs/, and owns their life cycle. The only module of the core that imports them.
 */
import { MethodBudget } from './slack/method-budget.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, type AppOptions, type InstallationStore } from '@slack/bolt';
import type { Connection } from 'mongoose';
import { registerHandlers } from '../handlers/index.js';
import { cairnJobs, startJobs, type RunningJobs } from '../jobs/index.js';
import { systemNow } from './clock.js';
import { describeSlack, type Config } from './config.js';
import { healthRoute } from './health.js';
import { mongoInstallationStore } from './data/installations.js';
import { InFlight } from './in-flight.js';
import type { Logger } from './logger.js';
import { createServices, type Services } from './services.js';
import { busyAnswer } from './views/answer.js';
import { boltLogger } from './slack/bolt-logger.js';
import { BOT_SCOPES } from './slack/scopes.js';
import { singleWorkspaceAuthorize } from './slack/single-workspace-authorize.js';
import { tokenCipher } from './slack/token-cipher.js';
import {
  installedWorkspaceClients,
  singleWorkspaceClients,
  slackClientOptions,
} from './slack/workspace-client.js';

export interface CairnOptions {
  config: Config;
  connection: Connection;
  log: Logger;
  now?: () => Date;
  /** Replaces the production job list (tests inject their own clock-driven jobs). */
  jobs?: (services: Services) => ReturnType<typeof cairnJobs>;
}

export interface Cairn {
  app: App;
  services: Services;
  /** Starts serving; resolves with the HTTP port (Slack events and /healthz, or /healthz alone in Socket Mode). */
  start(): Promise<{ port: number }>;
  /** Stops taking work, lets work in flight finish (up to `timeoutMs`), then stops the jobs. */
  stop(timeoutMs?: number): Promise<void>;
}

export function createCairn(options: CairnOptions): Cairn {
  const { config, connection, log } = options;
  const now = options.now ?? systemNow;
  const installations =
    config.slack.kind === 'oauth'
      ? mongoInstallationStore(connection, tokenCipher(config.slack.encryptionKey), now)
      : undefined;
  const clientOptions = slackClientOptions(config.slack.apiUrl, boltLogger(log));
  const budget = config.slackMethodBudgets ? new MethodBudget() : undefined;
  const slackFor =
    config.slack.kind === 'oauth'
      ? installedWorkspaceClients(installations!, clientOptions, budget)
      : singleWorkspaceClients(config.slack.botToken, clientOptions, budget);
  const inFlight = new InFlight();
  // Background work a request leaves behind (Home redraws): waited for at shutdown, but not counted
  // as work in hand, so that redraws never make Cairn answer "busy".
  const background = new InFlight();
  const services = createServices(connection, log, {
    now,
    slackFor,
    digestGraceMs: config.digestGraceHours * 3_600_000,
    layout: config.database.layout,
    slackPostIntervalMs: config.slackPostIntervalMs,
    homeRefreshIntervalMs: config.homeRefreshIntervalMs,
    track: (work) => background.track(work),
  });
  const { app, identify } = buildApp(config, connection, log, installations);

  // Outermost middleware: shutdown waits for every listener, including work done after ack(). Past
  // `maxWorkInFlight`, a slash command is answered at once that Cairn is busy, with its text handed
  // back, rather than queued without bound (buttons and forms are few per user and always taken).
  app.use(async (args) => {
    if (inFlight.size >= config.maxWorkInFlight && 'command' in args) {
      const { command, ack } = args;
      log.warn({ inFlight: inFlight.size, command: command.command }, 'busy: a command was handed back');
      return ack(busyAnswer(command.command, command.text));
    }
    return inFlight.track(args.next);
  });
  app.error(async (error) => {
    log.error({ err: error }, 'unhandled error in a Slack listener');
  });
  registerHandlers(app, services);

  let jobs: RunningJobs | undefined;
  return {
    app,
    services,
    async start() {
      const started = (await app.start(config.port)) as Server | undefined;
      const port = (started?.address() as AddressInfo | null)?.port ?? config.port;
      jobs = startJobs((options.jobs ?? cairnJobs)(services), log);
      if (identify) void identify();
      log.info({ ...describeSlack(config.slack), port }, 'Cairn is listening');
      return { port };
    },
    async stop(timeoutMs = 10_000) {
      await app.stop().catch((error: unknown) => log.warn({ err: error }, 'receiver did not stop cleanly'));
      // Home redraws waiting for their turn go now rather than hold the shutdown up.
      services.homes.flush();
      const [requests, redraws] = await Promise.all([
        inFlight.drained(timeoutMs),
        background.drained(timeoutMs),
      ]);
      if (!requests || !redraws)
        log.warn({ running: inFlight.size + background.size }, 'gave up waiting for work in flight');
      await jobs?.stop(timeoutMs);
    },
  };
}

function buildApp(
  config: Config,
  connection: Connection,
  log: Logger,
  installations: InstallationStore | undefined,
) {
  const slack = config.slack;
  const logger = boltLogger(log);
  const common: AppOptions = { logger, clientOptions: slackClientOptions(slack.apiUrl, logger) };
  const customRoutes = [healthRoute(connection)];
  const http = { endpoints: '/slack/events', customRoutes, logger };

  if (slack.kind === 'oauth') {
    const receiver = new HTTPReceiver({
      ...http,
      signingSecret: slack.signingSecret,
      clientId: slack.clientId,
      clientSecret: slack.clientSecret,
      stateSecret: slack.stateSecret,
      scopes: [...BOT_SCOPES],
      installationStore: installations,
      installerOptions: {
        directInstall: true,
        clientOptions: { slackApiUrl: slack.apiUrl },
        ...(slack.apiUrl ? { authorizationUrl: new URL('../oauth/v2/authorize', slack.apiUrl).href } : {}),
      },
    });
    return { app: new App({ ...common, receiver }), identify: undefined };
  }
  let app: App | undefined;
  const { authorize, identify } = singleWorkspaceAuthorize(() => app!.client, slack.botToken, log);
  if (slack.kind === 'socket') {
    const receiver = new SocketModeReceiver({
      appToken: slack.appToken,
      customRoutes,
      // The Socket Mode connection (apps.connections.open) goes to the same API base as everything else.
      installerOptions: { port: config.port, clientOptions: slackClientOptions(slack.apiUrl, logger) },
      logger,
    });
    app = new App({ ...common, receiver, authorize });
  } else {
    const receiver = new HTTPReceiver({ ...http, signingSecret: slack.signingSecret });
    app = new App({ ...common, receiver, authorize });
  }
  return { app, identify };
}
