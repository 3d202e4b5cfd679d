/**
 * `/program portfolio …` (SPEC §7) → a typed request. Pure, like the rest of the parsing: the handler
 * checks that keys name something.
 */
import { quoteInput } from '../text/escape.js';
import { shown, tokenize, type Parsed, type Token } from './tokenize.js';

export type PortfolioRequest =
  | { kind: 'new'; key: string; name: string }
  | { kind: 'add'; key: string; programKeys: string[] }
  | { kind: 'remove'; key: string; programKey: string }
  | { kind: 'list' }
  | { kind: 'show' | 'preview' | 'digest' | 'schedule' | 'schedules'; key: string };

const EXAMPLES: Record<PortfolioRequest['kind'], string> = {
  new: '`/program portfolio new emea "EMEA launches"`',
  add: '`/program portfolio add emea checkout payments`',
  remove: '`/program portfolio remove emea payments`',
  list: '`/program portfolio list`',
  show: '`/program portfolio show emea`',
  preview: '`/program portfolio preview emea`',
  digest: '`/program portfolio digest emea`',
  schedule: '`/program portfolio schedule emea`',
  schedules: '`/program portfolio schedules emea`',
};
const USAGE =
  '`/program portfolio new|add|remove|list|show|preview|digest|schedule|schedules …`, e.g. `/program portfolio preview emea`';
const KEY = /^[a-z0-9][a-z0-9-]{0,31}$/;
const KEY_RULE = 'keys are 1–32 lower-case letters, digits and dashes, starting with a letter or digit';
const NAME_MAX = 80;

class Problem extends Error {}

/** Reads what follows `portfolio` in `text`, from `from`. */
export function parsePortfolioCommand(text: string, from: number): Parsed<PortfolioRequest> {
  const read = tokenize(text, from);
  if (!read.ok) return { ok: false, problem: read.problem, example: USAGE };
  const tokens = [...read.tokens];
  const first = tokens.shift();
  const verb = first?.type === 'word' ? first.text.toLowerCase() : '';
  if (!first) return { ok: false, problem: 'Say what to do with portfolios.', example: USAGE };
  if (!Object.hasOwn(EXAMPLES, verb))
    return { ok: false, problem: `I don't know ${quoteInput(shown(first))} for portfolios.`, example: USAGE };
  const kind = verb as PortfolioRequest['kind'];
  try {
    return { ok: true, request: readRequest(kind, tokens) };
  } catch (error) {
    if (error instanceof Problem) return { ok: false, problem: error.message, example: EXAMPLES[kind] };
    throw error;
  }
}

function readRequest(kind: PortfolioRequest['kind'], tokens: Token[]): PortfolioRequest {
  const option = tokens.find((t) => t.type === 'option');
  if (option)
    throw new Problem(`\`/program portfolio ${kind}\` takes no options like ${quoteInput(shown(option))}.`);
  switch (kind) {
    case 'list':
      done(kind, tokens);
      return { kind };
    case 'new': {
      const key = keyOf(tokens.shift(), 'portfolio', kind);
      const name = nameOf(tokens.shift(), kind);
      done(kind, tokens);
      return { kind, key, name };
    }
    case 'add': {
      const key = keyOf(tokens.shift(), 'portfolio', kind);
      const programKeys = [...new Set(tokens.splice(0).flatMap((t) => programKeysOf(t, kind)))];
      if (programKeys.length === 0) throw new Problem('`/program portfolio add` needs the programs to add.');
      return { kind, key, programKeys };
    }
    case 'remove': {
      const key = keyOf(tokens.shift(), 'portfolio', kind);
      const programKey = keyOf(tokens.shift(), 'program', kind);
      done(kind, tokens);
      return { kind, key, programKey };
    }
    case 'show':
    case 'preview':
    case 'digest':
    case 'schedule':
    case 'schedules': {
      const key = keyOf(tokens.shift(), 'portfolio', kind);
      done(kind, tokens);
      return { kind, key };
    }
  }
}

function keyOf(token: Token | undefined, what: 'portfolio' | 'program', kind: string): string {
  if (!token) throw new Problem(`\`/program portfolio ${kind}\` needs a ${what} key.`);
  const key = token.type === 'word' ? token.text.toLowerCase() : '';
  if (KEY.test(key)) return key;
  throw new Problem(`${quoteInput(shown(token))} isn't a valid ${what} key: ${KEY_RULE}.`);
}

/** `checkout payments`, `checkout,payments` or `checkout, payments`. */
function programKeysOf(token: Token, kind: string): string[] {
  if (token.type !== 'word')
    throw new Problem(`${quoteInput(shown(token))} isn't a program key: ${KEY_RULE}.`);
  return token.text
    .split(',')
    .filter((part) => part !== '')
    .map((part) => keyOf({ ...token, text: part }, 'program', kind));
}

function nameOf(token: Token | undefined, kind: string): string {
  if (!token || token.type !== 'quoted')
    throw new Problem(
      `\`/program portfolio ${kind}\` needs the portfolio's name in double quotes${token ? `, not ${quoteInput(shown(token))}` : ''}.`,
    );
  const name = token.text.replace(/\s+/g, ' ').trim().normalize('NFC');
  if (name === '') throw new Problem("The portfolio's name can't be empty.");
  const length = Array.from(name).length;
  if (length > NAME_MAX)
    throw new Problem(`The portfolio's name is ${length} characters; keep it to ${NAME_MAX}.`);
  return name;
}

function done(kind: string, tokens: Token[]): void {
  if (tokens.length === 0) return;
  throw new Problem(
    `I don't know what to do with ${quoteInput(tokens.map(shown).join(' '))} in \`/program portfolio ${kind}\`.`,
  );
}
