/** `/program export`: the answer at once ("Preparing…"), then what was sent, or why not. */
import type { Program } from '../domain/entities.js';
import type { ExportSent } from '../domain/read-models.js';
import type { CalendarDate } from '../domain/types.js';
import { userText } from '../text/escape.js';
import { noticeAnswer, problemAnswer, type Answer } from './answer.js';
import { formatDate } from './format.js';
import { plural } from './plural.js';

function named(program: Program): string {
  return `*${userText(program.name, 80)}* (\`${program.key}\`)`;
}

function scope(audience: 'team' | 'client', since: CalendarDate | undefined, now: Date): string {
  const from = since ? ` since ${formatDate(since, now)}` : '';
  const client = audience === 'client' ? ', client version (no internal updates, no Slack user ids)' : '';
  return `${from}${client}`;
}

export function exportPreparingView(
  program: Program,
  request: { audience: 'team' | 'client'; since?: CalendarDate },
  now: Date,
): Answer {
  return noticeAnswer(
    `⏳ Preparing the export of ${named(program)}${scope(request.audience, request.since, now)}… I'll send it to you in a direct message.`,
  );
}

export function exportSentView(sent: ExportSent, now: Date): Answer {
  const what = `${named(sent.program)}${scope(sent.audience, sent.since, now)}`;
  switch (sent.delivery.kind) {
    case 'sent':
      return noticeAnswer(
        `📄 Sent you the export of ${what} in your direct messages with Cairn: ${plural(sent.rows, 'status update')}, one row each, oldest first.`,
      );
    case 'empty':
      return noticeAnswer(
        `${what} has no status updates to export${sent.since ? ' from that day on' : ''}, so nothing was sent.`,
      );
    case 'failed':
      // Slack's error codes (`not_in_channel`) or Cairn's own: shown as words, nothing that could be markup.
      return problemAnswer(
        `I couldn't send you the export of ${what}: Slack said \`${sent.delivery.error.replace(/[^\w.:-]/g, '').slice(0, 100)}\`. Nothing was sent; please try again in a minute.`,
      );
  }
}
