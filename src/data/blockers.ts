import { Schema, type Connection, type Types } from 'mongoose';

export interface Blocker {
  _id: Types.ObjectId;
  teamId: string;
  programId: Types.ObjectId;
  workstreamId: Types.ObjectId;
  text: string;
  /** Who is expected to clear it; the workstream's lead unless said otherwise. */
  ownerId: string;
  openedBy: string;
  openedAt: Date;
  /** Opened by an update (its id) or by hand. */
  updateId?: Types.ObjectId;
  /** Left out of client digests (SPEC §3). */
  internal: boolean;
  resolvedAt?: Date;
  resolvedBy?: string;
}

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
    internal: { type: Boolean, default: false },
    resolvedAt: Date,
    resolvedBy: String,
  },
  { collection: 'blockers', versionKey: false },
);
blockerSchema.index({ teamId: 1, workstreamId: 1, resolvedAt: 1 });
blockerSchema.index({ teamId: 1, programId: 1, resolvedAt: 1 });

export type NewBlocker = Omit<Blocker, '_id' | 'resolvedAt' | 'resolvedBy' | 'internal'> & { internal?: boolean };

export interface BlockerStore {
  open(blocker: NewBlocker): Promise<Blocker>;
  openFor(teamId: string, by: { workstreamIds?: readonly Types.ObjectId[]; programId?: Types.ObjectId }): Promise<Blocker[]>;
  /** A program's open blockers and those resolved since `resolvedSince`, in one query. */
  openOrResolvedSince(teamId: string, programId: Types.ObjectId, resolvedSince: Date | undefined): Promise<Blocker[]>;
}

export function blockerStore(connection: Connection): BlockerStore {
  const Blockers = connection.model<Blocker>('Blocker', blockerSchema);
  return {
    async open(blocker) {
      return (await Blockers.create(blocker)).toObject();
    },
    openFor: (teamId, { workstreamIds, programId }) =>
      Blockers.find({
        teamId,
        resolvedAt: { $exists: false },
        ...(workstreamIds ? { workstreamId: { $in: workstreamIds } } : {}),
        ...(programId ? { programId } : {}),
      })
        .sort({ openedAt: 1 })
        .limit(500)
        .lean<Blocker[]>()
        .exec(),
    openOrResolvedSince: (teamId, programId, since) =>
      Blockers.find({
        teamId,
        programId,
        ...(since ? { $or: [{ resolvedAt: { $exists: false } }, { resolvedAt: { $gte: since } }] } : { resolvedAt: { $exists: false } }),
      })
        .sort({ openedAt: 1 })
        .limit(5_000)
        .batchSize(5_000)
        .lean<Blocker[]>()
        .exec(),
  };
}
