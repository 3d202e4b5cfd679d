/**
 * At-risk work and the chain of facts that explains it (SPEC §6). An open workstream is at risk when
 * one of its open or broken dependencies (the edges of the graph) is:
 *
 * - `cycle`: inside a cycle of dependencies (it waits, through others, on itself);
 * - `provider_cancelled`: open, on a cancelled provider (it will never be delivered);
 * - `broken`: flagged broken, or declined by the provider (issue 15), whatever the provider's state (it stays at risk until it is re-planned
 *   or removed);
 * - `late`: open, and the provider's propagated forecast, or the date it committed to (issue 15),
 *   passes the date it is needed;
 * - `overdue`: open, not late by forecast (or the provider has none), but the date it is needed has
 *   passed (`today`) and the provider is not done;
 * - `upstream`: open, and the provider is itself at risk.
 *
 * So everything downstream of at-risk work is at risk too, transitively, across programs. A done
 * provider has delivered: nothing on it is at risk (unless the dependency is broken). Done and cancelled
 * workstreams are never at risk themselves.
 *
 * Each at-risk workstream gets every reason, most severe first (cycle, provider cancelled, broken, then
 * late and overdue with the most days first, then upstream; among equals, a provider that is itself at
 * risk first, then by provider and dependency id), and the chain from it to the root cause: its first
 * reason, then, while that reason is late, overdue or upstream on a provider that is itself at risk,
 * that provider's first reason, and so on. A chain only ever moves to a component that comes earlier
 * (a cycle link ends it), so it is finite.
 *
 * Cycles are those of the stored dependencies, whatever the states of the workstreams on them: the
 * data is wrong until someone removes one, so each open workstream on one is at risk, naming it.
 */
import type { CalendarDate } from '../types.js';
import { byCode, dayOf } from './days.js';
import { deliveryDay, type Components, type DependencyGraph } from './graph.js';
import { isOpen, type Propagation } from './propagation.js';

export type RiskKind = 'cycle' | 'provider_cancelled' | 'broken' | 'late' | 'overdue' | 'upstream';

/** Most severe first: the order reasons and chains are ranked in, wherever they are shown. */
export const RISK_SEVERITY: Readonly<Record<RiskKind, number>> = {
  cycle: 0,
  provider_cancelled: 1,
  broken: 2,
  late: 3,
  overdue: 4,
  upstream: 5,
};

/** One fact of a chain: `consumerId` waits on `providerId` for `deliverable`, needed by `neededBy`. */
export interface RiskLink {
  kind: RiskKind;
  consumerId: string;
  providerId: string;
  dependencyId: string;
  deliverable: string;
  neededBy: CalendarDate;
  /** The provider's propagated forecast, when it has one. */
  providerForecast?: CalendarDate;
  /** `late`: days the provider's forecast passes the needed-by date; `overdue`: days since that date. */
  days?: number;
  /** The provider is itself at risk. */
  providerAtRisk: boolean;
  /** Issue 15: the provider's answer, on dependencies that were asked for one (see graph.ts's Edge). */
  commitment?: 'requested' | 'committed' | 'declined';
  /** The date the provider committed to. */
  committed?: CalendarDate;
  proposed?: boolean;
}

export interface AtRiskWorkstream {
  workstreamId: string;
  /** Every dependency that puts it at risk, most severe first. */
  reasons: RiskLink[];
  /** From it to the root cause: each link's provider is the next link's consumer. */
  chain: RiskLink[];
  /** When the chain ends on a cycle: that cycle, as cycles are reported (see graph.ts). */
  cycle?: readonly string[];
}

const continues = (link: RiskLink): boolean =>
  link.providerAtRisk && (link.kind === 'late' || link.kind === 'overdue' || link.kind === 'upstream');

/**
 * The at-risk workstreams of the graph with their reasons and chains, by position in `graph.nodes`
 * (undefined where not at risk). `cycleOf` gives the reported cycle of a cyclic component (by index).
 */
export function atRiskChains(
  graph: DependencyGraph,
  comps: Components,
  propagation: Propagation,
  today: CalendarDate,
  cycleOf: (component: number) => readonly string[] | undefined,
): Array<AtRiskWorkstream | undefined> {
  const { outStart, providerAt, neededDay, committedDay, edges } = graph;
  const { forecasts, days } = propagation;
  const todayDay = dayOf(today) ?? NaN;
  const atRisk = new Array<AtRiskWorkstream | undefined>(graph.nodes.length);

  comps.positions.forEach((members, c) => {
    for (const at of members) {
      if (!isOpen(forecasts[at]!.state)) continue;
      let reasons: RiskLink[] | undefined;
      for (let e = outStart[at]!; e < outStart[at + 1]!; e += 1) {
        const link = linkOf(e, comps.at[providerAt[e]!] === c);
        if (link) (reasons ??= []).push(link);
      }
      if (!reasons) continue;
      if (reasons.length > 1) reasons.sort(bySeverity);
      const first = reasons[0]!;
      const upstream = continues(first) ? atRiskOf(first) : undefined;
      const chain = upstream ? [first, ...upstream.chain] : [first];
      const cycle = upstream ? upstream.cycle : first.kind === 'cycle' ? cycleOf(c) : undefined;
      const item: AtRiskWorkstream = { workstreamId: graph.nodes[at]!, reasons, chain };
      if (cycle) item.cycle = cycle;
      atRisk[at] = item;
    }
  });
  return atRisk;

  function atRiskOf(link: RiskLink): AtRiskWorkstream | undefined {
    return atRisk[graph.position.get(link.providerId)!];
  }

  function linkOf(e: number, inside: boolean): RiskLink | undefined {
    const p = providerAt[e]!;
    const edge = edges[e]!;
    const state = forecasts[p]!.state;
    let kind: RiskKind;
    let late: number | undefined;
    let providerAtRisk = atRisk[p] !== undefined;
    if (inside) {
      // Inside a cycle every open provider waits, through the cycle, on something inside it: it is at risk.
      kind = 'cycle';
      providerAtRisk = isOpen(state);
    } else if (edge.state === 'broken') {
      kind = 'broken';
    } else if (state === 'done') {
      return undefined;
    } else if (state === 'cancelled') {
      kind = 'provider_cancelled';
    } else if (deliveryDay(days[p]!, committedDay[e]!) > neededDay[e]!) {
      kind = 'late';
      late = deliveryDay(days[p]!, committedDay[e]!) - neededDay[e]!;
    } else if (neededDay[e]! < todayDay) {
      kind = 'overdue';
      late = todayDay - neededDay[e]!;
    } else if (providerAtRisk) {
      kind = 'upstream';
    } else {
      return undefined;
    }
    const link: RiskLink = {
      kind,
      consumerId: edge.consumer,
      providerId: edge.provider,
      dependencyId: edge.id,
      deliverable: edge.deliverable,
      neededBy: edge.neededBy,
      providerAtRisk,
    };
    const providerForecast = forecasts[p]!.propagated;
    if (providerForecast) link.providerForecast = providerForecast;
    if (late !== undefined) link.days = late;
    if (edge.commitment) link.commitment = edge.commitment;
    if (edge.committed) link.committed = edge.committed;
    if (edge.proposed) link.proposed = true;
    return link;
  }
}

function bySeverity(a: RiskLink, b: RiskLink): number {
  return (
    RISK_SEVERITY[a.kind] - RISK_SEVERITY[b.kind] ||
    (b.days ?? 0) - (a.days ?? 0) ||
    Number(b.providerAtRisk) - Number(a.providerAtRisk) ||
    byCode(a.providerId, b.providerId) ||
    byCode(a.dependencyId, b.dependencyId)
  );
}
