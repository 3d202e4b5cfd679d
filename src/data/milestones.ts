import { Schema } from 'mongoose';
import type { Id, Milestone } from '../domain/entities.js';
import type { CalendarDate } from '../domain/types.js';
import { oneAtATime } from './one-at-a-time.js';
import { family, type Partitions } from './partitions.js';

const milestoneSchema = new Schema<Milestone>(
  {
    teamId: { type: String, required: true },
    programId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    date: { type: String, required: true },
    // mongoose's typings cannot map an array of the domain's Id to ObjectIds; at run time they are ObjectIds.
    needs: { type: [Schema.Types.ObjectId], default: [] } as never,
    internal: { type: Boolean, default: false },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    doneAt: Date,
    doneBy: String,
    movedFrom: String,
    moves: Number,
  },
  { collection: 'milestones', versionKey: false },
);
milestoneSchema.index({ teamId: 1, programId: 1, date: 1 });

const MILESTONES = family('Milestone', milestoneSchema);

export interface MilestoneStore {
  add(milestone: Omit<Milestone, '_id'>): Promise<Milestone>;
  /** The program's milestones still to reach, by date: what forecasts and risks look at. */
  forProgram(teamId: string, programId: Id): Promise<Milestone[]>;
  forPrograms(teamId: string, programIds: readonly Id[]): Promise<Milestone[]>;
  /** Every milestone of the program, reached ones too, by date. */
  allForProgram(teamId: string, programId: Id): Promise<Milestone[]>;
  /** Marks a milestone reached; `null` when it was reached already (or is gone). */
  markDone(teamId: string, id: Id, by: string, at: Date): Promise<Milestone | null>;
  /**
   * Moves a milestone still to reach from `from` to `to`; `null` when it was reached, or moved by
   * someone else in the meantime (its date is no longer `from`).
   */
  move(teamId: string, id: Id, from: CalendarDate, to: CalendarDate): Promise<Milestone | null>;
  /** Deletes every milestone of the programs, reached or not; resolves how many. */
  removeByPrograms(teamId: string, programIds: readonly Id[]): Promise<number>;
}

export function milestoneStore(db: Partitions): MilestoneStore {
  const Milestones = (teamId: string) => db.of(MILESTONES, teamId);
  // Done and moved are conditional updates, which FerretDB does not make atomic: one at a time here.
  const serially = oneAtATime();
  const inTurn = <T>(teamId: string, id: Id, write: () => Promise<T>) =>
    serially(`${teamId}/${id.toHexString()}`, write);
  return {
    async add(milestone) {
      return (await (await db.writable(MILESTONES, milestone.teamId)).create(milestone)).toObject();
    },
    forPrograms: async (teamId, programIds) =>
      (await Milestones(teamId))
        .find({ teamId, programId: { $in: [...programIds] }, doneAt: { $exists: false } })
        .sort({ date: 1 })
        .limit(5_000)
        .lean<Milestone[]>()
        .exec(),
    forProgram: async (teamId, programId) =>
      (await Milestones(teamId))
        .find({ teamId, programId, doneAt: { $exists: false } })
        .sort({ date: 1 })
        .limit(500)
        .batchSize(500)
        .lean<Milestone[]>()
        .exec(),
    allForProgram: async (teamId, programId) =>
      (await Milestones(teamId))
        .find({ teamId, programId })
        .sort({ date: 1 })
        .limit(500)
        .batchSize(500)
        .lean<Milestone[]>()
        .exec(),
    markDone: (teamId, id, by, at) =>
      inTurn(teamId, id, async () =>
        (await Milestones(teamId))
          .findOneAndUpdate(
            { teamId, _id: id, doneAt: { $exists: false } },
            { $set: { doneAt: at, doneBy: by } },
            { returnDocument: 'after' },
          )
          .lean<Milestone>()
          .exec(),
      ),
    move: (teamId, id, from, to) =>
      inTurn(teamId, id, async () =>
        (await Milestones(teamId))
          .findOneAndUpdate(
            { teamId, _id: id, date: from, doneAt: { $exists: false } },
            { $set: { date: to, movedFrom: from }, $inc: { moves: 1 } },
            { returnDocument: 'after' },
          )
          .lean<Milestone>()
          .exec(),
      ),
    removeByPrograms: async (teamId, programIds) =>
      (await (await Milestones(teamId)).deleteMany({ teamId, programId: { $in: [...programIds] } }))
        .deletedCount,
  };
}
