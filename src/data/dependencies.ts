import { Schema, type Connection } from 'mongoose';
import type { Dependency, Id } from '../domain/entities.js';

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
    changedBy: String,
    changedAt: Date,
    atRiskNotifiedAt: Date,
    atRiskEpisodes: Number,
  },
  { collection: 'dependencies', versionKey: false },
);
dependencySchema.index({ teamId: 1, consumerId: 1 });
dependencySchema.index({ teamId: 1, providerId: 1 });
dependencySchema.index({ teamId: 1, consumerProgramId: 1 });
dependencySchema.index({ teamId: 1, providerProgramId: 1 });
dependencySchema.index({ state: 1 });

export type NewDependency = Omit<Dependency, '_id' | 'state'>;

/** Most standing dependencies a workspace's graph is read with; far above any real workspace's. */
const STANDING_LIMIT = 50_000;

export interface DependencyStore {
  add(dependency: NewDependency): Promise<Dependency>;
  /** Dependencies where any of the workstreams is consumer or provider. */
  involving(teamId: string, workstreamIds: readonly Id[]): Promise<Dependency[]>;
  findById(teamId: string, id: Id): Promise<Dependency | null>;
  /** Marks an open dependency met or broken; `null` if it was not open any more. */
  settle(teamId: string, id: Id, state: 'met' | 'broken', by: string, at: Date): Promise<Dependency | null>;
  /** Open dependencies of every workspace: the escalation job's cross-workspace read. */
  open(limit: number): Promise<Dependency[]>;
  /**
   * The workspace's standing dependencies (open, or broken and not yet re-planned): its whole graph,
   * in one query, up to STANDING_LIMIT.
   */
  standing(teamId: string): Promise<Dependency[]>;
  /** Records that both leads were told it is at risk, or (undefined) that it recovered. */
  markAtRiskNotified(teamId: string, id: Id, at: Date | undefined): Promise<boolean>;
  /** Dependencies where the program is on either side. */
  forProgram(teamId: string, programId: Id): Promise<Dependency[]>;
  /** Open dependencies the workstreams are to provide (what their leads owe), soonest first. */
  openProvidedBy(teamId: string, providerIds: readonly Id[], limit: number): Promise<Dependency[]>;
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
    findById: (teamId, id) => Dependencies.findOne({ teamId, _id: id }).lean<Dependency>().exec(),
    settle: (teamId, id, state, by, at) =>
      Dependencies.findOneAndUpdate(
        { teamId, _id: id, state: 'open' },
        { $set: { state, changedBy: by, changedAt: at } },
        { returnDocument: 'after' },
      )
        .lean<Dependency>()
        .exec(),
    open: (limit) => Dependencies.find({ state: 'open' }).limit(limit).lean<Dependency[]>().exec(),
    standing: (teamId) =>
      Dependencies.find({ teamId, state: { $in: ['open', 'broken'] } })
        .limit(STANDING_LIMIT)
        .lean<Dependency[]>()
        .exec(),
    async markAtRiskNotified(teamId, id, at) {
      const result = at
        ? await Dependencies.updateOne({ teamId, _id: id }, { $set: { atRiskNotifiedAt: at } })
        : await Dependencies.updateOne(
            { teamId, _id: id, atRiskNotifiedAt: { $exists: true } },
            { $unset: { atRiskNotifiedAt: 1 }, $inc: { atRiskEpisodes: 1 } },
          );
      return result.modifiedCount === 1;
    },
    forProgram: (teamId, programId) =>
      Dependencies.find({ teamId, $or: [{ consumerProgramId: programId }, { providerProgramId: programId }] })
        .sort({ neededBy: 1 })
        .limit(5_000)
        .batchSize(5_000)
        .lean<Dependency[]>()
        .exec(),
    openProvidedBy: (teamId, providerIds, limit) =>
      Dependencies.find({ teamId, state: 'open', providerId: { $in: providerIds } })
        .sort({ neededBy: 1 })
        .limit(limit)
        .lean<Dependency[]>()
        .exec(),
  };
}
