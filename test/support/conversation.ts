/**
 * Talking to Cairn as a user does: a slash command, then the answer, whether it came back in the
 * HTTP response (a synchronous ack) or later through the response_url (after slow work).
 */
import type { RunningCairn } from './cairn-harness.js';
import { everyDocument } from './database.js';

export interface Answer {
  response_type?: string;
  text: string;
  blocks: Array<{ type: string; text?: { text: string }; elements?: Array<Record<string, unknown>> }>;
  /** Every text in the blocks, joined: what the user reads. */
  all: string;
  /** From sending the command to the answer's arrival. */
  elapsedMs: number;
}

export async function ask(
  running: RunningCairn,
  command: '/program' | '/status',
  text: string,
  as: { userId?: string; teamId?: string; channelId?: string } = {},
): Promise<Answer> {
  const started = Date.now();
  const response = await running.driver.slashCommand({ command, text, ...as });
  if (response.status !== 200)
    throw new Error(`${command} ${text} → HTTP ${response.status}: ${response.text}`);
  const immediate = response.json as Partial<Answer> | null;
  if (immediate && typeof immediate === 'object' && Array.isArray(immediate.blocks)) {
    return withAll(immediate, Date.now() - started);
  }
  const id = new URL(String(response.sent.response_url)).pathname.split('/').pop();
  const posted = await running.slack.waitForResponse((r) => r.id === id, 5_000);
  return withAll(posted.body as Partial<Answer>, posted.at - started);
}

function withAll(body: Partial<Answer>, elapsedMs: number): Answer {
  const blocks = body.blocks ?? [];
  const all = blocks.flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map(elementText)]).join('\n');
  return { response_type: body.response_type, text: body.text ?? '', blocks, all, elapsedMs };
}

/** A context element's text, or a button's label. */
function elementText(element: Record<string, unknown>): string {
  const text = element.text;
  if (typeof text === 'string') return text;
  if (text && typeof text === 'object') return String((text as { text?: unknown }).text ?? '');
  return '';
}

/** Collections Cairn writes to (other than the workspace record), and their document counts. */
export async function countWrites(
  connection: import('mongoose').Connection,
): Promise<Record<string, number>> {
  const names = [
    'programs',
    'workstreams',
    'updates',
    'blockers',
    'dependencies',
    'milestones',
    'resources',
    'audit_events',
  ];
  const counts: Record<string, number> = {};
  // In every partition: on FerretDB each workspace (and program, for updates) has its own collections.
  for (const name of names) counts[name] = (await everyDocument(connection, name)).length;
  return counts;
}
