/**
 * Issue 15: the one reminder a providing lead gets when a dependency request has waited unanswered
 * for 2 working days: the request itself, with its three answers, under a line saying who is waiting.
 */
import type { Dependency, Workstream } from '../domain/entities.js';
import type { CalendarDate } from '../domain/types.js';
import { section } from './blocks.js';
import { dependencyRequestMessage, refOf } from './commitment-views.js';
import { formatDate } from './format.js';
import type { SlackMessage } from './message.js';

/** The request DM (same text, same buttons, same plan) opened by a reminder line. */
export function dependencyRequestReminder(
  d: Dependency,
  consumer: Workstream,
  provider: Workstream,
  askedOn: CalendarDate,
  now: Date,
): SlackMessage {
  const request = dependencyRequestMessage(d, consumer, provider, now);
  const waiting = `⏰ *Reminder:* ${refOf(consumer)} is still waiting for your answer (asked ${formatDate(askedOn, now)}).`;
  return { text: `Reminder: ${request.text}`, blocks: [section(waiting), ...request.blocks] };
}
