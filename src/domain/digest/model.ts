/**
 * The digest's view model (SPEC §3): what one digest says, decided here once for every variant,
 * so the Block Kit rendering (src/views/digest-blocks.ts) only formats and never decides.
 *
 * User text is kept as typed (the view escapes it); in the client variant it already has no Slack
 * user ids (mentions become `@name`), no internal notes (next steps, internal updates' summaries),
 * no text of internal blockers, no internal milestones, no capacity conflicts or knock-on items (they
 * name other programs and shared resources), and other programs' work is not named (`anonymous`).
 */
import type { RiskKind } from '../analysis/index.js';
import type { DigestVariant } from '../schedule.js';
import type { CalendarDate, Health, WorkstreamState } from '../types.js';

export interface DigestView {
  variant: DigestVariant;
  header: DigestHeader;
  counts: DigestCounts;
  changes: DigestChanges;
  /** Most severe first: by class (./attention-rank.ts), then as ./attention.ts orders them. */
  attention: AttentionItem[];
  /** Every workstream but cancelled ones, by team; absent in the leadership variant. */
  teams?: TeamGroup[];
  /** Milestones from today to 30 days ahead, soonest first (client variant: client-visible ones only). */
  milestones: MilestoneItem[];
  /** Keys of the workstreams missing an update (whom "Nudge the missing ones" reaches). */
  missingKeys: string[];
  /** Every open blocker, oldest first, to act on from the thread; team variant only. */
  openBlockers?: OpenBlocker[];
  /** Who among the leads of live work is away, by user id; team variant only, absent when nobody is. */
  away?: LeadAway[];
  /** Critical path, bottlenecks and recommendations (SPEC §6); leadership variant only. */
  outlook?: Outlook;
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
  /** When a posted digest was drawn again from current data, e.g. `Thu 26 Nov 14:05`. */
  updated?: string;
  today: CalendarDate;
  objective?: string;
  /** The program owner's Slack id; absent in the client variant. */
  ownerId?: string;
  /** The day the updates read start, when the program had more than a digest reads. */
  historyFrom?: CalendarDate;
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
  /** Of `atRisk`: work stated on track (or not yet updated) that is at risk through what it waits on. */
  atRiskThroughDependencies: number;
  /** What `noUpdate` is measured against: the previous digest's date, else the stale-after days. */
  noUpdateSince: { previousDigest: CalendarDate } | { staleAfterDays: number };
}

/** How a digest line names a workstream. */
export interface WorkstreamLabel {
  /** Its stored id (hex), for what acts on the line; absent in the client variant, where nothing does. */
  id?: string;
  key: string;
  programKey: string;
  name: string;
  /** Absent in the client variant. */
  leadId?: string;
  /** In another program than the digest's (a dependency's other side). */
  external: boolean;
  /**
   * Client variant: work in another program, not named (that program may not be client-facing, or be
   * another client's); key, program key and name are then empty.
   */
  anonymous?: true;
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
  /**
   * Milestones whose date moved, later first (most days first), then earlier (most days first);
   * milestones added or reached since are not told. Absent from the previous digest's snapshot (a run
   * from before milestones were kept): empty.
   */
  milestoneMoves: MilestoneMove[];
  /** Milestones whose forecast moved later (slips only), most days first. */
  milestoneSlips: MilestoneMove[];
}

/** A milestone's date, or its forecast, moved since the previous digest. */
export interface MilestoneMove {
  /** Its name as this variant may show it. */
  milestone: string;
  from: CalendarDate;
  to: CalendarDate;
  /** Positive when it moved later, negative when earlier. */
  days: number;
}

export interface HealthTransition {
  workstream: WorkstreamLabel;
  /** Absent when the previous digest knew no health (no update then, or a workstream added since). */
  from?: Health;
  to: Health;
  /** The latest update's summary (absent in the client variant when that update is internal). */
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

export type AttentionItem =
  | ChainAttention
  | KnockOnAttention
  | HealthAttention
  | CapacityAttention
  | MissingUpdate
  | SignalsDisagree
  | UnansweredRequest;

/**
 * Work of this program at risk through what it waits on (SPEC §6), with the chain of facts from it to
 * the root cause, across programs. Its own health, summary and blockers come with it, so it is listed
 * once.
 */
export interface ChainAttention {
  kind: 'chain';
  workstream: WorkstreamLabel;
  /** Its stated health, when it has one. */
  health?: Health;
  /** Its forecast pushed later by what it waits on, when that moves it. */
  forecast?: CalendarDate;
  slipDays: number;
  /** From it to the root cause: each link's provider is the next link's consumer. */
  chain: ChainLink[];
  /** How many other dependencies also put it at risk. */
  otherReasons: number;
  /** When the chain ends on a cycle: the cycle's workstreams in order. */
  cycle?: Array<WorkstreamLabel | undefined>;
  summary?: string;
  blockers: BlockerItem[];
}

export interface ChainLink {
  kind: RiskKind;
  /** Absent when that workstream could not be found. */
  provider?: WorkstreamLabel;
  deliverable: string;
  neededBy: CalendarDate;
  /** The provider's propagated forecast. */
  providerForecast?: CalendarDate;
  /** `late`: days past the date needed; `overdue`: days since it. */
  days?: number;
  /** Issue 15: the provider's answer, when it was asked for one; `committed` is the date committed to. */
  commitment?: 'requested' | 'committed' | 'declined';
  committed?: CalendarDate;
  proposed?: boolean;
}

/**
 * Issue 15: a dependency the providing workstream's lead has not answered (commit, propose another
 * date, decline) within 3 working days of being asked; this program is on either side of it.
 */
export interface UnansweredRequest {
  kind: 'unanswered_request';
  /** This program's side of it: the consumer when it is this program's, else the provider. */
  workstream: WorkstreamLabel;
  consumer?: WorkstreamLabel;
  provider?: WorkstreamLabel;
  deliverable: string;
  neededBy: CalendarDate;
  /** The day it was asked, in the digest's timezone. */
  requestedOn: CalendarDate;
  workingDays: number;
}

/** Work of this program that at-risk work in other programs waits on: this program's slip lands there. */
export interface KnockOnAttention {
  kind: 'knock_on';
  workstream: WorkstreamLabel;
  /** Its propagated forecast. */
  forecast?: CalendarDate;
  /** The other programs' at-risk work whose chain runs through it, by program then key. */
  waiting: WorkstreamLabel[];
}

/** A shared resource over capacity in a week, with this program's work among the bookings. */
export interface CapacityAttention {
  kind: 'capacity';
  resource: string;
  capacity: number;
  total: number;
  excess: number;
  week: number;
  /** The week's Monday. */
  monday: CalendarDate;
  /** Most units first. */
  byProgram: Array<{ programKey: string; units: number }>;
  /** This program's workstreams booked that week. */
  ours: Array<{ key: string; name: string; units: number }>;
}

/** Off-track and at-risk work with its open blockers, oldest first. */
export interface HealthAttention {
  kind: 'off_track' | 'at_risk';
  workstream: WorkstreamLabel;
  summary?: string;
  blockers: BlockerItem[];
}

/** An active or paused workstream without an update since the previous digest (or for too long). */
export interface MissingUpdate {
  kind: 'missing_update';
  workstream: WorkstreamLabel;
  /** Absent when it never had one. */
  lastUpdate?: CalendarDate;
  daysSinceUpdate?: number;
  /** Its lead is away through this day (`/status away`): shown instead of "missing"; never to clients. */
  leadAwayUntil?: CalendarDate;
}

/** A lead of this program's live work who is away (`/status away`), for the team digest's thread. */
export interface LeadAway {
  userId: string;
  /** The last day away. */
  until: CalendarDate;
  /** Keys of their live workstreams in this program. */
  workstreamKeys: string[];
}

/** Work stated on track (or at risk) while its facts say worse (SPEC §6, signals against stated health). */
export interface SignalsDisagree {
  kind: 'signals';
  workstream: WorkstreamLabel;
  health: 'on_track' | 'at_risk';
  signals: Signal[];
}

export type Signal =
  | { kind: 'past_target'; targetDate: CalendarDate; daysOverdue: number }
  | { kind: 'forecast_past_target'; forecast: CalendarDate; targetDate: CalendarDate; daysLate: number }
  /** Open at least the workspace's escalation threshold (on-track work only: at-risk work lists its blockers). */
  | { kind: 'old_blocker'; blocker: BlockerItem }
  /** What it waits on is off track (a late one makes it a chain instead). */
  | { kind: 'provider_off_track'; provider?: WorkstreamLabel; deliverable: string; neededBy: CalendarDate }
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
  /** At risk through what it waits on: the first provider of its chain. */
  waitsOnLate?: WorkstreamLabel;
}

export interface MilestoneItem {
  name: string;
  date: CalendarDate;
  daysAway: number;
  needs: Array<{ workstream: WorkstreamLabel; health?: Health; state: WorkstreamState }>;
  /** The latest propagated forecast of the work it needs, when any has one. */
  forecast?: CalendarDate;
  /** Days the forecast passes its date (0 when it does not). */
  daysLate: number;
  /** Its forecast passes its date, or work it needs is off track or at risk. */
  atRisk: boolean;
}

/** What the leadership digest adds (SPEC §6): where the program's finish is decided and what to change. */
export interface Outlook {
  /** The chain of work that decides the program's earliest finish; absent when nothing has a forecast. */
  criticalPath?: { finish: CalendarDate; steps: Array<WorkstreamLabel | undefined> };
  /** What the most at-risk work waits on, most first. */
  bottlenecks: Bottleneck[];
  recommendations: Recommendation[];
}

export type Bottleneck =
  | { kind: 'workstream'; workstream: WorkstreamLabel; waiting: number }
  | { kind: 'team' | 'resource'; name: string; waiting: number };

/** A suggestion for a change of process, with the evidence for it. */
export type Recommendation =
  /** Its forecast moved later at every weekly step, oldest first. */
  | { kind: 'forecast_keeps_moving'; workstream: WorkstreamLabel; forecasts: CalendarDate[] }
  /** Weekly updates a team's open work did not give over the last weeks. */
  | { kind: 'updates_missing'; team: string; missed: number; expected: number; weeks: number }
  /** Blockers opened on one team's work within the window the digest reads. */
  | { kind: 'blockers_recur'; team: string; blockers: number; weeks: number }
  /** A dependency of this program's work re-planned more than once: its date was never one to rely on. */
  | {
      kind: 'dependency_replanned';
      consumer?: WorkstreamLabel;
      provider?: WorkstreamLabel;
      deliverable: string;
      replans: number;
      neededBy: CalendarDate;
    }
  /** A shared resource over capacity in several weeks. */
  | {
      kind: 'resource_overbooked';
      resource: string;
      weeks: number;
      worstWeek: number;
      worstTotal: number;
      capacity: number;
    }
  /** One workstream that much at-risk work waits on. */
  | { kind: 'bottleneck'; workstream: WorkstreamLabel; waiting: number };
