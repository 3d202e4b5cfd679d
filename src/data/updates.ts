import { Schema, Types } from 'mongoose';
import type { Id, StatusUpdate, UpdateContent } from '../domain/entities.js';
import { family, type Partitions } from './partitions.js';
import { isDuplicateKey } from './programs.js';

const contentFields = {
  health: { type: String, enum: ['on_track', 'at_risk', 'off_track'], required: true },
  blocked: { type: Boolean, default: false },
  progress: Number,
  summary: { type: String, default: '' },
  nextSteps: String,
  blockers: String,
  forecastDate: String,
  internal: Boolean,
};

const updateSchema = new Schema<StatusUpdate>(
  {
    teamId: { type: String, required: true },
    programId: { type: Schema.Types.ObjectId, required: true },
    workstreamId: { type: Schema.Types.ObjectId, required: true },
    authorId: { type: String, required: true },
    onBehalfOf: String,
    source: { type: String, enum: ['command', 'modal', 'button', 'carried_forward'], required: true },
    createdAt: { type: Date, required: true },
    revisions: { type: [new Schema({ ...contentFields, replacedAt: Date }, { _id: false })], default: [] },
    requestKey: { type: String, required: true },
    ...contentFields,
  },
  { collection: 'updates', versionKey: false },
);
updateSchema.index({ teamId: 1, workstreamId: 1, createdAt: -1, _id: -1 });
updateSchema.index({ teamId: 1, programId: 1, createdAt: -1 });
updateSchema.index({ teamId: 1, requestKey: 1 }, { unique: true });
/** Partitioned by workspace and program: a digest reads its own program's history, nobody else's. */
const UPDATES = family('StatusUpdate', updateSchema, (doc) => [String(doc.teamId), String(doc.programId)]);

export type NewUpdate = Omit<StatusUpdate, '_id' | 'revisions' | 'requestKey'> & { requestKey?: string };

/** How long an author may edit an update (SPEC §1: "for a while"). */
export const EDIT_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface UpdateStore {
  /** Records an update; with a `requestKey` seen before, resolves the update recorded then instead. */
  record(update: NewUpdate): Promise<{ update: StatusUpdate; duplicate: boolean }>;
  findById(teamId: string, programId: Id, id: Id): Promise<StatusUpdate | null>;
  latest(teamId: string, programId: Id, workstreamId: Id, limit: number): Promise<StatusUpdate[]>;
  /** A program's updates since `since`, newest first, in one round trip (for digests). */
  forProgramSince(teamId: string, programId: Id, since: Date, limit: number): Promise<StatusUpdate[]>;
  /**
   * Every update of a program (from `since`, if given; without internal ones, if `clientVisibleOnly`),
   * oldest first, read through a cursor in batches: for exports of any size, never one big array.
   */
  streamForProgram(
    teamId: string,
    programId: Id,
    options: { since?: Date; clientVisibleOnly?: boolean; batchSize?: number },
  ): AsyncIterable<StatusUpdate>;
  /**
   * Replaces the content of an update by its author within the edit window, keeping the earlier
   * content; `null` when the update is not theirs or the window has closed.
   */
  edit(
    teamId: string,
    programId: Id,
    id: Id,
    authorId: string,
    content: UpdateContent,
    now: Date,
  ): Promise<StatusUpdate | null>;
  /** Deletes every update of the program; resolves how many. */
  removeForProgram(teamId: string, programId: Id): Promise<number>;
}

export function updateStore(db: Partitions): UpdateStore {
  const of = (teamId: string, programId: Id) => db.of(UPDATES, teamId, String(programId));
  return {
    async record(update) {
      const Updates = await db.writable(UPDATES, update.teamId, String(update.programId));
      const _id = new Types.ObjectId();
      const requestKey = update.requestKey ?? `id:${_id.toHexString()}`;
      try {
        return {
          update: (await Updates.create({ ...update, _id, requestKey })).toObject(),
          duplicate: false,
        };
      } catch (error) {
        const earlier = isDuplicateKey(error)
          ? await Updates.findOne({ teamId: update.teamId, requestKey }).lean<StatusUpdate>().exec()
          : null;
        if (!earlier) throw error;
        return { update: earlier, duplicate: true };
      }
    },
    findById: async (teamId, programId, id) =>
      (await of(teamId, programId)).findOne({ teamId, _id: id }).lean<StatusUpdate>().exec(),
    latest: async (teamId, programId, workstreamId, limit) =>
      (await of(teamId, programId))
        .find({ teamId, workstreamId })
        .sort({ createdAt: -1, _id: -1 })
        .limit(limit)
        .lean<StatusUpdate[]>()
        .exec(),
    forProgramSince: async (teamId, programId, since, limit) =>
      (await of(teamId, programId))
        .find({ teamId, programId, createdAt: { $gte: since } }, { revisions: 0 })
        .sort({ createdAt: -1, _id: -1 })
        .limit(limit)
        .batchSize(limit)
        .lean<StatusUpdate[]>()
        .exec(),
    streamForProgram: (teamId, programId, { since, clientVisibleOnly = false, batchSize = 1_000 }) =>
      streamOf(of(teamId, programId), (Updates) =>
        Updates.find({
          teamId,
          programId,
          ...(since ? { createdAt: { $gte: since } } : {}),
          // Absent means client-visible (updates stored before issue 11).
          ...(clientVisibleOnly ? { internal: { $ne: true } } : {}),
        })
          .sort({ createdAt: 1, _id: 1 })
          .lean<StatusUpdate>()
          .cursor({ batchSize }),
      ),
    async edit(teamId, programId, id, authorId, content, now) {
      const Updates = await of(teamId, programId);
      const current = await Updates.findOne({ teamId, _id: id, authorId }).lean<StatusUpdate>().exec();
      if (!current || now.getTime() - current.createdAt.getTime() > EDIT_WINDOW_MS) return null;
      const previous: UpdateContent & { replacedAt: Date } = {
        health: current.health,
        blocked: current.blocked,
        progress: current.progress,
        summary: current.summary,
        nextSteps: current.nextSteps,
        blockers: current.blockers,
        forecastDate: current.forecastDate,
        ...(current.internal === undefined ? {} : { internal: current.internal }),
        replacedAt: now,
      };
      // Conditional on the revision count, so two concurrent edits cannot both claim the same base.
      return Updates.findOneAndUpdate(
        { teamId, _id: id, authorId, revisions: { $size: current.revisions.length } },
        { ...setAndUnset(content), $push: { revisions: previous } },
        { returnDocument: 'after' },
      )
        .lean<StatusUpdate>()
        .exec();
    },
    removeForProgram: async (teamId, programId) =>
      (await (await of(teamId, programId)).deleteMany({ teamId, programId })).deletedCount,
  };
}

/** `$set` for the fields present and `$unset` for those left out, so an edit can clear a field. */
function setAndUnset(content: UpdateContent): { $set: Record<string, unknown>; $unset?: Record<string, 1> } {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  for (const [field, value] of Object.entries(content)) {
    if (value === undefined) $unset[field] = 1;
    else $set[field] = value;
  }
  return Object.keys($unset).length > 0 ? { $set, $unset } : { $set };
}

/** An async iterable over a cursor of a model that is still being made ready. */
async function* streamOf<T, R>(model: Promise<T>, open: (model: T) => AsyncIterable<R>): AsyncIterable<R> {
  yield* open(await model);
}
