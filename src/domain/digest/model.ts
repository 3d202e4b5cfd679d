/**
 * The digest's view model (SPEC §3): what one digest says, decided here once for every variant,
 * so the Block Kit rendering (src/views/digest-blocks.ts) only formats and never decides.
 *
 * User text is kept as typed (the view escapes it); in the client variant it already has no Slack
 * user ids (mentions become `@name`), no internal notes and no text of internal blockers.
 */
import type { DigestVariant } from '../schedule.js';
import type { CalendarDate, Health, WorkstreamState } from '../types.js';

export interface DigestView {
  variant: DigestVariant;
  header: DigestHeader;
  counts: DigestCounts;
  changes: DigestChanges;
  /** Most severe first (the order is documented in ./attention.ts). */
  attention: AttentionItem[];
  /** Every workstream but cancelled ones, by team; absent in the leadership variant. */
  teams?: TeamGroup[];
  /** Milestones from today to 30 days ahead, soonest first. */
  milestones: MilestoneItem[];
  /** Keys of the workstreams missing an update (whom "Nudge the missing ones" reaches). */
  missingKeys: string[];
  /** Every open blocker, oldest first, to act on from the thread; team variant only. */
  openBlockers?: OpenBlocker[];
}

export interface OpenBlocker {
  workstream: WorkstreamLabel;
  blocker: BlockerItem;
}

export interface DigestHeader {
  programKey: string;
  programName: string;
  /** The digest's date in its timezone, e.g. `Wed 25 Nov 2026`. */
  date: string;
  today: CalendarDate;
  objective?: string;
  /** The program owner's Slack id; absent in the client variant. */
  ownerId?: string;
}

/**
 * How many workstreams stand where. Cancelled workstreams are not counted at all; done ones only as
 * `done`. Every other workstream is counted once in on track / at risk / off track (by its latest
 * stated health, even when that is old) or in not started (no update ever). `noUpdate` is a subset
 * count on top of those: active or paused workstreams whose latest update (if any) is older than the
 * previous digest, or, without one, older than `staleAfterDays`.
 */
export interface DigestCounts {
  onTrack: number;
  atRisk: number;
  offTrack: number;
  notStarted: number;
  noUpdate: number;
  done: number;
  /** What `noUpdate` is measured against: the previous digest's date, else the stale-after days. */
  noUpdateSince: { previousDigest: CalendarDate } | { staleAfterDays: number };
}

/** How a digest line names a workstream. */
export interface WorkstreamLabel {
  key: string;
  programKey: string;
  name: string;
  /** Absent in the client variant. */
  leadId?: string;
  /** In another program than the digest's (a dependency's other side). */
  external: boolean;
}

export interface BlockerItem {
  id: string;
  /** Absent for an internal blocker in a client digest (shown as "an internal blocker"). */
  text?: string;
  /** Whole days since it was opened. */
  ageDays: number;
  /** Absent in the client variant. */
  ownerId?: string;
}

export interface DigestChanges {
  /** False for a program's first digest: then every list below is empty. */
  hasPrevious: boolean;
  /** The previous digest's date in the digest's timezone. */
  since?: CalendarDate;
  /** Worst destination first (to off track, then at risk, then on track). */
  healthTransitions: HealthTransition[];
  /** Blockers opened after the previous digest and still open, oldest first. */
  newBlockers: BlockerChange[];
  resolvedBlockers: BlockerChange[];
  completed: WorkstreamLabel[];
  targetSlips: DateSlip[];
  forecastSlips: DateSlip[];
}

export interface HealthTransition {
  workstream: WorkstreamLabel;
  /** Absent when the previous digest knew no health (no update then, or a workstream added since). */
  from?: Health;
  to: Health;
  /** The latest update's summary. */
  reason?: string;
}

export interface BlockerChange {
  /** Absent when the workstream is no longer in the program. */
  workstream?: WorkstreamLabel;
  blocker: BlockerItem;
}

export interface DateSlip {
  workstream: WorkstreamLabel;
  from: CalendarDate;
  to: CalendarDate;
  days: number;
}

export type AttentionItem = HealthAttention | DependencyAttention | MissingUpdate | SignalsDisagree;

/** Off-track and at-risk work with its open blockers, oldest first. */
export interface HealthAttention {
  kind: 'off_track' | 'at_risk';
  workstream: WorkstreamLabel;
  summary?: string;
  blockers: BlockerItem[];
}

/** An open dependency whose provider will likely not deliver in time. */
export interface DependencyAttention {
  kind: 'dependency';
  /** Absent when that workstream could not be found. */
  consumer?: WorkstreamLabel;
  provider?: WorkstreamLabel;
  deliverable: string;
  neededBy: CalendarDate;
  reasons: DependencyRisk[];
}

export type DependencyRisk =
  /** The provider's forecast (its latest update's, else its target date) is after `neededBy`. */
  | { kind: 'late'; expected: CalendarDate; basis: 'forecast' | 'target'; daysLate: number }
  | { kind: 'provider_off_track' }
  | { kind: 'provider_cancelled' }
  /** `neededBy` has passed and the dependency is still open. */
  | { kind: 'overdue'; daysOverdue: number };

/** An active or paused workstream without an update since the previous digest (or for too long). */
export interface MissingUpdate {
  kind: 'missing_update';
  workstream: WorkstreamLabel;
  /** Absent when it never had one. */
  lastUpdate?: CalendarDate;
  daysSinceUpdate?: number;
}

/** A workstream stated on track while its signals say otherwise. */
export interface SignalsDisagree {
  kind: 'signals';
  workstream: WorkstreamLabel;
  signals: Signal[];
}

export type Signal =
  | { kind: 'past_target'; targetDate: CalendarDate; daysOverdue: number }
  | { kind: 'old_blocker'; blocker: BlockerItem }
  | { kind: 'stale'; daysSinceUpdate: number };

export interface TeamGroup {
  team: string;
  lines: WorkstreamLine[];
}

/** How a by-team line is marked: its latest health, or ⏸ never updated, ⚪ missing an update, done. */
export type LineMark = Health | 'not_started' | 'no_update' | 'done';

export interface WorkstreamLine {
  workstream: WorkstreamLabel;
  mark: LineMark;
  state: WorkstreamState;
  health?: Health;
  progress?: number;
  targetDate?: CalendarDate;
  /** Health of its last four updates, oldest first. */
  trend: Health[];
  summary?: string;
  /** Absent in the client variant (internal notes). */
  nextSteps?: string;
  openBlockers: number;
}

export interface MilestoneItem {
  name: string;
  date: CalendarDate;
  daysAway: number;
  needs: Array<{ workstream: WorkstreamLabel; health?: Health; state: WorkstreamState }>;
  /** Whether any workstream it needs is off track or at risk. */
  atRisk: boolean;
}
