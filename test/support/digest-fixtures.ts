/** Builds DigestData in code: a program, its workstreams and their history, relative to NOW. */
import type {
  Blocker,
  Dependency,
  Milestone,
  Program,
  SharedResource,
  StatusUpdate,
  Workstream,
} from '../../src/domain/entities.js';
import { Types } from 'mongoose';
import type { DigestData, MilestoneSnapshot, WorkstreamSnapshot } from '../../src/domain/digest-data.js';
import { atRiskReasons, workstreamChains } from '../../src/domain/analysis/intelligence.js';
import type { DependencyAtRisk, WorkstreamChains } from '../../src/domain/read-models.js';
import type { DigestVariant } from '../../src/domain/schedule.js';
import type { CalendarDate, Health } from '../../src/domain/types.js';

/** Wednesday 25 Nov 2026, 15:00 UTC. */
export const NOW = new Date('2026-11-25T15:00:00Z');
export const TODAY = '2026-11-25';
const DAY_MS = 86_400_000;
export const daysAgo = (days: number): Date => new Date(NOW.getTime() - days * DAY_MS);
/** The calendar date `days` from TODAY (negative for the past). */
export const inDays = (days: number): CalendarDate =>
  new Date(Date.parse(`${TODAY}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

const TEAM_ID = 'T0001';
let requestCounter = 0;

export interface UpdateOptions {
  health: Health;
  /** Days before NOW (fractions allowed). */
  ago: number;
  summary?: string;
  nextSteps?: string;
  progress?: number;
  forecastDate?: CalendarDate;
}

export class DigestFixture {
  readonly program: Program;
  readonly workstreams: Workstream[] = [];
  readonly otherWorkstreams: Workstream[] = [];
  readonly updates: StatusUpdate[] = [];
  readonly openBlockers: Blocker[] = [];
  readonly resolvedBlockers: Blocker[] = [];
  /** The workspace's dependencies (the digest reads the open and broken ones). */
  readonly dependencies: Dependency[] = [];
  readonly resources: SharedResource[] = [];
  readonly milestones: Milestone[] = [];
  previousAt: Date | undefined;
  readonly snapshot: Record<string, WorkstreamSnapshot> = {};
  /** What the previous digest kept of milestones (milestoneWas); absent, as in runs from before it did. */
  milestoneSnapshot: Record<string, MilestoneSnapshot> | undefined;

  constructor(program: Partial<Program> = {}) {
    this.program = {
      _id: new Types.ObjectId(),
      teamId: TEAM_ID,
      key: 'checkout',
      name: 'Checkout revamp',
      objective: 'Lift checkout conversion by 5%',
      ownerId: 'UOWNER1',
      adminIds: [],
      audience: 'internal',
      channelId: 'C0001',
      state: 'active',
      createdAt: daysAgo(90),
      ...program,
    };
  }

  /** A workstream of this program (or, with `program`, of another one, for dependencies). */
  workstream(key: string, fields: Partial<Workstream> = {}, program?: Program): Workstream {
    const p = program ?? this.program;
    const w: Workstream = {
      _id: new Types.ObjectId(),
      teamId: TEAM_ID,
      programId: p._id,
      programKey: p.key,
      key,
      name: `Workstream ${key}`,
      team: 'Core',
      leadId: `ULEAD${key.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}`,
      state: 'not_started',
      createdAt: daysAgo(60),
      ...fields,
    };
    (program ? this.otherWorkstreams : this.workstreams).push(w);
    return w;
  }

  /** Records an update and moves the workstream's latest health forward as the store does. */
  update(w: Workstream, o: UpdateOptions): StatusUpdate {
    const createdAt = daysAgo(o.ago);
    const u: StatusUpdate = {
      _id: new Types.ObjectId(),
      teamId: TEAM_ID,
      programId: w.programId,
      workstreamId: w._id,
      authorId: w.leadId,
      source: 'command',
      createdAt,
      revisions: [],
      requestKey: `r${++requestCounter}`,
      health: o.health,
      blocked: false,
      summary: o.summary ?? `${o.health} update ${o.ago}d ago`,
      ...(o.nextSteps ? { nextSteps: o.nextSteps } : {}),
      ...(o.progress === undefined ? {} : { progress: o.progress }),
      ...(o.forecastDate ? { forecastDate: o.forecastDate } : {}),
    };
    this.updates.push(u);
    if (!w.lastUpdateAt || w.lastUpdateAt <= createdAt) {
      w.health = o.health;
      w.lastUpdateAt = createdAt;
      if (o.progress !== undefined) w.progress = o.progress;
      if (o.forecastDate) w.forecastDate = o.forecastDate;
      else delete w.forecastDate;
    }
    if (w.state === 'not_started') w.state = 'active';
    return u;
  }

  blocker(
    w: Workstream,
    text: string,
    o: { ago: number; internal?: boolean; resolvedAgo?: number } = { ago: 1 },
  ): Blocker {
    const b: Blocker = {
      _id: new Types.ObjectId(),
      teamId: TEAM_ID,
      programId: w.programId,
      workstreamId: w._id,
      text,
      ownerId: w.leadId,
      openedBy: w.leadId,
      openedAt: daysAgo(o.ago),
      internal: o.internal ?? false,
      ...(o.resolvedAgo === undefined ? {} : { resolvedAt: daysAgo(o.resolvedAgo), resolvedBy: w.leadId }),
    };
    (o.resolvedAgo === undefined ? this.openBlockers : this.resolvedBlockers).push(b);
    return b;
  }

  dependency(
    consumer: Workstream,
    provider: Workstream,
    neededBy: CalendarDate,
    deliverable = 'the API',
    state: Dependency['state'] = 'open',
  ): Dependency {
    const d: Dependency = {
      _id: new Types.ObjectId(),
      teamId: TEAM_ID,
      consumerId: consumer._id,
      consumerProgramId: consumer.programId,
      providerId: provider._id,
      providerProgramId: provider.programId,
      deliverable,
      neededBy,
      state,
      createdBy: 'UOWNER1',
      createdAt: daysAgo(30),
    };
    this.dependencies.push(d);
    return d;
  }

  /** A shared resource with `units` a week booked for each workstream from `from` to `to`. */
  resource(
    name: string,
    capacityPerWeek: number,
    bookings: Array<[Workstream, number, CalendarDate, CalendarDate]>,
  ): SharedResource {
    const r: SharedResource = {
      _id: new Types.ObjectId(),
      teamId: TEAM_ID,
      key: name.toLowerCase(),
      name,
      capacityPerWeek,
      allocations: bookings.map(([w, units, from, to]) => ({
        workstreamId: w._id,
        units,
        from,
        to,
        createdBy: 'UOWNER1',
        createdAt: daysAgo(10),
      })),
      createdBy: 'UOWNER1',
      createdAt: daysAgo(30),
    };
    this.resources.push(r);
    return r;
  }

  milestone(name: string, date: CalendarDate, needs: Workstream[] = []): Milestone {
    const m: Milestone = {
      _id: new Types.ObjectId(),
      teamId: TEAM_ID,
      programId: this.program._id,
      name,
      date,
      needs: needs.map((w) => w._id),
      createdBy: 'UOWNER1',
      createdAt: daysAgo(30),
    };
    this.milestones.push(m);
    return m;
  }

  /** Says there was a previous digest `ago` days before NOW; `was` records what it showed. */
  previous(ago: number, was: Array<[Workstream, Partial<WorkstreamSnapshot>]> = []): this {
    this.previousAt = daysAgo(ago);
    for (const [w, s] of was) {
      this.snapshot[w._id.toHexString()] = { state: 'active', openBlockerIds: [], ...s };
    }
    return this;
  }

  /** Records a milestone as the previous digest's snapshot had it: its date then, and its forecast. */
  milestoneWas(m: Milestone, date: CalendarDate, forecast?: CalendarDate): this {
    this.milestoneSnapshot ??= {};
    this.milestoneSnapshot[m._id.toHexString()] = { date, ...(forecast ? { forecast } : {}) };
    return this;
  }

  /** Every workstream, of this program and others, by hex id. */
  named(): Map<string, Workstream> {
    return new Map([...this.workstreams, ...this.otherWorkstreams].map((x) => [x._id.toHexString(), x]));
  }

  /** A workstream's chains both ways, as the card's loader works them out from this data. */
  chainsOf(w: Workstream): WorkstreamChains {
    return workstreamChains(w, this.named(), this.standing(), TODAY);
  }

  /** Why a dependency is at risk, as the escalation job works it out; throws when it is not. */
  riskOf(d: Dependency): DependencyAtRisk {
    const reason = atRiskReasons(this.standing(), this.named(), TODAY).get(d._id.toHexString());
    if (!reason) throw new Error(`dependency ${d.deliverable} is not at risk`);
    return reason;
  }

  private standing(): Dependency[] {
    return this.dependencies.filter((d) => d.state !== 'met');
  }

  data(overrides: Partial<DigestData> & { variant?: DigestVariant } = {}): DigestData {
    return {
      program: this.program,
      workstreams: this.workstreams,
      updates: [...this.updates].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()),
      openBlockers: this.openBlockers,
      resolvedBlockers: this.resolvedBlockers,
      dependencies: this.dependencies.filter((d) => d.state !== 'met'),
      resources: this.resources,
      otherWorkstreams: this.otherWorkstreams,
      milestones: this.milestones,
      previous: this.previousAt
        ? {
            postedAt: this.previousAt,
            workstreams: this.snapshot,
            ...(this.milestoneSnapshot ? { milestones: this.milestoneSnapshot } : {}),
          }
        : undefined,
      now: NOW,
      timezone: 'UTC',
      variant: 'team',
      staleAfterDays: 7,
      blockerDaysLimit: 5,
      ...overrides,
    };
  }
}

/** Another program, for dependencies that cross programs. */
export function otherProgram(key = 'platform', name = 'Platform'): Program {
  return {
    _id: new Types.ObjectId(),
    teamId: TEAM_ID,
    key,
    name,
    ownerId: 'UOWNER2',
    adminIds: [],
    audience: 'internal',
    state: 'active',
    createdAt: daysAgo(200),
  };
}
