/** The buttons SPEC §4 puts on each kind of item, the same wherever the item is shown. */
import type { ActionsBlock } from '@slack/types';
import { button } from './blocks.js';
import { ACTION } from './ids.js';

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
