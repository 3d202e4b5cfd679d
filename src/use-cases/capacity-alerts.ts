/**
 * Capacity conflicts by DM (SPEC §6): a shared resource over capacity in an ISO week is brought to
 * the owners of the programs involved, one DM each per conflict (resource, week), whatever the number
 * of replicas; and not again until the conflict is gone and comes back.
 *
 * Conflicts are computed, not stored, so their notice state lives in a store of its own
 * (capacity-notices.ts): per conflict, whether its current episode is told, and which episode it is.
 * A present conflict not told is told by whoever claims `capacity:<key>:<episode>` (a unique insert);
 * a told conflict no longer present is resolved, which opens the next episode.
 */
import { capacityConflicts, isoWeekOfDate, type CapacityConflict } from '../domain/analysis/capacity.js';
import { dateIn } from '../domain/digest/context.js';
import type { Id, Program } from '../domain/entities.js';
import type { CalendarDate } from '../domain/types.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../services.js';
import { postMessageOnce } from '../slack/digest-poster.js';
import type { ClientFor } from '../slack/workspace-client.js';
import { capacityConflictMessage } from '../views/capacity-views.js';
import { settingsOf } from '../domain/settings.js';

export interface CapacityAlertDeps {
  stores: Stores;
  slackFor: ClientFor;
  log: Logger;
}

export interface CapacityTickResult {
  /** Conflicts this replica claimed and told. */
  notified: number;
  /** DMs this replica sent. */
  dms: number;
  /** Told conflicts found gone. */
  resolved: number;
}

export async function runCapacityTick(deps: CapacityAlertDeps, now: Date): Promise<CapacityTickResult> {
  const { stores } = deps;
  const [allocated, notified] = await Promise.all([
    stores.resources.teamsWithAllocations(),
    // A workspace whose allocations are all gone still has its told conflicts to resolve.
    stores.capacityNotices.teamsNotified(),
  ]);
  const result: CapacityTickResult = { notified: 0, dms: 0, resolved: 0 };
  for (const teamId of [...new Set([...allocated, ...notified])].sort()) {
    const counts = await tickWorkspace(deps, teamId, now);
    result.notified += counts.notified;
    result.dms += counts.dms;
    result.resolved += counts.resolved;
  }
  return result;
}

/** One workspace, in five queries whatever its size, plus a claim and a write per conflict that changes. */
async function tickWorkspace(
  deps: CapacityAlertDeps,
  teamId: string,
  now: Date,
): Promise<CapacityTickResult> {
  const { stores } = deps;
  const workspace = await stores.workspaces.find(teamId);
  // Nothing told nor resolved while Cairn is uninstalled there: the notices wait for its return.
  if (workspace?.uninstalledAt) return { notified: 0, dms: 0, resolved: 0 };
  const today = dateIn(now, settingsOf(workspace).defaultTimezone);
  const thisWeek = isoWeekOfDate(today)?.monday ?? today;
  // The notices are read before the allocations: a conflict told after this read is not in it, so
  // it cannot be taken for resolved by allocations read from before it arose.
  const notices = await stores.capacityNotices.list(teamId, thisWeek);
  const resources = await stores.resources.allocatedIn(teamId);
  const workstreamIds = distinct(resources.flatMap((r) => r.allocations.map((a) => a.workstreamId)));
  const workstreams = workstreamIds.length ? await stores.workstreams.findByIds(teamId, workstreamIds) : [];
  const programIds = distinct(workstreams.map((w) => w.programId));
  const programs = programIds.length ? await stores.programs.findByIds(teamId, programIds) : [];
  const conflicts = capacityConflicts({ resources, workstreams, programs, from: today });

  const result: CapacityTickResult = { notified: 0, dms: 0, resolved: 0 };
  const noticeOf = new Map(notices.map((n) => [n.key, n]));
  const programOf = new Map(programs.map((p) => [p.key, p]));
  for (const conflict of conflicts) {
    const notice = noticeOf.get(conflict.key);
    if (notice?.notified) continue;
    const episode = notice?.episode ?? 0;
    const won = await stores.claims.once(teamId, `capacity:${conflict.key}:${episode}`, 'capacity', now);
    // Claimed is told, whoever claimed it: marking it here too means a replica that won and died
    // before its write cannot leave the episode unmarked (and so unresolvable) for ever.
    await stores.capacityNotices.markNotified(teamId, conflict.key, conflict.isoWeek.monday, episode, now);
    if (!won) continue;
    result.notified++;
    result.dms += await tellOwners(
      deps,
      teamId,
      conflict,
      programOf,
      today,
      `capacity:${conflict.key}:${episode}`,
      now,
    );
  }

  const present = new Set(conflicts.map((c) => c.key));
  for (const notice of notices) {
    if (!notice.notified || present.has(notice.key)) continue;
    // Gone (re-planned, done, archived, or its week is over): a recurrence is a new episode.
    await stores.capacityNotices.markResolved(teamId, notice.key, notice.episode, now);
    result.resolved++;
  }
  return result;
}

/** One DM to each distinct owner of the active programs in the conflict; returns how many went out. */
async function tellOwners(
  deps: CapacityAlertDeps,
  teamId: string,
  conflict: CapacityConflict,
  programOf: ReadonlyMap<string, Program>,
  today: CalendarDate,
  key: string,
  now: Date,
): Promise<number> {
  const involved = conflict.byProgram
    .map((p) => programOf.get(p.programKey))
    .filter((p): p is Program => p !== undefined && p.state !== 'archived');
  const owners = [...new Set(involved.map((p) => p.ownerId))];
  if (owners.length === 0) return 0;
  const message = capacityConflictMessage(conflict, new Map(involved.map((p) => [p.key, p.name])), today);
  let sent = 0;
  for (const owner of owners) {
    try {
      const client = await deps.slackFor(teamId, { retries: false });
      await postMessageOnce(client, owner, message, `${key}:${owner}`, { since: now });
      sent++;
    } catch (error) {
      deps.log.warn(
        { err: error, team: teamId, conflict: conflict.key, owner },
        'could not tell a program owner about a capacity conflict',
      );
    }
  }
  return sent;
}

function distinct(ids: readonly Id[]): Id[] {
  return [...new Map(ids.map((id) => [id.toHexString(), id])).values()];
}
