import { Schema, type Connection } from 'mongoose';
import type { Id, Milestone } from '../domain/entities.js';

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

export interface MilestoneStore {
  add(milestone: Omit<Milestone, '_id'>): Promise<Milestone>;
  forProgram(teamId: string, programId: Id): Promise<Milestone[]>;
  forPrograms(teamId: string, programIds: readonly Id[]): Promise<Milestone[]>;
}

export function milestoneStore(connection: Connection): MilestoneStore {
  const Milestones = connection.model<Milestone>('Milestone', milestoneSchema);
  return {
    async add(milestone) {
      return (await Milestones.create(milestone)).toObject();
    },
    forPrograms: (teamId, programIds) =>
      Milestones.find({ teamId, programId: { $in: [...programIds] } })
        .sort({ date: 1 })
        .limit(5_000)
        .lean<Milestone[]>()
        .exec(),
    forProgram: (teamId, programId) =>
      Milestones.find({ teamId, programId })
        .sort({ date: 1 })
        .limit(500)
        .batchSize(500)
        .lean<Milestone[]>()
        .exec(),
  };
}
