/**
 * SPEC §3.4 and §6: what needs the program manager's attention, in this order (the digest then ranks
 * it into severity classes, keeping this order within each: ./attention-rank.ts):
 *
 * 1. work at risk through what it waits on, with the chain to the root cause (a cycle, a cancelled
 *    provider or a broken dependency first, then the most days late), carrying its own health and
 *    blockers so it is listed once;
 * 2. this program's work that other programs' at-risk work waits on (its slip lands there), most
 *    waiting first;
 * 3. off-track work (oldest blocker first);
 * 4. capacity conflicts this program's work takes part in, soonest week first;
 * 5. at-risk work (oldest blocker first);
 * 6. on-track or at-risk work whose facts disagree (most signals first): past its target, forecast past
 *    its target, a blocker open as long as the workspace's escalation threshold (on-track work only:
 *    at-risk work shows its blockers already), waiting on off-track work, or no update for longer than
 *    the stale-after days (unless it is already listed under missing updates);
 * 7. missing updates (longest silence first, never-updated first of all).
 *
 * Only live work counts (SPEC §8): paused, done and cancelled workstreams need no attention, though a
 * paused provider is still the root cause of the work that waits on it.
 */
import { RISK_SEVERITY, type AtRiskItem, type RiskLink } from '../analysis/index.js';
import {
  dateIn,
  daysBetween,
  wholeDays,
  DAY_MS,
  type DigestContext,
  type WorkstreamFacts,
} from './context.js';
import { ANSWER_WITHIN_WORKING_DAYS, workingDaysBetween } from '../working-days.js';
import type {
  AttentionItem,
  CapacityAttention,
  ChainAttention,
  ChainLink,
  HealthAttention,
  KnockOnAttention,
  MissingUpdate,
  Signal,
  SignalsDisagree,
  UnansweredRequest,
  WorkstreamLabel,
} from './model.js';

export function needsAttention(ctx: DigestContext): AttentionItem[] {
  const live = ctx.facts.filter((f) => f.live);
  const chains = chainsOf(ctx);
  const inChain = new Set(chains.map((c) => c.id));
  const oldestBlockerFirst = (a: WorkstreamFacts, b: WorkstreamFacts) =>
    (a.blockers[0]?.openedAt.getTime() ?? Infinity) - (b.blockers[0]?.openedAt.getTime() ?? Infinity);
  const health = (kind: HealthAttention['kind']): HealthAttention[] =>
    live
      .filter((f) => f.health === kind && !inChain.has(f.id))
      .sort(oldestBlockerFirst)
      .map((f) => ({
        kind,
        workstream: f.label,
        ...(f.summary ? { summary: f.summary } : {}),
        blockers: f.blockers.map(ctx.blocker),
      }));

  return [
    ...chains.map((c) => c.item),
    // A client sees this program's work only: not where other programs' work waits on it, nor the
    // shared resources (and other programs) it is booked against.
    ...(ctx.client ? [] : knockOn(ctx)),
    ...health('off_track'),
    ...(ctx.client ? [] : capacity(ctx)),
    ...health('at_risk'),
    ...signalsDisagree(ctx, live, inChain),
    ...(ctx.client ? [] : unansweredRequests(ctx)),
    ...missingUpdates(ctx, live),
  ];
}

/** This program's at-risk work (by the analysis), most severe first. */
export function chainsOf(ctx: DigestContext): Array<{ id: string; item: ChainAttention }> {
  const { analysis } = ctx.intelligence;
  const forecastOf = new Map(analysis.forecasts.map((f) => [f.workstreamId, f]));
  const ranked: Array<{ id: string; rank: [number, number]; item: ChainAttention }> = [];
  for (const risk of analysis.atRisk) {
    const f = ctx.byId.get(risk.workstreamId);
    if (!f?.live) continue;
    const first = risk.chain[0]!;
    const forecast = forecastOf.get(risk.workstreamId);
    ranked.push({
      id: f.id,
      rank: [RISK_SEVERITY[rootOf(risk).kind], -(first.days ?? 0)],
      item: {
        kind: 'chain',
        workstream: f.label,
        ...(f.health ? { health: f.health } : {}),
        ...(forecast?.propagated && forecast.slipDays > 0 ? { forecast: forecast.propagated } : {}),
        slipDays: forecast?.slipDays ?? 0,
        chain: risk.chain.map((link) => linkOf(ctx, link)),
        otherReasons: risk.reasons.length - 1,
        ...(risk.cycle ? { cycle: risk.cycle.map((id) => ctx.labelOf(id)) } : {}),
        ...(f.summary ? { summary: f.summary } : {}),
        blockers: f.blockers.map(ctx.blocker),
      },
    });
  }
  return ranked
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1])
    .map(({ id, item }) => ({ id, item }));
}

const rootOf = (risk: AtRiskItem): RiskLink => risk.chain[risk.chain.length - 1]!;

function linkOf(ctx: DigestContext, link: RiskLink): ChainLink {
  const provider = ctx.labelOf(link.providerId);
  return {
    kind: link.kind,
    ...(provider ? { provider } : {}),
    deliverable: ctx.text(link.deliverable),
    neededBy: link.neededBy,
    ...(link.providerForecast ? { providerForecast: link.providerForecast } : {}),
    ...(link.days !== undefined ? { days: link.days } : {}),
    ...(link.commitment ? { commitment: link.commitment } : {}),
    ...(link.committed ? { committed: link.committed } : {}),
    ...(link.proposed ? { proposed: true } : {}),
  };
}

/**
 * This program's workstreams that other programs' at-risk work waits on: for each such item, the
 * last workstream of this program on its chain (the nearest to the root cause) is where it lands.
 */
function knockOn(ctx: DigestContext): KnockOnAttention[] {
  const { analysis } = ctx.intelligence;
  const waitingOn = new Map<string, WorkstreamLabel[]>();
  for (const risk of analysis.atRisk) {
    if (ctx.byId.has(risk.workstreamId)) continue;
    const ours = [...risk.chain].reverse().find((l) => ctx.byId.get(l.providerId)?.open);
    const label = ctx.labelOf(risk.workstreamId);
    if (!ours || !label) continue;
    const list = waitingOn.get(ours.providerId);
    if (list) list.push(label);
    else waitingOn.set(ours.providerId, [label]);
  }
  const forecastOf = new Map(analysis.forecasts.map((f) => [f.workstreamId, f.propagated]));
  return [...waitingOn]
    .map(([id, waiting]): KnockOnAttention => {
      const forecast = forecastOf.get(id);
      return {
        kind: 'knock_on',
        workstream: ctx.byId.get(id)!.label,
        ...(forecast ? { forecast } : {}),
        waiting: waiting.sort(
          (a, b) => a.programKey.localeCompare(b.programKey) || a.key.localeCompare(b.key),
        ),
      };
    })
    .sort((a, b) => b.waiting.length - a.waiting.length || a.workstream.key.localeCompare(b.workstream.key));
}

function capacity(ctx: DigestContext): CapacityAttention[] {
  const key = ctx.data.program.key;
  return ctx.intelligence.capacity.map((c) => ({
    kind: 'capacity',
    resource: c.resource.name,
    capacity: c.resource.capacity,
    total: c.total,
    excess: c.excess,
    week: c.isoWeek.week,
    monday: c.isoWeek.monday,
    byProgram: c.byProgram.map((p) => ({ programKey: p.programKey, units: p.units })),
    ours: (c.byProgram.find((p) => p.programKey === key)?.workstreams ?? []).map((w) => ({
      key: w.key,
      name: w.name,
      units: w.units,
    })),
  }));
}

/** The last day away of the workstream's lead, if they are away; a client is never told. */
const awayUntil = (ctx: DigestContext, f: WorkstreamFacts) =>
  ctx.client ? undefined : ctx.data.leadsAway?.[f.w.leadId];

function missingUpdates(ctx: DigestContext, live: WorkstreamFacts[]): MissingUpdate[] {
  return live
    .filter((f) => f.missing)
    .sort((a, b) => (a.lastUpdateAt?.getTime() ?? -Infinity) - (b.lastUpdateAt?.getTime() ?? -Infinity))
    .map((f) => ({
      kind: 'missing_update',
      workstream: f.label,
      ...(awayUntil(ctx, f) ? { leadAwayUntil: awayUntil(ctx, f)! } : {}),
      ...(f.lastUpdateAt
        ? {
            lastUpdate: dateIn(f.lastUpdateAt, ctx.data.timezone),
            daysSinceUpdate: wholeDays(f.lastUpdateAt, ctx.data.now),
          }
        : {}),
    }));
}

function signalsDisagree(
  ctx: DigestContext,
  live: WorkstreamFacts[],
  inChain: ReadonlySet<string>,
): SignalsDisagree[] {
  const { now, staleAfterDays, blockerDaysLimit } = ctx.data;
  const offTrackProviders = offTrackProvidersOf(ctx);
  const items: SignalsDisagree[] = [];
  for (const f of live) {
    if (f.health !== 'on_track' && f.health !== 'at_risk') continue;
    // Work at risk through a chain is listed there, with its reasons.
    if (inChain.has(f.id)) continue;
    const signals: Signal[] = [];
    const target = f.w.targetDate;
    if (target && target < ctx.today) {
      signals.push({ kind: 'past_target', targetDate: target, daysOverdue: daysBetween(target, ctx.today) });
    } else if (target && f.forecastDate && f.forecastDate > target) {
      signals.push({
        kind: 'forecast_past_target',
        forecast: f.forecastDate,
        targetDate: target,
        daysLate: daysBetween(target, f.forecastDate),
      });
    }
    const oldest = f.blockers[0];
    if (
      f.health === 'on_track' &&
      oldest &&
      now.getTime() - oldest.openedAt.getTime() >= Math.max(1, blockerDaysLimit) * DAY_MS
    ) {
      signals.push({ kind: 'old_blocker', blocker: ctx.blocker(oldest) });
    }
    for (const d of offTrackProviders.get(f.id) ?? []) signals.push(d);
    // A workstream already listed as missing its update is not listed again for the same silence.
    if (!f.missing && f.lastUpdateAt && now.getTime() - f.lastUpdateAt.getTime() > staleAfterDays * DAY_MS) {
      signals.push({ kind: 'stale', daysSinceUpdate: wholeDays(f.lastUpdateAt, now) });
    }
    if (signals.length > 0) items.push({ kind: 'signals', workstream: f.label, health: f.health, signals });
  }
  return items.sort((a, b) => b.signals.length - a.signals.length);
}

/** SPEC §3.4: an open dependency on off-track work is at risk, even before any forecast says late. */
function offTrackProvidersOf(ctx: DigestContext): Map<string, Signal[]> {
  const byConsumer = new Map<string, Signal[]>();
  for (const d of ctx.data.dependencies) {
    if (d.state !== 'open') continue;
    const consumer = d.consumerId.toHexString();
    if (!ctx.byId.has(consumer)) continue;
    const provider = ctx.workstreamOf(d.providerId);
    const latestHealth = ctx.updatesOf(d.providerId)[0]?.health ?? provider?.health;
    if (!provider || provider.state === 'done' || provider.state === 'cancelled') continue;
    if (latestHealth !== 'off_track') continue;
    const label = ctx.labelOf(d.providerId);
    const signal: Signal = {
      kind: 'provider_off_track',
      ...(label ? { provider: label } : {}),
      deliverable: ctx.text(d.deliverable),
      neededBy: d.neededBy,
    };
    const list = byConsumer.get(consumer);
    if (list) list.push(signal);
    else byConsumer.set(consumer, [signal]);
  }
  for (const list of byConsumer.values()) list.sort((a, b) => neededOf(a).localeCompare(neededOf(b)));
  return byConsumer;
}

const neededOf = (s: Signal) => (s.kind === 'provider_off_track' ? s.neededBy : '');

/**
 * Issue 15: open dependencies with this program on either side whose provider's lead has not answered
 * within 3 working days (Monday to Friday, in the digest's timezone) of being asked; longest waiting
 * first. A client is never told (their digest shows no other programs' work).
 */
function unansweredRequests(ctx: DigestContext): UnansweredRequest[] {
  const programId = ctx.data.program._id.toHexString();
  const items: UnansweredRequest[] = [];
  for (const d of ctx.data.dependencies) {
    if (d.state !== 'open' || d.commitment?.state !== 'requested') continue;
    if (d.consumerProgramId.toHexString() !== programId && d.providerProgramId.toHexString() !== programId)
      continue;
    const requestedOn = dateIn(d.commitment.requestedAt, ctx.data.timezone);
    const workingDays = workingDaysBetween(requestedOn, ctx.today);
    if (workingDays < ANSWER_WITHIN_WORKING_DAYS) continue;
    const consumer = ctx.labelOf(d.consumerId);
    const provider = ctx.labelOf(d.providerId);
    const workstream = d.consumerProgramId.toHexString() === programId ? consumer : provider;
    if (!workstream) continue;
    items.push({
      kind: 'unanswered_request',
      workstream,
      ...(consumer ? { consumer } : {}),
      ...(provider ? { provider } : {}),
      deliverable: ctx.text(d.deliverable),
      neededBy: d.neededBy,
      requestedOn,
      workingDays,
    });
  }
  return items.sort((a, b) => b.workingDays - a.workingDays || a.neededBy.localeCompare(b.neededBy));
}
