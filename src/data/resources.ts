import { Schema, type Connection } from 'mongoose';
import type { Allocation, Id, SharedResource } from '../domain/entities.js';
import { isDuplicateKey } from './programs.js';

const resourceSchema = new Schema<SharedResource>(
  {
    teamId: { type: String, required: true },
    key: { type: String, required: true },
    name: { type: String, required: true },
    capacityPerWeek: { type: Number, required: true },
    allocations: {
      type: [
        new Schema<Allocation>(
          {
            workstreamId: { type: Schema.Types.ObjectId, required: true },
            units: { type: Number, required: true },
            from: { type: String, required: true },
            to: { type: String, required: true },
            createdBy: String,
            createdAt: Date,
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'resources', versionKey: false },
);
resourceSchema.index({ teamId: 1, key: 1 }, { unique: true });

export const resourceKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

export interface ResourceStore {
  /** Creates the resource, or sets the capacity of the one with that name; says which. */
  upsert(r: {
    teamId: string;
    name: string;
    capacityPerWeek: number;
    by: string;
    at: Date;
  }): Promise<{ resource: SharedResource; created: boolean }>;
  findByName(teamId: string, name: string): Promise<SharedResource | null>;
  allocate(teamId: string, id: Id, allocation: Allocation): Promise<SharedResource | null>;
  forWorkstreams(teamId: string, workstreamIds: readonly Id[]): Promise<SharedResource[]>;
  /** Every shared resource of a workspace that has allocations (for capacity across all programs). */
  allocatedIn(teamId: string): Promise<SharedResource[]>;
  /** The workspaces that have a shared resource with allocations: the capacity job's cross-workspace read. */
  teamsWithAllocations(): Promise<string[]>;
}

export function resourceStore(connection: Connection): ResourceStore {
  const Resources = connection.model<SharedResource>('SharedResource', resourceSchema);
  return {
    async upsert({ teamId, name, capacityPerWeek, by, at }) {
      const key = resourceKey(name);
      const existing = await Resources.findOneAndUpdate(
        { teamId, key },
        { $set: { capacityPerWeek } },
        { returnDocument: 'after' },
      )
        .lean<SharedResource>()
        .exec();
      if (existing) return { resource: existing, created: false };
      try {
        const created = await Resources.create({
          teamId,
          key,
          name,
          capacityPerWeek,
          allocations: [],
          createdBy: by,
          createdAt: at,
        });
        return { resource: created.toObject(), created: true };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // Created by someone else in the meantime: theirs stands, with this capacity.
        return this.upsert({ teamId, name, capacityPerWeek, by, at });
      }
    },
    findByName: (teamId, name) =>
      Resources.findOne({ teamId, key: resourceKey(name) })
        .lean<SharedResource>()
        .exec(),
    allocate: (teamId, id, allocation) =>
      Resources.findOneAndUpdate(
        { teamId, _id: id },
        { $push: { allocations: allocation } },
        { returnDocument: 'after' },
      )
        .lean<SharedResource>()
        .exec(),
    forWorkstreams: (teamId, ids) =>
      Resources.find({ teamId, 'allocations.workstreamId': { $in: ids } })
        .limit(100)
        .lean<SharedResource[]>()
        .exec(),
    allocatedIn: (teamId) =>
      Resources.find({ teamId, 'allocations.0': { $exists: true } })
        .sort({ key: 1 })
        .limit(1_000)
        .lean<SharedResource[]>()
        .exec(),
    teamsWithAllocations: async () =>
      (await Resources.distinct('teamId', { 'allocations.0': { $exists: true } }).exec()).map(String),
  };
}
