/**
 * A portfolio's leadership digest (SPEC §7) as a pure pipeline: PortfolioData → PortfolioView (here)
 * → Block Kit (src/views/portfolio-digest.ts). One line per program — its counts, their trend over
 * the portfolio's last digests, its next milestone's forecast against its date, its top risk in words —
 * then what spans programs: dependencies between them at risk, capacity conflicts, and what the
 * at-risk work waits on. One pass of the analysis serves every program, so a portfolio of 100 programs
 * costs one analysis of the workspace's graph, not 100.
 */
import { DateTime } from 'luxon';
import type { CapacityConflict, CapacityResource } from './analysis/capacity.js';
import { capacityConflicts } from './analysis/capacity.js';
import { rankGroups, RISK_SEVERITY, type AtRiskItem, type RiskLink } from './analysis/index.js';
import { analyseRecords, resourceGroups } from './analysis/intelligence.js';
import { dateIn } from './digest/context.js';
import type {
  Dependency,
  Milestone,
  Portfolio,
  PortfolioDigestPosted,
  Program,
  Workstream,
} from './entities.js';
import type { CalendarDate } from './types.js';
import { expectsUpdates } from './workstream-state.js';

export interface PortfolioData {
  portfolio: Portfolio;
  /** The portfolio's programs (a removed program is simply not here). */
  programs: Program[];
  /** Their workstreams, every state. */
  workstreams: Workstream[];
  /** Other programs' workstreams the dependencies and allocations name. */
  otherWorkstreams: Workstream[];
  /** The workspace's open and broken dependencies. */
  dependencies: Dependency[];
  /** The workspace's shared resources with their allocations. */
  resources: CapacityResource[];
  /** The programs' milestones. */
  milestones: Milestone[];
  /** The portfolio's latest posted digests, newest first. */
  previous: PortfolioDigestPosted[];
  now: Date;
  timezone: string;
  staleAfterDays: number;
}

export interface ProgramCounts {
  onTrack: number;
  atRisk: number;
  offTrack: number;
  notStarted: number;
  /** Of the above: active or paused work with no update for longer than the stale-after days. */
  noUpdate: number;
  /** Of `atRisk`: work stated on track (or not updated) at risk through what it waits on. */
  atRiskThroughDependencies: number;
}

export type TopRisk =
  | { kind: 'chain'; workstreamId: string; chain: RiskLink[] }
  | { kind: 'off_track'; workstreamId: string }
  | { kind: 'milestone'; name: string; date: CalendarDate; forecast: CalendarDate; daysLate: number }
  | { kind: 'capacity'; conflict: CapacityConflict };

export interface ProgramLine {
  program: Pick<Program, 'key' | 'name' | 'state'>;
  counts: ProgramCounts;
  /** At risk plus off track in each of the last digests, oldest first, then now. */
  trend: number[];
  nextMilestone?: { name: string; date: CalendarDate; forecast?: CalendarDate; daysLate: number };
  topRisk?: TopRisk;
}

export interface CrossDependency {
  link: RiskLink;
  consumerId: string;
}

export interface PortfolioView {
  header: { key: string; name: string; date: string; today: CalendarDate; programs: number };
  totals: ProgramCounts;
  /** Most off track first, then most at risk, then by key. */
  programs: ProgramLine[];
  /** Dependencies from one of the portfolio's programs on another, at risk, most severe first. */
  crossDependencies: CrossDependency[];
  /** Conflicts from today's week in which a program of the portfolio has work. */
  capacity: CapacityConflict[];
  bottlenecks: Array<
    | { kind: 'workstream'; workstreamId: string; waiting: number }
    | { kind: 'team' | 'resource'; name: string; waiting: number }
  >;
  /** Every workstream the view names, by hex id. */
  named: ReadonlyMap<string, Workstream>;
}

/** How many of the portfolio's last digests the trend reads. */
export const TREND_DIGESTS = 3;
const BOTTLENECKS = 6;

export function buildPortfolioDigest(data: PortfolioData): PortfolioView {
  const today = dateIn(data.now, data.timezone);
  const named = new Map<string, Workstream>();
  for (const w of [...data.otherWorkstreams, ...data.workstreams]) named.set(w._id.toHexString(), w);
  const programHex = new Set(data.programs.map((p) => p._id.toHexString()));
  const first = data.programs[0];
  const analysis = first
    ? analyseRecords({
        programId: first._id,
        today,
        workstreams: [...named.values()],
        dependencies: data.dependencies,
        milestones: data.milestones,
      })
    : undefined;
  const atRisk = new Map((analysis?.atRisk ?? []).map((r) => [r.workstreamId, r]));
  const forecastOfMilestone = new Map((analysis?.milestones ?? []).map((m) => [m.milestoneId, m]));
  const capacity = capacityConflicts({
    resources: data.resources,
    workstreams: [...named.values()],
    programs: data.programs,
    from: today,
  }).filter((c) => c.byProgram.some((p) => data.programs.some((x) => x.key === p.programKey)));

  const byProgram = new Map<string, Workstream[]>();
  for (const w of data.workstreams) {
    const list = byProgram.get(w.programId.toHexString());
    if (list) list.push(w);
    else byProgram.set(w.programId.toHexString(), [w]);
  }
  const previous = [...data.previous].slice(0, TREND_DIGESTS).reverse();
  const staleBefore = data.now.getTime() - data.staleAfterDays * 86_400_000;

  const lines = data.programs.map((program): ProgramLine => {
    const id = program._id.toHexString();
    const own = [...(byProgram.get(id) ?? [])].sort((a, b) => a.key.localeCompare(b.key));
    const counts = countsOf(own, atRisk, staleBefore);
    const trend = [
      ...previous.flatMap((run) => {
        const then = run.counts[id];
        return then ? [then.atRisk + then.offTrack] : [];
      }),
      counts.atRisk + counts.offTrack,
    ];
    const milestones = data.milestones
      .filter((m) => m.programId.toHexString() === id && m.date >= today)
      .sort((a, b) => a.date.localeCompare(b.date) || a.name.localeCompare(b.name));
    const next = milestones[0];
    const nextForecast = next ? forecastOfMilestone.get(next._id.toHexString()) : undefined;
    const topRisk = topRiskOf(own, atRisk, data.milestones, forecastOfMilestone, capacity, program, today);
    return {
      program: { key: program.key, name: program.name, state: program.state },
      counts,
      trend,
      ...(next
        ? {
            nextMilestone: {
              name: next.name,
              date: next.date,
              ...(nextForecast?.forecast ? { forecast: nextForecast.forecast } : {}),
              daysLate: nextForecast?.daysLate ?? 0,
            },
          }
        : {}),
      ...(topRisk ? { topRisk } : {}),
    };
  });
  lines.sort(
    (a, b) =>
      b.counts.offTrack - a.counts.offTrack ||
      b.counts.atRisk - a.counts.atRisk ||
      a.program.key.localeCompare(b.program.key),
  );

  const programOf = (hex: string) => named.get(hex)?.programId.toHexString();
  const crossDependencies: CrossDependency[] = [];
  for (const risk of atRisk.values()) {
    const consumerProgram = programOf(risk.workstreamId);
    if (!consumerProgram || !programHex.has(consumerProgram)) continue;
    for (const link of risk.reasons) {
      const providerProgram = programOf(link.providerId);
      if (!providerProgram || providerProgram === consumerProgram || !programHex.has(providerProgram))
        continue;
      crossDependencies.push({ link, consumerId: risk.workstreamId });
    }
  }
  crossDependencies.sort(
    (a, b) =>
      RISK_SEVERITY[a.link.kind] - RISK_SEVERITY[b.link.kind] ||
      (b.link.days ?? 0) - (a.link.days ?? 0) ||
      a.link.neededBy.localeCompare(b.link.neededBy) ||
      a.link.dependencyId.localeCompare(b.link.dependencyId),
  );

  const teams = new Map<string, string[]>();
  for (const w of data.workstreams) {
    const list = teams.get(w.team);
    if (list) list.push(w._id.toHexString());
    else teams.set(w.team, [w._id.toHexString()]);
  }
  const bottlenecks: PortfolioView['bottlenecks'] = analysis
    ? [
        ...analysis.bottlenecks.workstreams.map((b) => ({ kind: 'workstream' as const, ...b })),
        ...rankGroups(analysis.waiting, teams).map((g) => ({ kind: 'team' as const, ...g })),
        ...rankGroups(analysis.waiting, resourceGroups(data.resources)).map((g) => ({
          kind: 'resource' as const,
          ...g,
        })),
      ]
        .sort((a, b) => b.waiting - a.waiting)
        .slice(0, BOTTLENECKS)
    : [];

  const totals = lines.reduce<ProgramCounts>(
    (sum, l) => ({
      onTrack: sum.onTrack + l.counts.onTrack,
      atRisk: sum.atRisk + l.counts.atRisk,
      offTrack: sum.offTrack + l.counts.offTrack,
      notStarted: sum.notStarted + l.counts.notStarted,
      noUpdate: sum.noUpdate + l.counts.noUpdate,
      atRiskThroughDependencies: sum.atRiskThroughDependencies + l.counts.atRiskThroughDependencies,
    }),
    { onTrack: 0, atRisk: 0, offTrack: 0, notStarted: 0, noUpdate: 0, atRiskThroughDependencies: 0 },
  );
  const local = DateTime.fromJSDate(data.now, { zone: data.timezone });
  const date = (local.isValid ? local : DateTime.fromJSDate(data.now, { zone: 'UTC' }))
    .setLocale('en')
    .toFormat('ccc d LLL yyyy');
  return {
    header: {
      key: data.portfolio.key,
      name: data.portfolio.name,
      date,
      today,
      programs: data.programs.length,
    },
    totals,
    programs: lines,
    crossDependencies,
    capacity,
    bottlenecks,
    named,
  };
}

/** Counted as the program's digest counts them (done and cancelled work left out). */
function countsOf(
  workstreams: readonly Workstream[],
  atRisk: ReadonlyMap<string, AtRiskItem>,
  staleBefore: number,
): ProgramCounts {
  const c: ProgramCounts = {
    onTrack: 0,
    atRisk: 0,
    offTrack: 0,
    notStarted: 0,
    noUpdate: 0,
    atRiskThroughDependencies: 0,
  };
  for (const w of workstreams) {
    if (w.state === 'done' || w.state === 'cancelled') continue;
    if (w.health === 'off_track') c.offTrack++;
    else if (w.health === 'at_risk') c.atRisk++;
    else if (atRisk.has(w._id.toHexString())) {
      c.atRisk++;
      c.atRiskThroughDependencies++;
    } else if (w.health === 'on_track') c.onTrack++;
    else c.notStarted++;
    if (expectsUpdates(w.state) && (!w.lastUpdateAt || w.lastUpdateAt.getTime() < staleBefore)) c.noUpdate++;
  }
  return c;
}

/** The most severe thing about a program, in this order: a chain, off-track work, a late milestone, a capacity conflict. */
function topRiskOf(
  own: readonly Workstream[],
  atRisk: ReadonlyMap<string, AtRiskItem>,
  milestones: readonly Milestone[],
  forecasts: ReadonlyMap<string, { forecast?: CalendarDate; daysLate: number; atRisk: boolean }>,
  capacity: readonly CapacityConflict[],
  program: Program,
  today: CalendarDate,
): TopRisk | undefined {
  let worst: AtRiskItem | undefined;
  for (const w of own) {
    if (w.state === 'done' || w.state === 'cancelled') continue;
    const risk = atRisk.get(w._id.toHexString());
    if (!risk) continue;
    const root = (r: AtRiskItem) => r.chain[r.chain.length - 1]!;
    if (
      !worst ||
      RISK_SEVERITY[root(risk).kind] < RISK_SEVERITY[root(worst).kind] ||
      (RISK_SEVERITY[root(risk).kind] === RISK_SEVERITY[root(worst).kind] &&
        (risk.chain[0]!.days ?? 0) > (worst.chain[0]!.days ?? 0))
    )
      worst = risk;
  }
  if (worst) return { kind: 'chain', workstreamId: worst.workstreamId, chain: worst.chain };
  const red = own.find((w) => w.health === 'off_track' && w.state !== 'done' && w.state !== 'cancelled');
  if (red) return { kind: 'off_track', workstreamId: red._id.toHexString() };
  const late = milestones
    .filter((m) => m.programId.toHexString() === program._id.toHexString() && m.date >= today)
    .map((m) => ({ m, f: forecasts.get(m._id.toHexString()) }))
    .filter(({ f }) => f?.atRisk && f.forecast)
    .sort((a, b) => (b.f?.daysLate ?? 0) - (a.f?.daysLate ?? 0))[0];
  if (late?.f?.forecast)
    return {
      kind: 'milestone',
      name: late.m.name,
      date: late.m.date,
      forecast: late.f.forecast,
      daysLate: late.f.daysLate,
    };
  const conflict = capacity.find((c) => c.byProgram.some((p) => p.programKey === program.key));
  return conflict ? { kind: 'capacity', conflict } : undefined;
}
