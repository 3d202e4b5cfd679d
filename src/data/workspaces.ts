import { Schema, type Connection, type Model } from 'mongoose';
import type { Workspace } from '../domain/entities.js';
import { DEFAULT_SETTINGS, type SettingsChange } from '../domain/settings.js';
import { oneAtATime } from './one-at-a-time.js';

const workspaceSchema = new Schema<Workspace>(
  {
    teamId: { type: String, required: true },
    enterpriseId: { type: String },
    settings: {
      defaultTimezone: { type: String, default: DEFAULT_SETTINGS.defaultTimezone },
      staleAfterDays: { type: Number, default: DEFAULT_SETTINGS.staleAfterDays },
      escalateBlockersAfterDays: { type: Number, default: DEFAULT_SETTINGS.escalateBlockersAfterDays },
      programCreation: {
        creators: {
          type: String,
          enum: ['anyone', 'listed'],
          default: DEFAULT_SETTINGS.programCreation.creators,
        },
        creatorIds: { type: [String], default: [] },
      },
    },
    firstSeenAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    uninstalledAt: Date,
  },
  { collection: 'workspaces', versionKey: false },
);
workspaceSchema.index({ teamId: 1 }, { unique: true });

export interface WorkspaceStore {
  /** Records that a team used Cairn at `now`; creates it with default settings the first time. */
  recordSeen(ref: { teamId: string; enterpriseId?: string | undefined }, now: Date): Promise<void>;
  find(teamId: string): Promise<Workspace | null>;
  /**
   * Writes only what `change` names, each field on its own (`$set` of one path, creators added and
   * removed one by one), so two admins saving at once each keep what the other did not touch.
   * Returns the workspace as stored afterwards.
   */
  changeSettings(teamId: string, change: SettingsChange, now: Date): Promise<Workspace | null>;
  /** Marks the workspace uninstalled from `now` (`installed: false`), or installed again. */
  setInstalled(
    ref: { teamId: string; enterpriseId?: string | undefined },
    installed: boolean,
    now: Date,
  ): Promise<void>;
}

/** Writes `lastSeenAt` at most this often per team, so a busy workspace costs no write per request. */
const SEEN_RESOLUTION_MS = 60 * 60 * 1000;

export function workspaceStore(connection: Connection): WorkspaceStore {
  const Workspaces: Model<Workspace> = connection.model<Workspace>('Workspace', workspaceSchema);
  const lastWritten = new Map<string, number>();
  const serially = oneAtATime();
  return {
    async recordSeen({ teamId, enterpriseId }, now) {
      const previous = lastWritten.get(teamId);
      if (previous !== undefined && now.getTime() - previous < SEEN_RESOLUTION_MS) return;
      await serially(teamId, () =>
        Workspaces.updateOne(
          { teamId },
          {
            $set: { lastSeenAt: now, ...(enterpriseId ? { enterpriseId } : {}) },
            $setOnInsert: { teamId, firstSeenAt: now },
          },
          { upsert: true, setDefaultsOnInsert: true },
        ).exec(),
      );
      lastWritten.set(teamId, now.getTime());
    },
    find: (teamId) => Workspaces.findOne({ teamId }).lean<Workspace>().exec(),
    changeSettings: (teamId, change, now) =>
      serially(teamId, async () => {
        const $set: Record<string, unknown> = {};
        if (change.defaultTimezone !== undefined) $set['settings.defaultTimezone'] = change.defaultTimezone;
        if (change.staleAfterDays !== undefined) $set['settings.staleAfterDays'] = change.staleAfterDays;
        if (change.escalateBlockersAfterDays !== undefined)
          $set['settings.escalateBlockersAfterDays'] = change.escalateBlockersAfterDays;
        if (change.creators !== undefined) $set['settings.programCreation.creators'] = change.creators;
        const creatorIds = 'settings.programCreation.creatorIds';
        await Workspaces.updateOne(
          { teamId },
          {
            ...(Object.keys($set).length > 0 ? { $set } : {}),
            // $pullAll, not $pull with $in: FerretDB ignores the latter without a word.
            ...(change.removeCreators.length > 0
              ? { $pullAll: { [creatorIds]: change.removeCreators } }
              : {}),
            $setOnInsert: { teamId, firstSeenAt: now, lastSeenAt: now },
          },
          // No defaults on insert: they would write the very paths this update sets (a conflict);
          // settingsOf supplies them when read.
          { upsert: true, setDefaultsOnInsert: false },
        );
        // A path cannot be both pulled from and added to in one update.
        if (change.addCreators.length > 0) {
          await Workspaces.updateOne(
            { teamId },
            { $addToSet: { [creatorIds]: { $each: change.addCreators } } },
          );
        }
        return Workspaces.findOne({ teamId }).lean<Workspace>().exec();
      }),
    async setInstalled({ teamId, enterpriseId }, installed, now) {
      await serially(teamId, () =>
        Workspaces.updateOne(
          { teamId },
          {
            ...(installed
              ? { $unset: { uninstalledAt: 1 } }
              : { $set: { uninstalledAt: now, ...(enterpriseId ? { enterpriseId } : {}) } }),
            // Installed before anyone used it: known from now, with default settings.
            $setOnInsert: {
              teamId,
              firstSeenAt: now,
              lastSeenAt: now,
              ...(installed && enterpriseId ? { enterpriseId } : {}),
            },
          },
          { upsert: true, setDefaultsOnInsert: true },
        ).exec(),
      );
    },
  };
}
