import { Schema, Types } from 'mongoose';
import type { Id, Portfolio } from '../domain/entities.js';
import { isDuplicateKey } from './programs.js';
import { family, type Partitions } from './partitions.js';

const portfolioSchema = new Schema<Portfolio>(
  {
    teamId: { type: String, required: true },
    key: { type: String, required: true },
    name: { type: String, required: true },
    ownerId: { type: String, required: true },
    programIds: { type: [Schema.Types.ObjectId], default: [] } as never,
    createdAt: { type: Date, required: true },
  },
  { collection: 'portfolios', versionKey: false },
);
portfolioSchema.index({ teamId: 1, key: 1 }, { unique: true });

/** More programs than a portfolio may hold: one leadership page. */
export const PORTFOLIO_PROGRAM_LIMIT = 100;

const PORTFOLIOS = family('Portfolio', portfolioSchema);

export interface PortfolioStore {
  /** Creates it; `undefined` when the key is taken in the workspace. */
  create(portfolio: Omit<Portfolio, '_id'>): Promise<Portfolio | undefined>;
  findByKey(teamId: string, key: string): Promise<Portfolio | null>;
  findById(teamId: string, id: Id): Promise<Portfolio | null>;
  list(teamId: string, limit: number): Promise<Portfolio[]>;
  /**
   * Adds programs (a set: no program twice) and removes others, in one update; the portfolio as it now
   * is, or `null` if it is gone.
   */
  addPrograms(teamId: string, id: Id, programIds: readonly Id[]): Promise<Portfolio | null>;
  removeProgram(teamId: string, id: Id, programId: Id): Promise<Portfolio | null>;
}

export function portfolioStore(db: Partitions): PortfolioStore {
  const Portfolios = (teamId: string) => db.of(PORTFOLIOS, teamId);
  return {
    async create(portfolio) {
      try {
        return (await (await db.writable(PORTFOLIOS, portfolio.teamId)).create(portfolio)).toObject();
      } catch (error) {
        if (isDuplicateKey(error)) return undefined;
        throw error;
      }
    },
    findByKey: async (teamId, key) =>
      (await Portfolios(teamId)).findOne({ teamId, key }).lean<Portfolio>().exec(),
    findById: async (teamId, id) =>
      (await Portfolios(teamId)).findOne({ teamId, _id: id }).lean<Portfolio>().exec(),
    list: async (teamId, limit) =>
      (await Portfolios(teamId)).find({ teamId }).sort({ key: 1 }).limit(limit).lean<Portfolio[]>().exec(),
    addPrograms: async (teamId, id, programIds) =>
      (await Portfolios(teamId))
        .findOneAndUpdate(
          { teamId, _id: id },
          {
            $addToSet: { programIds: { $each: programIds.map((p) => new Types.ObjectId(p.toHexString())) } },
          },
          { returnDocument: 'after' },
        )
        .lean<Portfolio>()
        .exec(),
    removeProgram: async (teamId, id, programId) =>
      (await Portfolios(teamId))
        .findOneAndUpdate(
          { teamId, _id: id },
          { $pull: { programIds: new Types.ObjectId(programId.toHexString()) } },
          { returnDocument: 'after' },
        )
        .lean<Portfolio>()
        .exec(),
  };
}
