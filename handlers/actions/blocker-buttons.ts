/** Resolve and Escalate on a blocker: who may is checked on the server, then the surface is redrawn. */
import { escalateBlocker, resolveBlocker } from '../../src/use-cases/blockers.js';
import { noticeAnswer } from '../../src/views/answer.js';
import { userText } from '../../src/text/escape.js';
import { blockerEscalationMessage } from '../../src/views/escalation-views.js';
import { formatAge } from '../../src/views/format.js';
import type { ButtonListener } from '../types.js';
import { readClick, refuse, showChange, tell } from './click.js';

export const resolveBlockerClicked: ButtonListener = async (args) => {
  const { ack, body, context } = args;
  await ack();
  const { services } = context;
  const click = readClick(body);
  if (!click.id) return refuse(args, { kind: 'missing', what: 'blocker' });
  const actor = await context.actor();
  const resolved = await resolveBlocker(services.stores, actor, click.id, services.now());
  if (!resolved.ok) return refuse(args, resolved.problem);
  context.saved('The blocker is resolved');
  const text = `✅ Resolved by <@${actor.userId}>: ${userText(resolved.value.blocker.text, 300, { mentions: true })}`;
  await showChange(args, click, noticeAnswer(text));
};

export const escalateBlockerClicked: ButtonListener = async (args) => {
  const { ack, body, client, context } = args;
  await ack();
  const { services } = context;
  const click = readClick(body);
  if (!click.id) return refuse(args, { kind: 'missing', what: 'blocker' });
  const actor = await context.actor();
  const now = services.now();
  const escalated = await escalateBlocker(services.stores, actor, click.id, now);
  if (!escalated.ok) return refuse(args, escalated.problem);
  const { program, workstream, blocker } = escalated.value;
  if (!workstream) return refuse(args, { kind: 'missing', what: 'blocker_workstream' });
  const message = blockerEscalationMessage(
    program,
    workstream,
    blocker,
    Math.floor((now.getTime() - blocker.openedAt.getTime()) / 86_400_000),
  );
  await client.chat.postMessage({ channel: program.ownerId, text: message.text, blocks: message.blocks });
  context.saved(`The blocker is brought to <@${program.ownerId}>`);
  await tell(
    args,
    noticeAnswer(
      `Brought to <@${program.ownerId}>, the owner of ${program.key}: the blocker open ${formatAge(blocker.openedAt, now)}.`,
    ),
  );
};
