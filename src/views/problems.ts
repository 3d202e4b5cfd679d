/** Words a use case's Problem for the user: what was wrong and, where it helps, who may or what to do. */
import type { Missing, Problem, ProgramChange } from '../domain/problems.js';
import { problemAnswer, type Answer } from './answer.js';
import { quoteInput, userText } from '../text/escape.js';

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
};

/** The problem in mrkdwn, user text quoted and escaped. */
export function problemText(p: Problem): string {
  switch (p.kind) {
    case 'missing':
      return MISSING[p.what];
    case 'no_program':
      return `There is no program ${quoteInput(p.key)} here. \`/program list\` shows them.`;
    case 'no_workstream':
      return `There is no workstream ${quoteInput(p.named)} here. \`/program show &lt;program&gt;\` lists a program's workstreams.`;
    case 'ambiguous_workstream':
      return `More than one program has a workstream ${quoteInput(p.key)}: say which, e.g. ${p.choices.map((c) => quoteInput(c)).join(', ')}.`;
    case 'program_taken':
      return `A program ${quoteInput(p.key)} exists already. Pick another key.`;
    case 'workstream_taken':
      return `${quoteInput(p.programKey)} has a workstream ${quoteInput(p.key)} already.`;
    case 'archived':
      return `${quoteInput(p.programKey)} is archived; it takes no ${p.takesNo}.`;
    case 'archived_already':
      return `${quoteInput(p.programKey)} is archived already.`;
    case 'not_program_admin':
      return `Only the owner of ${quoteInput(p.programKey)} (<@${p.ownerId}>), its admins or a workspace admin may ${PROGRAM_CHANGE[p.change]}.`;
    case 'not_blocker_handler':
      return `Only the blocker's owner (<@${p.ownerId}>), the workstream's lead or the program's owners may resolve it.`;
    case 'not_dependency_party':
      return "Only the leads on either side, or the programs' owners, may settle that dependency.";
    case 'not_author':
      return `Only its author, <@${p.authorId}>, may edit that update.`;
    case 'resolved_already':
      return `That blocker was resolved already${p.by ? ` by <@${p.by}>` : ''}.`;
    case 'nothing_to_escalate':
      return 'That blocker is resolved; there is nothing to escalate.';
    case 'settled_already':
      return `That dependency is ${p.state} already.`;
    case 'self_dependency':
      return 'A workstream cannot depend on itself.';
    case 'edit_closed':
      return 'That update can no longer be edited (edits are open for 24 hours). Post a new one instead.';
    case 'nothing_to_carry':
      return `*${userText(p.workstreamName, 200)}* has no earlier update to carry forward. Use *Update…* to post the first one.`;
    case 'no_resource':
      return `There is no shared resource ${quoteInput(p.name)}. Create it first: \`/program resource "${p.name.replace(/[`"<>&]/g, '')}" capacity:10\`.`;
    case 'resource_removed':
      return `The shared resource ${quoteInput(p.name)} was removed meanwhile.`;
    case 'no_workstreams':
      return 'There are no workstreams to report on.';
    case 'no_channel':
      return 'This program has no home channel to post to.';
    case 'post_failed':
      // Slack's error codes (`channel_not_found`) or a short message: shown as words, nothing that could be markup.
      return `I could not post the digest to <#${p.channelId}>: ${p.error.replace(/[^\w .:-]/g, '').slice(0, 200)}. I will retry it shortly.`;
  }
}

/** The problem as an ephemeral answer. */
export const problemView = (p: Problem): Answer => problemAnswer(problemText(p));
