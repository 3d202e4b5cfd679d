/**
 * Words a use case's Problem for the user: what was wrong and, where it helps, who may or what to do.
 * Written once for two surfaces: a message (mrkdwn: user text quoted and escaped, people as
 * mentions) and a modal's field error (plain text: user text as typed, people by name).
 */
import type { Missing, Problem, ProgramChange } from '../domain/problems.js';
import { oneLine, quoteInput, truncate, userText } from '../text/escape.js';
import { problemAnswer, type Answer } from './answer.js';
import { HEALTH_EMOJI } from './format.js';

/** How a surface shows the parts of a problem. */
interface Style {
  /** A word the user typed (a key, a name), quoted back. */
  typed(text: string): string;
  /** A workstream's name, set off from the sentence. */
  name(text: string): string;
  /** A person. */
  user(id: string): string;
  /** A command to type. */
  command(text: string): string;
  /** A button's label. */
  button(label: string): string;
}

const MRKDWN: Style = {
  typed: (text) => quoteInput(text),
  name: (text) => `*${userText(text, 200)}*`,
  user: (id) => `<@${id}>`,
  command: (text) => quoteInput(text, 300),
  button: (label) => `*${label}*`,
};

/** Plain text shows every character as it is: nothing to escape, only to keep on one line and short. */
const plain = (names: ReadonlyMap<string, string>): Style => ({
  typed: (text) => `"${truncate(oneLine(text), 80)}"`,
  name: (text) => `"${truncate(oneLine(text), 200)}"`,
  user: (id) => `@${names.get(id) ?? id}`,
  command: (text) => text,
  button: (label) => label,
});

const MISSING: Record<Missing, string> = {
  blocker: 'That blocker does not exist in this workspace.',
  dependency: 'That dependency does not exist in this workspace.',
  schedule: 'That schedule does not exist in this workspace (it may have been removed).',
  update: 'That update does not exist in this workspace.',
  workstream: 'That workstream does not exist in this workspace.',
  program: 'That program does not exist in this workspace.',
  update_workstream: 'That update’s workstream no longer exists.',
  blocker_workstream: 'That blocker’s workstream no longer exists.',
};

const PROGRAM_CHANGE: Record<ProgramChange, string> = {
  archive: 'archive it',
  add_workstream: 'add workstreams and choose their leads',
  schedules: 'change its digest schedules',
  nudge: 'nudge its leads',
  audience: 'change its audience',
  unarchive: 'unarchive it',
  change_workstream: 'change its workstreams',
  change: 'change it',
  admins: 'change its admins',
  milestones: 'change its milestones',
};

function worded(p: Problem, s: Style): string {
  switch (p.kind) {
    case 'missing':
      return MISSING[p.what];
    case 'no_program':
      return `There is no program ${s.typed(p.key)} here. ${s.command('/program list')} shows them.`;
    case 'no_portfolio':
      return `There is no portfolio ${s.typed(p.key)} here. ${s.command('/program portfolio list')} shows them.`;
    case 'portfolio_taken':
      return `A portfolio ${s.typed(p.key)} exists already. Pick another key.`;
    case 'not_portfolio_owner':
      return `Only whoever made the portfolio ${s.typed(p.key)} (${s.user(p.ownerId)}) or a workspace admin may change it.`;
    case 'portfolio_full':
      return `A portfolio holds at most ${p.limit} programs; ${s.typed(p.key)} would hold more.`;
    case 'unknown_programs':
      return `There is no program ${p.keys.map((k) => s.typed(k)).join(', ')} here. ${s.command('/program list')} shows them.`;
    case 'empty_portfolio':
      return `The portfolio ${s.typed(p.key)} has no programs yet: ${s.command(`/program portfolio add ${p.key} <program>`)} adds some.`;
    case 'no_workstream':
      return `There is no workstream ${s.typed(p.named)} here. ${s.command('/program show <program>')} lists a program's workstreams.`;
    case 'ambiguous_workstream':
      return `More than one program has a workstream ${s.typed(p.key)}: say which, e.g. ${p.choices.map((c) => s.typed(c)).join(', ')}.`;
    case 'program_taken':
      return `A program ${s.typed(p.key)} exists already. Pick another key.`;
    case 'workstream_taken':
      return `${s.typed(p.programKey)} has a workstream ${s.typed(p.key)} already.`;
    case 'archived':
      return `${s.typed(p.programKey)} is archived; it takes no ${p.takesNo}.`;
    case 'archived_already':
      return `${s.typed(p.programKey)} is archived already.`;
    case 'not_program_admin':
      return `Only the owner of ${s.typed(p.programKey)} (${s.user(p.ownerId)}), its admins or a workspace admin may ${PROGRAM_CHANGE[p.change]}.`;
    case 'not_program_owner':
      return `Only the owner of ${s.typed(p.programKey)} (${s.user(p.ownerId)}) or a workspace admin may hand it over.`;
    case 'not_sample_owner':
      return `Only the owner${p.ownerIds.length === 1 ? '' : 's'} of the sample programs (${p.ownerIds.map((id) => s.user(id)).join(', ')}) or a workspace admin may remove the sample portfolio.`;
    case 'not_program_creator':
      return p.creatorIds.length
        ? `In this workspace only ${p.creatorIds.map((id) => s.user(id)).join(', ')} and workspace admins may create programs.`
        : 'In this workspace only workspace admins may create programs.';
    case 'not_resource_owner':
      return `Only whoever made the resource ${s.typed(p.name)} (${s.user(p.ownerId)}) or a workspace admin may change its capacity.`;
    case 'not_allocator':
      return `Only the owner of ${s.typed(p.programKey)} (${s.user(p.programOwnerId)}), its admins, a workspace admin or whoever made ${s.typed(p.name)} (${s.user(p.resourceOwnerId)}) may book it for that workstream.`;
    case 'not_consumer':
      return `Only the workstream's lead, the owner of ${s.typed(p.programKey)} (${s.user(p.ownerId)}), its admins or a workspace admin may declare what it depends on.`;
    case 'not_archived':
      return `${s.typed(p.programKey)} is not archived.`;
    case 'no_milestone':
      return p.names.length
        ? `${s.typed(p.programKey)} has no milestone called ${s.typed(p.name)}; its milestones are ${p.names.map((n) => s.typed(n)).join(', ')}.`
        : `${s.typed(p.programKey)} has no milestones yet.`;
    case 'milestone_done_already':
      return `${s.typed(p.name)} was marked done already.`;
    case 'milestone_changed_meanwhile':
      return `Someone changed ${s.typed(p.name)} at the same moment; look at ${s.command('/program milestones')} and try again.`;
    case 'not_workspace_admin':
      return "Only the workspace's admins and owners may change Cairn's workspace settings.";
    case 'not_blocker_handler':
      return `Only the blocker's owner (${s.user(p.ownerId)}), the workstream's lead or the program's owners may resolve it.`;
    case 'not_provider':
      return `Only the providing workstream's lead${p.leadId ? ` (${s.user(p.leadId)})` : ''}, its program's owner${p.ownerId ? ` (${s.user(p.ownerId)})` : ''}, its admins or a workspace admin may answer that request.`;
    case 'answered_already':
      return p.state === 'replanned'
        ? 'That request was re-planned since: answer the newer one.'
        : `That dependency is ${p.state} already.`;
    case 'bad_proposed_date':
      return `Please choose a date from today (${p.today}) on.`;
    case 'not_dependency_party':
      return "Only the leads on either side, or the programs' owners, may settle that dependency.";
    case 'not_author':
      return `Only its author, ${s.user(p.authorId)}, may edit that update.`;
    case 'resolved_already':
      return `That blocker was resolved already${p.by ? ` by ${s.user(p.by)}` : ''}.`;
    case 'nothing_to_escalate':
      return 'That blocker is resolved; there is nothing to escalate.';
    case 'settled_already':
      return `That dependency is ${p.state} already.`;
    case 'self_dependency':
      return 'A workstream cannot depend on itself.';
    case 'dependency_cycle':
      return `That would close a cycle: ${[...p.cycle, p.cycle[0]!].map((ref) => s.typed(ref)).join(' → ')}. Work cannot wait, through others, on itself; change one of these dependencies instead.`;
    case 'edit_closed':
      return 'That update can no longer be edited (edits are open for 24 hours). Post a new one instead.';
    case 'nothing_to_carry':
      return `${s.name(p.workstreamName)} has no earlier update to carry forward. Use ${s.button('Update…')} to post the first one.`;
    case 'not_chased':
      return `${s.name(p.workstreamName)} is ${p.state.replace('_', ' ')}: nobody is waiting on its update, so there is no chase to answer with a click. ${s.button('Update…')} still records one.`;
    case 'not_on_track': {
      const stands = `${p.health === 'at_risk' ? 'at risk' : 'off track'}${p.blocked ? ' (blocked)' : ''}`;
      return `${s.name(p.workstreamName)} is now ${HEALTH_EMOJI[p.health]} ${stands}, not on track: nothing was recorded. Use ${s.button('Update…')} to say how it stands, or ${s.button('No change')} to record that it stays ${stands}.`;
    }
    case 'no_resource':
      return `There is no shared resource ${s.typed(p.name)}. Create it first: ${s.command(`/program resource "${p.name.replace(/["`]/g, '')}" capacity:10`)}.`;
    case 'resource_removed':
      return `The shared resource ${s.typed(p.name)} was removed meanwhile.`;
    case 'no_workstreams':
      return 'There are no workstreams to report on.';
    case 'no_channel':
      return 'This program has no home channel to post to.';
    case 'internal_program':
      return `${s.typed(p.programKey)} is an internal program, so it has no client digest: nothing was shown or posted. Its owner, an admin or a workspace admin can make it client-facing with ${s.command(`/program set ${p.programKey} audience:client`)}; its internal updates, blockers and milestones stay out of client digests.`;
    case 'post_failed':
      // Slack's error codes (`channel_not_found`) or a short message: shown as words, nothing that could be markup.
      return `I could not post the digest to <#${p.channelId}>: ${p.error.replace(/[^\w .:-]/g, '').slice(0, 200)}. I will retry it shortly.`;
  }
}

/** The problem in mrkdwn, user text quoted and escaped. */
export const problemText = (p: Problem): string => worded(p, MRKDWN);

/** The problem as a modal's field error: plain text, people named as Slack shows them (`names`: id → name). */
export const problemPlainText = (p: Problem, names: ReadonlyMap<string, string> = new Map()): string =>
  worded(p, plain(names));

/** The people a problem names, to look their names up before wording it as plain text. */
export function peopleIn(p: Problem): string[] {
  const ids = [
    'ownerId' in p ? p.ownerId : undefined,
    'authorId' in p ? p.authorId : undefined,
    'leadId' in p ? p.leadId : undefined,
    'by' in p ? p.by : undefined,
    ...('creatorIds' in p ? p.creatorIds : []),
    ...('ownerIds' in p ? p.ownerIds : []),
  ];
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}

/** The problem as an ephemeral answer. */
export const problemView = (p: Problem): Answer => problemAnswer(problemText(p));
