/**
 * Issue 15: a dependency's request to its provider, as the providing lead's DM (Commit · Propose
 * another date · Decline), the modal for another date, what the consumer's lead is told, and the few
 * words every surface that shows a dependency adds to say where it stands with its provider.
 */
import type { Button, View } from '@slack/types';
import { commitmentOf } from '../domain/commitment.js';
import type { Dependency, Workstream } from '../domain/entities.js';
import type { CalendarDate } from '../domain/types.js';
import { userText } from '../text/escape.js';
import { button, context, section } from './blocks.js';
import { formatDate } from './format.js';
import { ACTION, INPUT_ACTION, MODAL, PROPOSE_FIELD } from './ids.js';
import type { SlackMessage } from './message.js';

/** A workstream as its request names it: its `program/key` in code, which Slack shows as it is. */
export const refOf = (w: Pick<Workstream, 'programKey' | 'key'> | undefined) =>
  w ? `\`${w.programKey}/${w.key}\`` : '_a removed workstream_';

/**
 * What a button or the modal carries: the dependency's id and the plan it was asked at, so an answer
 * to a request that was re-planned since is refused, not taken for the new date.
 */
export const requestRef = (d: Pick<Dependency, '_id' | 'replans'>): string =>
  `${d._id.toHexString()}:${d.replans ?? 0}`;

/** `<hex id>:<replans>` back into its parts (the id checked for shape by the caller). */
export function readRequestRef(value: string | undefined): { id: string; replans: number } | undefined {
  const match = /^([0-9a-f]{24}):(\d{1,6})$/.exec(value ?? '');
  return match ? { id: match[1]!, replans: Number(match[2]) } : undefined;
}

/**
 * Where a dependency stands with its provider, for a line that already names its date:
 * `` (committed on the date needed, and dependencies from before requests), ` · requested`,
 * ` · committed Fri 11 Dec (proposed)`, ` · declined`.
 */
export function commitmentSuffix(d: Pick<Dependency, 'neededBy' | 'commitment'>, now: Date): string {
  const c = commitmentOf(d);
  switch (c.state) {
    case 'requested':
      return ' · requested, not committed yet';
    case 'declined':
      return ' · declined by the provider';
    case 'committed':
      if (!d.commitment) return '';
      return c.date && c.date !== d.neededBy
        ? ` · committed ${formatDate(c.date, now)}${c.proposed ? ' (proposed)' : ''}`
        : ' · committed';
  }
}

/**
 * Commit · Propose another date · Decline: the answers to the request asked at the dependency's
 * current plan, wherever the request is offered (the providing lead's DM, their Home tab).
 */
export function commitmentButtons(d: Pick<Dependency, '_id' | 'replans'>): Button[] {
  const ref = requestRef(d);
  return [
    button('Commit', ACTION.dependencyCommit, ref, 'primary'),
    button('Propose another date', ACTION.dependencyPropose, ref),
    button('Decline', ACTION.dependencyDecline, ref, 'danger'),
  ];
}

/** The providing lead's DM: who needs what by when, and the three answers. */
export function dependencyRequestMessage(
  d: Dependency,
  consumer: Workstream,
  provider: Workstream,
  now: Date,
): SlackMessage {
  const text = `${refOf(consumer)} needs *${userText(d.deliverable, 300)}* from ${refOf(provider)} by ${formatDate(d.neededBy, now)}. Can ${refOf(provider)} commit to that date?`;
  return {
    text: `Dependency request: ${userText(d.deliverable, 200)} by ${d.neededBy}`,
    blocks: [
      section(`🔗 ${text}`),
      context(
        `Asked by <@${d.replannedBy ?? d.createdBy}>${d.replans ? ` (re-planned, was ${formatDate(d.replannedFrom ?? d.neededBy, now)})` : ''}.`,
      ),
      { type: 'actions', elements: commitmentButtons(d) },
    ],
  };
}

/** The answer in words, to the one who answered (in place of the request) and to the consumer's lead. */
export function dependencyAnsweredText(
  d: Dependency,
  consumer: Workstream | undefined,
  provider: Workstream | undefined,
  by: string,
  now: Date,
): string {
  const c = commitmentOf(d);
  const what = `*${userText(d.deliverable, 200)}* for ${refOf(consumer)} (needed ${formatDate(d.neededBy, now)})`;
  switch (c.state) {
    case 'committed':
      return c.proposed && c.date
        ? `📅 ${refOf(provider)} proposes ${formatDate(c.date, now)} for ${what}, says <@${by}>.`
        : `✅ ${refOf(provider)} commits to ${what}, says <@${by}>.`;
    case 'declined':
      return `💔 ${refOf(provider)} declines ${what}, says <@${by}>. It counts as broken until it is re-planned.`;
    case 'requested':
      return `${refOf(provider)} has not answered ${what} yet.`;
  }
}

/** The modal for another date; `today` in the clicker's timezone is the earliest. */
export function proposeDateModal(
  d: Dependency,
  provider: Workstream | undefined,
  today: CalendarDate,
  now: Date,
): View {
  return {
    type: 'modal',
    callback_id: MODAL.proposeDate,
    title: { type: 'plain_text', text: 'Propose another date' },
    submit: { type: 'plain_text', text: 'Propose' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: requestRef(d),
    blocks: [
      section(
        `${refOf(provider)} is asked for *${userText(d.deliverable, 300)}* by ${formatDate(d.neededBy, now)}. Which date can it commit to?`,
      ),
      {
        type: 'input',
        block_id: PROPOSE_FIELD.date,
        label: { type: 'plain_text', text: 'Date' },
        element: {
          type: 'datepicker',
          action_id: INPUT_ACTION,
          initial_date: d.neededBy >= today ? d.neededBy : today,
        },
      },
    ],
  };
}
