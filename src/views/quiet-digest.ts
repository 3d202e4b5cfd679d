/**
 * The one-line digest a quiet schedule posts when nothing changed since its previous digest (issue 15,
 * point 2; src/domain/digest/quiet.ts decides when): one section, no thread, no charts, no buttons.
 * Followers get the same line by DM (with follower-views.ts's line saying why it came).
 */
import type { QuietDigest } from '../domain/digest/quiet.js';
import { userText } from '../text/escape.js';
import { section } from './blocks.js';
import { formatDate } from './format.js';
import type { SlackMessage } from './message.js';

/** `No change since Mon 7 Dec — 12 on track, 2 at risk` (off track, blocked, not started when any). */
export function quietLine(q: QuietDigest): string {
  const c = q.counts;
  const parts = [`${c.onTrack} on track`, `${c.atRisk} at risk`];
  if (c.offTrack > 0) parts.push(`${c.offTrack} off track`);
  if (q.blocked > 0) parts.push(`${q.blocked} blocked`);
  if (c.notStarted > 0) parts.push(`${c.notStarted} not started`);
  const since = formatDate(q.since, new Date(`${q.today}T12:00:00Z`));
  return `No change since ${since} — ${parts.join(', ')}`;
}

/** The quiet digest as posted: the program's name, then the line; its fallback is the same text. */
export function quietDigestMessages(q: QuietDigest): {
  main: SlackMessage;
  thread: SlackMessage[];
  fallback: { text: string };
} {
  const line = quietLine(q);
  const name = userText(q.programName, 100);
  const text = `${name} — ${line}`;
  return {
    main: { text, blocks: [section(`*${name}* (\`${q.programKey}\`) — ${line}`)] },
    thread: [],
    fallback: { text },
  };
}
