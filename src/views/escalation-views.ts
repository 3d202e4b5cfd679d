import type { Blocker, Dependency, Program, Workstream } from '../domain/entities.js';
import type { SlackMessage } from './message.js';
import { button, section } from './blocks.js';
import { escapeMrkdwn, userText } from '../text/escape.js';
import { formatDate } from './format.js';
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

export function dependencyAtRiskMessage(
  d: Dependency,
  consumer: Workstream,
  provider: Workstream,
  reason: string,
  now: Date,
): SlackMessage {
  const text = `:warning: A dependency is at risk: \`${consumer.programKey}/${consumer.key}\` needs *${userText(d.deliverable, 200)}* from \`${provider.programKey}/${provider.key}\` by ${formatDate(d.neededBy, now)}, but ${escapeMrkdwn(reason)}.`;
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
