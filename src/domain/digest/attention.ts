/**
 * SPEC §3.4: what needs the program manager's attention, most severe first:
 *
 * 1. off-track work (oldest blocker first),
 * 2. dependencies at risk (a cancelled or off-track provider first, then the latest delivery),
 * 3. at-risk work (oldest blocker first),
 * 4. missing updates (longest silence first, never-updated first of all),
 * 5. green work whose signals disagree (most signals first): past its target date, a blocker open
 *    three days or more, or no update for longer than the stale-after days (unless it is already
 *    listed under missing updates).
 *
 * Only open work counts: done and cancelled workstreams need no attention, and a dependency whose
 * provider is done (delivered) or whose consumer is done or cancelled (no longer needed) is not at risk.
 */
import type { Dependency } from '../entities.js';
import {
  dateIn,
  daysBetween,
  wholeDays,
  DAY_MS,
  type DigestContext,
  type WorkstreamFacts,
} from './context.js';
import type {
  AttentionItem,
  DependencyAttention,
  DependencyRisk,
  HealthAttention,
  MissingUpdate,
  Signal,
  SignalsDisagree,
} from './model.js';

/** A blocker open this long makes an on-track statement doubtful. */
export const OLD_BLOCKER_DAYS = 3;

export function needsAttention(ctx: DigestContext): AttentionItem[] {
  const open = ctx.facts.filter((f) => f.open);
  const oldestBlockerFirst = (a: WorkstreamFacts, b: WorkstreamFacts) =>
    (a.blockers[0]?.openedAt.getTime() ?? Infinity) - (b.blockers[0]?.openedAt.getTime() ?? Infinity);
  const health = (kind: HealthAttention['kind']): HealthAttention[] =>
    open
      .filter((f) => f.health === kind)
      .sort(oldestBlockerFirst)
      .map((f) => ({
        kind,
        workstream: f.label,
        ...(f.latest?.summary ? { summary: ctx.text(f.latest.summary) } : {}),
        blockers: f.blockers.map(ctx.blocker),
      }));

  return [
    ...health('off_track'),
    ...dependenciesAtRisk(ctx),
    ...health('at_risk'),
    ...missingUpdates(ctx, open),
    ...signalsDisagree(ctx, open),
  ];
}

function dependenciesAtRisk(ctx: DigestContext): DependencyAttention[] {
  const seen = new Set<string>();
  const items: Array<DependencyAttention & { rank: number }> = [];
  for (const d of ctx.data.dependencies) {
    const id = d._id.toHexString();
    if (d.state !== 'open' || seen.has(id)) continue;
    seen.add(id);
    const reasons = risksOf(ctx, d);
    if (reasons.length === 0) continue;
    const consumer = ctx.labelOf(d.consumerId);
    const provider = ctx.labelOf(d.providerId);
    const late = reasons.find((r) => r.kind === 'late');
    const grave = reasons.some((r) => r.kind === 'provider_cancelled' || r.kind === 'provider_off_track');
    items.push({
      kind: 'dependency',
      ...(consumer ? { consumer } : {}),
      ...(provider ? { provider } : {}),
      deliverable: ctx.text(d.deliverable),
      neededBy: d.neededBy,
      reasons,
      rank: (grave ? 100_000 : 0) + (late?.kind === 'late' ? late.daysLate : 0),
    });
  }
  return items
    .sort((a, b) => b.rank - a.rank || a.neededBy.localeCompare(b.neededBy))
    .map(({ rank: _rank, ...item }) => item);
}

function risksOf(ctx: DigestContext, d: Dependency): DependencyRisk[] {
  const provider = ctx.workstreamOf(d.providerId);
  const consumer = ctx.workstreamOf(d.consumerId);
  if (provider?.state === 'done') return [];
  if (consumer?.state === 'done' || consumer?.state === 'cancelled') return [];
  const reasons: DependencyRisk[] = [];
  if (provider?.state === 'cancelled') reasons.push({ kind: 'provider_cancelled' });
  const latest = ctx.updatesOf(d.providerId)[0];
  if ((latest?.health ?? provider?.health) === 'off_track') reasons.push({ kind: 'provider_off_track' });
  const expected = latest?.forecastDate ?? provider?.targetDate;
  if (expected && expected > d.neededBy) {
    reasons.push({
      kind: 'late',
      expected,
      basis: latest?.forecastDate ? 'forecast' : 'target',
      daysLate: daysBetween(d.neededBy, expected),
    });
  } else if (d.neededBy < ctx.today) {
    reasons.push({ kind: 'overdue', daysOverdue: daysBetween(d.neededBy, ctx.today) });
  }
  return reasons;
}

function missingUpdates(ctx: DigestContext, open: WorkstreamFacts[]): MissingUpdate[] {
  return open
    .filter((f) => f.missing)
    .sort((a, b) => (a.lastUpdateAt?.getTime() ?? -Infinity) - (b.lastUpdateAt?.getTime() ?? -Infinity))
    .map((f) => ({
      kind: 'missing_update',
      workstream: f.label,
      ...(f.lastUpdateAt
        ? {
            lastUpdate: dateIn(f.lastUpdateAt, ctx.data.timezone),
            daysSinceUpdate: wholeDays(f.lastUpdateAt, ctx.data.now),
          }
        : {}),
    }));
}

function signalsDisagree(ctx: DigestContext, open: WorkstreamFacts[]): SignalsDisagree[] {
  const { now, staleAfterDays } = ctx.data;
  const items: SignalsDisagree[] = [];
  for (const f of open) {
    if (f.health !== 'on_track') continue;
    const signals: Signal[] = [];
    if (f.w.targetDate && f.w.targetDate < ctx.today) {
      signals.push({
        kind: 'past_target',
        targetDate: f.w.targetDate,
        daysOverdue: daysBetween(f.w.targetDate, ctx.today),
      });
    }
    const oldest = f.blockers[0];
    if (oldest && now.getTime() - oldest.openedAt.getTime() >= OLD_BLOCKER_DAYS * DAY_MS) {
      signals.push({ kind: 'old_blocker', blocker: ctx.blocker(oldest) });
    }
    // A workstream already listed as missing its update is not listed again for the same silence.
    if (!f.missing && f.lastUpdateAt && now.getTime() - f.lastUpdateAt.getTime() > staleAfterDays * DAY_MS) {
      signals.push({ kind: 'stale', daysSinceUpdate: wholeDays(f.lastUpdateAt, now) });
    }
    if (signals.length > 0) items.push({ kind: 'signals', workstream: f.label, signals });
  }
  return items.sort((a, b) => b.signals.length - a.signals.length);
}
