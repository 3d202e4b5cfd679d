/**
 * Cairn removed from a workspace, and installed again (SPEC §8). Slack says so with
 * `app_uninstalled` or `tokens_revoked`: the workspace's tokens are deleted at once, its digest
 * schedules paused and the workspace marked uninstalled, so that no job posts, reminds, escalates or
 * warns there. Installing Cairn again resumes the schedules the removal paused, and only those: one
 * that a person had paused stays paused. Slack may send both events, in either order, and
 * redeliver them, so removing twice changes nothing more.
 */
import { nextSlot } from '../domain/schedule-slots.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../services.js';
import { workspaceOf } from '../slack/actor.js';
import type { InstallationRef, WorkspaceTokens } from '../slack/workspace-client.js';

export interface WorkspaceRemovalDeps {
  stores: Stores;
  tokens: WorkspaceTokens;
  log: Logger;
}

/** What Slack said: the app was uninstalled, or the bot's tokens were revoked. */
export type RemovalCause = 'app_uninstalled' | 'tokens_revoked';

/** Who acts in the audit log when Slack, not a person, changed things. */
const SLACK_ACTOR = 'slack';

export async function removeWorkspace(
  deps: WorkspaceRemovalDeps,
  ref: InstallationRef,
  cause: RemovalCause,
  now: Date,
): Promise<{ paused: number }> {
  const teamId = workspaceIdOf(ref);
  // The tokens first: Slack has revoked them already, and nothing may be sent with them again.
  await deps.tokens.forget(ref);
  await deps.stores.workspaces.setInstalled({ teamId, enterpriseId: ref.enterpriseId }, false, now);
  const paused = await deps.stores.schedules.pauseAll(teamId, 'uninstalled');
  await deps.stores.audit.record({
    teamId,
    actorId: SLACK_ACTOR,
    action: 'workspace.uninstalled',
    target: { kind: 'workspace', key: teamId },
    details: { cause, pausedSchedules: paused },
    at: now,
  });
  deps.log.info({ teamId, cause, pausedSchedules: paused }, 'Cairn removed from a workspace');
  return { paused };
}

/** After an installation is stored: a workspace that had removed Cairn gets its schedules back. */
export async function restoreWorkspace(
  deps: Omit<WorkspaceRemovalDeps, 'tokens'>,
  ref: InstallationRef,
  installedBy: string | undefined,
  now: Date,
): Promise<{ resumed: number }> {
  const teamId = workspaceIdOf(ref);
  const [workspace, paused] = await Promise.all([
    deps.stores.workspaces.find(teamId),
    deps.stores.schedules.pausedFor(teamId, 'uninstalled'),
  ]);
  // Schedules before the mark: should this fail half-way, the next install finds the rest still
  // paused for the removal and resumes them.
  let resumed = 0;
  for (const schedule of paused) {
    const timing = { days: schedule.days, time: schedule.time, timezone: schedule.timezone };
    // From now on: the slots that passed while Cairn was away are not caught up.
    await deps.stores.schedules.setPaused(teamId, schedule._id, false, now, nextSlot(timing, now));
    resumed++;
  }
  await deps.stores.workspaces.setInstalled({ teamId, enterpriseId: ref.enterpriseId }, true, now);
  if (!workspace?.uninstalledAt && resumed === 0) return { resumed };
  await deps.stores.audit.record({
    teamId,
    actorId: installedBy ?? SLACK_ACTOR,
    action: 'workspace.reinstalled',
    target: { kind: 'workspace', key: teamId },
    details: { resumedSchedules: resumed },
    at: now,
  });
  deps.log.info({ teamId, resumedSchedules: resumed }, 'Cairn installed again in a workspace');
  return { resumed };
}

function workspaceIdOf(ref: InstallationRef): string {
  const id = workspaceOf(ref);
  if (!id) throw new Error('an installation names neither team nor enterprise');
  return id;
}
