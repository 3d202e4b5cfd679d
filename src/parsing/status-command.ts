/** `/status …` text → a typed request (SPEC §2). Pure: no I/O; the handler finds the workstream. */
import type { Health, WorkstreamRef } from '../domain/types.js';
import { quoteInput } from '../text/escape.js';
import type { ParseContext } from './dates.js';
import { describeHealthWords, parseHealth } from './health-words.js';
import { notAWorkstream, toWorkstreamRef } from './program-command.js';
import {
  decodeEntities,
  findControlCharacter,
  readToken,
  shown,
  toPlainText,
  tooLong,
  type Parsed,
} from './tokenize.js';

export type { ParseContext } from './dates.js';
export type { Parsed } from './tokenize.js';

export type StatusRequest =
  | { kind: 'modal' }
  | { kind: 'help' }
  | { kind: 'card'; workstream: WorkstreamRef }
  | {
      kind: 'update';
      workstream: WorkstreamRef;
      health: Health;
      blocked: boolean;
      /** 0–100, from a `NN%` written right after the health word. */
      progress?: number;
      /**
       * The rest of the text as plain text, spacing collapsed, at most 2,000 characters, possibly empty.
       * `&amp;`-style escapes are decoded; user and channel mentions stay as `<@U…>` / `<#C…>`;
       * `<!channel>`, `<!here>`, user groups and links become the plain text the user saw (`@channel`),
       * so the summary can never ping anyone. Views still escape it like any other user text.
       */
      summary: string;
    };

export const MAX_SUMMARY_LENGTH = 2_000;
const EXAMPLE = '`/status payments green Card vault migrated, on to 3DS`';

/** The next whitespace-separated chunk from `at`, and where it ends. */
function chunk(text: string, at: number): { raw: string; end: number } | undefined {
  const pattern = /\S+/g;
  pattern.lastIndex = at;
  const found = pattern.exec(text);
  return found ? { raw: found[0], end: found.index + found[0].length } : undefined;
}

/** `green`, and also `green,` or `green:` as people write them before the summary. */
function health(word: string) {
  return parseHealth(word) ?? parseHealth(word.replace(/[,.;:!]$/, ''));
}

function progress(word: string): number | undefined | string {
  if (!/^[-+]?\d+(\.\d+)?%$/.test(word)) return undefined;
  const n = Number(word.slice(0, -1));
  if (Number.isInteger(n) && n >= 0 && n <= 100) return n;
  return `Progress is a whole percentage from 0 to 100; ${quoteInput(word)} isn't one.`;
}

export function parseStatusCommand(text: string, _ctx: ParseContext): Parsed<StatusRequest> {
  const refuse = (problem: string): Parsed<StatusRequest> => ({ ok: false, problem, example: EXAMPLE });
  const tooMuch = tooLong(text) ?? findControlCharacter(text);
  if (tooMuch) return refuse(tooMuch);

  const start = text.search(/\S/);
  if (start < 0) return { ok: true, request: { kind: 'modal' } };
  const first = readToken(text, start, false);
  if (!first.ok) return refuse(first.problem);
  const word = first.token.type === 'word' ? first.token.text : '';
  if (word.toLowerCase() === 'help') return { ok: true, request: { kind: 'help' } };
  const workstream = toWorkstreamRef(word);
  if (!workstream) return refuse(notAWorkstream(shown(first.token)));

  const second = chunk(text, first.next);
  if (!second) return { ok: true, request: { kind: 'card', workstream } };
  const stated = health(decodeEntities(second.raw));
  if (!stated) {
    return refuse(
      `${quoteInput(decodeEntities(second.raw))} isn't a health word; use ${describeHealthWords()}.`,
    );
  }

  let rest = second.end;
  const third = chunk(text, rest);
  const percent = third && progress(third.raw);
  if (typeof percent === 'string') return refuse(percent);
  if (third && percent !== undefined) rest = third.end;

  const summary = toPlainText(text.slice(rest)).replace(/\s+/g, ' ').trim().normalize('NFC');
  const length = Array.from(summary).length;
  if (length > MAX_SUMMARY_LENGTH) {
    return refuse(`The summary is ${length.toLocaleString('en-US')} characters; keep it to 2,000.`);
  }
  const request: StatusRequest = { kind: 'update', workstream, ...stated, summary };
  if (percent !== undefined) request.progress = percent;
  return { ok: true, request };
}
