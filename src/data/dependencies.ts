import { Schema } from 'mongoose';
import type { Dependency, DependencyCommitment, Id } from '../domain/entities.js';
import type { CalendarDate } from '../domain/types.js';
import { isDuplicateKey } from './programs.js';
import { family, teamsWhere, type Partitions } from './partitions.js';

/**
 * A dependency as stored. `standing` is the store's own uniqueness marker, `<workspace>:<consumer
 * id>><provider id>`: set while the dependency is open or broken, dropped when it is met, and unique, so
 * a consumer and provider have at most one standing dependency however many `depend`s run at once
 * (FerretDB enforces unique keys, not conditional updates). The index is sparse: met dependencies, and
 * those stored before the marker existed (duplicates among them too), hold no marker and never collide,
 * so building it never fails on old data. A re-plan keeps the document, and with it its marker.
 */
type StoredDependency = Dependency & { standing?: string };

const standingKey = (teamId: string, consumerId: Id, providerId: Id) =>
  `${teamId}:${consumerId.toHexString()}>${providerId.toHexString()}`;

const dependencySchema = new Schema<StoredDependency>(
  {
    teamId: { type: String, required: true },
    consumerId: { type: Schema.Types.ObjectId, required: true },
    consumerProgramId: { type: Schema.Types.ObjectId, required: true },
    providerId: { type: Schema.Types.ObjectId, required: true },
    providerProgramId: { type: Schema.Types.ObjectId, required: true },
    deliverable: { type: String, required: true },
    neededBy: { type: String, required: true },
    state: { type: String, enum: ['open', 'met', 'broken'], default: 'open' },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    changedBy: String,
    changedAt: Date,
    atRiskNotifiedAt: Date,
    atRiskEpisodes: Number,
    replannedFrom: String,
    replannedBy: String,
    replannedAt: Date,
    replans: Number,
    standing: String,
    commitment: {
      type: new Schema<DependencyCommitment>(
        {
          state: { type: String, enum: ['requested', 'committed', 'declined'], required: true },
          date: String,
          proposed: Boolean,
          requestedAt: { type: Date, required: true },
          answeredBy: String,
          answeredAt: Date,
        },
        { _id: false },
      ),
      required: false,
    },
  },
  { collection: 'dependencies', versionKey: false },
);
dependencySchema.index({ teamId: 1, consumerId: 1 });
dependencySchema.index({ teamId: 1, providerId: 1 });
dependencySchema.index({ teamId: 1, consumerProgramId: 1 });
dependencySchema.index({ teamId: 1, providerProgramId: 1 });
dependencySchema.index({ state: 1 });
dependencySchema.index({ standing: 1 }, { unique: true, sparse: true });
dependencySchema.index({ teamId: 1, state: 1, 'commitment.state': 1, 'commitment.requestedAt': -1 });

export type NewDependency = Omit<Dependency, '_id' | 'state'>;

/** A re-plan: the new needed-by date and deliverable, by whom, when. */
const DEPENDENCIES = family('Dependency', dependencySchema);

export interface Replan {
  neededBy: CalendarDate;
  deliverable: string;
  by: string;
  at: Date;
}

/** Most standing dependencies a workspace's graph is read with; far above any real workspace's. */
const STANDING_LIMIT = 50_000;

export interface DependencyStore {
  /**
   * Adds an open dependency; `null` when its consumer and provider already have a standing one (open
   * or broken), which is then the one to re-plan: of two `add`s of the same pair at once, one adds.
   */
  add(dependency: NewDependency): Promise<Dependency | null>;
  /**
   * The standing dependencies (open or broken) of `consumer` on `provider`, latest first: one or none
   * (more only from before `depend` re-planned).
   */
  standingBetween(teamId: string, consumerId: Id, providerId: Id): Promise<Dependency[]>;
  /**
   * Gives a standing dependency (as it was read) a new date and deliverable and makes it open again,
   * keeping who created it and recording the re-plan; a new at-risk warning and a new settling may
   * follow. `null` if it was met in the meantime (or is gone).
   */
  replan(
    teamId: string,
    dependency: Pick<Dependency, '_id' | 'neededBy'>,
    replan: Replan,
  ): Promise<Dependency | null>;
  /** Dependencies where any of the workstreams is consumer or provider. */
  involving(teamId: string, workstreamIds: readonly Id[]): Promise<Dependency[]>;
  findById(teamId: string, id: Id): Promise<Dependency | null>;
  /**
   * Records the provider's answer (issue 15) on an open dependency that is still at the plan it was
   * asked at (`replans` as read); `null` if it was settled or re-planned meanwhile. Not a
   * compare-and-set on FerretDB: the caller claims the answer once per plan first.
   */
  answer(
    teamId: string,
    id: Id,
    replans: number,
    commitment: DependencyCommitment,
  ): Promise<Dependency | null>;
  /** Marks an open dependency met or broken; `null` if it was not open any more. */
  settle(teamId: string, id: Id, state: 'met' | 'broken', by: string, at: Date): Promise<Dependency | null>;
  /** The workspaces with an open dependency: the escalation job's cross-workspace read. */
  teamsWithOpen(): Promise<string[]>;
  /**
   * The workspace's standing dependencies (open, or broken and not yet re-planned): its whole graph,
   * in one query, up to STANDING_LIMIT.
   */
  standing(teamId: string): Promise<Dependency[]>;
  /** Records that both leads were told it is at risk. */
  markAtRiskNotified(teamId: string, id: Id, at: Date): Promise<void>;
  /**
   * Records that it recovered from the at-risk episode `episode` (as read): the next time it turns at
   * risk is episode + 1. A value set, never incremented, so replicas doing it at once agree.
   */
  markAtRiskRecovered(teamId: string, id: Id, episode: number): Promise<void>;
  /** Dependencies where the program is on either side. */
  forProgram(teamId: string, programId: Id): Promise<Dependency[]>;
  /**
   * Open dependencies whose provider was asked at `askedBefore` or earlier and has not answered
   * (commitment requested), latest asked first, up to `limit`: the request reminders' read.
   */
  awaitingAnswer(teamId: string, askedBefore: Date, limit: number): Promise<Dependency[]>;
  /** Open dependencies the workstreams are to provide (what their leads owe), soonest first. */
  openProvidedBy(teamId: string, providerIds: readonly Id[], limit: number): Promise<Dependency[]>;
  /** Deletes every dependency, in any state, with one of the programs on either side; resolves how many. */
  removeTouchingPrograms(teamId: string, programIds: readonly Id[]): Promise<number>;
}

export function dependencyStore(db: Partitions): DependencyStore {
  const Dependencies = (teamId: string) => db.of(DEPENDENCIES, teamId);
  return {
    async add(dependency) {
      const standing = standingKey(dependency.teamId, dependency.consumerId, dependency.providerId);
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          return (
            await (await db.writable(DEPENDENCIES, dependency.teamId)).create({ ...dependency, standing })
          ).toObject();
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
        // The marker is held: by a standing dependency, or by a met one whose marker was not dropped
        // (met by hand, or settled while it was being re-planned); that one lets go of it once.
        const released = await (
          await Dependencies(dependency.teamId)
        ).updateMany({ teamId: dependency.teamId, standing, state: 'met' }, { $unset: { standing: 1 } });
        if (released.modifiedCount === 0) return null;
      }
      return null;
    },
    standingBetween: async (teamId, consumerId, providerId) =>
      (await Dependencies(teamId))
        .find({ teamId, consumerId, providerId, state: { $in: ['open', 'broken'] } })
        .sort({ createdAt: -1, _id: -1 })
        .limit(10)
        .lean<Dependency[]>()
        .exec(),
    async replan(teamId, before, { neededBy, deliverable, by, at }) {
      const id = before._id;
      // A dependency keeps its marker (or, stored before markers existed, stays without one: the pair's
      // `depend`s find it standing and re-plan it rather than add).
      return (await Dependencies(teamId))
        .findOneAndUpdate(
          { teamId, _id: id, state: { $in: ['open', 'broken'] } },
          {
            $set: {
              neededBy,
              deliverable,
              state: 'open',
              replannedFrom: before.neededBy,
              replannedBy: by,
              replannedAt: at,
              // A new date is a new request: the provider is asked again (issue 15).
              commitment: { state: 'requested', requestedAt: at },
            },
            // A new date is a new episode: the next time it turns at risk, both leads are told again.
            $unset: { atRiskNotifiedAt: 1 },
            $inc: { atRiskEpisodes: 1, replans: 1 },
          },
          { returnDocument: 'after' },
        )
        .lean<Dependency>()
        .exec();
    },
    involving: async (teamId, ids) =>
      (await Dependencies(teamId))
        .find({ teamId, $or: [{ consumerId: { $in: ids } }, { providerId: { $in: ids } }] })
        .sort({ neededBy: 1 })
        .limit(500)
        .lean<Dependency[]>()
        .exec(),
    findById: async (teamId, id) =>
      (await Dependencies(teamId)).findOne({ teamId, _id: id }).lean<Dependency>().exec(),
    answer: async (teamId, id, replans, commitment) =>
      (await Dependencies(teamId))
        .findOneAndUpdate(
          {
            teamId,
            _id: id,
            state: 'open',
            ...(replans === 0 ? { replans: { $in: [0, null] } } : { replans }),
          },
          { $set: { commitment } },
          { returnDocument: 'after' },
        )
        .lean<Dependency>()
        .exec(),
    settle: async (teamId, id, state, by, at) =>
      (await Dependencies(teamId))
        .findOneAndUpdate(
          { teamId, _id: id, state: 'open' },
          // A met dependency is history: it lets go of its pair's marker, so `depend` again adds a new one.
          state === 'met'
            ? { $set: { state, changedBy: by, changedAt: at }, $unset: { standing: 1 } }
            : { $set: { state, changedBy: by, changedAt: at } },
          { returnDocument: 'after' },
        )
        .lean<Dependency>()
        .exec(),
    standing: async (teamId) =>
      (await Dependencies(teamId))
        .find({ teamId, state: { $in: ['open', 'broken'] } })
        .limit(STANDING_LIMIT)
        .lean<Dependency[]>()
        .exec(),
    async markAtRiskNotified(teamId, id, at) {
      await (await Dependencies(teamId)).updateOne({ teamId, _id: id }, { $set: { atRiskNotifiedAt: at } });
    },
    async markAtRiskRecovered(teamId, id, episode) {
      await (
        await Dependencies(teamId)
      ).updateOne(
        {
          teamId,
          _id: id,
          atRiskNotifiedAt: { $exists: true },
          ...(episode === 0 ? { atRiskEpisodes: { $in: [0, null] } } : { atRiskEpisodes: episode }),
        },
        { $unset: { atRiskNotifiedAt: 1 }, $set: { atRiskEpisodes: episode + 1 } },
      );
    },
    teamsWithOpen: () => teamsWhere(db, DEPENDENCIES, { state: 'open' }),
    forProgram: async (teamId, programId) =>
      (await Dependencies(teamId))
        .find({ teamId, $or: [{ consumerProgramId: programId }, { providerProgramId: programId }] })
        .sort({ neededBy: 1 })
        .limit(5_000)
        .batchSize(5_000)
        .lean<Dependency[]>()
        .exec(),
    awaitingAnswer: async (teamId, askedBefore, limit) =>
      (await Dependencies(teamId))
        .find({
          teamId,
          state: 'open',
          'commitment.state': 'requested',
          'commitment.requestedAt': { $lte: askedBefore },
        })
        .sort({ 'commitment.requestedAt': -1, _id: -1 })
        .limit(limit)
        .lean<Dependency[]>()
        .exec(),
    openProvidedBy: async (teamId, providerIds, limit) =>
      (await Dependencies(teamId))
        .find({ teamId, state: 'open', providerId: { $in: providerIds } })
        .sort({ neededBy: 1 })
        .limit(limit)
        .lean<Dependency[]>()
        .exec(),
    async removeTouchingPrograms(teamId, programIds) {
      const ids = [...programIds];
      return (
        await (
          await Dependencies(teamId)
        ).deleteMany({
          teamId,
          $or: [{ consumerProgramId: { $in: ids } }, { providerProgramId: { $in: ids } }],
        })
      ).deletedCount;
    },
  };
}
