import { Schema, Types, type Connection } from 'mongoose';
import type { Id, Portfolio } from '../domain/entities.js';
import { isDuplicateKey } from './programs.js';

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

export function portfolioStore(connection: Connection): PortfolioStore {
  const Portfolios = connection.model<Portfolio>('Portfolio', portfolioSchema);
  return {
    async create(portfolio) {
      try {
        return (await Portfolios.create(portfolio)).toObject();
      } catch (error) {
        if (isDuplicateKey(error)) return undefined;
        throw error;
      }
    },
    findByKey: (teamId, key) => Portfolios.findOne({ teamId, key }).lean<Portfolio>().exec(),
    findById: (teamId, id) => Portfolios.findOne({ teamId, _id: id }).lean<Portfolio>().exec(),
    list: (teamId, limit) =>
      Portfolios.find({ teamId }).sort({ key: 1 }).limit(limit).lean<Portfolio[]>().exec(),
    addPrograms: (teamId, id, programIds) =>
      Portfolios.findOneAndUpdate(
        { teamId, _id: id },
        { $addToSet: { programIds: { $each: programIds.map((p) => new Types.ObjectId(p.toHexString())) } } },
        { returnDocument: 'after' },
      )
        .lean<Portfolio>()
        .exec(),
    removeProgram: (teamId, id, programId) =>
      Portfolios.findOneAndUpdate(
        { teamId, _id: id },
        { $pull: { programIds: new Types.ObjectId(programId.toHexString()) } },
        { returnDocument: 'after' },
      )
        .lean<Portfolio>()
        .exec(),
  };
}
