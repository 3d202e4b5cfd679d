/** The buttons SPEC §4 puts on each kind of item, the same wherever the item is shown. */
import type { ActionsBlock, Button, Overflow, PlainTextOption } from '@slack/types';
import type { DigestView } from '../domain/digest/model.js';
import { oneClickAnswerFor, type OneClickAnswer } from '../domain/one-click.js';
import type { Health } from '../domain/types.js';
import { expectsUpdates } from '../domain/workstream-state.js';
import { button } from './blocks.js';
import { ACTION } from './ids.js';

/**
 * What each option of a workstream line's menu does: its value is `<choice>:<workstream id>`.
 * `carry` is "Still on track" (menus posted before "No change" existed offer it on any work: the
 * listener checks that the work is still green before recording it as on track).
 */
export const LINE_CHOICE = {
  update: 'update',
  stillOnTrack: 'carry',
  noChange: 'no_change',
  details: 'details',
} as const;
export type LineChoice = (typeof LINE_CHOICE)[keyof typeof LINE_CHOICE];

/** The label of each one-click answer, wherever it is offered. */
export const ONE_CLICK_LABEL: Record<OneClickAnswer, string> = {
  still_on_track: 'Still on track',
  no_change: 'No change',
};

/** The menu choice and the button of each one-click answer. */
const ONE_CLICK_CHOICE: Record<OneClickAnswer, LineChoice> = {
  still_on_track: LINE_CHOICE.stillOnTrack,
  no_change: LINE_CHOICE.noChange,
};
export const ONE_CLICK_ACTION = {
  still_on_track: ACTION.updateCarryForward,
  no_change: ACTION.updateNoChange,
} as const satisfies Record<OneClickAnswer, string>;

/**
 * The one-click button for a workstream whose latest health is `health` (reminders, the Home tab):
 * "Still on track" on green work, "No change" on amber and red work, none without an update.
 */
export function oneClickButton(workstreamId: string, health: Health | undefined): Button | undefined {
  const answer = oneClickAnswerFor(health);
  return answer && button(ONE_CLICK_LABEL[answer], ONE_CLICK_ACTION[answer], workstreamId);
}

const lineOption = (text: string, choice: LineChoice, workstreamId: string): PlainTextOption => ({
  text: { type: 'plain_text', text, emoji: true },
  value: `${choice}:${workstreamId}`,
});

/**
 * A workstream line of the digest: SPEC §4's three (Update… · Still on track · Details) as one overflow
 * menu beside the line, which costs the message no block of its own. The middle one follows the
 * workstream's latest health (`health`): "Still on track" on green work, "No change" on amber and red
 * work, and none on work with no update (nothing to carry forward).
 */
export function workstreamMenu(workstreamId: string, health: Health | undefined): Overflow {
  const answer = oneClickAnswerFor(health);
  return {
    type: 'overflow',
    action_id: ACTION.digestLineMenu,
    options: [
      lineOption('Update…', LINE_CHOICE.update, workstreamId),
      ...(answer ? [lineOption(ONE_CLICK_LABEL[answer], ONE_CLICK_CHOICE[answer], workstreamId)] : []),
      lineOption('Details', LINE_CHOICE.details, workstreamId),
    ],
  };
}

/** The latest health of each workstream a digest lists by team, by id; built once per digest. */
const healthsOf = new WeakMap<DigestView, Map<string, Health | undefined>>();

/**
 * The latest stated health of one of the digest's workstreams (hex id), as its line in "Detail by
 * team" shows it: what a menu on any of the digest's lines about it offers to carry forward. None for
 * paused, done or cancelled work: it is not chased, so there is nothing to answer (SPEC §8).
 */
export function healthInDigest(view: DigestView, workstreamId: string): Health | undefined {
  let healths = healthsOf.get(view);
  if (!healths) {
    healths = new Map();
    for (const line of (view.teams ?? []).flatMap((t) => t.lines))
      if (line.workstream.id)
        healths.set(line.workstream.id, expectsUpdates(line.state) ? line.health : undefined);
    healthsOf.set(view, healths);
  }
  return healths.get(workstreamId);
}

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
