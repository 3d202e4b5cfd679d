import type { InstallationStore, Logger as BoltLogger } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { monotonicMs } from '../clock.js';
import { BudgetedWebClient, type MethodBudget } from './method-budget.js';

/**
 * A Web API client bound to one workspace's bot token, for work that no request carries (jobs).
 * `{ retries: false }` gives one that never repeats a call by itself: for posts that must happen
 * once, whose caller checks what Slack already has before trying again.
 */
export type ClientFor = (teamId: string, options?: { retries?: boolean }) => Promise<WebClient>;

/** No automatic repeats; a 429 comes back at once with its Retry-After, for the caller to wait. */
const ONCE = { retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };

/** Bounded retries for Slack's 429/5xx/timeouts; the client honours Retry-After by itself. */
export const SLACK_RETRIES = { retries: 4, factor: 2, minTimeout: 500, maxTimeout: 8_000, randomize: true };

export function slackClientOptions(apiUrl: string | undefined, logger: BoltLogger): WebClientOptions {
  return { slackApiUrl: apiUrl, retryConfig: SLACK_RETRIES, timeout: 10_000, logger };
}

/** A client of one workspace, its calls held to the workspace's budget when there is one. */
function clientOf(
  token: string,
  options: WebClientOptions,
  teamId: string,
  budget?: MethodBudget,
): WebClient {
  return budget ? new BudgetedWebClient(token, options, teamId, budget) : new WebClient(token, options);
}

/** One workspace, one bot token. */
export function singleWorkspaceClients(
  botToken: string,
  options: WebClientOptions,
  budget?: MethodBudget,
): ClientFor {
  const clients = new Map<string, { client: WebClient; once: WebClient }>();
  return async (teamId, { retries = true } = {}) => {
    let found = clients.get(teamId);
    if (!found) {
      found = {
        client: clientOf(botToken, options, teamId, budget),
        once: clientOf(botToken, { ...options, ...ONCE }, teamId, budget),
      };
      clients.set(teamId, found);
    }
    return retries ? found.client : found.once;
  };
}

/** A workspace's installation, as Slack names it in a request or an installation. */
export interface InstallationRef {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall: boolean;
}

/** The Slack tokens Cairn keeps for each workspace. */
export interface WorkspaceTokens {
  /** Forgets a workspace's tokens (all of them), stored and cached, at once: Slack has revoked them. */
  forget(ref: InstallationRef): Promise<void>;
}

/** One workspace's token comes from the environment: only whoever runs Cairn can replace it. */
export const environmentTokens: WorkspaceTokens = { forget: async () => undefined };

/** Clients of installed workspaces; `forget` drops one's cached client when its token changes or goes. */
export type InstalledClients = ClientFor & { forget(teamId: string): void };

/** Many workspaces: each one's bot token comes from its installation. */
export function installedWorkspaceClients(
  store: InstallationStore,
  options: WebClientOptions,
  budget?: MethodBudget,
): InstalledClients {
  const clients = new Map<string, { client: WebClient; once: WebClient; until: number }>();
  const clientFor: ClientFor = async (teamId, { retries = true } = {}) => {
    const cached = clients.get(teamId);
    if (cached && cached.until > monotonicMs()) return retries ? cached.client : cached.once;
    const installation = await store.fetchInstallation({
      teamId,
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    const token = installation.bot?.token;
    if (!token) throw new Error(`the installation of ${teamId} has no bot token`);
    const client = clientOf(token, options, teamId, budget);
    const once = clientOf(token, { ...options, ...ONCE }, teamId, budget);
    clients.set(teamId, { client, once, until: monotonicMs() + 5 * 60 * 1000 });
    return retries ? client : once;
  };
  return Object.assign(clientFor, { forget: (teamId: string) => void clients.delete(teamId) });
}

/** The installations' tokens: forgetting one deletes its installation and its cached client. */
export function installedWorkspaceTokens(
  store: InstallationStore,
  clients: InstalledClients,
): WorkspaceTokens {
  return {
    async forget(ref) {
      const { teamId, enterpriseId, isEnterpriseInstall } = ref;
      await store.deleteInstallation?.({ teamId, enterpriseId, isEnterpriseInstall });
      const workspace = teamId ?? enterpriseId;
      if (workspace) clients.forget(workspace);
    },
  };
}
