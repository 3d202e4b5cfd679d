/** SPEC §3.5 and §3.6: one line per workstream by team, and the milestones of the next 30 days. */
import { addDays, daysBetween, type DigestContext, type WorkstreamFacts } from './context.js';
import type { LineMark, MilestoneItem, TeamGroup, WorkstreamLabel, WorkstreamLine } from './model.js';
import type { Health } from '../types.js';

export const TREND_LENGTH = 4;
export const MILESTONE_HORIZON_DAYS = 30;

/** Every workstream but cancelled ones (never another one dropped), teams sorted, keys sorted. */
export function byTeam(ctx: DigestContext): TeamGroup[] {
  const groups: TeamGroup[] = [];
  const waitsOn = new Map(
    ctx.intelligence.analysis.atRisk.map((r) => [r.workstreamId, ctx.labelOf(r.chain[0]!.providerId)]),
  );
  for (const f of ctx.facts) {
    if (f.w.state === 'cancelled') continue;
    const line = lineOf(ctx, f, f.open ? waitsOn.get(f.id) : undefined);
    const last = groups[groups.length - 1];
    if (last && last.team === f.w.team) last.lines.push(line);
    else groups.push({ team: f.w.team, lines: [line] });
  }
  return groups;
}

function markOf(f: WorkstreamFacts): LineMark {
  if (f.w.state === 'done') return 'done';
  if (!f.health) return 'not_started';
  if (f.missing) return 'no_update';
  return f.health;
}

function lineOf(ctx: DigestContext, f: WorkstreamFacts, waitsOnLate?: WorkstreamLabel): WorkstreamLine {
  const { latest, w } = f;
  return {
    workstream: f.label,
    mark: markOf(f),
    state: w.state,
    ...(f.health ? { health: f.health } : {}),
    ...((latest?.progress ?? w.progress) !== undefined ? { progress: latest?.progress ?? w.progress } : {}),
    ...(w.targetDate ? { targetDate: w.targetDate } : {}),
    trend: f.updates
      .slice(0, TREND_LENGTH)
      .map((u) => u.health)
      .reverse(),
    ...(f.summary ? { summary: f.summary } : {}),
    ...(!ctx.client && latest?.nextSteps ? { nextSteps: latest.nextSteps } : {}),
    openBlockers: f.blockers.length,
    ...(waitsOnLate ? { waitsOnLate } : {}),
  };
}

/**
 * Milestones dated from today to 30 days ahead (in the digest's timezone), soonest first; the client
 * variant leaves internal ones out altogether.
 */
export function upcomingMilestones(ctx: DigestContext): MilestoneItem[] {
  const until = addDays(ctx.today, MILESTONE_HORIZON_DAYS);
  const forecasts = new Map(ctx.intelligence.analysis.milestones.map((m) => [m.milestoneId, m]));
  const atRiskByAnalysis = new Set(ctx.intelligence.analysis.atRisk.map((r) => r.workstreamId));
  return ctx.data.milestones
    .filter((m) => m.date >= ctx.today && m.date <= until && !(ctx.client && m.internal))
    .sort((a, b) => a.date.localeCompare(b.date) || a.name.localeCompare(b.name))
    .map((m) => {
      const needs = m.needs.flatMap((id) => {
        const f = ctx.byId.get(id.toHexString());
        const w = f?.w ?? ctx.workstreamOf(id);
        const workstream = f?.label ?? ctx.labelOf(id);
        if (!w || !workstream) return [];
        const stated = f ? f.health : w.health;
        // What it waits on will be late: at risk, whatever it said, as the counts say (SPEC §6).
        const health: Health | undefined =
          stated !== 'off_track' && atRiskByAnalysis.has(id.toHexString()) ? 'at_risk' : stated;
        return [{ workstream, ...(health ? { health } : {}), state: w.state }];
      });
      const forecast = forecasts.get(m._id.toHexString());
      const unwell = needs.some(
        (n) => n.state !== 'done' && (n.health === 'off_track' || n.health === 'at_risk'),
      );
      return {
        name: ctx.text(m.name),
        date: m.date,
        daysAway: daysBetween(ctx.today, m.date),
        needs,
        ...(forecast?.forecast ? { forecast: forecast.forecast } : {}),
        daysLate: forecast?.daysLate ?? 0,
        atRisk: unwell || (forecast?.atRisk ?? false),
      };
    });
}
