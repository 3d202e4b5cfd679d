import { Schema } from 'mongoose';
import type { Id, Milestone } from '../domain/entities.js';
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
  },
  { collection: 'milestones', versionKey: false },
);
milestoneSchema.index({ teamId: 1, programId: 1, date: 1 });

const MILESTONES = family('Milestone', milestoneSchema);

export interface MilestoneStore {
  add(milestone: Omit<Milestone, '_id'>): Promise<Milestone>;
  forProgram(teamId: string, programId: Id): Promise<Milestone[]>;
  forPrograms(teamId: string, programIds: readonly Id[]): Promise<Milestone[]>;
}

export function milestoneStore(db: Partitions): MilestoneStore {
  const Milestones = (teamId: string) => db.of(MILESTONES, teamId);
  return {
    async add(milestone) {
      return (await (await db.writable(MILESTONES, milestone.teamId)).create(milestone)).toObject();
    },
    forPrograms: async (teamId, programIds) =>
      (await Milestones(teamId))
        .find({ teamId, programId: { $in: [...programIds] } })
        .sort({ date: 1 })
        .limit(5_000)
        .lean<Milestone[]>()
        .exec(),
    forProgram: async (teamId, programId) =>
      (await Milestones(teamId))
        .find({ teamId, programId })
        .sort({ date: 1 })
        .limit(500)
        .batchSize(500)
        .lean<Milestone[]>()
        .exec(),
  };
}
