import type { Blocker, Dependency, Program, Workstream } from '../domain/entities.js';
import type { DependencyAtRisk } from '../domain/read-models.js';
import type { CalendarDate } from '../domain/types.js';
import { chainLinks } from './chains.js';
import { LineFormat } from './digest-lines.js';
import type { SlackMessage } from './message.js';
import { button, section } from './blocks.js';
import { escapeMrkdwn, userText } from '../text/escape.js';
import { ACTION } from './ids.js';
import { plural } from './plural.js';

export function blockerEscalationMessage(
  program: Program,
  w: Workstream,
  blocker: Blocker,
  ageDays: number,
): SlackMessage {
  const text = `A blocker on *${userText(w.name, 200)}* (\`${w.programKey}/${w.key}\`, ${userText(program.name, 200)}) has been open for ${plural(ageDays, 'day')}, owned by <@${blocker.ownerId}>:\n> ${userText(blocker.text, 500, { mentions: true, lines: 'quote' })}`;
  return {
    text: `Blocker open ${plural(ageDays, 'day')} on ${userText(w.name, 200)}`,
    blocks: [
      section(text),
      {
        type: 'actions',
        elements: [
          button('Resolve', ACTION.blockerResolve, blocker._id.toHexString()),
          button('Details', ACTION.workstreamDetails, w._id.toHexString()),
        ],
      },
    ],
  };
}

/** Both leads' warning that a dependency turned at risk, with the chain of facts that says why. */
export function dependencyAtRiskMessage(
  d: Dependency,
  consumer: Workstream,
  provider: Workstream,
  reason: DependencyAtRisk,
  named: ReadonlyMap<string, Workstream>,
  today: CalendarDate,
): SlackMessage {
  const f = new LineFormat(today);
  const why =
    reason.chain.length > 0
      ? `${refOf(consumer)} ${f.chain(chainLinks(reason.chain.slice(0, CHAIN_LINKS), named))}${reason.chain.length > CHAIN_LINKS ? ' ← …' : ''}`
      : `${refOf(provider)} is off track`;
  const text = `:warning: A dependency is at risk: ${refOf(consumer)} needs *${userText(d.deliverable, 200)}* from ${refOf(provider)} by ${f.date(d.neededBy)}, but ${why}.`;
  return {
    text: `Dependency at risk: ${userText(d.deliverable, 200)}`,
    blocks: [
      section(text),
      {
        type: 'actions',
        elements: [
          button('Mark met', ACTION.dependencyMet, d._id.toHexString()),
          button('Flag broken', ACTION.dependencyBroken, d._id.toHexString(), 'danger'),
        ],
      },
    ],
  };
}

/** Links of a chain a warning names; a longer chain ends in "…". */
const CHAIN_LINKS = 4;
const refOf = (w: Workstream) => `\`${escapeMrkdwn(`${w.programKey}/${w.key}`)}\``;
