import type { KnownBlock } from '@slack/types';
import type { WorkstreamCard } from '../use-cases/status.js';
import { button, context, header, section, sectionsOf } from './blocks.js';
import { escapeKeepingMentions, escapeMrkdwn, truncate } from './escape.js';
import {
  formatAge,
  formatDate,
  HEALTH_EMOJI,
  HEALTH_LABEL,
  healthTrend,
  NOT_STARTED,
  STATE_LABEL,
} from './format.js';
import type { Answer } from './answer.js';

const LIST_MAX = 15;

/** `/status <workstream>`: latest update, health trend, open blockers, dependencies both ways. */
export function workstreamCardView(card: WorkstreamCard, now: Date): Answer {
  const { workstream: w, updates } = card;
  const latest = updates[0];
  const ref = `${w.programKey}/${w.key}`;
  const facts = [`\`${ref}\``, `team ${escapeMrkdwn(w.team)}`, `lead <@${w.leadId}>`, STATE_LABEL[w.state]];
  if (w.targetDate) facts.push(`due ${formatDate(w.targetDate, now)}`);

  const blocks: KnownBlock[] = [header(w.name), context(facts.join(' · '))];
  if (latest) {
    const lines = [
      `*Latest* ${HEALTH_EMOJI[latest.health]} ${HEALTH_LABEL[latest.health]}${latest.progress === undefined ? '' : ` · ${latest.progress}%`}${latest.forecastDate ? ` · forecast ${formatDate(latest.forecastDate, now)}` : ''}`,
    ];
    if (latest.summary) lines.push(quote(latest.summary));
    if (latest.nextSteps) lines.push(`_Next:_ ${escapeKeepingMentions(truncate(latest.nextSteps, 600))}`);
    lines.push(
      `_<@${latest.authorId}>, ${formatAge(latest.createdAt, now)} ago${latest.source === 'carried_forward' ? ', carried forward' : ''}${latest.revisions.length > 0 ? ', edited' : ''}_`,
    );
    blocks.push(section(lines.join('\n')));
    blocks.push(
      section(
        `*Trend* ${healthTrend(updates)}  _(last ${updates.length} update${updates.length === 1 ? '' : 's'}, oldest first)_`,
      ),
    );
  } else {
    blocks.push(section(`${NOT_STARTED} *No update yet.* \`/status ${ref} green …\` posts the first one.`));
  }

  blocks.push(
    ...sectionsOf(
      `*Open blockers* (${card.blockers.length})`,
      capped(
        card.blockers.map(
          (b) =>
            `• ${escapeKeepingMentions(truncate(b.text, 300))} — open ${formatAge(b.openedAt, now)}, owner <@${b.ownerId}>`,
        ),
        'blockers',
      ),
    ),
  );
  const dependencyLine = (other: string, deliverable: string, date: string, state: string) =>
    `• ${escapeMrkdwn(truncate(deliverable, 200))} — ${other} by ${date}${state === 'open' ? '' : ` (${state})`}`;
  blocks.push(
    ...sectionsOf(
      `*Needs from others* (${card.needs.length})`,
      capped(
        card.needs.map(({ dependency: d, other }) =>
          dependencyLine(
            other ? `from \`${other.programKey}/${other.key}\`` : 'from a removed workstream',
            d.deliverable,
            formatDate(d.neededBy, now),
            d.state,
          ),
        ),
        'dependencies',
      ),
    ),
    ...sectionsOf(
      `*Others need from it* (${card.owes.length})`,
      capped(
        card.owes.map(({ dependency: d, other }) =>
          dependencyLine(
            other ? `for \`${other.programKey}/${other.key}\`` : 'for a removed workstream',
            d.deliverable,
            formatDate(d.neededBy, now),
            d.state,
          ),
        ),
        'dependencies',
      ),
    ),
  );
  blocks.push({
    type: 'actions',
    elements: [button('Update…', 'status_open_modal', w._id.toHexString(), 'primary')],
  });
  const health = latest ? `${HEALTH_EMOJI[latest.health]} ${HEALTH_LABEL[latest.health]}` : 'no update yet';
  return { response_type: 'ephemeral', text: `${escapeMrkdwn(w.name)} (${ref}): ${health}`, blocks };
}

function quote(text: string): string {
  return escapeKeepingMentions(truncate(text, 1500))
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

function capped(lines: string[], what: string): string[] {
  if (lines.length <= LIST_MAX) return lines;
  return [...lines.slice(0, LIST_MAX), `_…and ${lines.length - LIST_MAX} more ${what}_`];
}
