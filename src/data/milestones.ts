import { Schema, type Connection, type Types } from 'mongoose';
import type { CalendarDate } from '../domain/types.js';

/** A dated checkpoint of a program (a release, a phase gate) and the workstreams it needs. */
export interface Milestone {
  _id: Types.ObjectId;
  teamId: string;
  programId: Types.ObjectId;
  name: string;
  date: CalendarDate;
  needs: Types.ObjectId[];
  createdBy: string;
  createdAt: Date;
}

const milestoneSchema = new Schema<Milestone>(
  {
    teamId: { type: String, required: true },
    programId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    date: { type: String, required: true },
    needs: { type: [Schema.Types.ObjectId], default: [] },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'milestones', versionKey: false },
);
milestoneSchema.index({ teamId: 1, programId: 1, date: 1 });

export interface MilestoneStore {
  add(milestone: Omit<Milestone, '_id'>): Promise<Milestone>;
  forProgram(teamId: string, programId: Types.ObjectId): Promise<Milestone[]>;
}

export function milestoneStore(connection: Connection): MilestoneStore {
  const Milestones = connection.model<Milestone>('Milestone', milestoneSchema);
  return {
    async add(milestone) {
      return (await Milestones.create(milestone)).toObject();
    },
    forProgram: (teamId, programId) =>
      Milestones.find({ teamId, programId }).sort({ date: 1 }).limit(500).batchSize(500).lean<Milestone[]>().exec(),
  };
}
