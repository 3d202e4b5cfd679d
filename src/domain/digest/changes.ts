/** SPEC §3.3: what changed since the previous digest, from its snapshot and the blockers' times. */
import type { DigestSnapshot } from '../digest-data.js';
import type { Health } from '../types.js';
import { dateIn, daysBetween, type DigestContext } from './context.js';
import type { BlockerChange, DateSlip, DigestChanges, HealthTransition, MilestoneMove } from './model.js';

const WORST_FIRST: Record<Health, number> = { off_track: 0, at_risk: 1, on_track: 2 };

export function changesSince(ctx: DigestContext): DigestChanges {
  const { previous } = ctx.data;
  const none: DigestChanges = {
    hasPrevious: false,
    healthTransitions: [],
    newBlockers: [],
    resolvedBlockers: [],
    completed: [],
    targetSlips: [],
    forecastSlips: [],
    milestoneMoves: [],
    milestoneSlips: [],
  };
  if (!previous) return none;

  const healthTransitions: HealthTransition[] = [];
  const completed: DigestChanges['completed'] = [];
  const targetSlips: DateSlip[] = [];
  const forecastSlips: DateSlip[] = [];
  for (const f of ctx.facts) {
    if (f.w.state === 'cancelled') continue;
    // Snapshots come back from the database with null where a field was unset.
    const before = previous.workstreams[f.id];
    const from = before?.health ?? undefined;
    if (f.health && f.health !== from) {
      healthTransitions.push({
        workstream: f.label,
        ...(from ? { from } : {}),
        to: f.health,
        ...(f.summary ? { reason: f.summary } : {}),
      });
    }
    if (f.w.state === 'done' && before?.state !== 'done') completed.push(f.label);
    const targetFrom = before?.targetDate ?? undefined;
    if (targetFrom && f.w.targetDate && f.w.targetDate > targetFrom) {
      targetSlips.push({
        workstream: f.label,
        from: targetFrom,
        to: f.w.targetDate,
        days: daysBetween(targetFrom, f.w.targetDate),
      });
    }
    const forecastFrom = before?.forecastDate ?? undefined;
    if (forecastFrom && f.forecastDate && f.forecastDate > forecastFrom) {
      forecastSlips.push({
        workstream: f.label,
        from: forecastFrom,
        to: f.forecastDate,
        days: daysBetween(forecastFrom, f.forecastDate),
      });
    }
  }
  healthTransitions.sort((a, b) => WORST_FIRST[a.to] - WORST_FIRST[b.to]);
  const bySlip = (a: DateSlip, b: DateSlip) => b.days - a.days;

  const change = (b: (typeof ctx.data.openBlockers)[number]): BlockerChange => {
    const workstream = ctx.labelOf(b.workstreamId);
    return { ...(workstream ? { workstream } : {}), blocker: ctx.blocker(b) };
  };
  const newBlockers = ctx.data.openBlockers
    .filter((b) => b.openedAt > previous.postedAt)
    .sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime())
    .map(change);
  const resolvedBlockers = [...ctx.data.resolvedBlockers]
    .sort((a, b) => (a.resolvedAt?.getTime() ?? 0) - (b.resolvedAt?.getTime() ?? 0))
    .map(change);

  return {
    hasPrevious: true,
    since: dateIn(previous.postedAt, ctx.data.timezone),
    healthTransitions,
    newBlockers,
    resolvedBlockers,
    completed,
    targetSlips: targetSlips.sort(bySlip),
    forecastSlips: forecastSlips.sort(bySlip),
    ...milestoneChanges(ctx, previous),
  };
}

/**
 * Milestones (not reached; the client variant's client-visible ones) whose date moved, or whose
 * forecast moved later, since the previous digest's snapshot. One added since, or a snapshot from
 * before milestones were kept, tells nothing.
 */
function milestoneChanges(
  ctx: DigestContext,
  previous: DigestSnapshot,
): Pick<DigestChanges, 'milestoneMoves' | 'milestoneSlips'> {
  // Snapshots come back from the database with null where a field was unset.
  const before = previous.milestones ?? undefined;
  const shown = before ? ctx.data.milestones.filter((m) => !(ctx.client && m.internal)) : [];
  if (!before || shown.length === 0) return { milestoneMoves: [], milestoneSlips: [] };
  const forecasts = new Map(ctx.intelligence.analysis.milestones.map((m) => [m.milestoneId, m.forecast]));
  const milestoneMoves: MilestoneMove[] = [];
  const milestoneSlips: MilestoneMove[] = [];
  for (const m of shown) {
    const id = m._id.toHexString();
    const was = before[id];
    if (!was) continue;
    const move = (from: string, to: string) => ({
      milestone: ctx.text(m.name),
      from,
      to,
      days: daysBetween(from, to),
    });
    if (was.date && was.date !== m.date) milestoneMoves.push(move(was.date, m.date));
    const forecastFrom = was.forecast ?? undefined;
    const forecast = forecasts.get(id);
    if (forecastFrom && forecast && forecast > forecastFrom)
      milestoneSlips.push(move(forecastFrom, forecast));
  }
  const thenByDate = (a: MilestoneMove, b: MilestoneMove) =>
    a.to.localeCompare(b.to) || a.milestone.localeCompare(b.milestone);
  return {
    // Later before earlier, then the most days first.
    milestoneMoves: milestoneMoves.sort(
      (a, b) =>
        Number(b.days > 0) - Number(a.days > 0) || Math.abs(b.days) - Math.abs(a.days) || thenByDate(a, b),
    ),
    milestoneSlips: milestoneSlips.sort((a, b) => b.days - a.days || thenByDate(a, b)),
  };
}
