/**
 * Who may do what (SPEC §8), decided in one place for commands, buttons, modals and jobs alike. Each
 * rule is a pure function of the actor and what they act on; a refusal is a Problem that names who
 * may (src/views/problems.ts words it).
 */
import type { Problem, ProgramChange } from './problems.js';

export interface Actor {
  teamId: string;
  userId: string;
  isWorkspaceAdmin: boolean;
  timezone: string;
}

type ProgramRoles = { key: string; ownerId: string; adminIds: readonly string[] };

/** Whether programs may be created by anyone in the workspace or only by listed people (and admins). */
export interface ProgramCreation {
  creators: 'anyone' | 'listed';
  creatorIds: readonly string[];
}

export type Act =
  /** Its overview, history, risks, an export: anyone in its workspace. */
  | { kind: 'read_program'; program: { teamId: string } }
  /** Anything that changes a program, its workstreams, dependencies, milestones or schedules. */
  | { kind: 'change_program'; program: ProgramRoles; change: ProgramChange }
  /** Hand the program to another owner: its owner or a workspace admin. */
  | { kind: 'hand_over_program'; program: ProgramRoles }
  | { kind: 'create_program'; creation: ProgramCreation }
  /** Anyone posts an update to any workstream (SPEC §8). */
  /** What a workstream waits on: its lead knows, its program's owners decide. */
  | { kind: 'declare_dependency'; program: ProgramRoles; consumerLeadId: string }
  | { kind: 'post_update' }
  | { kind: 'edit_update'; authorId: string }
  | {
      kind: 'handle_blocker';
      blocker: { ownerId: string };
      leadId?: string;
      program?: ProgramRoles;
    }
  | {
      kind: 'settle_dependency';
      leadIds: readonly (string | undefined)[];
      programs: readonly ProgramRoles[];
    }
  /**
   * Issue 15: commit to, propose another date for or decline a dependency: the providing workstream's
   * lead, or whoever administers its program (its owner, its admins, a workspace admin).
   */
  | { kind: 'answer_dependency'; providerLeadId: string | undefined; program: ProgramRoles | undefined }
  /** Capacity is its owner's (whoever created it) or a workspace admin's to change. */
  | { kind: 'change_resource'; resource: { name: string; createdBy: string } }
  /** Booking a resource is the workstream's program's call, or the resource owner's. */
  | {
      kind: 'allocate_resource';
      resource: { name: string; createdBy: string };
      program: ProgramRoles;
    }
  | { kind: 'change_portfolio'; portfolio: { key: string; ownerId: string } }
  /** Delete the sample portfolio (`/program sample remove`): the owner of every sample program, or a workspace admin. */
  | { kind: 'remove_sample'; programs: readonly ProgramRoles[] }
  | { kind: 'change_settings' };

const administers = (program: ProgramRoles, actor: Actor) =>
  actor.isWorkspaceAdmin || program.ownerId === actor.userId || program.adminIds.includes(actor.userId);

/** `undefined` when the actor may; otherwise why not, naming who may. */
export function refusal(act: Act, actor: Actor): Problem | undefined {
  switch (act.kind) {
    case 'read_program':
      return act.program.teamId === actor.teamId ? undefined : { kind: 'missing', what: 'program' };
    case 'change_program':
      return administers(act.program, actor)
        ? undefined
        : {
            kind: 'not_program_admin',
            change: act.change,
            programKey: act.program.key,
            ownerId: act.program.ownerId,
          };
    case 'hand_over_program':
      return actor.isWorkspaceAdmin || act.program.ownerId === actor.userId
        ? undefined
        : { kind: 'not_program_owner', programKey: act.program.key, ownerId: act.program.ownerId };
    case 'create_program':
      return act.creation.creators === 'anyone' ||
        actor.isWorkspaceAdmin ||
        act.creation.creatorIds.includes(actor.userId)
        ? undefined
        : { kind: 'not_program_creator', creatorIds: [...act.creation.creatorIds] };
    case 'declare_dependency':
      return act.consumerLeadId === actor.userId || administers(act.program, actor)
        ? undefined
        : { kind: 'not_consumer', programKey: act.program.key, ownerId: act.program.ownerId };
    case 'post_update':
      return undefined;
    case 'edit_update':
      return act.authorId === actor.userId ? undefined : { kind: 'not_author', authorId: act.authorId };
    case 'handle_blocker':
      return act.blocker.ownerId === actor.userId ||
        act.leadId === actor.userId ||
        (act.program !== undefined && administers(act.program, actor))
        ? undefined
        : { kind: 'not_blocker_handler', ownerId: act.blocker.ownerId };
    case 'settle_dependency':
      return act.leadIds.includes(actor.userId) || act.programs.some((p) => administers(p, actor))
        ? undefined
        : { kind: 'not_dependency_party' };
    case 'answer_dependency':
      return (act.providerLeadId !== undefined && act.providerLeadId === actor.userId) ||
        actor.isWorkspaceAdmin ||
        (act.program !== undefined && administers(act.program, actor))
        ? undefined
        : {
            kind: 'not_provider',
            ...(act.providerLeadId ? { leadId: act.providerLeadId } : {}),
            ...(act.program ? { ownerId: act.program.ownerId } : {}),
          };
    case 'change_resource':
      return actor.isWorkspaceAdmin || act.resource.createdBy === actor.userId
        ? undefined
        : { kind: 'not_resource_owner', name: act.resource.name, ownerId: act.resource.createdBy };
    case 'allocate_resource':
      return act.resource.createdBy === actor.userId || administers(act.program, actor)
        ? undefined
        : {
            kind: 'not_allocator',
            name: act.resource.name,
            resourceOwnerId: act.resource.createdBy,
            programKey: act.program.key,
            programOwnerId: act.program.ownerId,
          };
    case 'change_portfolio':
      return actor.isWorkspaceAdmin || act.portfolio.ownerId === actor.userId
        ? undefined
        : { kind: 'not_portfolio_owner', key: act.portfolio.key, ownerId: act.portfolio.ownerId };
    case 'remove_sample':
      return actor.isWorkspaceAdmin || act.programs.every((p) => p.ownerId === actor.userId)
        ? undefined
        : { kind: 'not_sample_owner', ownerIds: [...new Set(act.programs.map((p) => p.ownerId))] };
    case 'change_settings':
      return actor.isWorkspaceAdmin ? undefined : { kind: 'not_workspace_admin' };
  }
}

/** Whether the actor may: for lists and for showing a button only where a click would be allowed. */
export const may = (act: Act, actor: Actor): boolean => refusal(act, actor) === undefined;

/** Who may read a program: anyone in its workspace (SPEC §8). */
export const mayReadProgram = (program: { teamId: string }, actor: Actor): boolean =>
  may({ kind: 'read_program', program }, actor);
