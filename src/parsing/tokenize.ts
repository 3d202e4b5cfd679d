/**
 * Splits slash-command text, as Slack sends it with escaping on, into tokens. Slack turns what the
 * user picked from autocomplete into `<@U…|name>`, `<#C…|name>`, `<!here>` or `<https://…|label>`,
 * and what they typed as `&`, `<`, `>` into `&amp;`, `&lt;`, `&gt;`; so a bare `<` here is always Slack's.
 */
import { quoteInput } from '../text/escape.js';

interface At {
  /** Where the token starts and ends in the text as Slack sent it. */
  start: number;
  end: number;
  /** The token's characters as Slack sent them. */
  raw: string;
}

export type Token =
  | ({ type: 'word'; text: string } & At)
  | ({ type: 'quoted'; text: string } & At)
  | ({ type: 'user'; id: string; label?: string } & At)
  | ({ type: 'channel'; id: string; name?: string } & At)
  /** `<!here>`, `<!subteam^…>` and links: never acted on, only ever shown as plain text. */
  | ({ type: 'special' } & At)
  /** `key:value`; `value` is the tokens written right after the colon (usually one, none for `key:`). */
  | ({ type: 'option'; key: string; value: Token[] } & At);

export type Tokenized = { ok: true; tokens: Token[] } | { ok: false; problem: string };

/** What every command answers with: a typed request, or what was wrong and an example of right. */
/** `usage`: the input was not recognisable at all, so the answer should show the command's usage. */
export type Parsed<T> =
  { ok: true; request: T } | { ok: false; problem: string; example: string; usage?: boolean };

export const MAX_COMMAND_LENGTH = 3_000;

/** Double quotes, including the curly ones macOS and iOS substitute as people type. */
const QUOTES = '"“”';
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

export function decodeEntities(text: string): string {
  return text.replace(/&(?:amp|lt|gt);/g, (e) => ENTITIES[e] ?? e);
}

/** Text with a `<!…>` in it pings people when posted; shown as `@here` it reads the same and is inert. */
function defangSpecial(inner: string): string {
  const [name = '', label] = inner.slice(1).split('|', 2);
  return label || `@${name.split('^', 1)[0] ?? ''}`;
}

/** One of Slack's `<…>` escapes as plain text: mentions keep their id, specials and links do not survive. */
function escapeAsText(inner: string): string {
  if (/^@[UW][A-Z0-9]+(\|.*)?$/.test(inner)) return `<${inner.split('|', 1)[0] ?? ''}>`;
  if (/^#[CGD][A-Z0-9]+(\|.*)?$/.test(inner)) return `<${inner.split('|', 1)[0] ?? ''}>`;
  if (inner.startsWith('!')) return defangSpecial(inner);
  const [url = '', label] = inner.split('|', 2);
  return label || url;
}

/**
 * Slack-escaped text as plain text for names, blockers and summaries: entities decoded, user and
 * channel mentions as `<@U…>` / `<#C…>`, links as what the user typed, and `<!channel>` and the like
 * (whether Slack sent them or the user typed the characters) as `@channel`, so the text can never ping.
 */
export function toPlainText(raw: string): string {
  let text = decodeEntities(raw.replace(/<([^<>]*)>/g, (_, inner: string) => escapeAsText(inner)));
  // Until nothing is left: `<!channel|<x>` hides a special behind a nested `<`.
  for (let previous = ''; previous !== text;) {
    previous = text;
    text = text.replace(/<(![^>]*)>/g, (_, inner: string) => defangSpecial(inner));
  }
  return text;
}

/** The token as the user would recognise it, for quoting back in messages (then through quoteInput). */
export function shown(token: Token): string {
  if (token.type === 'user') return token.label ? `@${token.label}` : `<@${token.id}>`;
  if (token.type === 'channel') return token.name ? `#${token.name}` : `<#${token.id}>`;
  return decodeEntities(token.raw);
}

/** Commands past Slack-message size are refused before any other reading. */
export function tooLong(text: string): string | undefined {
  const length = Array.from(text).length;
  if (length <= MAX_COMMAND_LENGTH) return undefined;
  return `That's ${length.toLocaleString('en-US')} characters; commands are limited to ${MAX_COMMAND_LENGTH.toLocaleString('en-US')}.`;
}

/** Tabs and newlines are spacing; any other control character is almost certainly pasted junk. */
export function findControlCharacter(text: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const m = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/.exec(text);
  if (!m) return undefined;
  const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return `Your command has an invisible control character (U+${code}) at character ${m.index + 1}; please retype it.`;
}

type Read = { ok: true; token: Token; next: number } | { ok: false; problem: string };

const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);

function readEscape(text: string, start: number): Read | undefined {
  const close = text.indexOf('>', start);
  if (close < 0) return undefined;
  const raw = text.slice(start, close + 1);
  const inner = raw.slice(1, -1);
  const at = { start, end: close + 1, raw };
  const next = close + 1;
  const [head = '', label] = inner.split('|', 2);
  if (/^@[UW][A-Z0-9]+$/.test(head)) {
    return { ok: true, next, token: { type: 'user', id: head.slice(1), ...(label ? { label } : {}), ...at } };
  }
  if (/^#[CGD][A-Z0-9]+$/.test(head)) {
    return {
      ok: true,
      next,
      token: { type: 'channel', id: head.slice(1), ...(label ? { name: label } : {}), ...at },
    };
  }
  return { ok: true, next, token: { type: 'special', ...at } };
}

function readQuoted(text: string, start: number): Read {
  let close = start + 1;
  while (close < text.length && !QUOTES.includes(text[close] ?? '')) close++;
  if (close >= text.length) {
    const from = decodeEntities(text.slice(start));
    return {
      ok: false,
      problem: `The quote at character ${start + 1} (${quoteInput(from, 30)}) is never closed; end it with another \`"\`.`,
    };
  }
  const raw = text.slice(start, close + 1);
  const token: Token = { type: 'quoted', text: toPlainText(raw.slice(1, -1)), start, end: close + 1, raw };
  return { ok: true, token, next: close + 1 };
}

/** Reads the token at `start` (not whitespace); `key:value` becomes an option only when `options`. */
export function readToken(text: string, start: number, options = true): Read {
  const first = text[start] ?? '';
  if (first === '<') {
    const escape = readEscape(text, start);
    if (escape) return escape;
  }
  if (QUOTES.includes(first)) return readQuoted(text, start);

  // `https://…` is not an option even in the rare case Slack leaves a URL unlinked.
  const option = options ? /^([A-Za-z]+):(?!\/\/)/.exec(text.slice(start, start + 40)) : null;
  if (option?.[1]) return readOption(text, start, option[1]);

  let end = start + 1;
  while (end < text.length && !isSpace(text[end]) && text[end] !== '<') end++;
  const raw = text.slice(start, end);
  return { ok: true, token: { type: 'word', text: decodeEntities(raw), start, end, raw }, next: end };
}

/** The value of `key:` is whatever is written against the colon: `lead:<@U1|dana>`, `objective:"Cut churn"`. */
function readOption(text: string, start: number, key: string): Read {
  const value: Token[] = [];
  let next = start + key.length + 1;
  while (next < text.length && !isSpace(text[next])) {
    const part = readToken(text, next, false);
    if (!part.ok) return part;
    value.push(part.token);
    next = part.next;
  }
  const token: Token = {
    type: 'option',
    key: key.toLowerCase(),
    value,
    start,
    end: next,
    raw: text.slice(start, next),
  };
  return { ok: true, token, next };
}

/** Tokens from `from` on (the subcommand may have been read already). */
export function tokenize(text: string, from = 0): Tokenized {
  const control = findControlCharacter(text);
  if (control) return { ok: false, problem: control };
  const tokens: Token[] = [];
  let at = from;
  for (;;) {
    while (isSpace(text[at])) at++;
    if (at >= text.length) return { ok: true, tokens };
    const read = readToken(text, at);
    if (!read.ok) return read;
    tokens.push(read.token);
    at = read.next;
  }
}

/** The plain text a token stands for, when it is used as free text (a name, a resource). */
export function tokenText(token: Token): string {
  if (token.type === 'word' || token.type === 'quoted') return token.text;
  return toPlainText(token.raw);
}
