import { Schema, Types } from 'mongoose';
import type { FollowerDigest, Id } from '../domain/entities.js';
import { isDuplicateKey } from './programs.js';
import { family, globalFamily, type Partitions } from './partitions.js';

const followerDigestSchema = new Schema<FollowerDigest>(
  {
    teamId: { type: String, required: true },
    runId: { type: Schema.Types.ObjectId, required: true },
    programId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: String, required: true },
    state: { type: String, enum: ['claimed', 'sent', 'failed'], required: true },
    claimedBy: { type: String, required: true },
    claimedAt: { type: Date, required: true },
    attempts: { type: Number, required: true },
    retryAt: Date,
    channelId: String,
    ts: String,
    error: String,
  },
  { collection: 'follower_digests', versionKey: false },
);
// Exactly once per follower per run (a schedule's slot): the insert of this key is the claim.
followerDigestSchema.index({ teamId: 1, runId: 1, userId: 1 }, { unique: true });
followerDigestSchema.index({ teamId: 1, programId: 1 });

const FOLLOWER_DIGESTS = family('FollowerDigest', followerDigestSchema);

/**
 * A posted run whose followers may still be owed their DM, by run id and workspace: written before
 * the run is recorded as posted, deleted once every follower has theirs (or will never get it). The
 * scheduler's tick reads these alone to find the followers a dead or failed replica left unserved: a
 * handful at any time, whatever the workspaces hold (like the runs' own open markers).
 */
export interface OpenFollowerRun {
  /** The run's id. */
  _id: Id;
  teamId: string;
  /** When its followers were last gone through: they are looked at again a stale-claim time later. */
  since: Date;
  /** How many times they have been gone through. */
  passes: number;
}
const OPEN_FOLLOWER_RUNS = globalFamily(
  'OpenFollowerRun',
  new Schema<OpenFollowerRun>(
    {
      _id: { type: Schema.Types.ObjectId, required: true },
      teamId: { type: String, required: true },
      since: { type: Date, required: true },
      passes: { type: Number, required: true },
    },
    { collection: 'follower_digests_open', versionKey: false },
  ),
);

export interface FollowerDigestStore {
  /** The claim: the new DM to send (attempt 1), or `undefined` when it is claimed (or sent) already. */
  claim(
    d: Pick<FollowerDigest, 'teamId' | 'runId' | 'programId' | 'userId' | 'claimedBy' | 'claimedAt'>,
  ): Promise<FollowerDigest | undefined>;
  /** Every follower DM of a run so far, claimed, sent or failed. */
  forRun(teamId: string, runId: Id): Promise<FollowerDigest[]>;
  findById(teamId: string, id: Id): Promise<FollowerDigest | null>;
  /**
   * Takes over a DM claimed by a replica that died, or failed for a reason that may pass. The caller
   * must hold the unique claim of this attempt (ClaimStore.once): this update is not compare-and-set.
   */
  takeOver(teamId: string, id: Id, attempts: number, by: string, now: Date): Promise<FollowerDigest | null>;
  markSent(teamId: string, id: Id, sent: { channelId: string; ts: string }): Promise<void>;
  markFailed(teamId: string, id: Id, error: string, retryAt: Date | undefined): Promise<void>;
  /** Marks a posted run as owing DMs to its followers; nothing if it is marked already. */
  open(teamId: string, runId: Id, since: Date): Promise<void>;
  /** Runs whose followers were last gone through before `staleBefore`, oldest first. */
  stalled(staleBefore: Date, limit: number): Promise<OpenFollowerRun[]>;
  /** Records another pass through a run's followers (by the one replica that claimed it). */
  reopen(runId: Id, since: Date, passes: number): Promise<void>;
  /** Every follower of the run has had their DM, or never will. */
  close(runId: Id): Promise<void>;
  /** Deletes the follower DMs recorded for the programs' runs, and their runs' markers; resolves how many. */
  removeForPrograms(teamId: string, programIds: readonly Id[]): Promise<number>;
}

export function followerDigestStore(db: Partitions): FollowerDigestStore {
  const Digests = (teamId: string) => db.of(FOLLOWER_DIGESTS, teamId);
  const Open = () => db.global(OPEN_FOLLOWER_RUNS);
  return {
    async claim(d) {
      try {
        return (
          await (
            await db.writable(FOLLOWER_DIGESTS, d.teamId)
          ).create({ ...d, _id: new Types.ObjectId(), state: 'claimed', attempts: 1 })
        ).toObject();
      } catch (error) {
        if (isDuplicateKey(error)) return undefined;
        throw error;
      }
    },
    forRun: async (teamId, runId) =>
      (await Digests(teamId)).find({ teamId, runId }).lean<FollowerDigest[]>().exec(),
    findById: async (teamId, id) =>
      (await Digests(teamId)).findOne({ _id: id }).lean<FollowerDigest>().exec(),
    takeOver: async (teamId, id, attempts, by, now) =>
      (await Digests(teamId))
        .findOneAndUpdate(
          { _id: id, attempts },
          {
            $set: { state: 'claimed', claimedBy: by, claimedAt: now },
            $inc: { attempts: 1 },
            $unset: { retryAt: 1, error: 1 },
          },
          { returnDocument: 'after' },
        )
        .lean<FollowerDigest>()
        .exec(),
    async markSent(teamId, id, sent) {
      await (
        await Digests(teamId)
      ).updateOne({ _id: id }, { $set: { state: 'sent', ...sent }, $unset: { error: 1, retryAt: 1 } });
    },
    async markFailed(teamId, id, error, retryAt) {
      await (
        await Digests(teamId)
      ).updateOne(
        { _id: id },
        retryAt
          ? { $set: { state: 'failed', error, retryAt } }
          : { $set: { state: 'failed', error }, $unset: { retryAt: 1 } },
      );
    },
    async open(teamId, runId, since) {
      try {
        await (await Open()).create({ _id: runId, teamId, since, passes: 1 });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    },
    stalled: async (staleBefore, limit) =>
      (await Open())
        .find({ since: { $lt: staleBefore } })
        .sort({ since: 1 })
        .limit(limit)
        .lean<OpenFollowerRun[]>()
        .exec(),
    async reopen(runId, since, passes) {
      await (await Open()).updateOne({ _id: runId }, { $set: { since, passes } });
    },
    async close(runId) {
      await (await Open()).deleteOne({ _id: runId });
    },
    async removeForPrograms(teamId, programIds) {
      if (programIds.length === 0) return 0;
      const digests = await Digests(teamId);
      const runIds = await digests.distinct('runId', { teamId, programId: { $in: [...programIds] } }).exec();
      if (runIds.length > 0) await (await Open()).deleteMany({ _id: { $in: runIds } });
      return (await digests.deleteMany({ teamId, programId: { $in: [...programIds] } })).deletedCount;
    },
  };
}
