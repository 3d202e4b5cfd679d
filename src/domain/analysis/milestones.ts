/**
 * Milestone forecasts (SPEC §6): a milestone's forecast is the latest propagated forecast of the
 * workstreams it needs; it is at risk when that passes its date. Needed work that is done or cancelled
 * has no forecast and so does not count; needed open work with no forecast at all is listed as
 * `undated` (the milestone's forecast cannot account for it).
 */
import type { Milestone } from '../entities.js';
import type { CalendarDate } from '../types.js';
import { byCode, dayOf } from './days.js';
import { criticalPath, type CriticalPath } from './critical-path.js';
import { isOpen, type WorkstreamForecast } from './propagation.js';

export type ForecastMilestone = Pick<Milestone, '_id' | 'date' | 'needs'>;

export interface MilestoneForecast {
  milestoneId: string;
  date: CalendarDate;
  /** The latest propagated forecast of the workstreams it needs; absent when none has one. */
  forecast?: CalendarDate;
  atRisk: boolean;
  /** Days the forecast passes the date (0 when it does not). */
  daysLate: number;
  /** The chain of dependencies that decides its forecast. */
  criticalPath?: CriticalPath;
  /** Needed workstreams that are open but have no forecast, in id order. */
  undated: string[];
}

/** Each milestone's forecast, by date then id. */
export function milestoneForecasts(
  milestones: readonly ForecastMilestone[],
  forecasts: ReadonlyMap<string, WorkstreamForecast>,
): MilestoneForecast[] {
  return milestones
    .map((m): MilestoneForecast => {
      const needs = [...new Set(m.needs.map((id) => id.toHexString()))].sort(byCode);
      const path = criticalPath(forecasts, needs);
      const due = dayOf(m.date);
      const forecast = dayOf(path?.finish);
      const daysLate = due !== undefined && forecast !== undefined ? Math.max(0, forecast - due) : 0;
      return {
        milestoneId: m._id.toHexString(),
        date: m.date,
        ...(path ? { forecast: path.finish, criticalPath: path } : {}),
        atRisk: daysLate > 0,
        daysLate,
        undated: needs.filter((id) => {
          const f = forecasts.get(id);
          return isOpen(f?.state) && !f?.propagated;
        }),
      };
    })
    .sort((a, b) => byCode(a.date, b.date) || byCode(a.milestoneId, b.milestoneId));
}
