import { Schema, type Connection, type Types } from 'mongoose';
import type { CalendarDate } from '../domain/types.js';

export type DependencyState = 'open' | 'met' | 'broken';

/** The consumer workstream needs `deliverable` from the provider workstream by `neededBy`. */
export interface Dependency {
  _id: Types.ObjectId;
  teamId: string;
  consumerId: Types.ObjectId;
  consumerProgramId: Types.ObjectId;
  providerId: Types.ObjectId;
  providerProgramId: Types.ObjectId;
  deliverable: string;
  neededBy: CalendarDate;
  state: DependencyState;
  createdBy: string;
  createdAt: Date;
}

const dependencySchema = new Schema<Dependency>(
  {
    teamId: { type: String, required: true },
    consumerId: { type: Schema.Types.ObjectId, required: true },
    consumerProgramId: { type: Schema.Types.ObjectId, required: true },
    providerId: { type: Schema.Types.ObjectId, required: true },
    providerProgramId: { type: Schema.Types.ObjectId, required: true },
    deliverable: { type: String, required: true },
    neededBy: { type: String, required: true },
    state: { type: String, enum: ['open', 'met', 'broken'], default: 'open' },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'dependencies', versionKey: false },
);
dependencySchema.index({ teamId: 1, consumerId: 1 });
dependencySchema.index({ teamId: 1, providerId: 1 });
dependencySchema.index({ teamId: 1, consumerProgramId: 1 });
dependencySchema.index({ teamId: 1, providerProgramId: 1 });

export type NewDependency = Omit<Dependency, '_id' | 'state'>;

export interface DependencyStore {
  add(dependency: NewDependency): Promise<Dependency>;
  /** Dependencies where any of the workstreams is consumer or provider. */
  involving(teamId: string, workstreamIds: readonly Types.ObjectId[]): Promise<Dependency[]>;
  /** Dependencies where the program is on either side. */
  forProgram(teamId: string, programId: Types.ObjectId): Promise<Dependency[]>;
}

export function dependencyStore(connection: Connection): DependencyStore {
  const Dependencies = connection.model<Dependency>('Dependency', dependencySchema);
  return {
    async add(dependency) {
      return (await Dependencies.create(dependency)).toObject();
    },
    involving: (teamId, ids) =>
      Dependencies.find({ teamId, $or: [{ consumerId: { $in: ids } }, { providerId: { $in: ids } }] })
        .sort({ neededBy: 1 })
        .limit(500)
        .lean<Dependency[]>()
        .exec(),
    forProgram: (teamId, programId) =>
      Dependencies.find({ teamId, $or: [{ consumerProgramId: programId }, { providerProgramId: programId }] })
        .sort({ neededBy: 1 })
        .limit(5_000)
        .batchSize(5_000)
        .lean<Dependency[]>()
        .exec(),
  };
}
