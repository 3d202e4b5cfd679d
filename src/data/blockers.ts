import { Schema } from 'mongoose';
import type { Blocker, Id } from '../domain/entities.js';
import { family, type Partitions } from './partitions.js';

const blockerSchema = new Schema<Blocker>(
  {
    teamId: { type: String, required: true },
    programId: { type: Schema.Types.ObjectId, required: true },
    workstreamId: { type: Schema.Types.ObjectId, required: true },
    text: { type: String, required: true },
    ownerId: { type: String, required: true },
    openedBy: { type: String, required: true },
    openedAt: { type: Date, required: true },
    updateId: Schema.Types.ObjectId,
    // New blockers are internal unless said otherwise (SPEC §7). Queries read documents as stored
    // (lean, no defaults), so a blocker stored before without the field stays client-visible.
    internal: { type: Boolean, default: true },
    resolvedAt: Date,
    resolvedBy: String,
    escalations: Number,
    escalatedAt: Date,
  },
  { collection: 'blockers', versionKey: false },
);
blockerSchema.index({ teamId: 1, workstreamId: 1, resolvedAt: 1 });
blockerSchema.index({ teamId: 1, programId: 1, resolvedAt: 1 });
blockerSchema.index({ teamId: 1, ownerId: 1, resolvedAt: 1 });
blockerSchema.index({ resolvedAt: 1, openedAt: 1 });

/** Every caller says whether the blocker is internal: there is no silent default. */
export type NewBlocker = Omit<Blocker, '_id' | 'resolvedAt' | 'resolvedBy' | 'internal'> & {
  internal: boolean;
};

const BLOCKERS = family('Blocker', blockerSchema);

export interface BlockerStore {
  open(blocker: NewBlocker): Promise<Blocker>;
  openFor(teamId: string, by: { workstreamIds?: readonly Id[]; programId?: Id }): Promise<Blocker[]>;
  findById(teamId: string, id: Id): Promise<Blocker | null>;
  /** Resolves an open blocker; `null` when it was resolved already (by a double click, or someone else). */
  resolve(teamId: string, id: Id, by: string, at: Date): Promise<Blocker | null>;
  /** Moves a blocker to escalation `level` unless some replica did already; true for the one that did. */
  markEscalated(teamId: string, id: Id, level: number, at: Date): Promise<boolean>;
  /** Open blockers of every workspace opened before `openedBefore`: the escalation job's one cross-workspace read. */
  openSince(openedBefore: Date, limit: number): Promise<Blocker[]>;
  /** A program's open blockers and those resolved since `resolvedSince`, in one query. */
  openOrResolvedSince(teamId: string, programId: Id, resolvedSince: Date | undefined): Promise<Blocker[]>;
  /** Open blockers a user is expected to clear, oldest first. */
  openOwnedBy(teamId: string, ownerId: string, limit: number): Promise<Blocker[]>;
  /** How many open blockers each of the programs has (programs with none are left out). */
  countOpenByProgram(
    teamId: string,
    programIds: readonly Id[],
  ): Promise<Array<{ programId: Id; count: number }>>;
  /** Deletes every blocker of the programs, open or resolved; resolves how many. */
  removeByPrograms(teamId: string, programIds: readonly Id[]): Promise<number>;
}

export function blockerStore(db: Partitions): BlockerStore {
  const Blockers = (teamId: string) => db.of(BLOCKERS, teamId);
  return {
    async open(blocker) {
      return (await (await db.writable(BLOCKERS, blocker.teamId)).create(blocker)).toObject();
    },
    openFor: async (teamId, { workstreamIds, programId }) =>
      (await Blockers(teamId))
        .find({
          teamId,
          resolvedAt: { $exists: false },
          ...(workstreamIds ? { workstreamId: { $in: workstreamIds } } : {}),
          ...(programId ? { programId } : {}),
        })
        .sort({ openedAt: 1 })
        .limit(500)
        .lean<Blocker[]>()
        .exec(),
    findById: async (teamId, id) =>
      (await Blockers(teamId)).findOne({ teamId, _id: id }).lean<Blocker>().exec(),
    resolve: async (teamId, id, by, at) =>
      (await Blockers(teamId))
        .findOneAndUpdate(
          { teamId, _id: id, resolvedAt: { $exists: false } },
          { $set: { resolvedAt: at, resolvedBy: by } },
          { returnDocument: 'after' },
        )
        .lean<Blocker>()
        .exec(),
    async markEscalated(teamId, id, level, at) {
      const result = await (
        await Blockers(teamId)
      ).updateOne(
        {
          teamId,
          _id: id,
          resolvedAt: { $exists: false },
          $or: [{ escalations: { $exists: false } }, { escalations: { $lt: level } }],
        },
        { $set: { escalations: level, escalatedAt: at } },
      );
      return result.modifiedCount === 1;
    },
    async openSince(openedBefore, limit) {
      const found = await db.across(BLOCKERS, (Blockers) =>
        Blockers.find({ resolvedAt: { $exists: false }, openedAt: { $lte: openedBefore } })
          .sort({ openedAt: 1 })
          .limit(limit)
          .lean<Blocker[]>()
          .exec(),
      );
      return found.sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime()).slice(0, limit);
    },
    openOrResolvedSince: async (teamId, programId, since) =>
      (await Blockers(teamId))
        .find({
          teamId,
          programId,
          ...(since
            ? { $or: [{ resolvedAt: { $exists: false } }, { resolvedAt: { $gte: since } }] }
            : { resolvedAt: { $exists: false } }),
        })
        .sort({ openedAt: 1 })
        .limit(5_000)
        .batchSize(5_000)
        .lean<Blocker[]>()
        .exec(),
    openOwnedBy: async (teamId, ownerId, limit) =>
      (await Blockers(teamId))
        .find({ teamId, ownerId, resolvedAt: { $exists: false } })
        .sort({ openedAt: 1 })
        .limit(limit)
        .lean<Blocker[]>()
        .exec(),
    async countOpenByProgram(teamId, programIds) {
      if (programIds.length === 0) return [];
      const groups = await (
        await Blockers(teamId)
      )
        .aggregate<{ _id: Id; count: number }>([
          { $match: { teamId, programId: { $in: [...programIds] }, resolvedAt: { $exists: false } } },
          { $group: { _id: '$programId', count: { $sum: 1 } } },
        ])
        .exec();
      return groups.map((g) => ({ programId: g._id, count: g.count }));
    },
    removeByPrograms: async (teamId, programIds) =>
      (await (await Blockers(teamId)).deleteMany({ teamId, programId: { $in: [...programIds] } }))
        .deletedCount,
  };
}
