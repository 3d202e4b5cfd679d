/**
 * The composition root: builds the Bolt app for the configured Slack mode, wires the core's services
 * into handlers/ and jobs/, and owns their life cycle. The only module of the core that imports them.
 */
import { MethodBudget } from './slack/method-budget.js';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  App,
  HTTPReceiver,
  SocketModeReceiver,
  type AppOptions,
  type CustomRoute,
  type InstallationStore,
} from '@slack/bolt';
import type { Connection } from 'mongoose';
import { registerHandlers } from '../handlers/index.js';
import { cairnJobs, startJobs, type RunningJobs } from '../jobs/index.js';
import { systemNow, type Now } from './clock.js';
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
import {
  allOf,
  botTokenCheck,
  socketModeLink,
  type BotTokenCheck,
  type SocketModeLink,
} from './slack/slack-link.js';
import { tokenCipher } from './slack/token-cipher.js';
import {
  installedWorkspaceClients,
  installedWorkspaceTokens,
  singleWorkspaceClients,
  slackClientOptions,
} from './slack/workspace-client.js';
import { workspaceOf } from './slack/actor.js';
import { restoreWorkspace } from './use-cases/workspace-removal.js';

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
  /**
   * Starts serving; resolves with the HTTP port (Slack events and /healthz, or /healthz alone in
   * Socket Mode) once Slack has first answered. Rejects when Slack refuses a token (TokenRefusedError).
   */
  start(): Promise<{ port: number }>;
  /** Stops taking work, lets work in flight finish (up to `timeoutMs`), then stops the jobs. */
  stop(timeoutMs?: number): Promise<void>;
}

export function createCairn(options: CairnOptions): Cairn {
  const { config, connection, log } = options;
  const now = options.now ?? systemNow;
  const stored =
    config.slack.kind === 'oauth'
      ? mongoInstallationStore(
          connection,
          tokenCipher(config.slack.encryptionKey, config.slack.oldEncryptionKeys),
          now,
        )
      : undefined;
  const clientOptions = slackClientOptions(config.slack.apiUrl, boltLogger(log));
  const budget = config.slackMethodBudgets ? new MethodBudget() : undefined;
  const installed = stored ? installedWorkspaceClients(stored, clientOptions, budget) : undefined;
  const slackFor =
    config.slack.kind === 'oauth'
      ? installed!
      : singleWorkspaceClients(config.slack.botToken, clientOptions, budget);
  // Every installation stored (a first install, a reinstall) brings the workspace back: the
  // installation store is Bolt's, so the use case runs here rather than in the data module.
  const installations: InstallationStore | undefined = stored && {
    ...stored,
    async storeInstallation(installation, logger) {
      await stored.storeInstallation(installation, logger);
      const ref = {
        teamId: installation.team?.id,
        enterpriseId: installation.enterprise?.id,
        isEnterpriseInstall: Boolean(installation.isEnterpriseInstall),
      };
      // Its new token is used from the next call on, not the revoked one a client may still hold.
      const workspace = workspaceOf(ref);
      if (workspace) installed?.forget(workspace);
      await restoreWorkspace(services, ref, installation.user.id, now());
    },
  };
  const inFlight = new InFlight();
  // Background work a request leaves behind (Home redraws): waited for at shutdown, but not counted
  // as work in hand, so that redraws never make Cairn answer "busy".
  const background = new InFlight();
  const services = createServices(connection, log, {
    now,
    slackFor,
    ...(stored && installed ? { tokens: installedWorkspaceTokens(stored, installed) } : {}),
    digestGraceMs: config.digestGraceHours * 3_600_000,
    layout: config.database.layout,
    slackPostIntervalMs: config.slackPostIntervalMs,
    homeRefreshIntervalMs: config.homeRefreshIntervalMs,
    track: (work) => background.track(work),
  });
  // With one configured bot token, a token that works (again) after an uninstall means Cairn is back:
  // resume what the uninstall paused, as a reinstall through OAuth does.
  const tokenVerified = (teamId: string | undefined) => {
    if (!teamId) return;
    void background
      .track(() => restoreWorkspace(services, { teamId, isEnterpriseInstall: false }, undefined, now()))
      .catch((error: unknown) => log.warn({ err: error, teamId }, 'could not resume the workspace'));
  };
  const { app, botToken, socket } = buildApp(config, connection, log, installations, now, tokenVerified);

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
  let healthServer: Server | undefined;
  return {
    app,
    services,
    async start() {
      let server: Server | undefined;
      if (socket) {
        // Served by Cairn, not by Bolt's Socket Mode receiver: that one reports neither its port nor
        // a failure to listen (an uncaught 'error' event instead).
        server = healthServer = await serve(socket.health, config.port);
      } else {
        server = (await app.start(config.port)) as Server | undefined;
      }
      const port = (server?.address() as AddressInfo | null)?.port ?? config.port;
      // Slack's first answers, together: a token Slack refuses stops start-up (main.ts prints the
      // reason), while a Slack that cannot be reached is asked again in the background.
      const first = await Promise.allSettled([socket?.link.start(() => app.start()), botToken?.start()]);
      const refused = first.find((r) => r.status === 'rejected');
      if (refused) throw refused.reason;
      jobs = startJobs((options.jobs ?? cairnJobs)(services), log);
      log.info({ ...describeSlack(config.slack, Boolean(config.playground)), port }, 'Cairn is listening');
      return { port };
    },
    async stop(timeoutMs = 10_000) {
      botToken?.stop();
      socket?.link.stop();
      const health = healthServer;
      const healthClosed =
        health && new Promise<void>((resolve) => health.close(() => resolve()).closeIdleConnections());
      await app.stop().catch((error: unknown) => log.warn({ err: error }, 'receiver did not stop cleanly'));
      await healthClosed;
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

interface BuiltApp {
  app: App;
  /** The bot token, checked with Slack; none with OAuth, where each installation brings its own. */
  botToken?: BotTokenCheck;
  /** Socket Mode: the connection, and /healthz, which Cairn serves itself in this mode. */
  socket?: { link: SocketModeLink; health: CustomRoute };
}

function buildApp(
  config: Config,
  connection: Connection,
  log: Logger,
  installations: InstallationStore | undefined,
  now: Now,
  tokenVerified: (teamId: string | undefined) => void,
): BuiltApp {
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
    return { app: new App({ ...common, receiver }) };
  }
  let app: App | undefined;
  const { authorize, identify } = singleWorkspaceAuthorize(() => app!.client, slack.botToken, log);
  const botToken = botTokenCheck(identify, log, now, undefined, tokenVerified);
  if (slack.kind === 'socket') {
    const receiver = new SocketModeReceiver({
      appToken: slack.appToken,
      // slack-link.ts reconnects instead of the client, which gives up for good on some failures.
      autoReconnectEnabled: false,
      // The Socket Mode connection (apps.connections.open) goes to the same API base as everything else.
      installerOptions: { clientOptions: slackClientOptions(slack.apiUrl, logger) },
      logger,
    });
    const link = socketModeLink(receiver.client, log, now);
    app = new App({ ...common, receiver, authorize });
    return { app, botToken, socket: { link, health: healthRoute(connection, allOf(link, botToken)) } };
  }
  const receiver = new HTTPReceiver({
    ...http,
    customRoutes: [healthRoute(connection, botToken)],
    signingSecret: slack.signingSecret,
  });
  app = new App({ ...common, receiver, authorize });
  return { app, botToken };
}

/** Serves one route on `port` (0: any free one); resolves once listening, rejects if it cannot. */
async function serve(route: CustomRoute, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === route.path && [route.method].flat().includes(req.method ?? ''))
      return route.handler(req, res);
    res.writeHead(404).end();
  });
  server.listen(port);
  await once(server, 'listening');
  return server;
}
