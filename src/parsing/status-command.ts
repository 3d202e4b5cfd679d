/**
 * `/status …` text → a typed request (SPEC §2). Pure: no I/O; the handler finds the workstream.
 *
 * A quick update is `<workstream> <health> [NN%] [forecast:<date>] [internal:yes|no] [summary…]`. The
 * options follow the health word, in any order, each once; the first word that is none of them begins
 * the summary. The
 * forecast date is read in the user's timezone like every other date (`forecast:dec 15`,
 * `forecast:next friday`, `forecast:2026-12-15`; `forecast: dec 15` with a space too), and may not be
 * in the past: today is the earliest forecast, as in the update form. Options are never fished out of
 * the middle of a summary, but a `forecast:<date>` written there is refused (put it before the
 * summary) rather than silently kept as summary text. `internal:yes|no` (SPEC §2, §7) marks the update
 * internal or client-visible (`internal: yes`, with a space, too); any other value is refused, and so
 * is `internal:yes|no` inside the summary, since keeping it as text would post an update its author
 * meant to keep from clients as client-visible.
 */
import type { CalendarDate, Health, WorkstreamRef } from '../domain/types.js';
import { quoteInput } from '../text/escape.js';
import {
  DATE_FORMS,
  describeDate,
  looksLikeDatePart,
  MAX_DATE_WORDS,
  parseDate,
  todayIn,
  type ParseContext,
} from './dates.js';
import { describeHealthWords, parseHealth } from './health-words.js';
import { notAWorkstream, toWorkstreamRef } from './program-command.js';
import {
  decodeEntities,
  findControlCharacter,
  readToken,
  shown,
  tokenText,
  toPlainText,
  tooLong,
  type Parsed,
  type Token,
} from './tokenize.js';

export type { ParseContext } from './dates.js';
export type { Parsed } from './tokenize.js';

export type StatusRequest =
  | { kind: 'modal' }
  | { kind: 'help' }
  | { kind: 'card'; workstream: WorkstreamRef }
  /** `/status <workstream> history`: its last updates (SPEC §2). */
  | { kind: 'history'; workstream: WorkstreamRef }
  /** `/status away until <date>`: away through that day (the user's timezone); never before today. */
  | { kind: 'away'; until: CalendarDate }
  /** `/status back`: no longer away. */
  | { kind: 'back' }
  | {
      kind: 'update';
      workstream: WorkstreamRef;
      health: Health;
      blocked: boolean;
      /** 0–100, from a `NN%` among the options after the health word. */
      progress?: number;
      /** From `forecast:<date>`, read in the user's timezone; never before the user's today. */
      forecastDate?: CalendarDate;
      /**
       * From `internal:yes|no`; absent when not given (the update is then client-visible, and a
       * blocker it opens internal: SPEC §7).
       */
      internal?: boolean;
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
export const FORECAST_EXAMPLE = '`/status payments amber 60% forecast:dec 15 PCI review slipped a week`';
const HISTORY_EXAMPLE = '`/status payments history`';

/** What could not be read, and the example to show with it. */
interface Refusal {
  problem: string;
  example: string;
}

/** The next whitespace-separated chunk from `at`, and where it ends. */
function chunk(text: string, at: number): { raw: string; start: number; end: number } | undefined {
  const pattern = /\S+/g;
  pattern.lastIndex = at;
  const found = pattern.exec(text);
  return found ? { raw: found[0], start: found.index, end: found.index + found[0].length } : undefined;
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

/** The options between the health word and the summary, and where the summary starts. */
interface Options {
  next: number;
  progress?: number;
  forecastDate?: CalendarDate;
  internal?: boolean;
}

export const INTERNAL_EXAMPLE = '`/status payments amber internal:yes Vendor contract under review`';

/** The next whitespace-separated chunk after `at` when it is a plain word (not an option, mention or quote). */
function plainWord(text: string, at: number): { word: string; end: number } | undefined {
  const found = chunk(text, at);
  if (!found) return undefined;
  const token = readToken(text, found.start, true);
  if (!token.ok || token.token.type !== 'word' || token.next !== found.end) return undefined;
  return { word: token.token.text, end: found.end };
}

/** The words of a date: `first`, then up to two more plain words, each with where it ends. */
function dateWords(text: string, first: { word: string; end: number }): Array<{ word: string; end: number }> {
  const words = [first];
  for (let next = plainWord(text, first.end); next && words.length < MAX_DATE_WORDS;) {
    words.push(next);
    next = plainWord(text, next.end);
  }
  return words;
}

/** `forecast:<date>` at `option`: the longest run of up to three words that reads as a date. */
function forecast(
  text: string,
  option: Extract<Token, { type: 'option' }>,
  ctx: ParseContext,
): { date: CalendarDate; next: number } | Refusal {
  const refuse = (problem: string): Refusal => ({ problem, example: FORECAST_EXAMPLE });
  const first =
    option.value.length > 0
      ? { word: option.value.map(tokenText).join(''), end: option.end }
      : // `forecast: dec 15`, with a space after the colon.
        plainWord(text, option.end);
  if (!first)
    return refuse(`\`forecast:\` needs a date, like \`forecast:dec 15\`. Dates look like ${DATE_FORMS}.`);
  const words = dateWords(text, first);
  for (let n = words.length; n >= 1; n--) {
    const date = parseDate(
      words
        .slice(0, n)
        .map((w) => w.word)
        .join(' '),
      ctx,
    );
    if (!date) continue;
    const today = todayIn(ctx);
    if (date < today) {
      return refuse(
        `Your forecast, ${describeDate(date)}, has passed (it's ${describeDate(today)} for you); forecast the day you now expect to finish, today or later.`,
      );
    }
    return { date, next: words[n - 1]?.end ?? first.end };
  }
  let meant = 1;
  while (meant < words.length && looksLikeDatePart(words[meant]?.word ?? '')) meant++;
  const typed = words
    .slice(0, meant)
    .map((w) => w.word)
    .join(' ');
  return refuse(`I couldn't read ${quoteInput(typed)} as a forecast date. Dates look like ${DATE_FORMS}.`);
}

/**
 * `internal:yes|no` at `option` (`internal: yes`, with a space, too); undefined when it is not the
 * option but the start of the summary (`Internal: the vendor…`).
 */
function internalOption(
  text: string,
  option: Extract<Token, { type: 'option' }>,
): { internal: boolean; next: number } | Refusal | undefined {
  const spaced = option.value.length === 0;
  const value = spaced
    ? plainWord(text, option.end)
    : { word: option.value.map(tokenText).join(''), end: option.end };
  // `yes,` as people write it before the summary.
  const word = value?.word.toLowerCase().replace(/[,.;:!]$/, '');
  if (value && (word === 'yes' || word === 'no')) return { internal: word === 'yes', next: value.end };
  if (spaced && value) return undefined;
  const meaning = '`yes` (its summary and next steps stay out of client digests) or `no`';
  return {
    problem: value
      ? `\`internal:\` is ${meaning}, not ${quoteInput(decodeEntities(value.word))}; nothing was recorded.`
      : `\`internal:\` needs ${meaning}; nothing was recorded.`,
    example: INTERNAL_EXAMPLE,
  };
}

/** `NN%`, `forecast:<date>` and `internal:yes|no` after the health word, in any order, each once. */
function readOptions(text: string, at: number, ctx: ParseContext): Options | Refusal {
  const found: Options = { next: at };
  for (;;) {
    const word = chunk(text, found.next);
    if (!word) return found;
    if (found.progress === undefined) {
      const percent = progress(word.raw);
      if (typeof percent === 'string') return { problem: percent, example: EXAMPLE };
      if (percent !== undefined) {
        found.progress = percent;
        found.next = word.end;
        continue;
      }
    }
    // An unclosed quote here is the summary's business: it is kept as typed.
    const read = readToken(text, word.start, true);
    if (!read.ok || read.token.type !== 'option') return found;
    if (read.token.key === 'internal') {
      // `Internal: …` with a space and no yes or no is how a summary may start.
      const internal = internalOption(text, read.token);
      if (!internal) return found;
      if ('problem' in internal) return internal;
      if (found.internal !== undefined) {
        return { problem: 'You gave `internal:` twice; give it once.', example: INTERNAL_EXAMPLE };
      }
      found.internal = internal.internal;
      found.next = internal.next;
      continue;
    }
    if (read.token.key !== 'forecast') return found;
    if (found.forecastDate !== undefined) {
      return { problem: 'You gave `forecast:` twice; give it once.', example: FORECAST_EXAMPLE };
    }
    const date = forecast(text, read.token, ctx);
    if ('problem' in date) return date;
    found.forecastDate = date.date;
    found.next = date.next;
  }
}

/** `forecast:…` or `internal:yes` inside the summary: an option in the wrong place, never summary text. */
function misplacedOption(summary: string): Refusal | undefined {
  const internal = /(?:^|\s)(internal:(?:yes|no))\b/i.exec(summary);
  if (internal) {
    return {
      problem: `Put ${quoteInput(decodeEntities(internal[1] ?? ''))} before the summary, right after the health word (and progress), so it is read as the option; nothing was recorded.`,
      example: INTERNAL_EXAMPLE,
    };
  }
  const option = /(?:^|\s)(forecast:\S+)/i.exec(summary);
  if (!option) return undefined;
  return {
    problem: `Put ${quoteInput(decodeEntities(option[1] ?? ''))} before the summary, right after the health word (and progress), so it is read as the forecast.`,
    example: FORECAST_EXAMPLE,
  };
}

export const AWAY_EXAMPLE = '`/status away until dec 10` (and `/status back` when you are back early)';

/**
 * `away until <date>` and `back` alone. A workstream keyed `away` or `back` is still reached as
 * `<program>/away`, or with a health word after it (`/status away green …` is an update).
 */
function timeAway(
  word: string,
  text: string,
  from: number,
  ctx: ParseContext,
): Parsed<StatusRequest> | undefined {
  const rest = decodeEntities(text.slice(from)).trim();
  if (word === 'back') return rest === '' ? { ok: true, request: { kind: 'back' } } : undefined;
  if (word !== 'away') return undefined;
  const until = /^until\s+(.+)$/i.exec(rest);
  if (!until) {
    if (rest !== '' && health(rest.split(/\s+/)[0]!)) return undefined;
    return {
      ok: false,
      problem: 'Say until when you are away: the last day you are out.',
      example: AWAY_EXAMPLE,
    };
  }
  const date = until[1]!.split(/\s+/).length <= MAX_DATE_WORDS ? parseDate(until[1]!, ctx) : undefined;
  if (!date) {
    return {
      ok: false,
      problem: `${quoteInput(until[1]!)} isn't a date I can read; write it as ${DATE_FORMS}.`,
      example: AWAY_EXAMPLE,
    };
  }
  if (date < todayIn(ctx)) {
    return {
      ok: false,
      problem: `${describeDate(date)} has passed; give the last day you will be away.`,
      example: AWAY_EXAMPLE,
    };
  }
  return { ok: true, request: { kind: 'away', until: date } };
}

export function parseStatusCommand(text: string, ctx: ParseContext): Parsed<StatusRequest> {
  const refuse = (problem: string, example = EXAMPLE): Parsed<StatusRequest> => ({
    ok: false,
    problem,
    example,
  });
  const tooMuch = tooLong(text) ?? findControlCharacter(text);
  if (tooMuch) return refuse(tooMuch);

  const start = text.search(/\S/);
  if (start < 0) return { ok: true, request: { kind: 'modal' } };
  const first = readToken(text, start, false);
  if (!first.ok) return refuse(first.problem);
  const word = first.token.type === 'word' ? first.token.text : '';
  if (word.toLowerCase() === 'help') return { ok: true, request: { kind: 'help' } };
  const away = timeAway(word.toLowerCase(), text, first.next, ctx);
  if (away) return away;
  const workstream = toWorkstreamRef(word);
  if (!workstream) return refuse(notAWorkstream(shown(first.token)));

  const second = chunk(text, first.next);
  if (!second) return { ok: true, request: { kind: 'card', workstream } };
  if (second.raw.toLowerCase() === 'history') {
    const extra = chunk(text, second.end);
    if (!extra) return { ok: true, request: { kind: 'history', workstream } };
    return refuse(
      `\`history\` takes nothing after it; I don't know what to do with ${quoteInput(decodeEntities(text.slice(extra.start).trim()))}.`,
      HISTORY_EXAMPLE,
    );
  }
  const stated = health(decodeEntities(second.raw));
  if (!stated) {
    return refuse(
      `${quoteInput(decodeEntities(second.raw))} isn't a health word; use ${describeHealthWords()}.`,
    );
  }

  const options = readOptions(text, second.end, ctx);
  if ('problem' in options) return refuse(options.problem, options.example);
  const misplaced = misplacedOption(text.slice(options.next));
  if (misplaced) return refuse(misplaced.problem, misplaced.example);

  const summary = toPlainText(text.slice(options.next)).replace(/\s+/g, ' ').trim().normalize('NFC');
  const length = Array.from(summary).length;
  if (length > MAX_SUMMARY_LENGTH) {
    return refuse(`The summary is ${length.toLocaleString('en-US')} characters; keep it to 2,000.`);
  }
  const request: StatusRequest = { kind: 'update', workstream, ...stated, summary };
  if (options.progress !== undefined) request.progress = options.progress;
  if (options.forecastDate !== undefined) request.forecastDate = options.forecastDate;
  if (options.internal !== undefined) request.internal = options.internal;
  return { ok: true, request };
}
