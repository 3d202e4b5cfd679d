import type { InstallationStore, Logger as BoltLogger } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';

/** A Web API client bound to one workspace's bot token, for work that no request carries (jobs). */
export type ClientFor = (teamId: string) => Promise<WebClient>;

/** Bounded retries for Slack's 429/5xx/timeouts; the client honours Retry-After by itself. */
export const SLACK_RETRIES = { retries: 4, factor: 2, minTimeout: 500, maxTimeout: 8_000, randomize: true };

export function slackClientOptions(apiUrl: string | undefined, logger: BoltLogger): WebClientOptions {
  return { slackApiUrl: apiUrl, retryConfig: SLACK_RETRIES, timeout: 10_000, logger };
}

/** One workspace, one bot token. */
export function singleWorkspaceClients(botToken: string, options: WebClientOptions): ClientFor {
  const client = new WebClient(botToken, options);
  return async () => client;
}

/** Many workspaces: each one's bot token comes from its installation. */
export function installedWorkspaceClients(store: InstallationStore, options: WebClientOptions): ClientFor {
  const clients = new Map<string, { client: WebClient; until: number }>();
  return async (teamId) => {
    const cached = clients.get(teamId);
    if (cached && cached.until > Date.now()) return cached.client;
    const installation = await store.fetchInstallation({
      teamId,
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    const token = installation.bot?.token;
    if (!token) throw new Error(`the installation of ${teamId} has no bot token`);
    const client = new WebClient(token, options);
    clients.set(teamId, { client, until: Date.now() + 5 * 60 * 1000 });
    return client;
  };
}
