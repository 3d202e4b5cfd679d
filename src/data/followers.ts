import { Schema } from 'mongoose';
import type { Id, ProgramFollower } from '../domain/entities.js';
import { isDuplicateKey } from './programs.js';
import { family, type Partitions } from './partitions.js';

const followerSchema = new Schema<ProgramFollower>(
  {
    teamId: { type: String, required: true },
    programId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: String, required: true },
    followedAt: { type: Date, required: true },
  },
  { collection: 'program_followers', versionKey: false },
);
// One follow per person and program: following twice, even at the same moment, keeps one.
followerSchema.index({ teamId: 1, programId: 1, userId: 1 }, { unique: true });
followerSchema.index({ teamId: 1, userId: 1, followedAt: 1 });

const FOLLOWERS = family('ProgramFollower', followerSchema);

export interface FollowerStore {
  /** Adds the follow; false when they followed the program already (a unique insert: never two). */
  follow(teamId: string, programId: Id, userId: string, at: Date): Promise<boolean>;
  /** Removes the follow; false when they did not follow it. */
  unfollow(teamId: string, programId: Id, userId: string): Promise<boolean>;
  /** Who follows the program, in the order they followed it. */
  ofProgram(teamId: string, programId: Id, limit: number): Promise<string[]>;
  /** The programs someone follows, in the order they followed them. */
  followedBy(teamId: string, userId: string, limit: number): Promise<Id[]>;
  /** Deletes every follow of the programs; resolves how many. */
  removeForPrograms(teamId: string, programIds: readonly Id[]): Promise<number>;
}

export function followerStore(db: Partitions): FollowerStore {
  const Followers = (teamId: string) => db.of(FOLLOWERS, teamId);
  return {
    async follow(teamId, programId, userId, at) {
      try {
        await (await db.writable(FOLLOWERS, teamId)).create({ teamId, programId, userId, followedAt: at });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async unfollow(teamId, programId, userId) {
      return (await (await Followers(teamId)).deleteOne({ teamId, programId, userId })).deletedCount > 0;
    },
    async ofProgram(teamId, programId, limit) {
      const found = await (
        await Followers(teamId)
      )
        .find({ teamId, programId }, { userId: 1 })
        .sort({ followedAt: 1 })
        .limit(limit)
        .lean<Array<Pick<ProgramFollower, 'userId'>>>()
        .exec();
      return found.map((f) => f.userId);
    },
    async followedBy(teamId, userId, limit) {
      const found = await (
        await Followers(teamId)
      )
        .find({ teamId, userId }, { programId: 1 })
        .sort({ followedAt: 1 })
        .limit(limit)
        .lean<Array<Pick<ProgramFollower, 'programId'>>>()
        .exec();
      return found.map((f) => f.programId);
    },
    async removeForPrograms(teamId, programIds) {
      if (programIds.length === 0) return 0;
      return (await (await Followers(teamId)).deleteMany({ teamId, programId: { $in: [...programIds] } }))
        .deletedCount;
    },
  };
}
