/**
 * The one-click answer to a chase (SPEC §4, issue 15). Both answers record the latest update again,
 * marked as carried forward with its health; they differ in what they claim. "Still on track" says the
 * work is green, so it is offered on green work alone and refused on work that is no longer green (a
 * stale message); "No change" claims nothing but that nothing changed, so amber and red work (blocked
 * work is red) offers it.
 */
import type { Health } from './types.js';

export type OneClickAnswer = 'still_on_track' | 'no_change';

/**
 * The answer a workstream's latest stated health allows: "Still on track" on green work, "No change"
 * on amber and red work, none without an update (there is nothing to carry forward).
 */
export function oneClickAnswerFor(health: Health | undefined): OneClickAnswer | undefined {
  if (health === undefined) return undefined;
  return health === 'on_track' ? 'still_on_track' : 'no_change';
}
