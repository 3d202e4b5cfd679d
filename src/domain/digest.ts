/**
 * The digest (SPEC §3) as a pure pipeline: DigestData → DigestView (here) → Block Kit
 * (src/views/digest-blocks.ts). The same data gives each audience its variant:
 *
 * - team: everything;
 * - leadership: header, counts, what changed, needs attention, milestones (no by-team detail);
 * - client: for a client-facing program only (see ./audience.ts): like team, but only client-visible
 *   text — no Slack user ids (no owner, leads or mentions), no next steps, no summary of an internal
 *   update, no text of an internal blocker, no internal milestone, no capacity conflicts or knock-on
 *   items, other programs' work unnamed — and no open blockers to act on (the thread's Resolve and
 *   Escalate are the team's).
 */
import { DateTime } from 'luxon';
import { needsAttention } from './digest/attention.js';
import { rankAttention } from './digest/attention-rank.js';
import { changesSince } from './digest/changes.js';
import { dateIn, digestContext, type DigestContext } from './digest/context.js';
import { byTeam, upcomingMilestones } from './digest/detail.js';
import { outlookOf } from './digest/outlook.js';
import type { DigestCounts, DigestHeader, DigestView, LeadAway, OpenBlocker } from './digest/model.js';
import type { DigestData, DigestSnapshot, MilestoneSnapshot, WorkstreamSnapshot } from './digest-data.js';

export type * from './digest/model.js';
export { MILESTONE_HORIZON_DAYS, TREND_LENGTH } from './digest/detail.js';

export function buildDigest(data: DigestData): DigestView {
  const ctx = digestContext(data);
  const teams = data.variant === 'leadership' ? undefined : byTeam(ctx);
  const milestones = upcomingMilestones(ctx);
  return {
    variant: data.variant,
    header: headerOf(ctx),
    counts: countsOf(ctx),
    changes: changesSince(ctx),
    attention: rankAttention(needsAttention(ctx), milestones),
    ...(teams ? { teams } : {}),
    milestones,
    missingKeys: ctx.facts.filter((f) => f.missing).map((f) => f.w.key),
    ...(data.variant === 'team' ? { openBlockers: openBlockersOf(ctx) } : {}),
    ...(data.variant === 'team' && awayOf(ctx).length > 0 ? { away: awayOf(ctx) } : {}),
    ...(data.variant === 'leadership' ? { outlook: outlookOf(ctx) } : {}),
  };
}

/** The leads of live work who are away, soonest back first (ties by user id), with their workstreams' keys. */
function awayOf(ctx: DigestContext): LeadAway[] {
  const away = ctx.data.leadsAway ?? {};
  const byLead = new Map<string, string[]>();
  for (const f of ctx.facts) {
    if (f.live && away[f.w.leadId] !== undefined)
      byLead.set(f.w.leadId, [...(byLead.get(f.w.leadId) ?? []), f.w.key]);
  }
  return [...byLead]
    .map(([userId, workstreamKeys]) => ({
      userId,
      until: away[userId]!,
      workstreamKeys: workstreamKeys.sort(),
    }))
    .sort((a, b) => a.until.localeCompare(b.until) || a.userId.localeCompare(b.userId));
}

/** Open blockers of open workstreams, oldest first (ties by id, so the order never depends on the query's). */
function openBlockersOf(ctx: DigestContext): OpenBlocker[] {
  return ctx.facts
    .filter((f) => f.open)
    .flatMap((f) =>
      f.blockers.map((b) => ({
        at: b.openedAt.getTime(),
        item: { workstream: f.label, blocker: ctx.blocker(b) },
      })),
    )
    .sort((a, b) => a.at - b.at || a.item.blocker.id.localeCompare(b.item.blocker.id))
    .map(({ item }) => item);
}

/** Every milestone's forecast from the analysis (for the timeline chart); a client sees no internal one. */
export function milestoneForecastsOf(data: DigestData) {
  const hidden = new Set(
    data.variant === 'client'
      ? data.milestones.filter((m) => m.internal).map((m) => m._id.toHexString())
      : [],
  );
  return digestContext(data).intelligence.analysis.milestones.filter((m) => !hidden.has(m.milestoneId));
}

/** What this digest shows, for the next one to say what changed (keyed by workstream and milestone id, hex). */
export function snapshotOf(data: DigestData): DigestSnapshot {
  const ctx = digestContext(data);
  const workstreams: Record<string, WorkstreamSnapshot> = {};
  for (const f of ctx.facts) {
    // Unset fields are left out rather than stored as null.
    workstreams[f.id] = {
      ...(f.health ? { health: f.health } : {}),
      state: f.w.state,
      ...(f.w.targetDate ? { targetDate: f.w.targetDate } : {}),
      ...(f.forecastDate ? { forecastDate: f.forecastDate } : {}),
      openBlockerIds: f.blockers.map((b) => b._id.toHexString()),
    };
  }
  // Milestones by id: their date and forecast (what the next digest tells moves from); a client
  // digest's leave internal ones out, as it does.
  const milestones: Record<string, MilestoneSnapshot> = {};
  const shown = data.milestones.filter((m) => !(ctx.client && m.internal));
  if (shown.length > 0) {
    const forecasts = new Map(ctx.intelligence.analysis.milestones.map((m) => [m.milestoneId, m.forecast]));
    for (const m of shown) {
      const id = m._id.toHexString();
      const forecast = forecasts.get(id);
      milestones[id] = { date: m.date, ...(forecast ? { forecast } : {}) };
    }
  }
  return { postedAt: data.now, workstreams, milestones };
}

function headerOf(ctx: DigestContext): DigestHeader {
  const { program, now, postedAt, timezone } = ctx.data;
  const format = (at: Date, pattern: string) => {
    const local = DateTime.fromJSDate(at, { zone: timezone });
    return (local.isValid ? local : DateTime.fromJSDate(at, { zone: 'UTC' }))
      .setLocale('en')
      .toFormat(pattern);
  };
  return {
    programKey: program.key,
    programName: ctx.text(program.name),
    // A digest drawn again keeps its own date: the channel's history still reads in order.
    date: format(postedAt ?? now, 'ccc d LLL yyyy'),
    ...(postedAt ? { updated: format(now, 'ccc d LLL HH:mm') } : {}),
    today: ctx.today,
    ...(program.objective ? { objective: ctx.text(program.objective) } : {}),
    ...(ctx.client ? {} : { ownerId: program.ownerId }),
    ...(ctx.data.updatesFrom ? { historyFrom: dateIn(ctx.data.updatesFrom, timezone) } : {}),
  };
}

function countsOf(ctx: DigestContext): DigestCounts {
  const counts = { onTrack: 0, atRisk: 0, offTrack: 0, notStarted: 0, noUpdate: 0, done: 0 };
  let atRiskThroughDependencies = 0;
  const atRiskByAnalysis = new Set(ctx.intelligence.analysis.atRisk.map((r) => r.workstreamId));
  for (const f of ctx.facts) {
    if (f.w.state === 'cancelled') continue;
    if (f.w.state === 'done') {
      counts.done++;
      continue;
    }
    if (f.health === 'off_track') counts.offTrack++;
    else if (f.health === 'at_risk') counts.atRisk++;
    // What it waits on will be late: it is at risk, whatever it last said (SPEC §6).
    else if (atRiskByAnalysis.has(f.id)) {
      counts.atRisk++;
      atRiskThroughDependencies++;
    } else if (f.health === 'on_track') counts.onTrack++;
    else counts.notStarted++;
    if (f.missing) counts.noUpdate++;
  }
  const { previous, staleAfterDays, timezone } = ctx.data;
  return {
    ...counts,
    atRiskThroughDependencies,
    noUpdateSince: previous ? { previousDigest: dateIn(previous.postedAt, timezone) } : { staleAfterDays },
  };
}
