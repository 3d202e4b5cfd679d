/**
 * What a use case gathers for one surface and a view renders: plain data, loaded in a fixed number of
 * queries by src/use-cases/, worded by src/views/. Neither side needs to know how the other works.
 */
import type { Blocker, Dependency, Id, Milestone, Program, StatusUpdate, Workstream } from './entities.js';
import type { AtRiskItem, RiskLink, WorkstreamForecast } from './analysis/index.js';
import type { ProgramIntelligence } from './analysis/intelligence.js';
import type { CalendarDate, Health } from './types.js';

// The App Home tab (SPEC §4).

export interface ProgramCounts {
  /** Workstreams that take updates (not started, active, paused). */
  workstreams: number;
  byHealth: Record<Health, number>;
  /** Workstreams that take updates but have had none yet (and are not at risk through dependencies). */
  withoutUpdate: number;
  /** Of those at risk, how many only through what they wait on (they said on track, or nothing yet). */
  atRiskThroughDependencies: number;
  openBlockers: number;
}

export interface HomeProgram {
  program: Program;
  /** Whether the user owns it, or is one of its admins. */
  role: 'owner' | 'admin';
  counts: ProgramCounts;
}

export interface HomeBlocker {
  blocker: Blocker;
  /** Undefined if the workstream was removed. */
  workstream: Workstream | undefined;
}

export interface HomeDependency {
  dependency: Dependency;
  /** The user's workstream that is to deliver. */
  provider: Workstream | undefined;
  /** The workstream waiting for it. */
  consumer: Workstream | undefined;
}

export interface HomeData {
  userId: string;
  /** Workstreams the user leads, in active programs, not cancelled; by program then key. */
  workstreams: Workstream[];
  /** Active programs the user owns or administers, by key. */
  programs: HomeProgram[];
  /** Open blockers the user owns, oldest first. */
  blockers: HomeBlocker[];
  /** Open dependencies that workstreams the user leads are to provide, soonest first. */
  owes: HomeDependency[];
  /** Programs the user follows (`/program follow`), archived ones included, in the order followed. */
  following?: Program[];
  /** Lists that reached HOME_FETCH_LIMIT, so may hold more than were read. */
  truncated: {
    workstreams: boolean;
    programs: boolean;
    blockers: boolean;
    owes: boolean;
    following?: boolean;
  };
  /** Each of the user's workstreams' chains both ways, by hex id (SPEC §6). */
  chains: ReadonlyMap<string, WorkstreamChains>;
}

// A workstream: its card, and an update just recorded.

export interface RecordedUpdate {
  update: StatusUpdate;
  workstream: Workstream;
  openedBlocker?: Blocker;
  /** The same request was recorded before (a double click, a retried submission). */
  duplicate: boolean;
}

export interface WorkstreamCard {
  workstream: Workstream;
  program: Program | undefined;
  /** Newest first, at most TREND_LENGTH. */
  updates: StatusUpdate[];
  blockers: Blocker[];
  /** What this workstream needs from others, and what others need from it. */
  needs: Array<{ dependency: Dependency; other: Workstream | undefined }>;
  owes: Array<{ dependency: Dependency; other: Workstream | undefined }>;
  /** Its place in the workspace's dependency chains (SPEC §6). */
  chains: WorkstreamChains;
}

/** `/status <workstream> history`: its latest updates, newest first (SPEC §2). */
export interface WorkstreamHistory {
  workstream: Workstream;
  /** Newest first, at most HISTORY_LENGTH. */
  updates: StatusUpdate[];
  /** It has older updates than these. */
  more: boolean;
}

/** `/program export`: what was written, and where it went (SPEC §7). */
export interface ExportSent {
  program: Program;
  rows: number;
  /** `client`: internal updates and Slack user ids left out. */
  audience: 'team' | 'client';
  since?: CalendarDate;
  delivery:
    | { kind: 'sent'; channelId: string; fileId: string }
    /** Nothing to export: no file was sent. */
    | { kind: 'empty' }
    /** Slack's error code, or this side's (`no_dm_channel`). */
    | { kind: 'failed'; error: string };
}

/** A workstream's chains both ways: what it waits on to the root cause, and the at-risk work it holds up. */
export interface WorkstreamChains {
  /** Today where the card is read (dates are relative to it). */
  today: CalendarDate;
  /** Its own and propagated forecast; absent when it takes part in no standing dependency. */
  forecast?: WorkstreamForecast;
  /** Present when it is at risk through what it waits on. */
  risk?: AtRiskItem;
  /** Hex ids of the at-risk work whose chain runs through it, in the analysis' order. */
  reaches: string[];
  /** Every workstream the chains name, by hex id. */
  named: ReadonlyMap<string, Workstream>;
}

/** Why a dependency is at risk, for the warning both leads get (SPEC §6). */
export interface DependencyAtRisk {
  /** From this dependency to the root cause; empty when only the provider's stated health says so. */
  chain: RiskLink[];
  /** The provider says it is off track (SPEC §3), though no date says late yet. */
  providerOffTrack?: boolean;
}

// A program at a glance.

export interface ProgramOverview {
  program: Program;
  workstreams: Workstream[];
  blockers: Blocker[];
  dependencies: Dependency[];
  /** Workstreams of other programs named by the dependencies. */
  otherWorkstreams: Workstream[];
  milestones: Milestone[];
}

// `/program risks`: the analysis of SPEC §6, with the names to say it in.

export interface ProgramRisks extends ProgramIntelligence {
  /** What is read: a program, or a portfolio (`risks portfolio:<key>`) of programs. */
  subject: { kind: 'program' | 'portfolio'; key: string; name: string };
  /** The programs read, by hex id: their at-risk work is listed. */
  programIds: ReadonlySet<string>;
  /** A program's own workstreams are named without its key; a portfolio names every program's. */
  home?: Id;
  /** The program's today (dates are shown relative to it). */
  today: CalendarDate;
  /** Every workstream the analysis names, by hex id. */
  workstreams: ReadonlyMap<string, Workstream>;
  milestones: Milestone[];
}

// `/program sample remove`: what was deleted of the sample portfolio (issue 14).

/** How many of each were deleted. */
export interface SampleRemovedCounts {
  programs: number;
  workstreams: number;
  updates: number;
  blockers: number;
  dependencies: number;
  milestones: number;
  schedules: number;
  digestRuns: number;
  reminders: number;
  resources: number;
  allocations: number;
}

export type SampleRemoval =
  | { removed: false }
  | {
      removed: true;
      programs: Program[];
      counts: SampleRemovedCounts;
      /** The sample's shared resources left in place, since other work is booked on them now. */
      keptResources: string[];
    };
