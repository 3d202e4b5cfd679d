import { Schema, Types } from 'mongoose';
import type { DigestRun, Id, PortfolioCounts, PortfolioDigestPosted, RunState } from '../domain/entities.js';
import type { DigestSnapshot } from '../domain/digest-data.js';
import { isDuplicateKey } from './programs.js';
import { family, globalFamily, type Partitions } from './partitions.js';

const runSchema = new Schema<DigestRun>(
  {
    teamId: { type: String, required: true },
    programId: Schema.Types.ObjectId,
    portfolioId: Schema.Types.ObjectId,
    scheduleKey: { type: String, required: true },
    slot: { type: Date, required: true },
    state: { type: String, enum: ['claimed', 'posted', 'failed', 'skipped'], required: true },
    channelId: { type: String, required: true },
    claimedBy: String,
    claimedAt: Date,
    attempts: { type: Number, default: 0 },
    retryAt: Date,
    ts: String,
    postedAt: Date,
    snapshot: Schema.Types.Mixed,
    portfolioCounts: Schema.Types.Mixed,
    error: String,
  },
  { collection: 'digest_runs', versionKey: false },
);
runSchema.index({ teamId: 1, scheduleKey: 1, slot: 1 }, { unique: true });

/**
 * A run that may still need a replica (claimed, or failed with a retry to come), by id and
 * workspace. Finding stalled runs reads these alone: a handful at any time, whatever every
 * workspace's run history holds. Written before the run it names; once the run is settled (or never
 * came), the next look (`stalled`) deletes it with the others in one write, off the posting path.
 */
interface OpenRun {
  _id: Id;
  teamId: string;
  since: Date;
}
const OPEN_RUNS = globalFamily(
  'OpenRun',
  new Schema<OpenRun>(
    {
      _id: { type: Schema.Types.ObjectId, required: true },
      teamId: { type: String, required: true },
      since: { type: Date, required: true },
    },
    { collection: 'digest_runs_open', versionKey: false },
  ),
);
runSchema.index({ teamId: 1, programId: 1, state: 1, postedAt: -1 });
runSchema.index({ teamId: 1, portfolioId: 1, state: 1, postedAt: -1 });

const RUNS = family('DigestRun', runSchema);

export interface RunStore {
  /** The claim: resolves the new run, or `undefined` when the slot is someone else's already. */
  claim(run: Omit<DigestRun, '_id' | 'state' | 'attempts'>): Promise<DigestRun | undefined>;
  /** Records a slot that was missed for longer than the grace period; false if it had a run. */
  skip(
    run: Pick<DigestRun, 'teamId' | 'programId' | 'portfolioId' | 'scheduleKey' | 'slot' | 'channelId'>,
    reason: string,
  ): Promise<boolean>;
  /**
   * Takes over a run whose claimant stopped (claimed long ago) or whose retry is due; at most one
   * replica gets it.
   */
  takeOver(
    teamId: string,
    id: Id,
    expected: { state: RunState; claimedAt?: Date; attempts: number },
    by: string,
    now: Date,
  ): Promise<DigestRun | null>;
  /** Runs to take over: claims older than `staleBefore`, failed runs due for a retry. */
  stalled(staleBefore: Date, now: Date, maxAttempts: number, limit: number): Promise<DigestRun[]>;
  markPosted(
    teamId: string,
    id: Id,
    posted: { ts: string; postedAt: Date } & (
      { snapshot: DigestSnapshot } | { portfolioCounts: PortfolioCounts }
    ),
  ): Promise<void>;
  markFailed(teamId: string, id: Id, error: string, retryAt: Date | undefined): Promise<void>;
  /** A claimed run that is not to be posted (a client digest of an internal program), and why. */
  markSkipped(teamId: string, id: Id, reason: string): Promise<void>;
  /**
   * The last posted run of a schedule (or of the program, for on-demand posts), for "what changed";
   * with `before`, the last one posted before that time (what an older digest was measured against).
   */
  lastPosted(
    teamId: string,
    by: { scheduleKey?: string; programId?: Id; before?: Date },
  ): Promise<DigestRun | null>;
  /** The posted run of a program whose message has this ts (the digest a button was clicked on). */
  postedWithTs(teamId: string, programId: Id, ts: string): Promise<DigestRun | null>;
  forSchedule(teamId: string, scheduleKey: string, limit: number): Promise<DigestRun[]>;
  /** What the latest posted runs of a schedule (or on-demand key) showed, newest first (for charts). */
  recentSnapshots(teamId: string, scheduleKey: string, limit: number): Promise<DigestSnapshot[]>;
  /**
   * A portfolio's latest posted digests (scheduled or on demand), newest first: each program's
   * counts then, for the trend and the chart.
   */
  portfolioHistory(teamId: string, portfolioId: Id, limit: number): Promise<PortfolioDigestPosted[]>;
  findById(teamId: string, id: Id): Promise<DigestRun | null>;
  /** Deletes every run of the programs (scheduled and on demand), and their open-run markers; resolves how many. */
  removeForPrograms(teamId: string, programIds: readonly Id[]): Promise<number>;
}

export function runStore(db: Partitions): RunStore {
  const Runs = (teamId: string) => db.of(RUNS, teamId);
  const settled = async (id: Id) => {
    await (await db.global(OPEN_RUNS)).deleteOne({ _id: id });
  };
  return {
    async claim(run) {
      // Taken already (another replica's): a read, where trying would cost three writes.
      const taken = await (
        await Runs(run.teamId)
      )
        .exists({ scheduleKey: run.scheduleKey, slot: run.slot })
        .exec();
      if (taken) return undefined;
      const _id = new Types.ObjectId();
      // The marker first: a replica that dies right after its claim leaves a run others can find.
      await (
        await db.global(OPEN_RUNS)
      ).create({ _id, teamId: run.teamId, since: run.claimedAt ?? run.slot });
      try {
        return (
          await (await db.writable(RUNS, run.teamId)).create({ ...run, _id, state: 'claimed', attempts: 1 })
        ).toObject();
      } catch (error) {
        await settled(_id).catch(() => undefined);
        if (isDuplicateKey(error)) return undefined;
        throw error;
      }
    },
    async skip(run, reason) {
      try {
        await (
          await db.writable(RUNS, run.teamId)
        ).create({ ...run, state: 'skipped', attempts: 0, error: reason });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    takeOver: async (teamId, id, expected, by, now) =>
      (await Runs(teamId))
        .findOneAndUpdate(
          {
            _id: id,
            state: expected.state,
            attempts: expected.attempts,
            ...(expected.claimedAt ? { claimedAt: expected.claimedAt } : {}),
          },
          {
            $set: { state: 'claimed', claimedBy: by, claimedAt: now },
            $inc: { attempts: 1 },
            $unset: { retryAt: 1 },
          },
          { returnDocument: 'after' },
        )
        .lean<DigestRun>()
        .exec(),
    async stalled(staleBefore, now, maxAttempts, limit) {
      const open = await (
        await db.global(OPEN_RUNS)
      )
        .find({})
        .sort({ since: 1 })
        .limit(Math.max(limit, 1_000))
        .lean<OpenRun[]>()
        .exec();
      const done: Id[] = [];
      const looked = await Promise.all(
        open.map(async (marker) => {
          // `_id` alone: the one filter FerretDB's SQLite backend hands to SQL.
          const run = await (await Runs(marker.teamId)).findOne({ _id: marker._id }).lean<DigestRun>().exec();
          if (!run) {
            // A claim still being written is young; an old marker without its run lost a race or a crash.
            if (marker.since < staleBefore) done.push(marker._id);
            return undefined;
          }
          const retrying = run.state === 'failed' && run.retryAt !== undefined && run.attempts < maxAttempts;
          if (run.state !== 'claimed' && !retrying) {
            done.push(marker._id);
            return undefined;
          }
          const stale = run.state === 'claimed' ? run.claimedAt! < staleBefore : run.retryAt! <= now;
          return stale ? run : undefined;
        }),
      );
      if (done.length > 0) await (await db.global(OPEN_RUNS)).deleteMany({ _id: { $in: done } });
      return looked.filter((run): run is DigestRun => run !== undefined).slice(0, limit);
    },
    async markPosted(teamId, id, posted) {
      await (
        await Runs(teamId)
      ).updateOne(
        { teamId, _id: id },
        { $set: { state: 'posted', ...posted }, $unset: { error: 1, retryAt: 1 } },
      );
    },
    async markFailed(teamId, id, error, retryAt) {
      await (
        await Runs(teamId)
      ).updateOne(
        { teamId, _id: id },
        retryAt
          ? { $set: { state: 'failed', error, retryAt } }
          : { $set: { state: 'failed', error }, $unset: { retryAt: 1 } },
      );
    },
    async markSkipped(teamId, id, reason) {
      await (
        await Runs(teamId)
      ).updateOne({ teamId, _id: id }, { $set: { state: 'skipped', error: reason }, $unset: { retryAt: 1 } });
    },
    async recentSnapshots(teamId, scheduleKey, limit) {
      const runs = await (
        await Runs(teamId)
      )
        .find({ teamId, scheduleKey, state: 'posted', snapshot: { $exists: true } }, { snapshot: 1 })
        .sort({ postedAt: -1 })
        .limit(limit)
        .lean<Array<{ snapshot: DigestSnapshot }>>()
        .exec();
      // Stored as plain documents: the date may come back as a string.
      return runs.map((r) => ({ ...r.snapshot, postedAt: new Date(r.snapshot.postedAt) }));
    },
    async portfolioHistory(teamId, portfolioId, limit) {
      const runs = await (
        await Runs(teamId)
      )
        .find({ teamId, portfolioId, state: 'posted' }, { postedAt: 1, portfolioCounts: 1 })
        .sort({ postedAt: -1 })
        .limit(limit)
        .lean<Array<Pick<DigestRun, 'postedAt' | 'portfolioCounts'>>>()
        .exec();
      return runs.flatMap((r) =>
        r.postedAt ? [{ postedAt: new Date(r.postedAt), counts: r.portfolioCounts ?? {} }] : [],
      );
    },
    lastPosted: async (teamId, { scheduleKey, programId, before }) =>
      (await Runs(teamId))
        .findOne({
          teamId,
          state: 'posted',
          ...(scheduleKey ? { scheduleKey } : {}),
          ...(programId ? { programId } : {}),
          ...(before ? { postedAt: { $lt: before } } : {}),
        })
        .sort({ postedAt: -1 })
        .lean<DigestRun>()
        .exec(),
    findById: async (teamId, id) =>
      (await Runs(teamId)).findOne({ teamId, _id: id }).lean<DigestRun>().exec(),
    postedWithTs: async (teamId, programId, ts) =>
      (await Runs(teamId)).findOne({ teamId, programId, state: 'posted', ts }).lean<DigestRun>().exec(),
    forSchedule: async (teamId, scheduleKey, limit) =>
      (await Runs(teamId))
        .find({ teamId, scheduleKey })
        .sort({ slot: -1 })
        .limit(limit)
        .lean<DigestRun[]>()
        .exec(),
    async removeForPrograms(teamId, programIds) {
      const runs = await Runs(teamId);
      const ids = (
        await runs
          .find({ teamId, programId: { $in: [...programIds] } }, { _id: 1 })
          .lean<Array<Pick<DigestRun, '_id'>>>()
          .exec()
      ).map((r) => r._id);
      if (ids.length === 0) return 0;
      // The markers first: should the runs stay (a failure between), running this again finds them.
      await (await db.global(OPEN_RUNS)).deleteMany({ _id: { $in: ids } });
      return (await runs.deleteMany({ teamId, _id: { $in: ids } })).deletedCount;
    },
  };
}
