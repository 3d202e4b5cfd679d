import { Schema } from 'mongoose';
import type { Id, Workstream } from '../domain/entities.js';
import type { CalendarDate, Health } from '../domain/types.js';
import { isDuplicateKey } from './programs.js';
import { oneAtATime } from './one-at-a-time.js';
import { family, type Partitions } from './partitions.js';

const workstreamSchema = new Schema<Workstream>(
  {
    teamId: { type: String, required: true },
    programId: { type: Schema.Types.ObjectId, required: true },
    programKey: { type: String, required: true },
    key: { type: String, required: true },
    name: { type: String, required: true },
    team: { type: String, required: true },
    leadId: { type: String, required: true },
    phase: String,
    targetDate: String,
    state: {
      type: String,
      enum: ['not_started', 'active', 'paused', 'done', 'cancelled'],
      default: 'not_started',
    },
    health: { type: String, enum: ['on_track', 'at_risk', 'off_track'] },
    progress: Number,
    forecastDate: String,
    lastUpdateAt: Date,
    createdAt: { type: Date, required: true },
  },
  { collection: 'workstreams', versionKey: false },
);
workstreamSchema.index({ teamId: 1, programId: 1, key: 1 }, { unique: true });
workstreamSchema.index({ teamId: 1, key: 1 });
workstreamSchema.index({ teamId: 1, leadId: 1 });

/** What `/program set <program> <workstream>` may change. */
export type WorkstreamChanges = Partial<
  Pick<Workstream, 'state' | 'leadId' | 'targetDate' | 'team' | 'name' | 'phase'>
>;

export type NewWorkstream = Pick<
  Workstream,
  'teamId' | 'programId' | 'programKey' | 'key' | 'name' | 'team' | 'leadId' | 'targetDate' | 'createdAt'
>;

const WORKSTREAMS = family('Workstream', workstreamSchema);

export interface WorkstreamStore {
  /** Resolves `undefined` when the key is taken in that program. */
  create(workstream: NewWorkstream): Promise<Workstream | undefined>;
  /** Every workstream with this key in the workspace (one per program); narrowed by program key if given. */
  findByKey(teamId: string, key: string, programKey?: string): Promise<Workstream[]>;
  findById(teamId: string, id: Id): Promise<Workstream | null>;
  findByIds(teamId: string, ids: readonly Id[]): Promise<Workstream[]>;
  listByProgram(teamId: string, programId: Id): Promise<Workstream[]>;
  /** The workstreams of several programs, in one query (a portfolio's). */
  listByPrograms(teamId: string, programIds: readonly Id[]): Promise<Workstream[]>;
  listByLead(teamId: string, leadId: string, limit: number): Promise<Workstream[]>;
  listActive(teamId: string, limit: number): Promise<Workstream[]>;
  /**
   * Sets fields of a workstream (`/program set <program> <workstream> …`); resolves it as it was just
   * before (for the audit's before and after), or `null` when it is gone.
   */
  change(teamId: string, id: Id, fields: WorkstreamChanges): Promise<Workstream | null>;
  /** Moves the current health forward, but never back to an older update's. */
  recordLatest(
    teamId: string,
    id: Id,
    latest: { health: Health; progress?: number; forecastDate?: CalendarDate; at: Date },
  ): Promise<void>;
  /** How many workstreams that take updates each program has, by current health (`null`: no update yet). */
  countByProgramAndHealth(
    teamId: string,
    programIds: readonly Id[],
  ): Promise<Array<{ programId: Id; health: Health | null; count: number }>>;
  /** Deletes every workstream of the programs; resolves how many. */
  removeByPrograms(teamId: string, programIds: readonly Id[]): Promise<number>;
}

export function workstreamStore(db: Partitions): WorkstreamStore {
  const Workstreams = (teamId: string) => db.of(WORKSTREAMS, teamId);
  // Two changes of one workstream at once each keep their fields (FerretDB: see one-at-a-time.ts).
  const serially = oneAtATime();
  return {
    async create(workstream) {
      try {
        return (
          await (
            await db.writable(WORKSTREAMS, workstream.teamId)
          ).create({ ...workstream, state: 'not_started' })
        ).toObject();
      } catch (error) {
        if (isDuplicateKey(error)) return undefined;
        throw error;
      }
    },
    findByKey: async (teamId, key, programKey) =>
      (await Workstreams(teamId))
        .find({ teamId, key, ...(programKey ? { programKey } : {}) })
        .limit(20)
        .lean<Workstream[]>()
        .exec(),
    findById: async (teamId, id) =>
      (await Workstreams(teamId)).findOne({ teamId, _id: id }).lean<Workstream>().exec(),
    findByIds: async (teamId, ids) =>
      (await Workstreams(teamId))
        .find({ teamId, _id: { $in: ids } })
        .batchSize(10_000)
        .lean<Workstream[]>()
        .exec(),
    listByProgram: async (teamId, programId) =>
      (await Workstreams(teamId))
        .find({ teamId, programId })
        .sort({ team: 1, key: 1 })
        .batchSize(10_000)
        .lean<Workstream[]>()
        .exec(),
    listByPrograms: async (teamId, programIds) =>
      (await Workstreams(teamId))
        .find({ teamId, programId: { $in: [...programIds] } })
        .sort({ programKey: 1, key: 1 })
        .batchSize(10_000)
        .lean<Workstream[]>()
        .exec(),
    listByLead: async (teamId, leadId, limit) =>
      (await Workstreams(teamId))
        .find({ teamId, leadId })
        .sort({ programKey: 1, key: 1 })
        .limit(limit)
        .lean<Workstream[]>()
        .exec(),
    listActive: async (teamId, limit) =>
      (await Workstreams(teamId))
        .find({ teamId, state: { $in: ['not_started', 'active', 'paused'] } })
        .sort({ programKey: 1, key: 1 })
        .limit(limit)
        .lean<Workstream[]>()
        .exec(),
    change: (teamId, id, fields) =>
      serially(`${teamId}/${id.toHexString()}`, async () =>
        (await Workstreams(teamId))
          .findOneAndUpdate({ teamId, _id: id }, { $set: fields }, { returnDocument: 'before' })
          .lean<Workstream>()
          .exec(),
      ),
    recordLatest: (teamId, id, { health, progress, forecastDate, at }) =>
      // One at a time with `change` of the same workstream: a /status beside a /program set keeps both.
      serially(`${teamId}/${id.toHexString()}`, async () => {
        await (
          await Workstreams(teamId)
        ).updateOne(
          { teamId, _id: id, $or: [{ lastUpdateAt: { $exists: false } }, { lastUpdateAt: { $lte: at } }] },
          {
            $set: {
              health,
              lastUpdateAt: at,
              ...(progress === undefined ? {} : { progress }),
              ...(forecastDate ? { forecastDate } : {}),
            },
            // A latest update without a forecast leaves none: the target date stands in (SPEC §6).
            ...(forecastDate ? {} : { $unset: { forecastDate: 1 } }),
          },
        );
        // The first update starts the work; later ones leave paused or done work as it is.
        await (
          await Workstreams(teamId)
        ).updateOne({ teamId, _id: id, state: 'not_started' }, { $set: { state: 'active' } });
      }),
    async countByProgramAndHealth(teamId, programIds) {
      if (programIds.length === 0) return [];
      const groups = await (
        await Workstreams(teamId)
      )
        .aggregate<{
          _id: { programId: Id; health?: Health | null };
          count: number;
        }>([
          {
            $match: {
              teamId,
              programId: { $in: [...programIds] },
              state: { $in: ['not_started', 'active', 'paused'] },
            },
          },
          { $group: { _id: { programId: '$programId', health: '$health' }, count: { $sum: 1 } } },
        ])
        .exec();
      return groups.map((g) => ({
        programId: g._id.programId,
        health: g._id.health ?? null,
        count: g.count,
      }));
    },
    removeByPrograms: async (teamId, programIds) =>
      (await (await Workstreams(teamId)).deleteMany({ teamId, programId: { $in: [...programIds] } }))
        .deletedCount,
  };
}
