import type { Program } from '../domain/entities.js';
import type { DigestData, DigestSnapshot } from '../domain/digest-data.js';
import type { DigestVariant } from '../domain/schedule.js';
import type { Stores } from '../services.js';
import { loadWorkspacePlan, workstreamsNamedBy } from './intelligence-data.js';
import { whoIsAway } from './time-away.js';
import { settingsOf } from '../domain/settings.js';

/** How far back updates are read for trends, transitions and the latest summaries. */
const UPDATE_WINDOW_MS = 8 * 7 * 24 * 60 * 60 * 1000;
/** At most this many updates are read for one digest: past it, the digest says where its history starts. */
export const UPDATE_LIMIT = 50_000;

/**
 * Loads what one digest needs in a fixed number of queries (at most nine, in three batches),
 * whatever the number of workstreams: no query per workstream.
 */
export async function loadDigestData(
  stores: Stores,
  program: Program,
  options: {
    scheduleKey?: string;
    variant: DigestVariant;
    timezone: string;
    now: Date;
    updateLimit?: number;
    /** Measure "what changed" from the last digest posted before this time (a posted digest drawn again). */
    previousBefore?: Date;
  },
): Promise<DigestData> {
  const { teamId } = program;
  const before = options.previousBefore ? { before: options.previousBefore } : {};
  const [previousRun, workspace, away] = await Promise.all([
    stores.runs.lastPosted(
      teamId,
      options.scheduleKey
        ? { scheduleKey: options.scheduleKey, ...before }
        : { programId: program._id, ...before },
    ),
    stores.workspaces.find(teamId),
    whoIsAway(stores, teamId, options.now),
  ]);
  const previous = previousRun?.snapshot ? reviveSnapshot(previousRun.snapshot) : undefined;
  const since = new Date(
    Math.min(options.now.getTime() - UPDATE_WINDOW_MS, previous?.postedAt.getTime() ?? Infinity),
  );
  const limit = options.updateLimit ?? UPDATE_LIMIT;
  const [workstreams, read, blockers, plan, milestones] = await Promise.all([
    stores.workstreams.listByProgram(teamId, program._id),
    // One more than kept, to know whether older ones were left unread.
    stores.updates.forProgramSince(teamId, program._id, since, limit + 1),
    stores.blockers.openOrResolvedSince(teamId, program._id, previous?.postedAt),
    loadWorkspacePlan(stores, teamId),
    stores.milestones.forProgram(teamId, program._id),
  ]);
  const otherWorkstreams = await workstreamsNamedBy(
    stores,
    teamId,
    new Set(workstreams.map((w) => w._id.toHexString())),
    plan,
  );
  const updates = read.slice(0, limit);
  return {
    program,
    workstreams,
    updates,
    ...(read.length > limit ? { updatesFrom: updates[updates.length - 1]!.createdAt } : {}),
    openBlockers: blockers.filter((b) => !b.resolvedAt),
    resolvedBlockers: blockers.filter((b) => b.resolvedAt),
    dependencies: plan.standing,
    resources: plan.resources,
    otherWorkstreams,
    milestones,
    previous,
    now: options.now,
    timezone: options.timezone,
    variant: options.variant,
    staleAfterDays: settingsOf(workspace).staleAfterDays,
    blockerDaysLimit: settingsOf(workspace).escalateBlockersAfterDays,
    ...(away.size > 0 ? { leadsAway: Object.fromEntries(away) } : {}),
  };
}

/** Snapshots are stored as plain documents; their date comes back as a Date or an ISO string. */
function reviveSnapshot(snapshot: DigestSnapshot): DigestSnapshot {
  return { ...snapshot, postedAt: new Date(snapshot.postedAt) };
}
