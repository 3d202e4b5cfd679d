/**
 * Quiet when nothing changed (issue 15, point 2): a schedule with `quiet` on posts one line instead
 * of the full digest when nothing changed since its previous posted digest. Pure.
 *
 * "Nothing changed" means all of:
 * - there is a previous digest of the same schedule (a schedule's first digest is never quiet);
 * - "what changed" (./changes.ts) lists nothing: no health transition, new or resolved blocker,
 *   completed work, target or forecast slip, milestone moved or milestone forecast slipped;
 * - no status update was recorded since the previous digest (an update that keeps the same health
 *   still says something new, and the full digest shows it);
 * - every workstream stands as the previous digest's snapshot has it: the same workstreams, with the
 *   same health, state, target date, forecast and open blockers.
 *
 * Dependencies and settings are not compared, nor milestones beyond what changed tells (a milestone
 * added or reached): a dependency added with no workstream changing leaves the digest quiet; a
 * milestone moved does not.
 */
import type { DigestData, DigestSnapshot, WorkstreamSnapshot } from '../digest-data.js';
import { dateIn, digestContext } from './context.js';
import type { DigestChanges, DigestCounts } from './model.js';
import type { CalendarDate } from '../types.js';
import { snapshotOf } from '../digest.js';

/** What the one-line digest says. */
export interface QuietDigest {
  programKey: string;
  /** As the digest's variant may show it (no mentions in the client variant). */
  programName: string;
  /** The previous digest's date, in the digest's timezone. */
  since: CalendarDate;
  /** The digest's own today, in its timezone (for the year shown or not). */
  today: CalendarDate;
  /** The counts the full digest's main message would show. */
  counts: DigestCounts;
  /** Open workstreams with at least one open blocker. */
  blocked: number;
}

/** Whether "what changed" lists anything at all. */
export function anyChange(changes: DigestChanges): boolean {
  return (
    changes.healthTransitions.length > 0 ||
    changes.newBlockers.length > 0 ||
    changes.resolvedBlockers.length > 0 ||
    changes.completed.length > 0 ||
    changes.targetSlips.length > 0 ||
    changes.forecastSlips.length > 0 ||
    changes.milestoneMoves.length > 0 ||
    changes.milestoneSlips.length > 0
  );
}

/** Whether nothing changed since the previous digest (see above); false for a first digest. */
export function nothingChanged(data: DigestData, changes: DigestChanges): boolean {
  const { previous } = data;
  if (!previous || !changes.hasPrevious || anyChange(changes)) return false;
  if (data.updates.some((u) => u.createdAt > previous.postedAt)) return false;
  return sameWorkstreams(previous, snapshotOf(data));
}

/**
 * The one-line digest when nothing changed, else undefined. `counts` are the full digest's (the
 * caller has built the digest's view already; they are not worked out twice).
 */
export function quietDigestOf(
  data: DigestData,
  view: {
    changes: DigestChanges;
    counts: DigestCounts;
    header: { programName: string; today: CalendarDate };
  },
): QuietDigest | undefined {
  if (!data.previous || !nothingChanged(data, view.changes)) return undefined;
  const ctx = digestContext(data);
  return {
    programKey: data.program.key,
    programName: view.header.programName,
    since: dateIn(data.previous.postedAt, data.timezone),
    today: view.header.today,
    counts: view.counts,
    blocked: ctx.facts.filter((f) => f.open && f.blockers.length > 0).length,
  };
}

function sameWorkstreams(before: DigestSnapshot, now: DigestSnapshot): boolean {
  const ids = Object.keys(now.workstreams);
  if (ids.length !== Object.keys(before.workstreams).length) return false;
  return ids.every((id) => {
    const was = before.workstreams[id];
    return was !== undefined && sameWorkstream(was, now.workstreams[id]!);
  });
}

/** Snapshots come back from the database with null where a field was unset: null and absent are alike. */
function sameWorkstream(a: WorkstreamSnapshot, b: WorkstreamSnapshot): boolean {
  const same = (x: unknown, y: unknown) => (x ?? undefined) === (y ?? undefined);
  const blockers = (s: WorkstreamSnapshot) => [...(s.openBlockerIds ?? [])].sort().join(',');
  return (
    same(a.health, b.health) &&
    same(a.state, b.state) &&
    same(a.targetDate, b.targetDate) &&
    same(a.forecastDate, b.forecastDate) &&
    blockers(a) === blockers(b)
  );
}
