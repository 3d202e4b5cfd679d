import type { Connection } from 'mongoose';
import { auditLog, type AuditLog } from './data/audit.js';
import { blockerStore, type BlockerStore } from './data/blockers.js';
import { capacityNoticeStore, type CapacityNoticeStore } from './data/capacity-notices.js';
import { systemNow, type Now } from './clock.js';
import { claimStore, type ClaimStore } from './data/claims.js';
import { runStore, type RunStore } from './data/digest-runs.js';
import { dependencyStore, type DependencyStore } from './data/dependencies.js';
import { followerDigestStore, type FollowerDigestStore } from './data/follower-digests.js';
import { followerStore, type FollowerStore } from './data/followers.js';
import { milestoneStore, type MilestoneStore } from './data/milestones.js';
import { portfolioStore, type PortfolioStore } from './data/portfolios.js';
import { partitions, type LayoutSetting } from './data/partitions.js';
import { programStore, type ProgramStore } from './data/programs.js';
import { reminderStore, type ReminderStore } from './data/reminders.js';
import { resourceStore, type ResourceStore } from './data/resources.js';
import { scheduleStore, type ScheduleStore } from './data/schedules.js';
import { timeAwayStore, type TimeAwayStore } from './data/time-away.js';
import { updateStore, type UpdateStore } from './data/updates.js';
import { workspaceStore, type WorkspaceStore } from './data/workspaces.js';
import { workstreamStore, type WorkstreamStore } from './data/workstreams.js';
import type { Logger } from './logger.js';
import { UserDirectory } from './slack/user-directory.js';
import { SlackPacer } from './slack/pacing.js';
import { HomeRefresher } from './use-cases/home-refresh.js';
import { publishHome } from './use-cases/publish-home.js';
import { environmentTokens, type ClientFor, type WorkspaceTokens } from './slack/workspace-client.js';

/** Data access, one store per concept; every method takes the workspace it is scoped to. */
export interface Stores {
  workspaces: WorkspaceStore;
  programs: ProgramStore;
  workstreams: WorkstreamStore;
  updates: UpdateStore;
  blockers: BlockerStore;
  dependencies: DependencyStore;
  milestones: MilestoneStore;
  resources: ResourceStore;
  audit: AuditLog;
  schedules: ScheduleStore;
  runs: RunStore;
  reminders: ReminderStore;
  claims: ClaimStore;
  /** Who is away (`/status away`): no reminders or escalations to them. */
  timeAway: TimeAwayStore;
  capacityNotices: CapacityNoticeStore;
  portfolios: PortfolioStore;
  /** Who follows which program (`/program follow`). */
  followers: FollowerStore;
  /** The scheduled digests sent to followers by DM, one per follower and run. */
  followerDigests: FollowerDigestStore;
}

/** What handlers and jobs may use: the core's stores and capabilities, never raw queries. */
export interface Services {
  log: Logger;
  /** The wall clock: every reading of the current time goes through it (tests pin it). */
  now: Now;
  stores: Stores;
  users: UserDirectory;
  /** A Web API client for a workspace, for work no request carries (jobs). */
  slackFor: ClientFor;
  /** The workspaces' Slack tokens, forgotten when Slack revokes them. */
  tokens: WorkspaceTokens;
  /** A digest slot missed by less than this is caught up; older ones are skipped. */
  digestGraceMs: number;
  /** The pace of posting in each channel, shared by every digest this process posts; none when unpaced. */
  pacer?: SlackPacer;
  /** Home tab redraws asked for as a side effect (after an update), coalesced per user. */
  homes: HomeRefresher;
}

export function createStores(connection: Connection, layout: LayoutSetting = 'auto'): Stores {
  const db = partitions(connection, layout);
  return {
    workspaces: workspaceStore(connection),
    programs: programStore(db),
    workstreams: workstreamStore(db),
    updates: updateStore(db),
    blockers: blockerStore(db),
    dependencies: dependencyStore(db),
    milestones: milestoneStore(db),
    resources: resourceStore(db),
    audit: auditLog(db),
    schedules: scheduleStore(connection),
    runs: runStore(db),
    reminders: reminderStore(db),
    claims: claimStore(db),
    timeAway: timeAwayStore(db),
    capacityNotices: capacityNoticeStore(db),
    portfolios: portfolioStore(db),
    followers: followerStore(db),
    followerDigests: followerDigestStore(db),
  };
}

export function createServices(
  connection: Connection,
  log: Logger,
  options: {
    now?: Now | undefined;
    slackFor: ClientFor;
    /** Stored tokens (OAuth); by default the one token comes from the environment. */
    tokens?: WorkspaceTokens;
    digestGraceMs: number;
    /** Where each workspace's documents live (default: decided by the server). */
    layout?: LayoutSetting;
    slackPostIntervalMs?: number;
    /** At most one side-effect Home redraw per user this often (0: each at once). */
    homeRefreshIntervalMs?: number;
    /** Tracks background work so shutdown waits for it. */
    track?: <T>(work: () => Promise<T>) => Promise<T>;
  },
): Services {
  const interval = options.slackPostIntervalMs ?? 0;
  const services: Services = {
    log,
    now: options.now ?? systemNow,
    stores: createStores(connection, options.layout),
    users: new UserDirectory(log),
    slackFor: options.slackFor,
    tokens: options.tokens ?? environmentTokens,
    digestGraceMs: options.digestGraceMs,
    ...(interval > 0 ? { pacer: new SlackPacer(interval) } : {}),
    homes: new HomeRefresher(
      (client, teamId, userId) => publishHome(services, client, teamId, userId),
      options.track ?? ((work) => work()),
      options.homeRefreshIntervalMs ?? 0,
    ),
  };
  return services;
}
