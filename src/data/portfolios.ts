import { Schema, Types, type Connection } from 'mongoose';
import type { Id, Portfolio, PortfolioDigestRun } from '../domain/entities.js';
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

const runSchema = new Schema<PortfolioDigestRun>(
  {
    teamId: { type: String, required: true },
    portfolioId: { type: Schema.Types.ObjectId, required: true },
    slot: { type: Date, required: true },
    channelId: { type: String, required: true },
    postedAt: Date,
    ts: String,
    counts: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'portfolio_digests', versionKey: false, minimize: false },
);
runSchema.index({ teamId: 1, portfolioId: 1, slot: 1 }, { unique: true });

/** More programs than a portfolio may hold: one leadership page. */
export const PORTFOLIO_PROGRAM_LIMIT = 100;

export interface PortfolioStore {
  /** Creates it; `undefined` when the key is taken in the workspace. */
  create(portfolio: Omit<Portfolio, '_id'>): Promise<Portfolio | undefined>;
  findByKey(teamId: string, key: string): Promise<Portfolio | null>;
  list(teamId: string, limit: number): Promise<Portfolio[]>;
  /**
   * Adds programs (a set: no program twice) and removes others, in one update; the portfolio as it now
   * is, or `null` if it is gone.
   */
  addPrograms(teamId: string, id: Id, programIds: readonly Id[]): Promise<Portfolio | null>;
  removeProgram(teamId: string, id: Id, programId: Id): Promise<Portfolio | null>;
  /** Claims the post of a portfolio digest for a second: the run, or `undefined` if it was claimed already. */
  claimRun(run: Omit<PortfolioDigestRun, '_id' | 'counts'>): Promise<PortfolioDigestRun | undefined>;
  markPosted(
    teamId: string,
    id: Id,
    posted: { ts: string; at: Date; counts: PortfolioDigestRun['counts'] },
  ): Promise<void>;
  /** The latest posted runs of a portfolio, newest first (for the trend of each program). */
  lastPosted(teamId: string, portfolioId: Id, limit: number): Promise<PortfolioDigestRun[]>;
}

export function portfolioStore(connection: Connection): PortfolioStore {
  const Portfolios = connection.model<Portfolio>('Portfolio', portfolioSchema);
  const Runs = connection.model<PortfolioDigestRun>('PortfolioDigestRun', runSchema);
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
    async claimRun(run) {
      try {
        return (await Runs.create({ ...run, counts: {} })).toObject();
      } catch (error) {
        if (isDuplicateKey(error)) return undefined;
        throw error;
      }
    },
    async markPosted(teamId, id, { ts, at, counts }) {
      await Runs.updateOne({ teamId, _id: id }, { $set: { ts, postedAt: at, counts } }).exec();
    },
    lastPosted: (teamId, portfolioId, limit) =>
      Runs.find({ teamId, portfolioId, postedAt: { $exists: true } })
        .sort({ postedAt: -1 })
        .limit(limit)
        .lean<PortfolioDigestRun[]>()
        .exec(),
  };
}
