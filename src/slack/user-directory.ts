import type { WebClient } from '@slack/web-api';
import { monotonicMs } from '../clock.js';
import type { Logger } from '../logger.js';

export interface SlackUser {
  id: string;
  /** How Slack shows them: display name, else real name, else handle. */
  name: string;
  /** Absent when Slack does not say (it leaves `tz` out for some users): the workspace's default applies. */
  timezone: string | undefined;
  isWorkspaceAdmin: boolean;
}

/**
 * What Cairn needs to know of a Slack user: their timezone (dates are read in it) and whether they
 * administer the workspace. Cached for a while, since users.info is rate-limited (Tier 4) and
 * both change rarely; when Slack cannot answer, the user is treated as a non-admin whose timezone is
 * unknown.
 */
export class UserDirectory {
  private readonly cache = new Map<string, { user: SlackUser; until: number }>();

  constructor(
    private readonly log: Logger,
    private readonly ttlMs = 10 * 60 * 1000,
    /** Milliseconds for the cache's lifetime: monotonic, so a pinned or jumping wall clock cannot stale it. */
    private readonly now: () => number = monotonicMs,
  ) {}

  async get(client: WebClient, teamId: string, userId: string): Promise<SlackUser> {
    const key = `${teamId}:${userId}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > this.now()) return cached.user;
    try {
      const { user } = await client.users.info({ user: userId });
      const found: SlackUser = {
        id: userId,
        name: user?.profile?.display_name || user?.real_name || user?.name || userId,
        timezone: user?.tz || undefined,
        isWorkspaceAdmin: Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner),
      };
      this.cache.set(key, { user: found, until: this.now() + this.ttlMs });
      if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value as string);
      return found;
    } catch (error) {
      this.log.warn(
        { err: error, userId },
        "users.info failed; assuming the workspace's default timezone and no admin rights",
      );
      return { id: userId, name: userId, timezone: undefined, isWorkspaceAdmin: false };
    }
  }

  /** Names of the given users as Slack shows them, for plain-text surfaces that cannot render a mention. */
  async names(client: WebClient, teamId: string, userIds: readonly string[]): Promise<Map<string, string>> {
    const users = await Promise.all(userIds.map((id) => this.get(client, teamId, id)));
    return new Map(users.map((u) => [u.id, u.name]));
  }
}
