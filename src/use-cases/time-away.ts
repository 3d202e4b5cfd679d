/**
 * `/status away until <date>` and `/status back` (issue 15). Each person says it of themselves only;
 * the day is theirs (read in their timezone by the parser), so "back" ends the absence yesterday in
 * their timezone.
 */
import { DateTime } from 'luxon';
import type { Actor } from '../domain/permissions.js';
import { awayAt, earliestDateAt, type AwayChange } from '../domain/time-away.js';
import type { CalendarDate } from '../domain/types.js';
import type { Stores } from '../services.js';

const dayIn = (now: Date, timezone: string, plusDays = 0): CalendarDate =>
  DateTime.fromJSDate(now, { zone: timezone }).plus({ days: plusDays }).toISODate()!;

export async function setAway(
  stores: Stores,
  actor: Actor,
  until: CalendarDate,
  now: Date,
): Promise<AwayChange> {
  await stores.timeAway.set(actor.teamId, actor.userId, { until, timezone: actor.timezone }, now);
  return { kind: 'away', until };
}

export async function setBack(stores: Stores, actor: Actor, now: Date): Promise<AwayChange> {
  const current = await stores.timeAway.find(actor.teamId, actor.userId);
  if (!current || !awayAt([current], now).has(actor.userId)) return { kind: 'back', wasAway: false };
  await stores.timeAway.set(
    actor.teamId,
    actor.userId,
    { until: dayIn(now, actor.timezone, -1), timezone: actor.timezone },
    now,
  );
  return { kind: 'back', wasAway: true };
}

/** Who in the workspace is away at `now`, with their last day away: no reminders or escalations to them. */
export async function whoIsAway(
  stores: Stores,
  teamId: string,
  now: Date,
): Promise<Map<string, CalendarDate>> {
  return awayAt(await stores.timeAway.awayOnOrAfter(teamId, earliestDateAt(now)), now);
}
