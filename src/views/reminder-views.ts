import type { Workstream } from '../domain/entities.js';
import type { KnownBlock } from '@slack/types';
import { button, context, section } from './blocks.js';
import { userText } from '../text/escape.js';
import { formatAgo, HEALTH_EMOJI, HEALTH_LABEL, NOT_STARTED } from './format.js';
import type { SlackMessage } from './message.js';
import { ACTION } from './ids.js';
import { oneClickButton } from './item-actions.js';

const MAX_WORKSTREAMS = 20;
/**
 * The header's block id carries what the reminder is about (`reminder:<since ms>[:<when, encoded>]`),
 * so a click can redraw it in place, saying when the digest goes out as the first one did.
 */
const HEADER_PREFIX = 'reminder:';
/** Slack's limit on a block id is 255 characters; a `when` is about 25. */
const MAX_WHEN = 120;

export interface ReminderSubject {
  programName: string;
  /** Updates after this count: the previous digest's time. */
  since: Date;
  /** When the digest goes out, worded for the lead (e.g. "Mon 30 Nov, 09:00 EST"), or a nudge. */
  when: string | undefined;
}

/**
 * A DM to a lead whose workstreams have no update since the last digest, with Update…, Still on
 * track (No change on amber and red work) and Details on each; those updated since (e.g. by a click)
 * show as done.
 */
export function reminderMessage(
  leadId: string,
  subject: ReminderSubject,
  workstreams: readonly Workstream[],
  now: Date,
): SlackMessage {
  const missing = workstreams.filter((w) => !isUpdatedSince(w, subject.since));
  const intro = subject.when
    ? `Hi <@${leadId}>, the *${userText(subject.programName, 200)}* digest goes out ${userText(subject.when, MAX_WHEN)}.`
    : `Hi <@${leadId}>, *${userText(subject.programName, 200)}* is waiting on your update.`;
  const blocks: KnownBlock[] = [
    {
      ...section(
        missing.length > 0
          ? `${intro} ${missing.length === 1 ? 'This workstream has' : 'These workstreams have'} no update since the last digest:`
          : `${intro} All your workstreams are up to date. Thank you!`,
      ),
      block_id: `${HEADER_PREFIX}${subject.since.getTime()}${
        subject.when && encodeURIComponent(subject.when).length <= MAX_WHEN
          ? `:${encodeURIComponent(subject.when)}`
          : ''
      }`,
    } as KnownBlock,
  ];
  for (const w of workstreams.slice(0, MAX_WORKSTREAMS)) {
    const id = w._id.toHexString();
    const ref = `\`${w.programKey}/${w.key}\``;
    if (isUpdatedSince(w, subject.since)) {
      blocks.push({
        ...section(
          `✅ *${userText(w.name, 200)}* ${ref} — updated: ${w.health ? `${HEALTH_EMOJI[w.health]} ${HEALTH_LABEL[w.health]}` : 'thank you'}`,
        ),
        block_id: `reminder-ws:${id}`,
      } as KnownBlock);
      continue;
    }
    const last = w.lastUpdateAt
      ? `last update ${formatAgo(w.lastUpdateAt, now)}${w.health ? ` (${HEALTH_EMOJI[w.health]})` : ''}`
      : `${NOT_STARTED} no update yet`;
    blocks.push({
      ...section(`*${userText(w.name, 200)}* ${ref} — ${last}`),
      block_id: `reminder-ws:${id}`,
    } as KnownBlock);
    // Still on track on green work, No change on amber and red, none before a first update.
    const oneClick = w.lastUpdateAt ? oneClickButton(id, w.health) : undefined;
    blocks.push({
      type: 'actions',
      block_id: `reminder-act:${id}`,
      elements: [
        button('Update…', ACTION.updateOpen, id, 'primary'),
        ...(oneClick ? [oneClick] : []),
        button('Details', ACTION.workstreamDetails, id),
      ],
    });
  }
  if (workstreams.length > MAX_WORKSTREAMS)
    blocks.push(context(`…and ${workstreams.length - MAX_WORKSTREAMS} more; \`/status\` reaches them all.`));
  return {
    text:
      missing.length > 0
        ? `${missing.length} workstream update${missing.length === 1 ? '' : 's'} due for ${userText(subject.programName, 200)}`
        : `All updated for ${userText(subject.programName, 200)}`,
    blocks,
  };
}

export function isUpdatedSince(w: Pick<Workstream, 'lastUpdateAt'>, since: Date): boolean {
  return w.lastUpdateAt !== undefined && w.lastUpdateAt.getTime() > since.getTime();
}

/** Reads back what a reminder DM is about from its blocks: its `since`, when the digest goes out, its workstream ids. */
export function readReminder(
  blocks: ReadonlyArray<{ block_id?: string }>,
): { since: Date; when: string | undefined; workstreamIds: string[] } | undefined {
  const header = blocks[0]?.block_id;
  if (!header?.startsWith(HEADER_PREFIX)) return undefined;
  const [sinceText = '', whenText] = header.slice(HEADER_PREFIX.length).split(':', 2);
  const since = Number(sinceText);
  if (!/^\d+$/.test(sinceText) || !Number.isFinite(since)) return undefined;
  let when: string | undefined;
  try {
    when = whenText ? decodeURIComponent(whenText) : undefined;
  } catch {
    // A block id Cairn did not write: redrawn without the time rather than refused.
    when = undefined;
  }
  const workstreamIds = blocks
    .map((b) => b.block_id ?? '')
    .filter((id) => id.startsWith('reminder-ws:'))
    .map((id) => id.slice('reminder-ws:'.length))
    .filter((id) => /^[0-9a-f]{24}$/.test(id));
  return { since: new Date(since), when, workstreamIds };
}
