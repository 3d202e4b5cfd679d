import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Schema } from 'mongoose';
import type { Allocation, Id, SharedResource } from '../domain/entities.js';
import { isDuplicateKey } from './programs.js';
import { family, teamsWhere, type Partitions } from './partitions.js';

/**
 * A resource as stored: `allocationsVersion` counts the changes of its allocations (absent: none yet),
 * so `allocate` replaces the whole list only if nobody changed it since it was read.
 */
type StoredResource = SharedResource & { allocationsVersion?: number };

const resourceSchema = new Schema<StoredResource>(
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
    allocationsVersion: Number,
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'resources', versionKey: false },
);
resourceSchema.index({ teamId: 1, key: 1 }, { unique: true });

/**
 * Who is changing a resource's allocations right now: one at a time per resource, since FerretDB runs
 * concurrent updates of one document all at once (two `$push`es, or two version-checked `$set`s, can
 * both apply to the same old document and one is lost), and a unique insert is the one thing it makes
 * atomic. A lease left by a process that died is taken over once it is LEASE_STALE_MS old.
 */
interface AllocationLease {
  _id: string;
  teamId: string;
  holder: string;
  at: Date;
}

const leaseSchema = new Schema<AllocationLease>(
  {
    _id: { type: String, required: true },
    teamId: { type: String, required: true },
    holder: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'resource_leases', versionKey: false },
);

const LEASE_STALE_MS = 30_000;
/** How long `allocate` waits for the lease (about 2 s) before it goes on with the version check alone. */
const LEASE_TRIES = 80;
const LEASE_WAIT_MS = 25;
/** Version-checked writes lost to someone else before `allocate` gives up. */
const ALLOCATE_ROUNDS = 10;

export const resourceKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

const RESOURCES = family('SharedResource', resourceSchema);
const LEASES = family('AllocationLease', leaseSchema);

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
  /**
   * Books `allocation` on the resource, in place of the allocations `replaces` picks (the same
   * workstream's overlapping ones): one write of the whole list, made only if nobody changed it since it
   * was read, retried otherwise, so concurrent allocations never lose each other. `null` if the resource
   * is gone.
   */
  allocate(
    teamId: string,
    id: Id,
    allocation: Allocation,
    replaces: (existing: Allocation) => boolean,
  ): Promise<{ resource: SharedResource; replaced: Allocation[] } | null>;
  forWorkstreams(teamId: string, workstreamIds: readonly Id[]): Promise<SharedResource[]>;
  /** Every shared resource of a workspace that has allocations (for capacity across all programs). */
  allocatedIn(teamId: string): Promise<SharedResource[]>;
  /** The workspaces that have a shared resource with allocations: the capacity job's cross-workspace read. */
  teamsWithAllocations(): Promise<string[]>;
  /**
   * Takes the allocations `drops` picks off the resource, as `allocate` changes them (one write of the
   * whole list, never losing a concurrent allocation); `null` if the resource is gone.
   */
  unallocate(
    teamId: string,
    id: Id,
    drops: (existing: Allocation) => boolean,
    at: Date,
  ): Promise<{ resource: SharedResource; removed: Allocation[] } | null>;
  /** Deletes the resource if `createdBy` made it and nothing is booked on it; true if it did. */
  removeUnallocated(teamId: string, id: Id, createdBy: string, at: Date): Promise<boolean>;
}

export function resourceStore(db: Partitions): ResourceStore {
  const Resources = (teamId: string) => db.of(RESOURCES, teamId);
  const Leases = (teamId: string) => db.of(LEASES, teamId);

  /** Takes the resource's lease: its holder token, or undefined when it stayed taken. */
  async function lease(teamId: string, id: Id, at: Date): Promise<string | undefined> {
    const _id = `${teamId}:${id.toHexString()}`;
    const holder = randomUUID();
    for (let attempt = 0; attempt < LEASE_TRIES; attempt++) {
      try {
        await (await db.writable(LEASES, teamId)).create({ _id, teamId, holder, at });
        return holder;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const stale = await (
        await Leases(teamId)
      ).deleteOne({
        _id,
        teamId,
        at: { $lt: new Date(at.getTime() - LEASE_STALE_MS) },
      });
      if (stale.deletedCount === 0) await sleep(LEASE_WAIT_MS);
    }
    return undefined;
  }

  /** Runs `work` holding the resource's lease (or without it, when it stayed taken: see LEASE_TRIES). */
  async function leased<T>(teamId: string, id: Id, at: Date, work: () => Promise<T>): Promise<T> {
    const holder = await lease(teamId, id, at);
    try {
      return await work();
    } finally {
      if (holder)
        await (await Leases(teamId)).deleteOne({ _id: `${teamId}:${id.toHexString()}`, teamId, holder });
    }
  }

  /** The allocations `replaces` picks, swapped for `added` (none: only taken off). */
  async function replaceAllocations(
    teamId: string,
    id: Id,
    added: readonly Allocation[],
    replaces: (existing: Allocation) => boolean,
  ): Promise<{ resource: SharedResource; replaced: Allocation[] } | null> {
    for (let round = 0; round < ALLOCATE_ROUNDS; round++) {
      const current = await (
        await Resources(teamId)
      )
        .findOne({ teamId, _id: id })
        .lean<StoredResource>()
        .exec();
      if (!current) return null;
      const replaced = current.allocations.filter(replaces);
      if (replaced.length === 0 && added.length === 0) return { resource: current, replaced };
      const version = current.allocationsVersion;
      const resource = await (
        await Resources(teamId)
      )
        .findOneAndUpdate(
          { teamId, _id: id, allocationsVersion: version ?? { $exists: false } },
          {
            $set: {
              allocations: [...current.allocations.filter((a) => !replaces(a)), ...added],
              allocationsVersion: (version ?? 0) + 1,
            },
          },
          { returnDocument: 'after' },
        )
        .lean<SharedResource>()
        .exec();
      if (resource) return { resource, replaced };
    }
    throw new Error(`the allocations of resource ${id.toHexString()} kept changing`);
  }

  return {
    async upsert({ teamId, name, capacityPerWeek, by, at }) {
      const key = resourceKey(name);
      const existing = await (
        await Resources(teamId)
      )
        .findOneAndUpdate({ teamId, key }, { $set: { capacityPerWeek } }, { returnDocument: 'after' })
        .lean<SharedResource>()
        .exec();
      if (existing) return { resource: existing, created: false };
      try {
        const created = await (
          await db.writable(RESOURCES, teamId)
        ).create({
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
    findByName: async (teamId, name) =>
      (await Resources(teamId))
        .findOne({ teamId, key: resourceKey(name) })
        .lean<SharedResource>()
        .exec(),
    allocate: (teamId, id, allocation, replaces) =>
      leased(teamId, id, allocation.createdAt, () => replaceAllocations(teamId, id, [allocation], replaces)),
    async unallocate(teamId, id, drops, at) {
      const done = await leased(teamId, id, at, () => replaceAllocations(teamId, id, [], drops));
      return done && { resource: done.resource, removed: done.replaced };
    },
    removeUnallocated: (teamId, id, createdBy, at) =>
      // Under the lease: an allocation being booked meanwhile either lands first (and keeps the
      // resource) or finds it gone.
      leased(teamId, id, at, async () => {
        const removed = await (
          await Resources(teamId)
        ).deleteOne({ teamId, _id: id, createdBy, 'allocations.0': { $exists: false } });
        return removed.deletedCount === 1;
      }),
    forWorkstreams: async (teamId, ids) =>
      (await Resources(teamId))
        .find({ teamId, 'allocations.workstreamId': { $in: ids } })
        .limit(100)
        .lean<SharedResource[]>()
        .exec(),
    allocatedIn: async (teamId) =>
      (await Resources(teamId))
        .find({ teamId, 'allocations.0': { $exists: true } })
        .sort({ key: 1 })
        .limit(1_000)
        .lean<SharedResource[]>()
        .exec(),
    teamsWithAllocations: () => teamsWhere(db, RESOURCES, { 'allocations.0': { $exists: true } }),
  };
}
