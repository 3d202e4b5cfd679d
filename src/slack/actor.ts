import type { WebClient } from '@slack/web-api';
import type { Actor } from '../domain/permissions.js';
import type { UserDirectory } from './user-directory.js';

/** The workspace a request belongs to: the team, or the org for an org-wide install. */
export function workspaceOf(ids: {
  teamId?: string | null;
  enterpriseId?: string | null;
}): string | undefined {
  return ids.teamId ?? ids.enterpriseId ?? undefined;
}

/**
 * Who is asking, with what Slack says of their timezone and admin rights. Where Slack gives no
 * timezone, the workspace's default (`workspaceTimezone`, asked only then) stands in for it.
 */
export async function actorFor(
  users: UserDirectory,
  client: WebClient,
  teamId: string,
  userId: string,
  workspaceTimezone: () => Promise<string>,
): Promise<Actor> {
  const user = await users.get(client, teamId, userId);
  const timezone = user.timezone ?? (await workspaceTimezone());
  return { teamId, userId, timezone, isWorkspaceAdmin: user.isWorkspaceAdmin };
}
