/**
 * What Cairn stores, in the program manager's words (SPEC §1): the entities the domain, the use cases
 * and the views work with. Plain data, no persistence: src/data/ maps each to a MongoDB collection.
 */
import type { DigestSnapshot } from './digest-data.js';
import type { ProgramCreation } from './permissions.js';
import type { ScheduleInput } from './schedule.js';
import type { CalendarDate, Health, UpdateSource, WorkstreamState } from './types.js';

/**
 * A stored entity's id: MongoDB's ObjectId at run time, of which the rest of Cairn needs only its
 * hex form (to compare, to key maps, to put in a button). Compare with sameId, not ===.
 */
export interface Id {
  toHexString(): string;
}

export const sameId = (a: Id, b: Id): boolean => a.toHexString() === b.toHexString();

/** Who changed what, when (SPEC §1). Append-only. */
export interface AuditEvent {
  teamId: string;
  actorId: string;
  action: string;
  target: { kind: string; id?: Id; key?: string };
  details?: Record<string, unknown>;
  at: Date;
}

export interface Blocker {
  _id: Id;
  teamId: string;
  programId: Id;
  workstreamId: Id;
  text: string;
  /** Who is expected to clear it; the workstream's lead unless said otherwise. */
  ownerId: string;
  openedBy: string;
  openedAt: Date;
  /** Opened by an update (its id) or by hand. */
  updateId?: Id;
  /**
   * Its text is left out of client digests (SPEC §3, §7). New blockers are internal unless said
   * otherwise; one stored before issue 11 without the field is client-visible, as it always was.
   */
  internal?: boolean;
  resolvedAt?: Date;
  resolvedBy?: string;
  /** How many escalation thresholds this blocker has crossed and been brought to the owner for. */
  escalations?: number;
  escalatedAt?: Date;
}

export type DependencyState = 'open' | 'met' | 'broken';

/**
 * Issue 15: the providing workstream's answer to a dependency. `depend` (and every re-plan) asks the
 * provider's lead; until they answer it is `requested`. `committed` carries the date they commit to:
 * the date needed when they click Commit, or another date they propose (`proposed`, so the consumer
 * sees it was not the date asked for). `declined`: it will not be delivered, which the analysis treats
 * like a broken dependency. A dependency stored before commitments existed has none and counts as
 * committed on its needed-by date.
 */
export interface DependencyCommitment {
  state: 'requested' | 'committed' | 'declined';
  /** Committed: the date the provider commits to. */
  date?: CalendarDate;
  /** Committed to a date other than the one asked for. */
  proposed?: boolean;
  /** When it was asked (created or re-planned): the 3 working days to answer count from here. */
  requestedAt: Date;
  answeredBy?: string;
  answeredAt?: Date;
}

/** The consumer workstream needs `deliverable` from the provider workstream by `neededBy`. */
export interface Dependency {
  _id: Id;
  teamId: string;
  consumerId: Id;
  consumerProgramId: Id;
  providerId: Id;
  providerProgramId: Id;
  deliverable: string;
  neededBy: CalendarDate;
  state: DependencyState;
  createdBy: string;
  createdAt: Date;
  changedBy?: string;
  changedAt?: Date;
  /** Set while the dependency is at risk and both leads have been told; cleared when it recovers. */
  atRiskNotifiedAt?: Date;
  /** How many times it has recovered from being at risk; keys each warning's once-only claim. */
  atRiskEpisodes?: number;
  /**
   * Re-planning: `/program depend` again for the same consumer and provider while this one is open or
   * broken gives it a new needed-by date (and deliverable) and makes it open again. `replannedFrom` is
   * the needed-by date it had before the latest re-plan, by `replannedBy` at `replannedAt`; `replans`
   * counts them (a dependency that slipped more than once). The audit log keeps every re-plan.
   */
  replannedFrom?: CalendarDate;
  replannedBy?: string;
  replannedAt?: Date;
  replans?: number;
  /** The provider's answer (issue 15); absent on dependencies stored before it: committed on `neededBy`. */
  commitment?: DependencyCommitment;
}

export type RunState = 'claimed' | 'posted' | 'failed' | 'skipped';

/**
 * One slot of one schedule (or one on-demand post). Unique per (workspace, schedule, slot): the
 * insert that creates it is the claim, so however many replicas run, one of them posts the slot.
 * A run is a program's digest or a portfolio's: exactly one of `programId` and `portfolioId` is set.
 */
export interface DigestRun {
  _id: Id;
  teamId: string;
  programId?: Id;
  portfolioId?: Id;
  /**
   * The schedule's id, or `on-demand:<program id>` for `/program digest` (the team digest), or
   * `on-demand:<program id>:<variant>` for `/program digest … as:leadership|client`, or
   * `on-demand-portfolio:<portfolio id>` for `/program portfolio digest`.
   */
  scheduleKey: string;
  slot: Date;
  state: RunState;
  channelId: string;
  claimedBy?: string;
  claimedAt?: Date;
  attempts: number;
  /** When a failed run may be tried again. */
  retryAt?: Date;
  ts?: string;
  postedAt?: Date;
  /** A program's run: what it showed, for the next digest's "what changed" and the charts. */
  snapshot?: DigestSnapshot;
  /** A portfolio's run: each program's counts then, for the next digest's trend and the chart. */
  portfolioCounts?: PortfolioCounts;
  error?: string;
}

/** A dated checkpoint of a program (a release, a phase gate) and the workstreams it needs. */
export interface Milestone {
  _id: Id;
  teamId: string;
  programId: Id;
  name: string;
  date: CalendarDate;
  needs: Id[];
  /** Left out of client digests altogether (SPEC §7); absent (stored before issue 11) means client-visible. */
  internal?: boolean;
  createdBy: string;
  createdAt: Date;
  /** Reached (`/program milestone … done`): out of every forecast and risk from then on. */
  doneAt?: Date;
  doneBy?: string;
  /** The date it had before it was last moved (`moved:<date>`), and how many times it moved. */
  movedFrom?: CalendarDate;
  moves?: number;
}

export type ProgramState = 'active' | 'archived';

/**
 * Who a program reports to beyond its team (SPEC §1, §7): `internal` (the default) or `external`, a
 * client (`/program set <program> audience:client`). Only an external program has a client digest.
 */
export type AudienceKind = 'internal' | 'external';

export interface Program {
  _id: Id;
  teamId: string;
  key: string;
  name: string;
  objective?: string;
  ownerId: string;
  adminIds: string[];
  audience: AudienceKind;
  channelId?: string;
  state: ProgramState;
  createdAt: Date;
  archivedAt?: Date;
}

/** A named set of programs, read together by leadership (SPEC §7). */
export interface Portfolio {
  _id: Id;
  teamId: string;
  key: string;
  name: string;
  /** Who created it: they (and workspace admins) may change it. */
  ownerId: string;
  programIds: Id[];
  createdAt: Date;
}

/** What a posted portfolio digest showed of each program: program id (hex) → its counts then. */
export type PortfolioCounts = Record<
  string,
  { onTrack: number; atRisk: number; offTrack: number; noUpdate: number }
>;

/** A posted portfolio digest, for the next one's trend and the portfolio's chart. */
export interface PortfolioDigestPosted {
  postedAt: Date;
  counts: PortfolioCounts;
}

/** One reminder to one lead for one digest slot (or one nudge). The insert is the claim. */
export interface Reminder {
  _id: Id;
  teamId: string;
  /** The schedule's id, or `nudge:<program id>` for a nudge from a digest. */
  scheduleKey: string;
  slot: Date;
  leadId: string;
  state: 'claimed' | 'sent' | 'failed';
  claimedBy: string;
  claimedAt: Date;
  channelId?: string;
  ts?: string;
  error?: string;
}

/** Someone who follows a program (`/program follow`): its scheduled digests come to them by DM. */
export interface ProgramFollower {
  _id: Id;
  teamId: string;
  programId: Id;
  userId: string;
  followedAt: Date;
}

/**
 * One scheduled digest sent to one follower by DM: the insert (unique per run and follower) is the
 * claim, made before anything is sent; a claim whose holder died, or a send that failed for a
 * reason that may pass, is taken over later by one replica (src/use-cases/follower-digests.ts).
 */
export interface FollowerDigest {
  _id: Id;
  teamId: string;
  /** The digest run (schedule and slot) this DM copies. */
  runId: Id;
  programId: Id;
  userId: string;
  state: 'claimed' | 'sent' | 'failed';
  claimedBy: string;
  claimedAt: Date;
  attempts: number;
  /** Set on a failure that may pass (not on one Slack will always give): it is tried again. */
  retryAt?: Date;
  /** The DM, once sent. */
  channelId?: string;
  ts?: string;
  error?: string;
}

export interface Allocation {
  workstreamId: Id;
  units: number;
  from: CalendarDate;
  to: CalendarDate;
  createdBy: string;
  createdAt: Date;
}

/** Something several workstreams draw on (an SRE team, a test lab), with a weekly capacity. */
export interface SharedResource {
  _id: Id;
  teamId: string;
  /** The name folded to lower case, unique per workspace, for lookups. */
  key: string;
  name: string;
  capacityPerWeek: number;
  allocations: Allocation[];
  createdBy: string;
  createdAt: Date;
}

/**
 * A digest posted on a schedule: a program's (`programId`, `programKey`) or a portfolio's
 * (`portfolioId`, `portfolioKey`, always the leadership variant, with no reminders); exactly one pair is set.
 */
export interface DigestSchedule extends ScheduleInput {
  _id: Id;
  teamId: string;
  programId?: Id;
  programKey?: string;
  portfolioId?: Id;
  portfolioKey?: string;
  paused: boolean;
  /** Paused by Cairn rather than by a person: reinstalling resumes these, and only these. */
  pausedReason?: 'uninstalled';
  createdBy: string;
  createdAt: Date;
  /** The latest slot the scheduler has dealt with (posted, claimed or skipped). */
  lastSlotAt: Date;
  /** The first slot after `lastSlotAt`; the scheduler's index for "what is due". */
  nextSlotAt?: Date;
}

/** What an author wrote in one update; an edit keeps the earlier wording in `revisions`. */
export interface UpdateContent {
  health: Health;
  blocked: boolean;
  progress?: number;
  summary: string;
  nextSteps?: string;
  blockers?: string;
  forecastDate?: CalendarDate;
  /**
   * Its words (summary, next steps) are left out of client digests (SPEC §7); its health, progress and
   * forecast still count. Absent means client-visible.
   */
  internal?: boolean;
}

export interface StatusUpdate extends UpdateContent {
  _id: Id;
  teamId: string;
  programId: Id;
  workstreamId: Id;
  authorId: string;
  /** The workstream's lead when someone else posted it (SPEC §8: anyone may, marked as on their behalf). */
  onBehalfOf?: string;
  source: UpdateSource;
  createdAt: Date;
  revisions: Array<UpdateContent & { replacedAt: Date }>;
  /**
   * Unique per workspace. A click or a submission derives it from the request, so a repeated request
   * records one update; other updates get a fresh one. (Always set: partial indexes are not portable.)
   */
  requestKey: string;
}

/** A Slack team that uses Cairn, with its settings (SPEC §1). Created on first contact. */
export interface Workspace {
  teamId: string;
  enterpriseId?: string;
  /** As stored: read them through settingsOf (src/domain/settings.ts), which fills in what is missing. */
  settings: {
    defaultTimezone: string;
    staleAfterDays: number;
    escalateBlockersAfterDays: number;
    /** Absent in workspaces stored before `/program settings` existed: anyone may create programs. */
    programCreation?: ProgramCreation;
  };
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** Set while Cairn is uninstalled from the workspace (or its bot token revoked): jobs leave it alone. */
  uninstalledAt?: Date;
}

export interface Workstream {
  _id: Id;
  teamId: string;
  programId: Id;
  /** Copied from the program so `program/workstream` references resolve in one query. */
  programKey: string;
  key: string;
  name: string;
  team: string;
  leadId: string;
  phase?: string;
  targetDate?: CalendarDate;
  state: WorkstreamState;
  /** The health and progress of the latest update (kept here so roll-ups need no history scan). */
  health?: Health;
  progress?: number;
  /** The latest update's forecast date, if it gave one (what the dependency analysis starts from). */
  forecastDate?: CalendarDate;
  lastUpdateAt?: Date;
  createdAt: Date;
}

/** An update is found through its program (updates are stored per program): `<programId>/<updateId>`. */
export interface UpdateRef {
  programId: Id;
  updateId: Id;
}

export const updateRefValue = (update: { programId: Id; _id: Id }): string =>
  `${update.programId.toHexString()}/${update._id.toHexString()}`;
