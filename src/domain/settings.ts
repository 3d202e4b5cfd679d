/**
 * A workspace's settings (SPEC §1, §8): what applies where nobody set them, the range each may take,
 * and what a submitted form changes. Pure: src/data/workspaces.ts stores them, src/use-cases/settings.ts
 * changes them, and everything that needs one reads it through settingsOf.
 */
import type { Workspace } from './entities.js';
import type { ProgramCreation } from './permissions.js';

export interface WorkspaceSettings {
  /** An IANA zone: dates are read and shown in it for anyone whose own timezone Slack does not give. */
  defaultTimezone: string;
  /** Work with no update for longer than this is flagged, whatever its stated health (SPEC §6). */
  staleAfterDays: number;
  /** A blocker open this long is brought to its program's owner, and again at each multiple (SPEC §4). */
  escalateBlockersAfterDays: number;
  programCreation: ProgramCreation;
}

export const DEFAULT_SETTINGS: WorkspaceSettings = {
  defaultTimezone: 'UTC',
  staleAfterDays: 7,
  escalateBlockersAfterDays: 5,
  programCreation: { creators: 'anyone', creatorIds: [] },
};

/**
 * The whole days either day setting may take: under a day would flag or escalate on every tick, and
 * past two months the flag or the escalation would come too late to be of use.
 */
export const SETTING_DAYS = { min: 1, max: 60 } as const;

/** How many people may be listed as program creators: what one multi-select in a modal holds. */
export const MAX_PROGRAM_CREATORS = 100;

/** The settings in force: the stored ones, with the defaults for any never stored (older workspaces). */
export function settingsOf(workspace: Pick<Workspace, 'settings'> | null | undefined): WorkspaceSettings {
  const stored = workspace?.settings;
  const creation = stored?.programCreation;
  return {
    defaultTimezone: stored?.defaultTimezone || DEFAULT_SETTINGS.defaultTimezone,
    staleAfterDays: stored?.staleAfterDays ?? DEFAULT_SETTINGS.staleAfterDays,
    escalateBlockersAfterDays:
      stored?.escalateBlockersAfterDays ?? DEFAULT_SETTINGS.escalateBlockersAfterDays,
    programCreation: {
      creators: creation?.creators === 'listed' ? 'listed' : 'anyone',
      creatorIds: [...new Set(creation?.creatorIds ?? [])],
    },
  };
}

/** A setting by name, as the audit log and the answer name it. */
export type SettingName =
  'defaultTimezone' | 'staleAfterDays' | 'escalateBlockersAfterDays' | 'creators' | 'creatorIds';

/**
 * What a submission changes. The list of creators changes by who was added and who removed, not as a
 * whole, so that two admins listing different people at the same time both keep theirs.
 */
export interface SettingsChange {
  defaultTimezone?: string;
  staleAfterDays?: number;
  escalateBlockersAfterDays?: number;
  creators?: ProgramCreation['creators'];
  addCreators: string[];
  removeCreators: string[];
}

/** From `from` to `to`: only what differs. */
export function settingsChange(from: WorkspaceSettings, to: WorkspaceSettings): SettingsChange {
  const before = new Set(from.programCreation.creatorIds);
  const after = new Set(to.programCreation.creatorIds);
  return {
    ...(to.defaultTimezone !== from.defaultTimezone ? { defaultTimezone: to.defaultTimezone } : {}),
    ...(to.staleAfterDays !== from.staleAfterDays ? { staleAfterDays: to.staleAfterDays } : {}),
    ...(to.escalateBlockersAfterDays !== from.escalateBlockersAfterDays
      ? { escalateBlockersAfterDays: to.escalateBlockersAfterDays }
      : {}),
    ...(to.programCreation.creators !== from.programCreation.creators
      ? { creators: to.programCreation.creators }
      : {}),
    addCreators: [...after].filter((id) => !before.has(id)),
    removeCreators: [...before].filter((id) => !after.has(id)),
  };
}

export function applySettingsChange(settings: WorkspaceSettings, change: SettingsChange): WorkspaceSettings {
  const removed = new Set(change.removeCreators);
  const kept = settings.programCreation.creatorIds.filter((id) => !removed.has(id));
  return {
    defaultTimezone: change.defaultTimezone ?? settings.defaultTimezone,
    staleAfterDays: change.staleAfterDays ?? settings.staleAfterDays,
    escalateBlockersAfterDays: change.escalateBlockersAfterDays ?? settings.escalateBlockersAfterDays,
    programCreation: {
      creators: change.creators ?? settings.programCreation.creators,
      creatorIds: [...new Set([...kept, ...change.addCreators])],
    },
  };
}

/** The settings a change touches, in the order the form shows them. */
export function changedSettings(change: SettingsChange): SettingName[] {
  const names: SettingName[] = [];
  if (change.defaultTimezone !== undefined) names.push('defaultTimezone');
  if (change.staleAfterDays !== undefined) names.push('staleAfterDays');
  if (change.escalateBlockersAfterDays !== undefined) names.push('escalateBlockersAfterDays');
  if (change.creators !== undefined) names.push('creators');
  if (change.addCreators.length > 0 || change.removeCreators.length > 0) names.push('creatorIds');
  return names;
}

/** A setting's value by name, for the audit log's before and after. */
export function settingValue(settings: WorkspaceSettings, name: SettingName): string | number | string[] {
  switch (name) {
    case 'creators':
      return settings.programCreation.creators;
    case 'creatorIds':
      return [...settings.programCreation.creatorIds];
    default:
      return settings[name];
  }
}
