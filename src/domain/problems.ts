/**
 * Why a use case said no, as data. The use cases decide; src/views/problems.ts words it for each
 * surface (mrkdwn in a message, plain text in a modal's field error).
 */
import type { DependencyState } from './entities.js';
import type { Health, WorkstreamState } from './types.js';

/** Something a button or a modal named that is not (or no longer) in the clicker's workspace. */
export type Missing =
  | 'blocker'
  | 'dependency'
  | 'schedule'
  | 'update'
  | 'workstream'
  | 'program'
  | 'update_workstream'
  | 'blocker_workstream';

/** What only a program's owner, its admins or a workspace admin may do. */
export type ProgramChange =
  | 'archive'
  | 'unarchive'
  | 'add_workstream'
  | 'change_workstream'
  | 'schedules'
  | 'nudge'
  | 'audience'
  | 'change'
  | 'admins'
  | 'milestones';

export type Problem =
  | { kind: 'missing'; what: Missing }
  | { kind: 'no_program'; key: string }
  | { kind: 'no_workstream'; named: string }
  | { kind: 'ambiguous_workstream'; key: string; choices: string[] }
  | { kind: 'program_taken'; key: string }
  | { kind: 'workstream_taken'; programKey: string; key: string }
  | { kind: 'archived'; programKey: string; takesNo: 'updates' | 'schedules' | 'changes' | 'followers' }
  | { kind: 'archived_already'; programKey: string }
  | { kind: 'not_program_admin'; change: ProgramChange; programKey: string; ownerId: string }
  | { kind: 'not_program_owner'; programKey: string; ownerId: string }
  /** The sample portfolio is removed by whoever owns its programs (`ownerIds`), or a workspace admin. */
  | { kind: 'not_sample_owner'; ownerIds: string[] }
  /** Programs are created by listed people only (workspace settings); empty when nobody is listed. */
  | { kind: 'not_program_creator'; creatorIds: string[] }
  | { kind: 'not_resource_owner'; name: string; ownerId: string }
  | {
      kind: 'not_allocator';
      name: string;
      resourceOwnerId: string;
      programKey: string;
      programOwnerId: string;
    }
  | { kind: 'not_workspace_admin' }
  | { kind: 'not_archived'; programKey: string }
  /** `names`: the program's milestones, to choose from. */
  | { kind: 'no_milestone'; programKey: string; name: string; names: string[] }
  | { kind: 'milestone_done_already'; name: string; doneAt: Date }
  | { kind: 'milestone_changed_meanwhile'; name: string }
  | { kind: 'not_consumer'; programKey: string; ownerId: string }
  | { kind: 'not_blocker_handler'; ownerId: string }
  | { kind: 'not_dependency_party' }
  /** Issue 15: only the providing workstream's lead (or its program's owners) answers a dependency. */
  | { kind: 'not_provider'; leadId?: string; ownerId?: string }
  /** Issue 15: the dependency was answered already (`state` as answered), or is no longer open. */
  | { kind: 'answered_already'; state: 'committed' | 'declined' | 'met' | 'broken' | 'replanned' }
  /** Issue 15: a proposed date that is not a date, or is before today. */
  | { kind: 'bad_proposed_date'; today: string }
  | { kind: 'not_author'; authorId: string }
  | { kind: 'resolved_already'; by?: string }
  | { kind: 'nothing_to_escalate' }
  | { kind: 'settled_already'; state: DependencyState }
  | { kind: 'self_dependency' }
  /** `cycle`: `program/key` refs, each waiting on the next and the last on the first. */
  | { kind: 'dependency_cycle'; cycle: string[] }
  | { kind: 'edit_closed' }
  | { kind: 'nothing_to_carry'; workstreamName: string }
  /** Still on track on work that is paused, done or cancelled. */
  | { kind: 'not_chased'; workstreamName: string; state: WorkstreamState }
  /**
   * Still on track on work whose latest update is no longer on track (the message offering it was
   * drawn before that update): nothing is recorded, Update… or No change is offered instead.
   */
  | { kind: 'not_on_track'; workstreamName: string; health: Exclude<Health, 'on_track'>; blocked: boolean }
  | { kind: 'no_resource'; name: string }
  | { kind: 'resource_removed'; name: string }
  | { kind: 'no_workstreams' }
  | { kind: 'no_channel' }
  /** A client digest (on demand or previewed) of a program whose audience is internal (SPEC §7). */
  | { kind: 'internal_program'; programKey: string }
  | { kind: 'post_failed'; channelId: string; error: string }
  | { kind: 'no_portfolio'; key: string }
  | { kind: 'portfolio_taken'; key: string }
  | { kind: 'not_portfolio_owner'; key: string; ownerId: string }
  | { kind: 'portfolio_full'; key: string; limit: number }
  | { kind: 'unknown_programs'; keys: string[] }
  | { kind: 'empty_portfolio'; key: string };
