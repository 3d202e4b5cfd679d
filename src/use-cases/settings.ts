/**
 * `/program settings` (SPEC §8): a workspace's admins read and change its settings. Who may is
 * checked when the form opens and again when it is submitted, since a submission can be forged.
 */
import { refusal, type Actor } from '../domain/permissions.js';
import {
  applySettingsChange,
  changedSettings,
  settingsChange,
  settingsOf,
  settingValue,
  type SettingName,
  type WorkspaceSettings,
} from '../domain/settings.js';
import type { Stores } from '../services.js';
import { problem, success, type Outcome } from './outcome.js';

/** The settings in force in a workspace (the defaults where none were stored). */
export async function workspaceSettings(stores: Stores, teamId: string): Promise<WorkspaceSettings> {
  return settingsOf(await stores.workspaces.find(teamId));
}

/** The settings as they are, for the form: only for those who may change them. */
export async function settingsToChange(stores: Stores, actor: Actor): Promise<Outcome<WorkspaceSettings>> {
  const refused = refusal({ kind: 'change_settings' }, actor);
  if (refused) return problem(refused);
  return success(await workspaceSettings(stores, actor.teamId));
}

export interface SettingsChanged {
  before: WorkspaceSettings;
  after: WorkspaceSettings;
  /** What this submission changed; empty when it changed nothing. */
  fields: SettingName[];
}

/**
 * Applies what the admin changed in the form: the difference between what it showed (`seen`, when
 * known) and what was submitted, on top of the settings as they are now. So a field someone else
 * changed meanwhile, and this admin left alone, keeps the other's value.
 */
export async function changeSettings(
  stores: Stores,
  actor: Actor,
  form: { submitted: WorkspaceSettings; seen?: WorkspaceSettings | undefined },
  now: Date,
): Promise<Outcome<SettingsChanged>> {
  const refused = refusal({ kind: 'change_settings' }, actor);
  if (refused) return problem(refused);
  const before = await workspaceSettings(stores, actor.teamId);
  const asked = settingsChange(form.seen ?? before, form.submitted);
  const change = settingsChange(before, applySettingsChange(before, asked));
  const fields = changedSettings(change);
  if (fields.length === 0) return success({ before, after: before, fields });
  const after = settingsOf(await stores.workspaces.changeSettings(actor.teamId, change, now));
  await stores.audit.record({
    teamId: actor.teamId,
    actorId: actor.userId,
    action: 'workspace.settings_changed',
    target: { kind: 'workspace', key: actor.teamId },
    details: {
      before: Object.fromEntries(fields.map((f) => [f, settingValue(before, f)])),
      after: Object.fromEntries(fields.map((f) => [f, settingValue(after, f)])),
    },
    at: now,
  });
  return success({ before, after, fields });
}
