import { DateTime } from 'luxon';
import type { Health, WorkstreamState } from '../domain/types.js';
import type { CalendarDate } from '../domain/types.js';

export const HEALTH_EMOJI: Record<Health, string> = { on_track: '🟢', at_risk: '🟡', off_track: '🔴' };
export const HEALTH_LABEL: Record<Health, string> = {
  on_track: 'On track',
  at_risk: 'At risk',
  off_track: 'Off track',
};
export const NOT_STARTED = '⏸';
export const NO_UPDATE = '⚪';

export const STATE_LABEL: Record<WorkstreamState, string> = {
  not_started: 'not started',
  active: 'active',
  paused: 'paused',
  done: 'done',
  cancelled: 'cancelled',
};

/** `2026-12-15` → `Tue 15 Dec` (with the year when it is not the current one). */
export function formatDate(date: CalendarDate, today: Date): string {
  const d = DateTime.fromISO(date, { zone: 'UTC' });
  if (!d.isValid) return date;
  return d.year === today.getUTCFullYear() ? d.toFormat('ccc d LLL') : d.toFormat('ccc d LLL yyyy');
}

/** A short age such as `3d`, `5h` or `just now`. */
export function formatAge(since: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

/** `just now`, `5m ago`, `3d ago`. */
export function formatAgo(since: Date, now: Date): string {
  const age = formatAge(since, now);
  return age === 'just now' ? age : `${age} ago`;
}

/** Health emoji from oldest to newest, e.g. 🟢🟢🟡🟡, from updates given newest first. */
export function healthTrend(updatesNewestFirst: ReadonlyArray<{ health: Health }>): string {
  return [...updatesNewestFirst]
    .reverse()
    .map((u) => HEALTH_EMOJI[u.health])
    .join('');
}
