import type { Blocker } from '../data/blockers.js';
import type { Dependency } from '../data/dependencies.js';
import type { Program } from '../data/programs.js';
import type { Workstream } from '../data/workstreams.js';
import type { SlackMessage } from '../slack/digest-poster.js';
import { button, section } from './blocks.js';
import { escapeKeepingMentions, escapeMrkdwn, truncate } from './escape.js';
import { formatDate } from './format.js';
import { ACTION } from './ids.js';
import { plural } from './plural.js';

export function blockerEscalationMessage(
  program: Program,
  w: Workstream,
  blocker: Blocker,
  ageDays: number,
): SlackMessage {
  const text = `A blocker on *${escapeMrkdwn(w.name)}* (\`${w.programKey}/${w.key}\`, ${escapeMrkdwn(program.name)}) has been open for ${plural(ageDays, 'day')}, owned by <@${blocker.ownerId}>:\n> ${escapeKeepingMentions(truncate(blocker.text, 500))}`;
  return {
    text: `Blocker open ${plural(ageDays, 'day')} on ${escapeMrkdwn(w.name)}`,
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
  const text = `:warning: A dependency is at risk: \`${consumer.programKey}/${consumer.key}\` needs *${escapeMrkdwn(truncate(d.deliverable, 200))}* from \`${provider.programKey}/${provider.key}\` by ${formatDate(d.neededBy, now)}, but ${escapeMrkdwn(reason)}.`;
  return {
    text: `Dependency at risk: ${escapeMrkdwn(d.deliverable)}`,
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
