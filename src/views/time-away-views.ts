/** The answers to `/status away until …` and `/status back`. */
import type { AwayChange } from '../domain/time-away.js';
import { noticeAnswer, type Answer } from './answer.js';
import { formatDate } from './format.js';

export function awayChangedView(change: AwayChange, now: Date): Answer {
  if (change.kind === 'away') {
    const until = formatDate(change.until, now);
    return noticeAnswer(
      `You are away until ${until} (the last day you are out). No reminders or escalations reach you until then, and your workstreams show “lead away until ${until}” instead of a missing update. \`/status back\` if you return early.`,
    );
  }
  return noticeAnswer(
    change.wasAway
      ? 'Welcome back: reminders and escalations reach you again.'
      : 'You were not marked away, so nothing changed.',
  );
}
