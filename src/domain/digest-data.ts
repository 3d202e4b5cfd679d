/**
 * Everything one digest is built from, loaded in a fixed number of queries whatever the program's
 * size (see src/use-cases/digest.ts). The digest itself is pure: DigestData → view model → blocks.
 */
import type {
  Blocker,
  Dependency,
  Milestone,
  Program,
  SharedResource,
  StatusUpdate,
  Workstream,
} from './entities.js';
import type { DigestVariant } from './schedule.js';
import type { CalendarDate, Health, WorkstreamState } from './types.js';

export interface DigestData {
  program: Program;
  /** The program's workstreams, every state. */
  workstreams: Workstream[];
  /** Recent updates of those workstreams (at least the last few of each), newest first. */
  updates: StatusUpdate[];
  /**
   * Set when the program had more updates in the window than a digest reads: the oldest one read.
   * Trends and "what changed" start there, and the digest says so.
   */
  updatesFrom?: Date;
  /** The program's open blockers. */
  openBlockers: Blocker[];
  /** The program's blockers resolved since the previous digest (empty when there is none). */
  resolvedBlockers: Blocker[];
  /**
   * The workspace's open and broken dependencies: a slip reaches this program through other programs'
   * work, so chains are followed across the whole workspace (SPEC §6).
   */
  dependencies: Dependency[];
  /** The workspace's shared resources with their allocations (capacity is summed across programs). */
  resources: SharedResource[];
  /** Workstreams of other programs that those dependencies and allocations name. */
  otherWorkstreams: Workstream[];
  milestones: Milestone[];
  /** What the previous posted digest of the same schedule (or program, on demand) showed. */
  previous: DigestSnapshot | undefined;
  now: Date;
  /**
   * Set when a posted digest is drawn again from current data (a click on it changed something): when
   * it was posted. Its header keeps that date and says when it was brought up to date.
   */
  postedAt?: Date;
  /** The schedule's timezone (or the requesting user's), for the header date and "today". */
  timezone: string;
  variant: DigestVariant;
  /** A workstream without an update for longer than this is stale (workspace setting). */
  staleAfterDays: number;
  /** A blocker open this many days is escalated, and makes an on-track statement doubtful (workspace setting). */
  blockerDaysLimit: number;
  /** People away now (`/status away`), by user id, with their last day away. */
  leadsAway?: Readonly<Record<string, CalendarDate>>;
}

/** What a posted digest showed, kept with its run so the next one can say what changed. */
export interface DigestSnapshot {
  postedAt: Date;
  workstreams: Record<string, WorkstreamSnapshot>;
  /**
   * The program's milestones not yet reached, by id (hex); a client digest's leaves internal ones out.
   * Absent from runs posted before milestones were kept: then no milestone change is told.
   */
  milestones?: Record<string, MilestoneSnapshot>;
}

export interface MilestoneSnapshot {
  date: CalendarDate;
  /** Its forecast from the analysis, when it had one. */
  forecast?: CalendarDate;
}

export interface WorkstreamSnapshot {
  health?: Health;
  state: WorkstreamState;
  targetDate?: CalendarDate;
  forecastDate?: CalendarDate;
  openBlockerIds: string[];
}
