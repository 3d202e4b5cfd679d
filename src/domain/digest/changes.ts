/** SPEC §3.3: what changed since the previous digest, from its snapshot and the blockers' times. */
import type { Health } from '../types.js';
import { dateIn, daysBetween, type DigestContext } from './context.js';
import type { BlockerChange, DateSlip, DigestChanges, HealthTransition } from './model.js';

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
  };
}
