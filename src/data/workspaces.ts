import { Schema, type Connection, type Model } from 'mongoose';
import type { Workspace } from '../domain/entities.js';

const workspaceSchema = new Schema<Workspace>(
  {
    teamId: { type: String, required: true },
    enterpriseId: { type: String },
    settings: {
      defaultTimezone: { type: String, default: 'UTC' },
      staleAfterDays: { type: Number, default: 7 },
      escalateBlockersAfterDays: { type: Number, default: 5 },
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
  return {
    async recordSeen({ teamId, enterpriseId }, now) {
      const previous = lastWritten.get(teamId);
      if (previous !== undefined && now.getTime() - previous < SEEN_RESOLUTION_MS) return;
      await Workspaces.updateOne(
        { teamId },
        {
          $set: { lastSeenAt: now, ...(enterpriseId ? { enterpriseId } : {}) },
          $setOnInsert: { teamId, firstSeenAt: now },
        },
        { upsert: true, setDefaultsOnInsert: true },
      );
      lastWritten.set(teamId, now.getTime());
    },
    find: (teamId) => Workspaces.findOne({ teamId }).lean<Workspace>().exec(),
    async setInstalled({ teamId, enterpriseId }, installed, now) {
      await Workspaces.updateOne(
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
      );
    },
  };
}
