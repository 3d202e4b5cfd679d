import type { WorkstreamCard } from '../domain/read-models.js';
import { commitmentSuffix } from './commitment-views.js';
import type { KnownBlock } from '@slack/types';
import { button, capped, context, header, section, sectionsOf } from './blocks.js';
import { userText } from '../text/escape.js';
import {
  formatAge,
  formatAgo,
  formatDate,
  HEALTH_EMOJI,
  HEALTH_LABEL,
  healthTrend,
  NOT_STARTED,
  STATE_LABEL,
} from './format.js';
import type { Answer } from './answer.js';
import { ACTION } from './ids.js';
import { blockerActions } from './item-actions.js';
import { chainLinks, labelOf } from './chains.js';
import { LineFormat, ref } from './digest-lines.js';
import { plural } from './plural.js';

const LIST_MAX = 15;
const BLOCKERS_WITH_BUTTONS = 5;

/** `/status <workstream>`: latest update, health trend, open blockers, dependencies both ways. */
export function workstreamCardView(card: WorkstreamCard, now: Date): Answer {
  const { workstream: w, updates } = card;
  const latest = updates[0];
  const ref = `${w.programKey}/${w.key}`;
  const facts = [`\`${ref}\``, `team ${userText(w.team, 80)}`, `lead <@${w.leadId}>`, STATE_LABEL[w.state]];
  if (w.targetDate) facts.push(`due ${formatDate(w.targetDate, now)}`);

  const blocks: KnownBlock[] = [header(w.name), context(facts.join(' · '))];
  if (latest) {
    const lines = [
      `*Latest* ${HEALTH_EMOJI[latest.health]} ${HEALTH_LABEL[latest.health]}${latest.progress === undefined ? '' : ` · ${latest.progress}%`}${latest.forecastDate ? ` · forecast ${formatDate(latest.forecastDate, now)}` : ''}`,
    ];
    if (latest.summary) lines.push(quote(latest.summary));
    if (latest.nextSteps)
      lines.push(`_Next:_ ${userText(latest.nextSteps, 600, { mentions: true, lines: 'keep' })}`);
    lines.push(
      `_<@${latest.authorId}>, ${formatAgo(latest.createdAt, now)}${latest.source === 'carried_forward' ? ', carried forward' : ''}${latest.revisions.length > 0 ? ', edited' : ''}${latest.internal ? ', internal' : ''}_`,
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

  const blockerLine = (b: (typeof card.blockers)[number]) =>
    `• ${userText(b.text, 300, { mentions: true })} — open ${formatAge(b.openedAt, now)}, owner <@${b.ownerId}>${b.internal ? ' · internal' : ''}`;
  // The oldest few get Resolve and Escalate (two blocks each); the rest are listed, so the card stays short.
  const withButtons = card.blockers.slice(0, BLOCKERS_WITH_BUTTONS);
  const listed = card.blockers.slice(BLOCKERS_WITH_BUTTONS);
  blocks.push(section(`*Open blockers* (${card.blockers.length})`));
  for (const b of withButtons) blocks.push(section(blockerLine(b)), blockerActions(b._id.toHexString()));
  if (listed.length > 0) blocks.push(...sectionsOf('', capped(listed.map(blockerLine), LIST_MAX, 'blocker')));
  const dependencyLine = (other: string, deliverable: string, date: string, state: string, commitment = '') =>
    `• ${userText(deliverable, 200)} — ${other} by ${date}${state === 'open' ? commitment : ` (${state})`}`;
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
            commitmentSuffix(d, now),
          ),
        ),
        LIST_MAX,
        'dependency',
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
            commitmentSuffix(d, now),
          ),
        ),
        LIST_MAX,
        'dependency',
        'dependencies',
      ),
    ),
  );
  blocks.push(...chainBlocks(card));
  blocks.push({
    type: 'actions',
    elements: [button('Update…', ACTION.updateOpen, w._id.toHexString(), 'primary')],
  });
  const health = latest ? `${HEALTH_EMOJI[latest.health]} ${HEALTH_LABEL[latest.health]}` : 'no update yet';
  return { response_type: 'ephemeral', text: `${userText(w.name, 100)} (${ref}): ${health}`, blocks };
}

/** Its chains both ways (SPEC §6): what it waits on to the root cause, and the at-risk work it holds up. */
function chainBlocks(card: WorkstreamCard): KnownBlock[] {
  const { chains, workstream: w } = card;
  const f = new LineFormat(chains.today);
  const lines: string[] = [];
  const forecast = chains.forecast;
  if (forecast?.propagated && forecast.own && forecast.slipDays > 0) {
    lines.push(
      `*Forecast* ${f.date(forecast.propagated)}: its own ${forecast.basis === 'target' ? 'target' : 'forecast'} ${f.date(forecast.own)}, pushed ${plural(forecast.slipDays, 'day')} by what it waits on`,
    );
  }
  if (chains.risk) {
    const others = chains.risk.reasons.length - 1;
    lines.push(
      `${HEALTH_EMOJI.at_risk}🔗 *At risk:* ${f.chain(chainLinks(chains.risk.chain, chains.named, w.programId))}${others > 0 ? ` (and ${plural(others, 'other dependency', 'other dependencies')})` : ''}`,
    );
  }
  const reaches = chains.reaches.flatMap((id) => {
    const other = chains.named.get(id);
    return other ? [`• ${ref(labelOf(other, w.programId))}`] : [];
  });
  if (lines.length === 0 && reaches.length === 0) return [];
  return [
    ...(lines.length > 0 ? sectionsOf('*Chains*', lines) : []),
    ...(reaches.length > 0
      ? sectionsOf(
          `*At-risk work waiting on it* (${reaches.length})`,
          capped(reaches, LIST_MAX, 'workstream'),
        )
      : []),
  ];
}

function quote(text: string): string {
  return `> ${userText(text, 1500, { mentions: true, lines: 'quote' })}`;
}
