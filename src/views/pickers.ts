/**
 * The text of a picker's option that names a workstream: `Payments API (checkout/payments)`. Slack cuts
 * nothing itself: it refuses an option whose text is longer than 75 characters (Block Kit, option
 * object), counted in code points (src/slack-peer/block-kit-limits.ts counts the same way). So the
 * name is cut to fit, on one line and with "…", and the `program/key` never is: two workstreams with
 * the same long name still read differently.
 */
import type { Workstream } from '../domain/entities.js';
import { charCount, oneLine, truncate } from '../text/escape.js';

/** Slack's limit on an option's text, in code points. */
export const OPTION_TEXT_LIMIT = 75;

/** `<name> (<program>/<key>)` in at most OPTION_TEXT_LIMIT code points, the key always whole. */
export function workstreamOptionText(w: Pick<Workstream, 'name' | 'programKey' | 'key'>): string {
  const ref = `(${w.programKey}/${w.key})`;
  // Keys are at most 32 characters each, so the name always has room for a few characters.
  const name = truncate(oneLine(w.name), Math.max(0, OPTION_TEXT_LIMIT - charCount(ref) - 1));
  return name ? `${name} ${ref}` : ref;
}
