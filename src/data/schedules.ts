import { Schema, type Connection } from 'mongoose';
import type { DigestSchedule, Id } from '../domain/entities.js';
import type { ScheduleInput } from '../domain/schedule.js';

const scheduleSchema = new Schema<DigestSchedule>(
  {
    teamId: { type: String, required: true },
    programId: Schema.Types.ObjectId,
    programKey: String,
    portfolioId: Schema.Types.ObjectId,
    portfolioKey: String,
    channelId: { type: String, required: true },
    days: { type: [String], required: true },
    time: { type: String, required: true },
    timezone: { type: String, required: true },
    variant: { type: String, enum: ['team', 'leadership', 'client'], default: 'team' },
    reminderLeadMinutes: { type: Number, default: 120 },
    quiet: { type: Boolean, default: false },
    paused: { type: Boolean, default: false },
    pausedReason: { type: String, enum: ['uninstalled'] },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastSlotAt: { type: Date, required: true },
    nextSlotAt: Date,
  },
  { collection: 'digest_schedules', versionKey: false },
);
scheduleSchema.index({ teamId: 1, programId: 1 });
scheduleSchema.index({ teamId: 1, portfolioId: 1 });
scheduleSchema.index({ paused: 1, nextSlotAt: 1 });

export type NewSchedule = Omit<DigestSchedule, '_id' | 'paused'>;

/** A program's schedule: its program is known. */
export type ProgramSchedule = DigestSchedule & { programId: Id; programKey: string };

export interface ScheduleStore {
  create(schedule: NewSchedule): Promise<DigestSchedule>;
  findById(teamId: string, id: Id): Promise<DigestSchedule | null>;
  forProgram(teamId: string, programId: Id): Promise<DigestSchedule[]>;
  forPortfolio(teamId: string, portfolioId: Id): Promise<DigestSchedule[]>;
  /**
   * Schedules of every workspace with a slot due by `now`: the scheduler's one cross-workspace
   * read; everything it then does is scoped to each schedule's own workspace.
   */
  due(now: Date, limit: number): Promise<DigestSchedule[]>;
  /**
   * Active program schedules with reminders whose next slot is within `horizon` of `now` (every
   * workspace); a portfolio's schedule sends no reminders.
   */
  upcoming(now: Date, horizon: Date, limit: number): Promise<ProgramSchedule[]>;
  /** Moves the schedule past `slot`, never backwards (replicas may race; the later slot wins). */
  advance(teamId: string, id: Id, slot: Date, nextSlotAt: Date | undefined): Promise<void>;
  setPaused(
    teamId: string,
    id: Id,
    paused: boolean,
    lastSlotAt: Date,
    nextSlotAt: Date | undefined,
  ): Promise<DigestSchedule | null>;
  /**
   * Sets what its form sets; with `slots`, where its timing starts anew too. Answers the schedule
   * changed, or null when it is gone.
   */
  change(
    teamId: string,
    id: Id,
    input: ScheduleInput,
    slots?: { lastSlotAt: Date; nextSlotAt: Date | undefined },
  ): Promise<DigestSchedule | null>;
  remove(teamId: string, id: Id): Promise<boolean>;
  /** Every schedule of the programs. */
  forPrograms(teamId: string, programIds: readonly Id[]): Promise<DigestSchedule[]>;
  /** Deletes every schedule of the programs; resolves how many. */
  removeForPrograms(teamId: string, programIds: readonly Id[]): Promise<number>;
  /** Pauses every running schedule of the workspace, marked with `reason`; answers how many. */
  pauseAll(teamId: string, reason: 'uninstalled'): Promise<number>;
  /** The workspace's schedules paused for `reason` (not those a person paused). */
  pausedFor(teamId: string, reason: 'uninstalled'): Promise<DigestSchedule[]>;
}

export function scheduleStore(connection: Connection): ScheduleStore {
  const Schedules = connection.model<DigestSchedule>('DigestSchedule', scheduleSchema);
  return {
    async create(schedule) {
      return (await Schedules.create({ ...schedule, paused: false })).toObject();
    },
    findById: (teamId, id) => Schedules.findOne({ teamId, _id: id }).lean<DigestSchedule>().exec(),
    forProgram: (teamId, programId) =>
      Schedules.find({ teamId, programId }).sort({ createdAt: 1 }).limit(50).lean<DigestSchedule[]>().exec(),
    forPortfolio: (teamId, portfolioId) =>
      Schedules.find({ teamId, portfolioId })
        .sort({ createdAt: 1 })
        .limit(50)
        .lean<DigestSchedule[]>()
        .exec(),
    due: (now, limit) =>
      Schedules.find({ paused: false, nextSlotAt: { $lte: now } })
        .sort({ nextSlotAt: 1 })
        .limit(limit)
        .lean<DigestSchedule[]>()
        .exec(),
    upcoming: (now, horizon, limit) =>
      Schedules.find({
        paused: false,
        reminderLeadMinutes: { $gt: 0 },
        programId: { $exists: true },
        nextSlotAt: { $gt: now, $lte: horizon },
      })
        .sort({ nextSlotAt: 1 })
        .limit(limit)
        .lean<ProgramSchedule[]>()
        .exec(),
    async advance(teamId, id, slot, nextSlotAt) {
      await Schedules.updateOne(
        { teamId, _id: id, lastSlotAt: { $lt: slot } },
        nextSlotAt
          ? { $set: { lastSlotAt: slot, nextSlotAt } }
          : { $set: { lastSlotAt: slot }, $unset: { nextSlotAt: 1 } },
      );
    },
    change: (teamId, id, input, slots) =>
      Schedules.findOneAndUpdate(
        { teamId, _id: id },
        {
          $set: {
            ...input,
            ...(slots ? { lastSlotAt: slots.lastSlotAt } : {}),
            ...(slots?.nextSlotAt ? { nextSlotAt: slots.nextSlotAt } : {}),
          },
          ...(slots && !slots.nextSlotAt ? { $unset: { nextSlotAt: 1 } } : {}),
        },
        { returnDocument: 'after' },
      )
        .lean<DigestSchedule>()
        .exec(),
    setPaused: (teamId, id, paused, lastSlotAt, nextSlotAt) =>
      Schedules.findOneAndUpdate(
        { teamId, _id: id },
        // A person's pause or resume: whatever Cairn paused it for no longer holds it.
        paused
          ? { $set: { paused }, $unset: { pausedReason: 1 } }
          : // Resuming does not catch up what was missed while paused.
            {
              $set: { paused, lastSlotAt, ...(nextSlotAt ? { nextSlotAt } : {}) },
              $unset: { pausedReason: 1 },
            },
        { returnDocument: 'after' },
      )
        .lean<DigestSchedule>()
        .exec(),
    async remove(teamId, id) {
      return (await Schedules.deleteOne({ teamId, _id: id })).deletedCount === 1;
    },
    forPrograms: (teamId, programIds) =>
      Schedules.find({ teamId, programId: { $in: [...programIds] } })
        .sort({ createdAt: 1 })
        .lean<DigestSchedule[]>()
        .exec(),
    async removeForPrograms(teamId, programIds) {
      return (await Schedules.deleteMany({ teamId, programId: { $in: [...programIds] } })).deletedCount;
    },
    async pauseAll(teamId, reason) {
      return (
        await Schedules.updateMany(
          { teamId, paused: false },
          { $set: { paused: true, pausedReason: reason } },
        )
      ).modifiedCount;
    },
    pausedFor: (teamId, reason) =>
      Schedules.find({ teamId, paused: true, pausedReason: reason })
        .sort({ createdAt: 1 })
        .lean<DigestSchedule[]>()
        .exec(),
  };
}
