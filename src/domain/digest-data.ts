/**
 * Everything one digest is built from, loaded in a fixed number of queries whatever the program's
 * size (see src/use-cases/digest.ts). The digest itself is pure: DigestData → view model → blocks.
 */
import type { Blocker, Dependency, Milestone, Program, StatusUpdate, Workstream } from './entities.js';
import type { DigestVariant } from './schedule.js';
import type { CalendarDate, Health, WorkstreamState } from './types.js';

export interface DigestData {
  program: Program;
  /** The program's workstreams, every state. */
  workstreams: Workstream[];
  /** Recent updates of those workstreams (at least the last few of each), newest first. */
  updates: StatusUpdate[];
  /** The program's open blockers. */
  openBlockers: Blocker[];
  /** The program's blockers resolved since the previous digest (empty when there is none). */
  resolvedBlockers: Blocker[];
  /** Dependencies with the program on either side. */
  dependencies: Dependency[];
  /** Workstreams of other programs that those dependencies name. */
  otherWorkstreams: Workstream[];
  milestones: Milestone[];
  /** What the previous posted digest of the same schedule (or program, on demand) showed. */
  previous: DigestSnapshot | undefined;
  now: Date;
  /** The schedule's timezone (or the requesting user's), for the header date and "today". */
  timezone: string;
  variant: DigestVariant;
  /** A workstream without an update for longer than this is stale (workspace setting). */
  staleAfterDays: number;
}

/** What a posted digest showed, kept with its run so the next one can say what changed. */
export interface DigestSnapshot {
  postedAt: Date;
  workstreams: Record<string, WorkstreamSnapshot>;
}

export interface WorkstreamSnapshot {
  health?: Health;
  state: WorkstreamState;
  targetDate?: CalendarDate;
  forecastDate?: CalendarDate;
  openBlockerIds: string[];
}
