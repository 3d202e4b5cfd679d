/**
 * Every id that ties a rendered surface to the listener that answers it: button action ids, modal
 * callback ids and the block ids that modal errors and readers point at. Views render them, handlers
 * register on them; one list, so a renamed button cannot silently lose its listener
 * (test/handlers/ids.test.ts checks that what the views render and what the app listens to agree).
 */

/** Buttons, by what they do. */
export const ACTION = {
  // A workstream line (card, reminder, Home tab): SPEC §4's three. The one-click answer is "Still on
  // track" on green work and "No change" on amber and red work: both carry the latest update forward,
  // but only the first says it is on track (a stale "Still on track" on work no longer green records
  // nothing). Messages posted before "No change" existed carry `updateCarryForward` on any work.
  updateOpen: 'status_open_modal',
  updateCarryForward: 'status_carry_forward',
  updateNoChange: 'status_no_change',
  workstreamDetails: 'status_details',
  // A recorded update.
  updateEdit: 'status_edit',
  // Blockers and dependencies.
  blockerResolve: 'blocker_resolve',
  blockerEscalate: 'blocker_escalate',
  dependencyMet: 'dependency_met',
  dependencyBroken: 'dependency_broken',
  // Issue 15: the providing lead's answer to a dependency request (a DM).
  dependencyCommit: 'dependency_commit',
  dependencyPropose: 'dependency_propose',
  dependencyDecline: 'dependency_decline',
  // The digest's own row.
  digestPostUpdate: 'digest_post_update',
  digestNudge: 'digest_nudge',
  digestOpenHome: 'digest_open_home',
  // Programs I run, on the Home tab.
  homePreview: 'home_preview',
  homePostDigest: 'home_post_digest',
  // `/program schedules`.
  scheduleEdit: 'schedule_edit',
  schedulePause: 'schedule_pause',
  scheduleResume: 'schedule_resume',
  scheduleRemove: 'schedule_remove',
  // The digest's workstream lines: an overflow menu (Update… · Still on track or No change · Details),
  // not a button.
  digestLineMenu: 'digest_line_menu',
} as const;

export type ActionId = (typeof ACTION)[keyof typeof ACTION];

/** The overflow menus among them: Slack sends a chosen option, not a clicked value. */
export const OVERFLOW_ACTIONS = [ACTION.digestLineMenu] as const;
export type OverflowActionId = (typeof OVERFLOW_ACTIONS)[number];
export type ButtonActionId = Exclude<ActionId, OverflowActionId>;

/** Modals, by what submitting them does. */
export const MODAL = {
  update: 'status_update',
  newProgram: 'program_new',
  newSchedule: 'schedule_new',
  settings: 'workspace_settings',
  /** Issue 15: another date for a dependency, proposed by its provider's lead. */
  proposeDate: 'dependency_propose_date',
} as const;

export type ModalId = (typeof MODAL)[keyof typeof MODAL];

/** The action id of every input element in Cairn's modals: a reader finds a field by its block id alone. */
export const INPUT_ACTION = 'value';

/** Input blocks of the update modal. */
export const UPDATE_FIELD = {
  workstream: 'workstream',
  health: 'health',
  progress: 'progress',
  summary: 'summary',
  nextSteps: 'next_steps',
  blockers: 'blockers',
  forecast: 'forecast',
  /** Checkboxes: the update internal; the blockers it opens visible to clients. */
  audience: 'audience',
} as const;

/** The values of the update modal's audience checkboxes. */
export const AUDIENCE_CHOICE = { internal: 'internal', blockersVisible: 'blockers_visible' } as const;

/** Input blocks of the new-program modal. */
export const PROGRAM_FIELD = {
  name: 'name',
  key: 'key',
  objective: 'objective',
  channel: 'channel',
} as const;

/** Input blocks of the schedule modal. */
export const SCHEDULE_FIELD = {
  channel: 'channel',
  days: 'days',
  time: 'time',
  timezone: 'timezone',
  variant: 'variant',
  reminder: 'reminder',
  quiet: 'quiet',
} as const;

/** Input blocks of the workspace settings modal (`/program settings`). */
export const SETTINGS_FIELD = {
  timezone: 'default_timezone',
  staleAfterDays: 'stale_after_days',
  escalateAfterDays: 'escalate_after_days',
  /** Radio buttons: anyone, or only the people listed, may create programs. */
  creators: 'program_creators',
  creatorIds: 'program_creator_ids',
} as const;

/** Input blocks of the propose-another-date modal (issue 15). */
export const PROPOSE_FIELD = { date: 'proposed_date' } as const;
