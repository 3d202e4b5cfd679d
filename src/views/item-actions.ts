/** The buttons SPEC §4 puts on each kind of item, the same wherever the item is shown. */
import type { ActionsBlock, Overflow, PlainTextOption } from '@slack/types';
import { button } from './blocks.js';
import { ACTION } from './ids.js';

/** What each option of a workstream line's menu does: its value is `<choice>:<workstream id>`. */
export const LINE_CHOICE = { update: 'update', carryForward: 'carry', details: 'details' } as const;
export type LineChoice = (typeof LINE_CHOICE)[keyof typeof LINE_CHOICE];

const lineOption = (text: string, choice: LineChoice, workstreamId: string): PlainTextOption => ({
  text: { type: 'plain_text', text, emoji: true },
  value: `${choice}:${workstreamId}`,
});

/**
 * A workstream line of the digest: SPEC §4's three (Update… · Still on track · Details) as one overflow
 * menu beside the line, which costs the message no block of its own.
 */
export const workstreamMenu = (workstreamId: string): Overflow => ({
  type: 'overflow',
  action_id: ACTION.digestLineMenu,
  options: [
    lineOption('Update…', LINE_CHOICE.update, workstreamId),
    lineOption('Still on track', LINE_CHOICE.carryForward, workstreamId),
    lineOption('Details', LINE_CHOICE.details, workstreamId),
  ],
});

/** The choice and the workstream id (unchecked: a stored id's shape is the reader's to check) of an option. */
export function readLineChoice(
  value: string | undefined,
): { choice: LineChoice; workstreamId: string } | undefined {
  const [choice, workstreamId, ...rest] = (value ?? '').split(':');
  const known = Object.values(LINE_CHOICE).find((c) => c === choice);
  return known && workstreamId && rest.length === 0 ? { choice: known, workstreamId } : undefined;
}

/** Blockers: Resolve · Escalate (to the program's owner). */
export const blockerActions = (blockerId: string): ActionsBlock => ({
  type: 'actions',
  elements: [
    button('Resolve', ACTION.blockerResolve, blockerId, 'primary'),
    button('Escalate', ACTION.blockerEscalate, blockerId),
  ],
});

/** Dependencies: Mark met · Flag broken. */
export const dependencyActions = (dependencyId: string): ActionsBlock => ({
  type: 'actions',
  elements: [
    button('Mark met', ACTION.dependencyMet, dependencyId, 'primary'),
    button('Flag broken', ACTION.dependencyBroken, dependencyId, 'danger'),
  ],
});
