import { Schema } from 'mongoose';
import type { CalendarDate } from '../domain/types.js';
import { family, type Partitions } from './partitions.js';

/**
 * Who is away (issue 15, `/status away until <date>`): one document per person of a workspace, kept
 * after they are back (`until` in the past) so that `/status back` and a later absence overwrite it.
 * Only the person themselves writes it, so a plain upsert by its key is enough.
 */
export interface TimeAway {
  /** `<teamId>:<userId>`. */
  _id: string;
  teamId: string;
  userId: string;
  /** The last day away, in the person's timezone. */
  until: CalendarDate;
  /** The person's timezone when they said so: their day decides whether they are away. */
  timezone: string;
  setAt: Date;
}

const awaySchema = new Schema<TimeAway>(
  {
    _id: { type: String, required: true },
    teamId: { type: String, required: true },
    userId: { type: String, required: true },
    until: { type: String, required: true },
    timezone: { type: String, required: true },
    setAt: { type: Date, required: true },
  },
  { collection: 'time_away', versionKey: false },
);
awaySchema.index({ teamId: 1, until: 1 });

/** More people than a workspace has away at once. */
const LIST_LIMIT = 10_000;

export interface TimeAwayStore {
  /** Records that the person is away through `until`, replacing what was there. */
  set(
    teamId: string,
    userId: string,
    away: { until: CalendarDate; timezone: string },
    at: Date,
  ): Promise<void>;
  /** The person's absence, if one was ever recorded (its `until` may be past). */
  find(teamId: string, userId: string): Promise<TimeAway | null>;
  /** Absences of the workspace that last through `from` or later: everyone away on or after that day. */
  awayOnOrAfter(teamId: string, from: CalendarDate): Promise<TimeAway[]>;
}

const AWAY = family('TimeAway', awaySchema);

export function timeAwayStore(db: Partitions): TimeAwayStore {
  const Away = (teamId: string) => db.of(AWAY, teamId);
  return {
    async set(teamId, userId, { until, timezone }, at) {
      await (
        await db.writable(AWAY, teamId)
      )
        .updateOne(
          { _id: `${teamId}:${userId}`, teamId },
          { $set: { teamId, userId, until, timezone, setAt: at } },
          { upsert: true },
        )
        .exec();
    },
    find: async (teamId, userId) =>
      (await Away(teamId))
        .findOne({ _id: `${teamId}:${userId}`, teamId })
        .lean<TimeAway>()
        .exec(),
    awayOnOrAfter: async (teamId, from) =>
      (await Away(teamId))
        .find({ teamId, until: { $gte: from } })
        .limit(LIST_LIMIT)
        .lean<TimeAway[]>()
        .exec(),
  };
}
