import { Schema } from 'mongoose';
import type { Id, Reminder } from '../domain/entities.js';
import { isDuplicateKey } from './programs.js';
import { family, type Partitions } from './partitions.js';

const reminderSchema = new Schema<Reminder>(
  {
    teamId: { type: String, required: true },
    scheduleKey: { type: String, required: true },
    slot: { type: Date, required: true },
    leadId: { type: String, required: true },
    state: { type: String, enum: ['claimed', 'sent', 'failed'], required: true },
    claimedBy: { type: String, required: true },
    claimedAt: { type: Date, required: true },
    channelId: String,
    ts: String,
    error: String,
  },
  { collection: 'reminders', versionKey: false },
);
reminderSchema.index({ teamId: 1, scheduleKey: 1, slot: 1, leadId: 1 }, { unique: true });

const REMINDERS = family('Reminder', reminderSchema);

export interface ReminderStore {
  /** At most one reminder per lead per slot: resolves `undefined` when it is claimed already. */
  claim(
    r: Pick<Reminder, 'teamId' | 'scheduleKey' | 'slot' | 'leadId' | 'claimedBy' | 'claimedAt'>,
  ): Promise<Reminder | undefined>;
  markSent(teamId: string, id: Id, channelId: string, ts: string): Promise<void>;
  markFailed(teamId: string, id: Id, error: string): Promise<void>;
  /**
   * Deletes the reminders of the schedules (`scheduleKeys`: their ids) and the nudges from the
   * programs' digests (`nudge:<program id>:…`); resolves how many.
   */
  removeFor(teamId: string, scheduleKeys: readonly string[], nudgedPrograms: readonly Id[]): Promise<number>;
}

export function reminderStore(db: Partitions): ReminderStore {
  const Reminders = (teamId: string) => db.of(REMINDERS, teamId);
  return {
    async claim(r) {
      try {
        return (await (await db.writable(REMINDERS, r.teamId)).create({ ...r, state: 'claimed' })).toObject();
      } catch (error) {
        if (isDuplicateKey(error)) return undefined;
        throw error;
      }
    },
    async markSent(teamId, id, channelId, ts) {
      await (
        await Reminders(teamId)
      ).updateOne({ teamId, _id: id }, { $set: { state: 'sent', channelId, ts } });
    },
    async markFailed(teamId, id, error) {
      await (await Reminders(teamId)).updateOne({ teamId, _id: id }, { $set: { state: 'failed', error } });
    },
    async removeFor(teamId, scheduleKeys, nudgedPrograms) {
      // A nudge's key starts `nudge:<program id>:`: the keys between that and `nudge:<program id>;`
      // (`;` follows `:`), a prefix found with plain comparisons.
      const nudges = nudgedPrograms.map((id) => ({
        scheduleKey: { $gte: `nudge:${id.toHexString()}:`, $lt: `nudge:${id.toHexString()};` },
      }));
      const either = [
        ...(scheduleKeys.length ? [{ scheduleKey: { $in: [...scheduleKeys] } }] : []),
        ...nudges,
      ];
      if (either.length === 0) return 0;
      return (await (await Reminders(teamId)).deleteMany({ teamId, $or: either })).deletedCount;
    },
  };
}
