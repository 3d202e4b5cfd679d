/**
 * What the leadership digest adds (SPEC §6): the chain that decides the program's finish, what the
 * at-risk work waits on, and a few suggestions for a change of process, each with its evidence, all
 * from the data the digest already holds (eight weeks of updates, the open and recently resolved
 * blockers, the analysis).
 */
import { DateTime } from 'luxon';
import { dateIn, type DigestContext } from './context.js';
import type { Bottleneck, Outlook, Recommendation } from './model.js';

/** Bottlenecks and recommendations shown at most. */
export const OUTLOOK_BOTTLENECKS = 6;
export const OUTLOOK_RECOMMENDATIONS = 5;
/** A forecast that moved later this many weekly steps in a row keeps moving. */
export const FORECAST_MOVES = 3;
/** Complete weeks before this one over which missing weekly updates are counted. */
export const UPDATE_WEEKS = 4;
/** Blockers opened on one team within the digest's window that make a pattern. */
export const RECURRING_BLOCKERS = 3;
const BLOCKER_WEEKS = 8;

export function outlookOf(ctx: DigestContext): Outlook {
  const { analysis, resourceBottlenecks, capacity } = ctx.intelligence;
  const path = analysis.criticalPath;
  const bottlenecks: Bottleneck[] = [
    ...analysis.bottlenecks.workstreams.flatMap((b): Bottleneck[] => {
      const workstream = ctx.labelOf(b.workstreamId);
      return workstream ? [{ kind: 'workstream', workstream, waiting: b.waiting }] : [];
    }),
    ...analysis.bottlenecks.teams.map((t): Bottleneck => ({
      kind: 'team',
      name: t.name,
      waiting: t.waiting,
    })),
    ...resourceBottlenecks.map((r): Bottleneck => ({ kind: 'resource', name: r.name, waiting: r.waiting })),
  ]
    // Stable: of equal counts, workstreams before teams before resources, each list in its own order.
    .sort((a, b) => b.waiting - a.waiting)
    .slice(0, OUTLOOK_BOTTLENECKS);

  const recommendations: Recommendation[] = [
    ...analysis.bottlenecks.workstreams
      .filter((b) => b.waiting >= 2)
      .flatMap((b): Recommendation[] => {
        const workstream = ctx.labelOf(b.workstreamId);
        return workstream ? [{ kind: 'bottleneck', workstream, waiting: b.waiting }] : [];
      })
      .slice(0, 2),
    ...overbooked(capacity),
    ...replannedDependencies(ctx),
    ...forecastsThatKeepMoving(ctx),
    ...recurringBlockers(ctx),
    ...missingUpdates(ctx),
  ].slice(0, OUTLOOK_RECOMMENDATIONS);

  return {
    ...(path
      ? { criticalPath: { finish: path.finish, steps: path.steps.map((s) => ctx.labelOf(s.workstreamId)) } }
      : {}),
    bottlenecks,
    recommendations,
  };
}

function overbooked(capacity: DigestContext['intelligence']['capacity']): Recommendation[] {
  const byResource = new Map<string, typeof capacity>();
  for (const c of capacity) {
    const list = byResource.get(c.resource.name);
    if (list) list.push(c);
    else byResource.set(c.resource.name, [c]);
  }
  return [...byResource.values()]
    .filter((weeks) => weeks.length >= 2)
    .map((weeks): Recommendation => {
      const worst = weeks.reduce((a, b) => (b.excess > a.excess ? b : a));
      return {
        kind: 'resource_overbooked',
        resource: worst.resource.name,
        weeks: weeks.length,
        worstWeek: worst.isoWeek.week,
        worstTotal: worst.total,
        capacity: worst.resource.capacity,
      };
    });
}

/** A dependency this program's work takes part in that was re-planned this many times keeps slipping. */
export const REPLANS = 2;

function replannedDependencies(ctx: DigestContext): Recommendation[] {
  return ctx.data.dependencies
    .filter(
      (d) =>
        (d.replans ?? 0) >= REPLANS &&
        (ctx.byId.has(d.consumerId.toHexString()) || ctx.byId.has(d.providerId.toHexString())),
    )
    .sort((a, b) => (b.replans ?? 0) - (a.replans ?? 0) || a.neededBy.localeCompare(b.neededBy))
    .map((d): Recommendation => {
      const consumer = ctx.labelOf(d.consumerId);
      const provider = ctx.labelOf(d.providerId);
      return {
        kind: 'dependency_replanned',
        ...(consumer ? { consumer } : {}),
        ...(provider ? { provider } : {}),
        deliverable: ctx.text(d.deliverable),
        replans: d.replans ?? 0,
        neededBy: d.neededBy,
      };
    });
}

/** The Monday (ISO week start) of a calendar date. */
const mondayOf = (date: string) => DateTime.fromISO(date, { zone: 'utc' }).startOf('week').toISODate()!;

function forecastsThatKeepMoving(ctx: DigestContext): Recommendation[] {
  const thisWeek = mondayOf(ctx.today);
  const lastWeek = DateTime.fromISO(thisWeek, { zone: 'utc' }).minus({ weeks: 1 }).toISODate()!;
  const found: Recommendation[] = [];
  for (const f of ctx.facts) {
    if (!f.open) continue;
    // The latest forecast given in each week, newest week first.
    const weekly = new Map<string, string>();
    for (const u of f.updates) {
      if (!u.forecastDate) continue;
      const week = mondayOf(dateIn(u.createdAt, ctx.data.timezone));
      if (!weekly.has(week)) weekly.set(week, u.forecastDate);
    }
    const weeks = [...weekly.keys()];
    if (weeks[0] !== thisWeek && weeks[0] !== lastWeek) continue;
    // Consecutive weeks, each forecast later than the week before.
    const run = [weekly.get(weeks[0]!)!];
    for (let i = 1; i < weeks.length; i += 1) {
      const gap = DateTime.fromISO(weeks[i - 1]!, { zone: 'utc' }).diff(
        DateTime.fromISO(weeks[i]!, { zone: 'utc' }),
        'weeks',
      ).weeks;
      const earlier = weekly.get(weeks[i]!)!;
      if (gap !== 1 || !(earlier < run[run.length - 1]!)) break;
      run.push(earlier);
    }
    if (run.length > FORECAST_MOVES) {
      found.push({ kind: 'forecast_keeps_moving', workstream: f.label, forecasts: run.reverse() });
    }
  }
  return found;
}

function recurringBlockers(ctx: DigestContext): Recommendation[] {
  const since = ctx.data.now.getTime() - BLOCKER_WEEKS * 7 * 86_400_000;
  const teamOf = new Map(ctx.facts.map((f) => [f.id, f.w.team]));
  const counts = new Map<string, number>();
  for (const b of [...ctx.data.openBlockers, ...ctx.data.resolvedBlockers]) {
    const team = teamOf.get(b.workstreamId.toHexString());
    if (team === undefined || b.openedAt.getTime() < since) continue;
    counts.set(team, (counts.get(team) ?? 0) + 1);
  }
  return [...counts]
    .filter(([, n]) => n >= RECURRING_BLOCKERS)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([team, blockers]) => ({ kind: 'blockers_recur', team, blockers, weeks: BLOCKER_WEEKS }));
}

/** Teams whose active work missed at least half its weekly updates over the last complete weeks. */
function missingUpdates(ctx: DigestContext): Recommendation[] {
  const local = DateTime.fromISO(mondayOf(ctx.today), { zone: ctx.data.timezone });
  const thisWeek = local.isValid ? local : DateTime.fromISO(mondayOf(ctx.today), { zone: 'utc' });
  const starts = Array.from({ length: UPDATE_WEEKS }, (_, i) => thisWeek.minus({ weeks: UPDATE_WEEKS - i }));
  const byTeam = new Map<string, { missed: number; expected: number }>();
  for (const f of ctx.facts) {
    if (f.w.state !== 'active') continue;
    const team = byTeam.get(f.w.team) ?? { missed: 0, expected: 0 };
    for (const start of starts) {
      const from = start.toJSDate();
      const to = start.plus({ weeks: 1 }).toJSDate();
      if (f.w.createdAt >= from) continue;
      team.expected += 1;
      if (!f.updates.some((u) => u.createdAt >= from && u.createdAt < to)) team.missed += 1;
    }
    byTeam.set(f.w.team, team);
  }
  return [...byTeam]
    .filter(([, t]) => t.missed >= 2 && t.missed * 2 >= t.expected)
    .sort((a, b) => b[1].missed - a[1].missed || a[0].localeCompare(b[0]))
    .map(([team, t]) => ({ kind: 'updates_missing', team, ...t, weeks: UPDATE_WEEKS }));
}
