import { Schema } from 'mongoose';
import type { CalendarDate } from '../domain/types.js';
import { isDuplicateKey } from './programs.js';
import { family, teamsWhere, type Partitions } from './partitions.js';

/**
 * Whether the owners of the programs in a capacity conflict (SPEC §6) have been told about it, one
 * document per (workspace, conflict key `<resource id>/<week-year>-W<week>`). Conflicts are computed,
 * not stored, so this is the only memory of them.
 *
 * `episode` counts the conflict's past episodes: a conflict that is present and not `notified` is
 * told by whoever claims `capacity:<key>:<episode>` (a unique insert, in the claims store); once it is
 * gone, it is marked resolved, which moves it to the next episode, so a recurrence is told again.
 *
 * Every write sets values computed from the episode the writer read (never `$inc`), filtered on that
 * episode: two replicas writing the same change write the same document, and a writer whose read
 * went stale matches nothing. (Conditional updates are not atomic on FerretDB; the claim is what
 * makes a notice go out once, and these writes only need to converge.)
 */
export interface CapacityNotice {
  /** `<teamId>:<key>`: one document per conflict of a workspace. */
  _id: string;
  teamId: string;
  key: string;
  /** The Monday of the conflict's ISO week. */
  monday: CalendarDate;
  /** True while the current episode has been claimed (told, or being told) and not yet resolved. */
  notified: boolean;
  /** Episodes resolved so far: the number of the current (or next) episode, from 0. */
  episode: number;
  notifiedAt?: Date;
  resolvedAt?: Date;
}

const noticeSchema = new Schema<CapacityNotice>(
  {
    _id: { type: String, required: true },
    teamId: { type: String, required: true },
    key: { type: String, required: true },
    monday: { type: String, required: true },
    notified: { type: Boolean, required: true },
    episode: { type: Number, required: true },
    notifiedAt: Date,
    resolvedAt: Date,
  },
  { collection: 'capacity_notices', versionKey: false },
);
noticeSchema.index({ teamId: 1, notified: 1 });
noticeSchema.index({ teamId: 1, monday: 1 });

/** Far more notices than a workspace has in play at once (notified ones, and the weeks ahead). */
const LIST_LIMIT = 10_000;

export interface CapacityNoticeStore {
  /**
   * The workspace's notices still in play: those notified (which may need resolving), and those of
   * weeks starting on or after `since` (whose episode a recurrence needs). Past weeks' resolved
   * notices are left out, so the list does not grow with time.
   */
  list(teamId: string, since: CalendarDate): Promise<CapacityNotice[]>;
  /** Records that `episode` of the conflict is claimed and told; creates the notice for episode 0. */
  markNotified(teamId: string, key: string, monday: CalendarDate, episode: number, at: Date): Promise<void>;
  /** Records that the conflict told in `episode` is gone: the next time it occurs is episode + 1. */
  markResolved(teamId: string, key: string, episode: number, at: Date): Promise<void>;
  /** The workspaces with a conflict told and not yet resolved: the job's cross-workspace read. */
  teamsNotified(): Promise<string[]>;
}

const NOTICES = family('CapacityNotice', noticeSchema);

export function capacityNoticeStore(db: Partitions): CapacityNoticeStore {
  const Notices = (teamId: string) => db.of(NOTICES, teamId);
  return {
    list: async (teamId, since) =>
      (await Notices(teamId))
        .find({ teamId, $or: [{ notified: true }, { monday: { $gte: since } }] })
        .limit(LIST_LIMIT)
        .lean<CapacityNotice[]>()
        .exec(),
    async markNotified(teamId, key, monday, episode, at) {
      const filter = { _id: `${teamId}:${key}`, teamId, key, episode };
      const update = { $set: { monday, notified: true, notifiedAt: at } };
      // Episode 0 may have no document yet: an upsert creates it. Two replicas creating it at once
      // meet on the unique _id, and the one refused writes again over the document the other made.
      // A document already moved on to a later episode matches nothing and is left as it is.
      for (let attempt = 0; ; attempt++) {
        try {
          await (await db.writable(NOTICES, teamId)).updateOne(filter, update, { upsert: true }).exec();
          return;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          if (attempt > 0) return;
        }
      }
    },
    async markResolved(teamId, key, episode, at) {
      await (
        await Notices(teamId)
      )
        .updateOne(
          { _id: `${teamId}:${key}`, teamId, episode, notified: true },
          { $set: { notified: false, episode: episode + 1, resolvedAt: at } },
        )
        .exec();
    },
    teamsNotified: () => teamsWhere(db, NOTICES, { notified: true }),
  };
}
