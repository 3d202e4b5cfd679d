/**
 * Slip propagation (SPEC §6). A workstream's own forecast is its latest update's forecast date, or its
 * target date when that update has none (or there is no update). Its propagated forecast is its own
 * forecast pushed later by the lateness of what it waits on: for each open dependency, the provider's
 * propagated forecast minus the date the consumer needs it, when positive, is added to the consumer's
 * own forecast; the latest result wins.
 *
 * Where SPEC §6 is silent:
 * - Work with neither a forecast nor a target has no propagated forecast: nobody can say when it
 *   finishes, so it pushes nobody later (what it waits on can still put it, and its consumers, at risk:
 *   see chains.ts).
 * - Done work has delivered and cancelled work never will: neither has a forecast, so neither pushes
 *   anyone later (a cancelled provider puts its consumers at risk instead: see chains.ts).
 * - Only open dependencies push. A broken one pushes nobody by a date (its date no longer means
 *   anything until it is re-planned); it puts its consumer at risk instead.
 * - A dependency whose consumer is done or cancelled is no longer waited for.
 * - Workstreams on a cycle wait on each other without end: the dependencies inside a cycle push
 *   nobody (each workstream there keeps its own forecast plus what comes from outside the cycle), the
 *   cycle is reported, and its workstreams are at risk. The pass runs once over the components in
 *   order, so it always terminates, in time linear in workstreams and dependencies.
 * - A workstream a dependency names but the input does not hold has no forecast.
 * - Issue 15: the provider delivers on the later of its propagated forecast and the date it committed
 *   to, when it committed (a provider with no forecast delivers on its committed date).
 */
import type { StatusUpdate, Workstream } from '../entities.js';
import type { CalendarDate, WorkstreamState } from '../types.js';
import { byCode, dateOf, dayOf } from './days.js';
import { deliveryDay, type Components, type DependencyGraph, type Edge } from './graph.js';

export type ForecastWorkstream = Pick<Workstream, '_id' | 'state' | 'targetDate'>;
export type ForecastUpdate = Pick<StatusUpdate, '_id' | 'workstreamId' | 'createdAt' | 'forecastDate'>;

export interface WorkstreamForecast {
  workstreamId: string;
  /** Its state; absent when the input does not hold the workstream. */
  state?: WorkstreamState;
  /** Its own forecast: its latest update's forecast date, else its target date. None for done or cancelled work. */
  own?: CalendarDate;
  basis?: 'forecast' | 'target';
  /** Its own forecast pushed later by the lateness of what it waits on. */
  propagated?: CalendarDate;
  /** How many days what it waits on pushes it (propagated − own); 0 when nothing does. */
  slipDays: number;
  /** The open dependency that pushes it the most and so decides its propagated forecast. */
  drivenBy?: Edge;
  /** How many workstreams the chain of `drivenBy` dependencies ending here holds (1 when nothing pushes it). */
  chainLength: number;
  /** It lies on a cycle of dependencies. */
  inCycle: boolean;
}

/** Neither done nor cancelled (a workstream the input does not hold counts as open). */
export const isOpen = (state: WorkstreamState | undefined): boolean =>
  state !== 'done' && state !== 'cancelled';

/** Each workstream's newest update (by time, then id) that the input holds, by workstream id. */
export function latestUpdates<U extends ForecastUpdate>(updates: readonly U[]): Map<string, U> {
  const latest = new Map<string, U>();
  for (const u of updates) {
    const id = u.workstreamId.toHexString();
    const held = latest.get(id);
    if (
      !held ||
      u.createdAt.getTime() > held.createdAt.getTime() ||
      (u.createdAt.getTime() === held.createdAt.getTime() &&
        byCode(u._id.toHexString(), held._id.toHexString()) > 0)
    ) {
      latest.set(id, u);
    }
  }
  return latest;
}

export interface Propagation {
  /** Every workstream of the graph, by position in `graph.nodes`. */
  forecasts: readonly WorkstreamForecast[];
  /** The same, by id. */
  byId: ReadonlyMap<string, WorkstreamForecast>;
  /** Propagated forecasts as day numbers (NaN for none), by position. */
  days: Float64Array;
}

/** The propagated forecast of every workstream of the graph (`workstreams` as a list, or by id). */
export function propagate(
  graph: DependencyGraph,
  comps: Components,
  workstreams: readonly ForecastWorkstream[] | ReadonlyMap<string, ForecastWorkstream>,
  updates: readonly ForecastUpdate[],
): Propagation {
  const { outStart, providerAt, neededDay, committedDay, edges } = graph;
  const byId = Array.isArray(workstreams)
    ? new Map(workstreams.map((w) => [w._id.toHexString(), w]))
    : (workstreams as ReadonlyMap<string, ForecastWorkstream>);
  const latest = latestUpdates(updates);
  const forecasts = new Array<WorkstreamForecast>(graph.nodes.length);
  const days = new Float64Array(graph.nodes.length).fill(NaN);

  comps.positions.forEach((members, c) => {
    const inCycle = comps.cyclic[c]!;
    for (const at of members) {
      const id = graph.nodes[at]!;
      const w = byId.get(id);
      const forecast: WorkstreamForecast = { workstreamId: id, slipDays: 0, chainLength: 1, inCycle };
      if (w) forecast.state = w.state;
      forecasts[at] = forecast;
      if (!w || !isOpen(w.state)) continue;
      const statedDay = dayOf(latest.get(id)?.forecastDate);
      const own = statedDay ?? dayOf(w.targetDate);
      if (own === undefined) continue;
      forecast.own = dateOf(own);
      forecast.basis = statedDay !== undefined ? 'forecast' : 'target';

      let push = 0;
      let by = -1;
      let byLength = 0;
      for (let e = outStart[at]!; e < outStart[at + 1]!; e += 1) {
        const provider = providerAt[e]!;
        if (edges[e]!.state !== 'open' || comps.at[provider] === c) continue;
        // Done or cancelled providers push nobody, whatever they once committed to.
        if (!isOpen(forecasts[provider]!.state)) continue;
        // NaN (no forecast, or no date) compares false: it pushes nobody. Edges come by provider id:
        // of equal pushes the first wins, unless a later one brings a longer chain. A date the provider
        // committed to (issue 15) counts as its delivery when it is later than its forecast.
        const late = deliveryDay(days[provider]!, committedDay[e]!) - neededDay[e]!;
        if (!(late > push || (late === push && by >= 0 && forecasts[provider]!.chainLength > byLength)))
          continue;
        push = late;
        by = e;
        byLength = forecasts[provider]!.chainLength;
      }
      days[at] = own + push;
      forecast.propagated = push === 0 ? forecast.own : dateOf(own + push);
      forecast.slipDays = push;
      if (by >= 0) {
        forecast.drivenBy = edges[by]!;
        forecast.chainLength = byLength + 1;
      }
    }
  });
  const result = new Map<string, WorkstreamForecast>();
  graph.nodes.forEach((id, at) => result.set(id, forecasts[at]!));
  return { forecasts, byId: result, days };
}
