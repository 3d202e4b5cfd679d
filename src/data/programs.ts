import { Schema } from 'mongoose';
import type { Id, Program } from '../domain/entities.js';
import { oneAtATime } from './one-at-a-time.js';
import { family, type Partitions } from './partitions.js';

const programSchema = new Schema<Program>(
  {
    teamId: { type: String, required: true },
    key: { type: String, required: true },
    name: { type: String, required: true },
    objective: String,
    ownerId: { type: String, required: true },
    adminIds: { type: [String], default: [] },
    audience: { type: String, enum: ['internal', 'external'], default: 'internal' },
    channelId: String,
    state: { type: String, enum: ['active', 'archived'], default: 'active' },
    createdAt: { type: Date, required: true },
    archivedAt: Date,
  },
  { collection: 'programs', versionKey: false },
);
programSchema.index({ teamId: 1, key: 1 }, { unique: true });

export type NewProgram = Omit<Program, '_id' | 'state' | 'archivedAt' | 'adminIds' | 'audience'> &
  Partial<Pick<Program, 'adminIds' | 'audience'>>;

const PROGRAMS = family('Program', programSchema);

export interface ProgramStore {
  /** Creates the program; resolves `undefined` when its key is taken in the workspace. */
  create(program: NewProgram): Promise<Program | undefined>;
  findByKey(teamId: string, key: string): Promise<Program | null>;
  findByIds(teamId: string, ids: readonly Id[]): Promise<Program[]>;
  findByKeys(teamId: string, keys: readonly string[]): Promise<Program[]>;
  list(teamId: string, options: { includeArchived: boolean; limit: number }): Promise<Program[]>;
  /** Archives an active program; resolves the program as it now is, or `null` if it was not active. */
  archive(teamId: string, id: Id, at: Date): Promise<Program | null>;
  /**
   * Adds or removes admins of an active program in one atomic update (two people changing them at
   * once both count); resolves the program as it was just before, or `null` when it is not active.
   */
  changeAdmins(
    teamId: string,
    id: Id,
    change: 'add' | 'remove',
    userIds: readonly string[],
  ): Promise<Program | null>;
  /** Makes an archived program active again; resolves it as it now is, or `null` if it was not archived. */
  unarchive(teamId: string, id: Id): Promise<Program | null>;
  /** Active programs the user owns or administers, by key. */
  listAdministeredBy(teamId: string, userId: string, limit: number): Promise<Program[]>;
  /**
   * Sets fields of an active program; resolves the program as it was just before (for the audit's
   * before and after), or `null` when it is not active.
   */
  change(teamId: string, id: Id, fields: ProgramChanges): Promise<Program | null>;
  /** Deletes the programs (the sample's, once all that belongs to them is gone); resolves how many. */
  remove(teamId: string, ids: readonly Id[]): Promise<number>;
}

/** What `/program set`, `owner` and `admins` change. */
export type ProgramChanges = Partial<
  Pick<Program, 'audience' | 'name' | 'objective' | 'channelId' | 'ownerId' | 'adminIds'>
>;

export function programStore(db: Partitions): ProgramStore {
  const Programs = (teamId: string) => db.of(PROGRAMS, teamId);
  // Changes to one program, one at a time (see one-at-a-time.ts): conditional and $addToSet updates
  // are not atomic on FerretDB.
  const serially = oneAtATime();
  const inTurn = <T>(teamId: string, id: Id, write: () => Promise<T>) =>
    serially(`${teamId}/${id.toHexString()}`, write);
  return {
    async create(program) {
      try {
        const created = await (
          await db.writable(PROGRAMS, program.teamId)
        ).create({ ...program, state: 'active' });
        return created.toObject();
      } catch (error) {
        if (isDuplicateKey(error)) return undefined;
        throw error;
      }
    },
    findByKey: async (teamId, key) =>
      (await Programs(teamId)).findOne({ teamId, key }).lean<Program>().exec(),
    findByKeys: async (teamId, keys) =>
      (await Programs(teamId))
        .find({ teamId, key: { $in: [...keys] } })
        .lean<Program[]>()
        .exec(),
    findByIds: async (teamId, ids) =>
      (await Programs(teamId))
        .find({ teamId, _id: { $in: ids } })
        .lean<Program[]>()
        .exec(),
    list: async (teamId, { includeArchived, limit }) =>
      (await Programs(teamId))
        .find({ teamId, ...(includeArchived ? {} : { state: 'active' }) })
        .sort({ key: 1 })
        .limit(limit)
        .lean<Program[]>()
        .exec(),
    archive: (teamId, id, at) =>
      inTurn(teamId, id, async () =>
        (await Programs(teamId))
          .findOneAndUpdate(
            { teamId, _id: id, state: 'active' },
            { $set: { state: 'archived', archivedAt: at } },
            { returnDocument: 'after' },
          )
          .lean<Program>()
          .exec(),
      ),
    changeAdmins: (teamId, id, change, userIds) =>
      inTurn(teamId, id, async () =>
        (await Programs(teamId))
          .findOneAndUpdate(
            { teamId, _id: id, state: 'active' },
            change === 'add'
              ? { $addToSet: { adminIds: { $each: [...userIds] } } }
              : { $pullAll: { adminIds: [...userIds] } },
            { returnDocument: 'before' },
          )
          .lean<Program>()
          .exec(),
      ),
    unarchive: (teamId, id) =>
      inTurn(teamId, id, async () =>
        (await Programs(teamId))
          .findOneAndUpdate(
            { teamId, _id: id, state: 'archived' },
            { $set: { state: 'active' }, $unset: { archivedAt: 1 } },
            { returnDocument: 'after' },
          )
          .lean<Program>()
          .exec(),
      ),
    change: (teamId, id, fields) =>
      inTurn(teamId, id, async () =>
        (await Programs(teamId))
          .findOneAndUpdate(
            { teamId, _id: id, state: 'active' },
            { $set: fields },
            { returnDocument: 'before' },
          )
          .lean<Program>()
          .exec(),
      ),
    listAdministeredBy: async (teamId, userId, limit) =>
      (await Programs(teamId))
        .find({ teamId, state: 'active', $or: [{ ownerId: userId }, { adminIds: userId }] })
        .sort({ key: 1 })
        .limit(limit)
        .lean<Program[]>()
        .exec(),
    remove: async (teamId, ids) =>
      (await (await Programs(teamId)).deleteMany({ teamId, _id: { $in: [...ids] } })).deletedCount,
  };
}

/** MongoDB (and FerretDB) report a unique index violation as code 11000. */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
