/**
 * `/status <workstream> history`: its latest updates, newest first, one section each — when (in the
 * reader's timezone), health, progress, forecast, the summary, who and how it was posted.
 */
import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import type { StatusUpdate } from '../domain/entities.js';
import type { WorkstreamHistory } from '../domain/read-models.js';
import type { UpdateSource } from '../domain/types.js';
import { userText } from '../text/escape.js';
import type { Answer } from './answer.js';
import { context, header, section, withinBlockLimit } from './blocks.js';
import { formatDate, HEALTH_EMOJI, HEALTH_LABEL, NOT_STARTED } from './format.js';
import { plural } from './plural.js';

/** How much of each summary the history shows; the card and the export have it whole. */
const SUMMARY_MAX = 300;

const SOURCE: Record<UpdateSource, string> = {
  command: 'via `/status`',
  modal: 'via the update form',
  button: 'via a button',
  carried_forward: 'carried forward',
};

export function historyView(history: WorkstreamHistory, now: Date, timezone: string): Answer {
  const { workstream: w, updates } = history;
  const ref = `${w.programKey}/${w.key}`;
  const zone = DateTime.fromJSDate(now, { zone: timezone }).isValid ? timezone : 'UTC';
  const shown =
    updates.length === 0
      ? 'no updates yet'
      : history.more
        ? `the last ${plural(updates.length, 'update')}, newest first`
        : `${updates.length === 1 ? 'its one update' : `all ${updates.length} updates`}, newest first`;
  const blocks: KnownBlock[] = [
    header(`History: ${w.name}`),
    context(`\`${ref}\` · ${shown} · times in ${zone}`),
  ];
  if (updates.length === 0) {
    blocks.push(section(`${NOT_STARTED} *No update yet.* \`/status ${ref} green …\` posts the first one.`));
  }
  for (const u of updates) blocks.push(section(updateText(u, now, zone)));
  if (history.more) {
    blocks.push(
      context(`Older updates are not shown here; \`/program export ${w.programKey}\` sends you all of them.`),
    );
  }
  return {
    response_type: 'ephemeral',
    text: `${userText(w.name, 100)} (${ref}): ${shown}`,
    blocks: withinBlockLimit(blocks, 50, 'updates'),
  };
}

function updateText(u: StatusUpdate, now: Date, zone: string): string {
  const facts = [
    `*${when(u.createdAt, now, zone)}*`,
    `${HEALTH_EMOJI[u.health]} ${HEALTH_LABEL[u.health]}${u.blocked ? ' (blocked)' : ''}`,
  ];
  if (u.progress !== undefined && u.progress !== null) facts.push(`${u.progress}%`);
  if (u.forecastDate) facts.push(`forecast ${formatDate(u.forecastDate, now)}`);
  const how = [
    u.onBehalfOf ? `<@${u.authorId}> for <@${u.onBehalfOf}>` : `<@${u.authorId}>`,
    SOURCE[u.source] ?? u.source,
  ];
  if (u.revisions.length > 0) how.push('edited');
  if (u.internal) how.push('🔒 internal');
  const lines = [facts.join(' · ')];
  if (u.summary.trim()) lines.push(`> ${userText(u.summary, SUMMARY_MAX, { mentions: true })}`);
  lines.push(`_${how.join(' · ')}_`);
  return lines.join('\n');
}

/** `Wed 25 Nov, 10:00` in the reader's zone, with the year when it is not this one. */
function when(at: Date, now: Date, zone: string): string {
  const local = DateTime.fromJSDate(at, { zone }).setLocale('en-GB');
  const thisYear = DateTime.fromJSDate(now, { zone }).year;
  return local.toFormat(local.year === thisYear ? 'ccc d LLL, HH:mm' : 'ccc d LLL yyyy, HH:mm');
}
