/**
 * Slack's rate limits apply "per API method per workspace per app", in tiers of calls per minute
 * (docs.slack.dev/apis/web-api/rate-limits). A process-wide budget per workspace and method keeps
 * Cairn's own calls within them, so that one busy workspace's work (a fan-out of digests, reminders
 * for hundreds of leads) waits its turn instead of drawing 429s, and never slows another workspace.
 * chat.postMessage has its own pace per channel (pacing.ts); methods not listed are not held.
 */
import { WebClient, type WebAPICallResult, type WebClientOptions } from '@slack/web-api';
import PQueue from 'p-queue';

/** Calls per minute of each tier: the floor of Slack's "Tier 2: 20+ per minute" and so on. */
export const TIER_PER_MINUTE = { 2: 20, 3: 50, 4: 100 } as const;
type Tier = keyof typeof TIER_PER_MINUTE;

/** The tier of each method Cairn calls outside a request, from each method's reference page. */
export const METHOD_TIER: Readonly<Record<string, Tier>> = {
  'chat.update': 3,
  'chat.delete': 3,
  'conversations.history': 3,
  'conversations.replies': 3,
  'conversations.open': 3,
  'conversations.info': 3,
  'files.getUploadURLExternal': 4,
  'files.completeUploadExternal': 4,
  'users.info': 4,
  'views.publish': 4,
};

export class MethodBudget {
  private readonly queues = new Map<string, PQueue>();

  /** `windowMs` is a minute in production; tests shorten it. */
  constructor(private readonly windowMs = 60_000) {}

  /** Resolves when a call of `method` for `teamId` may go: at once while the minute has room. */
  async take(teamId: string, method: string): Promise<void> {
    const tier = METHOD_TIER[method];
    if (tier === undefined) return;
    const key = `${teamId}:${method}`;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = new PQueue({
        intervalCap: TIER_PER_MINUTE[tier],
        interval: this.windowMs,
        carryoverIntervalCount: true,
      });
      // Idle workspaces are let go once their window has passed, so the map does not grow for ever.
      queue.on('idle', () => setTimeout(() => this.forget(key), this.windowMs).unref());
      this.queues.set(key, queue);
    }
    await queue.add(async () => {});
  }

  /** Workspace-method pairs with a live budget (for tests). */
  get size(): number {
    return this.queues.size;
  }

  private forget(key: string): void {
    const queue = this.queues.get(key);
    if (queue && queue.size === 0 && queue.pending === 0) this.queues.delete(key);
  }
}

/** A Web API client of one workspace whose every call waits for that workspace's budget first. */
export class BudgetedWebClient extends WebClient {
  constructor(
    token: string,
    options: WebClientOptions,
    private readonly budgetTeamId: string,
    private readonly budget: MethodBudget,
  ) {
    super(token, options);
  }

  override async apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    await this.budget.take(this.budgetTeamId, method);
    return super.apiCall(method, options);
  }
}
