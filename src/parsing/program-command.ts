/** `/program …` text → a typed request (SPEC §2). Pure: no I/O, no lookups; the handler checks existence. */
import type { CalendarDate, WorkstreamRef, WorkstreamState } from '../domain/types.js';
import type { AudienceKind } from '../domain/entities.js';
import type { DigestVariant } from '../domain/schedule.js';
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
import {
  findControlCharacter,
  readToken,
  shown,
  tokenize,
  tokenText,
  tooLong,
  type Parsed,
  type Token,
} from './tokenize.js';

import { parsePortfolioCommand, type PortfolioRequest } from './portfolio-command.js';

export type { ParseContext } from './dates.js';
export type { Parsed } from './tokenize.js';

export type ProgramRequest =
  | { kind: 'help' }
  | { kind: 'portfolio'; request: PortfolioRequest }
  | { kind: 'new'; programKey: string; name: string; objective?: string; channelId?: string }
  | { kind: 'new-modal' }
  /** `settings`: the workspace settings form (workspace admins). */
  | { kind: 'settings' }
  /** `sample remove`: deletes the sample portfolio (issue 14). */
  | { kind: 'sample'; action: 'remove' }
  | { kind: 'list'; includeArchived: boolean }
  | {
      kind: 'show' | 'archive' | 'unarchive' | 'schedule' | 'schedules' | 'risks' | 'milestones';
      programKey: string;
    }
  /** `follow|unfollow <program>`: its scheduled digests to the user by DM, or no longer (SPEC §9). */
  | { kind: 'follow' | 'unfollow'; programKey: string }
  /** `risks portfolio:<key>`: the analysis of a portfolio's programs together. */
  | { kind: 'risks-portfolio'; portfolioKey: string }
  /** `digest|preview <program> [as:team|leadership|client]`; `variant` is `team` when not given. */
  | { kind: 'digest' | 'preview'; programKey: string; variant: DigestVariant }
  /** `set <program> key:value…`: the program's own fields (SPEC §8). */
  | { kind: 'set'; programKey: string; changes: ProgramFieldChanges }
  /** `set <program> <workstream> key:value…`: a workstream's fields. */
  | { kind: 'set-workstream'; programKey: string; workstreamKey: string; changes: WorkstreamFieldChanges }
  /** `owner <program> @user`: hands the program over. */
  | { kind: 'owner'; programKey: string; userId: string }
  | { kind: 'admins'; programKey: string; change: 'add' | 'remove'; userIds: string[] }
  /** `milestone <program> "<name>" done` or `… moved:<date>`. */
  | { kind: 'milestone-done'; programKey: string; name: string }
  | { kind: 'milestone-moved'; programKey: string; name: string; date: CalendarDate }
  | {
      kind: 'add';
      programKey: string;
      workstreamKey: string;
      name: string;
      team: string;
      leadUserId: string;
      due?: CalendarDate;
    }
  | {
      kind: 'depend';
      consumer: WorkstreamRef;
      provider: WorkstreamRef;
      by: CalendarDate;
      deliverable: string;
    }
  /** `internal`: from `internal:yes|no`, absent when not given (a blocker is then internal: SPEC §7). */
  | { kind: 'blocker'; workstream: WorkstreamRef; text: string; internal?: boolean }
  /** `internal`: from `internal:yes|no`, absent when not given (a milestone is then client-visible). */
  | {
      kind: 'milestone';
      programKey: string;
      name: string;
      date: CalendarDate;
      needs: WorkstreamRef[];
      internal?: boolean;
    }
  | { kind: 'resource'; name: string; capacityPerWeek: number }
  /** `export <program> [since:<date>] [as:client]`: a CSV of its updates; `client` leaves internal ones out. */
  | { kind: 'export'; programKey: string; since?: CalendarDate; audience: 'team' | 'client' }
  | {
      kind: 'allocate';
      resource: string;
      workstream: WorkstreamRef;
      units: number;
      from: CalendarDate;
      to: CalendarDate;
    };

export interface ProgramFieldChanges {
  name?: string;
  objective?: string;
  channelId?: string;
  audience?: AudienceKind;
}

/** The states a person sets; `not_started` is where work begins, left by its first update. */
export type SettableState = Exclude<WorkstreamState, 'not_started'>;

export interface WorkstreamFieldChanges {
  state?: SettableState;
  leadId?: string;
  targetDate?: CalendarDate;
  team?: string;
  name?: string;
  phase?: string;
}

type Subcommand = Exclude<
  ProgramRequest['kind'],
  | 'help'
  | 'new-modal'
  | 'portfolio'
  | 'risks-portfolio'
  | 'set-workstream'
  | 'milestone-done'
  | 'milestone-moved'
>;

interface Grammar {
  example: string;
  options?: readonly string[];
  /** Options whose value is a date, which may run on into the next words (`due:dec 15`). */
  dates?: readonly string[];
  /** Options in the product contract that this command does not take yet: refused as such. */
  planned?: readonly string[];
}

const ONE_PROGRAM = (sub: string): Grammar => ({ example: `\`/program ${sub} checkout\`` });

/** `/program set <program> …` options, and those of `/program set <program> <workstream> …`. */
const PROGRAM_FIELDS = ['name', 'objective', 'channel', 'audience'] as const;
const WORKSTREAM_FIELDS = ['state', 'lead', 'due', 'team', 'phase'] as const;
const SETTABLE_STATES: readonly SettableState[] = ['active', 'paused', 'done', 'cancelled'];
const MAX_ADMINS_AT_ONCE = 20;

const GRAMMAR: Record<Subcommand, Grammar> = {
  new: {
    example: '`/program new checkout "Checkout revamp" objective:"Cut cart abandonment" channel:#checkout`',
    options: ['objective', 'channel'],
  },
  list: { example: '`/program list` or `/program list all`' },
  show: ONE_PROGRAM('show'),
  archive: ONE_PROGRAM('archive'),
  schedule: ONE_PROGRAM('schedule'),
  schedules: ONE_PROGRAM('schedules'),
  digest: { example: '`/program digest checkout` or `/program digest checkout as:client`', options: ['as'] },
  preview: {
    example: '`/program preview checkout` or `/program preview checkout as:leadership`',
    options: ['as'],
  },
  set: {
    example:
      '`/program set checkout payments state:done` or `/program set checkout payments due:2027-01-15 lead:@dana` or `/program set checkout audience:client`',
    options: [...PROGRAM_FIELDS, ...WORKSTREAM_FIELDS],
    dates: ['due'],
  },
  owner: { example: '`/program owner checkout @dana`' },
  admins: { example: '`/program admins checkout add @dana @lee` or `/program admins checkout remove @lee`' },
  milestones: ONE_PROGRAM('milestones'),
  unarchive: ONE_PROGRAM('unarchive'),
  follow: ONE_PROGRAM('follow'),
  unfollow: ONE_PROGRAM('unfollow'),
  settings: {
    example:
      '`/program settings` (workspace admins: timezone, stale and escalation days, who may create programs)',
  },
  risks: { example: '`/program risks checkout` or `/program risks portfolio:emea`', options: ['portfolio'] },
  sample: { example: '`/program sample remove`' },
  export: {
    example: '`/program export checkout since:2026-11-01 as:client`',
    options: ['since', 'as'],
    dates: ['since'],
  },
  add: {
    example: '`/program add checkout payments "Payments API" team:payments lead:@dana due:2026-12-15`',
    options: ['team', 'lead', 'due'],
    dates: ['due'],
  },
  depend: { example: '`/program depend checkout/web on checkout/payments by dec 15 "Tokenised card API"`' },
  blocker: {
    example:
      '`/program blocker payments "Waiting on PCI sign-off"` or `… internal:no` to show its text to clients',
    options: ['internal'],
  },
  milestone: {
    example:
      '`/program milestone checkout "Beta launch" 2027-01-20 needs:payments,web internal:no`, `/program milestone checkout "Beta launch" done` or `… moved:2027-02-03`',
    options: ['needs', 'internal', 'moved'],
    dates: ['moved'],
  },
  resource: { example: '`/program resource "SRE team" capacity:10`', options: ['capacity'] },
  allocate: {
    example: '`/program allocate "SRE team" payments 4 from:mon to:in 3 weeks`',
    options: ['from', 'to'],
    dates: ['from', 'to'],
  },
};

const HELP_EXAMPLE = '`/program help`';
const KEY = /^[a-z0-9][a-z0-9-]{0,31}$/;
const KEY_RULE = 'keys are 1–32 lower-case letters, digits and dashes, starting with a letter or digit';
const TEAM = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,39}$/u;

/** A message for the user, thrown while reading and caught in parseProgramCommand. */
class Problem extends Error {}

const isSubcommand = (word: string): word is Subcommand => Object.hasOwn(GRAMMAR, word);
const listOf = (items: readonly string[]) =>
  items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
const codePoints = (text: string) => Array.from(text).length;

interface OptionEntry {
  key: string;
  token: Token;
  value: Token[];
  date?: CalendarDate;
}

/** The arguments after the subcommand: options sorted out up front, positionals read in order. */
class Args {
  private readonly positionals: Token[] = [];
  private readonly options = new Map<string, OptionEntry>();
  readonly command: string;

  constructor(
    tokens: Token[],
    sub: Subcommand,
    private readonly ctx: ParseContext,
  ) {
    this.command = `\`/program ${sub}\``;
    const grammar = GRAMMAR[sub];
    const queue = [...tokens];
    for (let token = queue.shift(); token; token = queue.shift()) {
      if (token.type !== 'option') {
        this.positionals.push(token);
        continue;
      }
      const allowed = grammar.options ?? [];
      if (!allowed.includes(token.key)) {
        const takes = allowed.length
          ? `it takes ${listOf(allowed.map((k) => `\`${k}:\``))}`
          : 'it takes no options';
        if (grammar.planned?.includes(token.key)) {
          throw new Problem(
            `${this.command} can't change ${quoteInput(`${token.key}:`)} yet, so nothing was changed; for now ${takes}.`,
          );
        }
        throw new Problem(`${this.command} doesn't take ${quoteInput(`${token.key}:`)}; ${takes}.`);
      }
      if (this.options.has(token.key)) throw new Problem(`You gave \`${token.key}:\` twice; give it once.`);
      // `team: payments`, with a space after the colon, is read as `team:payments`.
      const value = [...token.value];
      const following = queue[0];
      if (value.length === 0 && following && following.type !== 'option') value.push(...queue.splice(0, 1));
      if (value.length === 0) throw new Problem(`\`${token.key}:\` needs a value; see the example.`);
      const entry: OptionEntry = { key: token.key, token, value };
      if (grammar.dates?.includes(token.key)) entry.date = this.dateFrom(joined(value), queue);
      if (token.key === 'needs') this.continueList(entry, queue);
      this.options.set(token.key, entry);
    }
  }

  /** The longest run of up to three words from `first` on that reads as a date; consumes what it used. */
  private dateFrom(first: string, queue: Token[]): CalendarDate {
    const words = [first];
    for (const token of queue.slice(0, MAX_DATE_WORDS - 1)) {
      if (token.type !== 'word') break;
      words.push(token.text);
    }
    for (let n = words.length; n >= 1; n--) {
      const date = parseDate(words.slice(0, n).join(' '), this.ctx);
      if (date) {
        queue.splice(0, n - 1);
        return date;
      }
    }
    let meant = 1;
    while (meant < words.length && looksLikeDatePart(words[meant] ?? '')) meant++;
    throw new Problem(
      `I couldn't read ${quoteInput(words.slice(0, meant).join(' '))} as a date. Dates look like ${DATE_FORMS}.`,
    );
  }

  /** `needs:a, b` (a space after a comma) still means both. */
  private continueList(entry: OptionEntry, queue: Token[]): void {
    for (let next = queue[0]; next?.type === 'word' && joined(entry.value).endsWith(','); next = queue[0]) {
      entry.value.push(next);
      queue.shift();
    }
  }

  private next(what: string): Token {
    const token = this.positionals.shift();
    if (!token) throw new Problem(`${this.command} needs ${what}.`);
    return token;
  }

  key(what: 'program' | 'workstream'): string {
    return slug(this.next(`a ${what} key`), what);
  }

  ref(what: string): WorkstreamRef {
    return workstreamRef(this.next(what));
  }

  /** A name in double quotes; `what` names it in messages ("program name"). */
  quoted(what: string, max: number): string {
    const token = this.next(`a ${what} in double quotes`);
    if (token.type !== 'quoted') {
      // Suggest the words they most likely meant as the name, quoted.
      const words: Token[] = [token];
      while (token.type === 'word' && this.positionals[0]?.type === 'word') {
        words.push(...this.positionals.splice(0, 1));
      }
      throw new Problem(
        `Put the ${what} in double quotes, like ${quoteInput(`"${words.map(shown).join(' ')}"`)}.`,
      );
    }
    return text(token.text, what, max);
  }

  /** A name in quotes, or a single word (`sre`). */
  nameOrWord(what: string, max: number): string {
    const token = this.next(`a ${what}`);
    if (token.type !== 'quoted' && token.type !== 'word') {
      throw new Problem(
        `${quoteInput(shown(token))} can't be a ${what}; use a word or text in double quotes.`,
      );
    }
    return text(token.text, what, max);
  }

  word(expected: string, after: string): void {
    const token = this.next(`the word \`${expected}\` ${after}`);
    if (token.type !== 'word' || token.text.toLowerCase() !== expected) {
      throw new Problem(`I expected the word \`${expected}\` ${after}, not ${quoteInput(shown(token))}.`);
    }
  }

  optionalWord(expected: string): boolean {
    const token = this.positionals[0];
    if (token?.type !== 'word' || token.text.toLowerCase() !== expected) return false;
    this.positionals.shift();
    return true;
  }

  date(what: string): CalendarDate {
    const token = this.next(what);
    if (token.type !== 'word' && token.type !== 'quoted') {
      throw new Problem(
        `I couldn't read ${quoteInput(shown(token))} as a date. Dates look like ${DATE_FORMS}.`,
      );
    }
    return this.dateFrom(token.text, this.positionals);
  }

  /** The rest of the positional arguments, each an @mention of a person (at least one). */
  users(what: string): string[] {
    if (this.positionals.length === 0) throw new Problem(`${this.command} needs ${what}, as @mentions.`);
    return this.positionals.splice(0).map((token) => {
      if (token.type === 'user') return token.id;
      const typed = token.type === 'word' && token.text.startsWith('@');
      throw new Problem(
        `${typed ? `Slack sent ${quoteInput(shown(token))} as plain text` : `${quoteInput(shown(token))} isn't a person`}: pick each person from the @ autocomplete so Slack sends a mention.`,
      );
    });
  }

  /** The user's calendar date today. */
  today(): CalendarDate {
    return todayIn(this.ctx);
  }

  amount(what: string): number {
    return amount(this.next(`the ${what}`), what);
  }

  /** How many positional arguments are left to read. */
  remaining(): number {
    return this.positionals.length;
  }

  /** Everything positional has been read: anything left over is named back. */
  done(): void {
    if (this.positionals.length === 0) return;
    const extra = this.positionals.map(shown).join(' ');
    throw new Problem(`I don't know what to do with ${quoteInput(extra)} in ${this.command}.`);
  }

  option(key: string, required: true): OptionEntry;
  option(key: string, required?: false): OptionEntry | undefined;
  option(key: string, required = false): OptionEntry | undefined {
    const entry = this.options.get(key);
    if (!entry && required) throw new Problem(`${this.command} needs \`${key}:\`; see the example.`);
    return entry;
  }

  /** An option's value as one token: `lead:<@U1>x` is refused rather than guessed at. */
  single(entry: OptionEntry): Token {
    const [token] = entry.value;
    if (token && entry.value.length === 1) return token;
    throw new Problem(
      `I couldn't read ${quoteInput(shown(entry.token))}; put text with spaces in double quotes.`,
    );
  }
}

const joined = (tokens: Token[]) => tokens.map(tokenText).join('');

/** `payments`, or `checkout/payments` where the key alone is ambiguous; undefined if neither. */
export function toWorkstreamRef(text: string): WorkstreamRef | undefined {
  const parts = text.toLowerCase().split('/');
  const [first = '', second = ''] = parts;
  if (parts.length === 1 && KEY.test(first)) return { workstreamKey: first };
  if (parts.length === 2 && KEY.test(first) && KEY.test(second))
    return { programKey: first, workstreamKey: second };
  return undefined;
}

/** Why `shown` is not a workstream reference, for the user. */
export function notAWorkstream(shown: string): string {
  return `${quoteInput(shown)} isn't a workstream: name it by its key (\`payments\`) or as \`program/workstream\` (\`checkout/payments\`); ${KEY_RULE}.`;
}

function workstreamRef(token: Token): WorkstreamRef {
  const ref = token.type === 'word' ? toWorkstreamRef(token.text) : undefined;
  if (ref) return ref;
  throw new Problem(notAWorkstream(shown(token)));
}

const EXAMPLE_KEY = { program: '`checkout`', workstream: '`payments`' };

function slug(token: Token, what: 'program' | 'workstream'): string {
  if (token.type === 'quoted') {
    throw new Problem(
      `I expected a ${what} key (like ${EXAMPLE_KEY[what]}) where you wrote ${quoteInput(shown(token))}.`,
    );
  }
  const key = token.type === 'word' ? token.text.toLowerCase() : '';
  if (KEY.test(key)) return key;
  throw new Problem(
    `${quoteInput(shown(token))} isn't a valid ${what} key: ${KEY_RULE} (like ${EXAMPLE_KEY[what]}).`,
  );
}

/** Free text for a name or description: spacing collapsed, and within its length limit. */
function text(value: string, what: string, max: number): string {
  const clean = value.replace(/\s+/g, ' ').trim().normalize('NFC');
  const length = codePoints(clean);
  if (length === 0) throw new Problem(`The ${what} can't be empty.`);
  if (length > max) {
    throw new Problem(`The ${what} ${quoteInput(clean, 30)} is ${length} characters; keep it to ${max}.`);
  }
  return clean;
}

function amount(token: Token, what: string): number {
  const raw = tokenText(token);
  const n = /^\d{1,5}(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (n > 0 && n <= 10_000 && Number.isInteger(n * 2)) return n;
  throw new Problem(
    `${quoteInput(shown(token))} isn't a valid ${what}: use a positive number up to 10,000, in steps of 0.5 (like \`4\` or \`2.5\`).`,
  );
}

/** `lead:` and `channel:` take only what Slack sends for an autocompleted @person or #channel. */
function mention(args: Args, entry: OptionEntry, kind: 'user' | 'channel'): string {
  const token = args.single(entry);
  if (token.type === kind) return token.id;
  const [sigil, noun] = kind === 'user' ? ['@', 'person'] : ['#', 'channel'];
  const typed = token.type === 'word' && token.text.startsWith(sigil);
  const got = typed
    ? `Slack sent ${quoteInput(shown(token))} as plain text`
    : `not ${quoteInput(shown(token))}`;
  throw new Problem(
    `\`${entry.key}:\` must be a ${noun} mention, ${got}. Pick the ${noun} from the ${sigil} autocomplete so Slack sends a mention.`,
  );
}

function textOption(args: Args, key: string, what: string, max: number): string | undefined {
  const entry = args.option(key);
  if (!entry) return undefined;
  const token = args.single(entry);
  if (token.type !== 'word' && token.type !== 'quoted') {
    throw new Problem(
      `${quoteInput(shown(token))} can't be the ${what}; use a word or text in double quotes.`,
    );
  }
  // `objective:""` means no objective rather than an error.
  return token.text.trim() === '' ? undefined : text(token.text, what, max);
}

/** `as:` of an export: `client` leaves internal updates and Slack user ids out; `team`/`leadership` keep all. */
function exportAudience(value: string): 'team' | 'client' {
  if (value === 'client') return 'client';
  if (value === 'team' || value === 'leadership') return 'team';
  throw new Problem(
    `An export is for the team (the default) or \`as:client\`, not ${quoteInput(`as:${value}`)}.`,
  );
}

function team(args: Args): string {
  const token = args.single(args.option('team', true));
  const value = tokenText(token).toLowerCase();
  if ((token.type === 'word' || token.type === 'quoted') && TEAM.test(value)) return value;
  throw new Problem(
    `${quoteInput(shown(token))} isn't a team name: use up to 40 letters, digits, dots, dashes or underscores (like \`payments\`).`,
  );
}

function needs(args: Args): WorkstreamRef[] {
  const entry = args.option('needs');
  if (!entry) return [];
  const refs = new Map<string, WorkstreamRef>();
  for (const part of joined(entry.value).split(',')) {
    const word = part.trim();
    if (word === '') continue;
    const ref = workstreamRef({ type: 'word', text: word, raw: word, start: 0, end: 0 });
    refs.set(`${ref.programKey ?? ''}/${ref.workstreamKey}`, ref);
  }
  return [...refs.values()];
}

function oneProgram(
  kind:
    | 'show'
    | 'archive'
    | 'unarchive'
    | 'schedule'
    | 'schedules'
    | 'risks'
    | 'milestones'
    | 'follow'
    | 'unfollow',
) {
  return (args: Args): ProgramRequest => {
    const programKey = args.key('program');
    args.done();
    return { kind, programKey };
  };
}

/** `risks <program>` or `risks portfolio:<key>`. */
function risksOf(args: Args): ProgramRequest {
  const portfolio = args.option('portfolio');
  if (!portfolio) return oneProgram('risks')(args);
  args.done();
  const key = tokenText(args.single(portfolio)).toLowerCase();
  if (!KEY.test(key))
    throw new Problem(`${quoteInput(`portfolio:${key}`)} isn't a portfolio key: ${KEY_RULE}.`);
  return { kind: 'risks-portfolio', portfolioKey: key };
}

/** `digest|preview <program> [as:team|leadership|client]`. */
function digestOf(kind: 'digest' | 'preview') {
  return (args: Args): ProgramRequest => {
    const programKey = args.key('program');
    args.done();
    const as = args.option('as');
    const value = as ? tokenText(args.single(as)).toLowerCase() : 'team';
    if (value !== 'team' && value !== 'leadership' && value !== 'client') {
      throw new Problem(
        `A digest is for \`as:team\` (the default), \`as:leadership\` or \`as:client\`, not ${quoteInput(`as:${value}`)}.`,
      );
    }
    return { kind, programKey, variant: value };
  };
}

/** `internal:yes|no`, or undefined when not given; anything else is refused, never guessed at. */
function internalFlag(args: Args, what: string): boolean | undefined {
  const entry = args.option('internal');
  if (!entry) return undefined;
  const value = tokenText(args.single(entry)).toLowerCase();
  if (value === 'yes' || value === 'no') return value === 'yes';
  throw new Problem(
    `\`internal:\` is \`yes\` (the ${what} stays out of client digests) or \`no\`, not ${quoteInput(`internal:${value}`)}; nothing was added.`,
  );
}

/** Options of one form of `set` given to the other are refused, saying which form takes them. */
function refuseFieldsOf(args: Args, fields: readonly string[], hint: string): void {
  const given = fields.find((k) => args.option(k));
  if (given) throw new Problem(`\`${given}:\` ${hint}`);
}

function workstreamChanges(args: Args, programKey: string): WorkstreamFieldChanges {
  refuseFieldsOf(
    args,
    ['objective', 'channel', 'audience'],
    `is the program's: leave the workstream out, like \`/program set ${programKey} objective:"…"\`.`,
  );
  const state = args.option('state');
  const stateWord = state && tokenText(args.single(state)).toLowerCase();
  if (stateWord !== undefined && !SETTABLE_STATES.includes(stateWord as SettableState)) {
    throw new Problem(
      `A workstream's state is ${listOf(SETTABLE_STATES.map((s) => `\`state:${s}\``))}, not ${quoteInput(`state:${stateWord}`)}.`,
    );
  }
  const lead = args.option('lead');
  const name = textOption(args, 'name', 'workstream name', 80);
  const phase = textOption(args, 'phase', 'phase', 60);
  const changes: WorkstreamFieldChanges = {
    ...(stateWord ? { state: stateWord as SettableState } : {}),
    ...(lead ? { leadId: mention(args, lead, 'user') } : {}),
    ...(args.option('due') ? { targetDate: args.option('due')!.date! } : {}),
    ...(args.option('team') ? { team: team(args) } : {}),
    ...(name ? { name } : {}),
    ...(phase ? { phase } : {}),
  };
  if (Object.keys(changes).length === 0) {
    throw new Problem(
      `\`/program set ${programKey} <workstream>\` needs something to change: ${listOf(WORKSTREAM_FIELDS.map((k) => `\`${k}:\``))} or \`name:\`.`,
    );
  }
  return changes;
}

function programChanges(args: Args, programKey: string): ProgramFieldChanges {
  refuseFieldsOf(
    args,
    WORKSTREAM_FIELDS,
    `is a workstream's: name it after the program, like \`/program set ${programKey} payments state:done\`.`,
  );
  const name = textOption(args, 'name', 'program name', 80);
  const objective = textOption(args, 'objective', 'objective', 300);
  const channel = args.option('channel');
  const changes: ProgramFieldChanges = {
    ...(name ? { name } : {}),
    ...(objective ? { objective } : {}),
    ...(channel ? { channelId: mention(args, channel, 'channel') } : {}),
    ...(args.option('audience') ? { audience: audience(args)! } : {}),
  };
  if (Object.keys(changes).length === 0) {
    throw new Problem(
      `\`/program set ${programKey}\` needs something to change: ${listOf(PROGRAM_FIELDS.map((k) => `\`${k}:\``))}; or name a workstream to change it.`,
    );
  }
  return changes;
}

/** `audience:internal|client` (`external` is the stored word for client, accepted too). */
function audience(args: Args): AudienceKind | undefined {
  const entry = args.option('audience');
  if (!entry) return undefined;
  const value = tokenText(args.single(entry)).toLowerCase();
  if (value === 'internal') return 'internal';
  if (value === 'client' || value === 'external') return 'external';
  throw new Problem(
    `A program's audience is \`audience:internal\` (its team and leadership only) or \`audience:client\` (it also has a client digest), not ${quoteInput(`audience:${value}`)}.`,
  );
}

const READ: { [K in Subcommand]: (args: Args) => ProgramRequest } = {
  new(args) {
    const programKey = args.key('program');
    const name = args.quoted('program name', 80);
    args.done();
    const objective = textOption(args, 'objective', 'objective', 300);
    const channel = args.option('channel');
    const channelId = channel && mention(args, channel, 'channel');
    return {
      kind: 'new',
      programKey,
      name,
      ...(objective && { objective }),
      ...(channelId && { channelId }),
    };
  },
  list(args) {
    const includeArchived = args.optionalWord('all');
    args.done();
    return { kind: 'list', includeArchived };
  },
  show: oneProgram('show'),
  archive: oneProgram('archive'),
  schedule: oneProgram('schedule'),
  schedules: oneProgram('schedules'),
  digest: digestOf('digest'),
  preview: digestOf('preview'),
  set(args) {
    const programKey = args.key('program');
    if (args.remaining() > 0) {
      const workstreamKey = args.key('workstream');
      args.done();
      return {
        kind: 'set-workstream',
        programKey,
        workstreamKey,
        changes: workstreamChanges(args, programKey),
      };
    }
    return { kind: 'set', programKey, changes: programChanges(args, programKey) };
  },
  owner(args) {
    const programKey = args.key('program');
    const [userId, ...more] = args.users('the new owner');
    if (more.length > 0) throw new Problem('A program has one owner; name one person.');
    return { kind: 'owner', programKey, userId: userId! };
  },
  admins(args) {
    const programKey = args.key('program');
    const change = args.optionalWord('add') ? 'add' : args.optionalWord('remove') ? 'remove' : undefined;
    if (!change) throw new Problem('Say `add` or `remove` after the program, then the people.');
    const userIds = [...new Set(args.users(change === 'add' ? 'the people to add' : 'the people to remove'))];
    if (userIds.length > MAX_ADMINS_AT_ONCE) {
      throw new Problem(`Name at most ${MAX_ADMINS_AT_ONCE} people at once.`);
    }
    return { kind: 'admins', programKey, change, userIds };
  },
  milestones: oneProgram('milestones'),
  unarchive: oneProgram('unarchive'),
  follow: oneProgram('follow'),
  unfollow: oneProgram('unfollow'),
  settings(args) {
    args.done();
    return { kind: 'settings' };
  },
  risks: risksOf,
  sample(args) {
    args.word('remove', 'after `sample`');
    args.done();
    return { kind: 'sample', action: 'remove' };
  },
  export(args) {
    const programKey = args.key('program');
    args.done();
    const since = args.option('since')?.date;
    if (since !== undefined && since > args.today()) {
      // `since:nov 22` typed on 25 November reads as next year's: name the one they likely meant.
      const yearEarlier = `${Number(since.slice(0, 4)) - 1}${since.slice(4)}`;
      const daysAhead = (Date.parse(since) - Date.parse(args.today())) / 86_400_000;
      const hint =
        daysAhead > 7 && yearEarlier <= args.today() && !since.endsWith('-02-29')
          ? ` (a date without a year means the next one; the last one is \`since:${yearEarlier}\`)`
          : '';
      throw new Problem(
        `\`since:\` reads as ${describeDate(since)}, which hasn't come yet; give a day on or before today${hint}.`,
      );
    }
    const as = args.option('as');
    const audience = as ? exportAudience(tokenText(args.single(as)).toLowerCase()) : 'team';
    return { kind: 'export', programKey, audience, ...(since && { since }) };
  },
  add(args) {
    const programKey = args.key('program');
    const workstreamKey = args.key('workstream');
    const name = args.quoted('workstream name', 80);
    args.done();
    const due = args.option('due')?.date;
    const leadUserId = mention(args, args.option('lead', true), 'user');
    return {
      kind: 'add',
      programKey,
      workstreamKey,
      name,
      team: team(args),
      leadUserId,
      ...(due && { due }),
    };
  },
  depend(args) {
    const consumer = args.ref('the workstream that depends');
    args.word('on', 'after the first workstream');
    const provider = args.ref('the workstream it depends on');
    args.word('by', 'after the second workstream');
    const by = args.date('a date after `by`');
    const deliverable = args.quoted('deliverable', 200);
    args.done();
    if (consumer.workstreamKey === provider.workstreamKey && consumer.programKey === provider.programKey) {
      throw new Problem(`A workstream can't depend on itself.`);
    }
    return { kind: 'depend', consumer, provider, by, deliverable };
  },
  blocker(args) {
    const workstream = args.ref('a workstream');
    const text = args.quoted('blocker text', 500);
    args.done();
    const internal = internalFlag(args, "blocker's text");
    return { kind: 'blocker', workstream, text, ...(internal === undefined ? {} : { internal }) };
  },
  milestone(args) {
    const programKey = args.key('program');
    const name = args.quoted('milestone name', 80);
    const moved = args.option('moved');
    const done = args.optionalWord('done');
    if (done || moved) {
      args.done();
      const extra = ['needs', 'internal', ...(done ? ['moved'] : [])].find((k) => args.option(k));
      if (extra) {
        throw new Problem(
          `\`${extra}:\` is for adding a milestone; ${done ? 'marking one done' : 'moving one'} takes nothing else.`,
        );
      }
      return done
        ? { kind: 'milestone-done', programKey, name }
        : { kind: 'milestone-moved', programKey, name, date: moved!.date! };
    }
    const date = args.date('a date for the milestone (or `done`, or `moved:<date>`)');
    args.done();
    const internal = internalFlag(args, 'milestone');
    return {
      kind: 'milestone',
      programKey,
      name,
      date,
      needs: needs(args),
      ...(internal === undefined ? {} : { internal }),
    };
  },
  resource(args) {
    const name = args.nameOrWord('resource name', 60);
    args.done();
    const capacityPerWeek = amount(args.single(args.option('capacity', true)), 'capacity');
    return { kind: 'resource', name, capacityPerWeek };
  },
  allocate(args) {
    const resource = args.nameOrWord('resource name', 60);
    const workstream = args.ref('a workstream');
    const units = args.amount('number of units');
    args.done();
    const from = args.option('from', true).date ?? '';
    const to = args.option('to', true).date ?? '';
    if (from > to) {
      throw new Problem(
        `The allocation ends (${describeDate(to)}) before it starts (${describeDate(from)}).`,
      );
    }
    return { kind: 'allocate', resource, workstream, units, from, to };
  },
};

export function parseProgramCommand(text: string, ctx: ParseContext): Parsed<ProgramRequest> {
  const refuse = (
    problem: string,
    example = HELP_EXAMPLE,
  ): Extract<Parsed<ProgramRequest>, { ok: false }> => ({
    ok: false,
    problem,
    example,
  });
  const tooMuch = tooLong(text) ?? findControlCharacter(text);
  if (tooMuch) return refuse(tooMuch);

  const start = text.search(/\S/);
  if (start < 0) return { ok: true, request: { kind: 'help' } };
  const first = readToken(text, start, false);
  if (!first.ok) return refuse(first.problem);
  const word = first.token.type === 'word' ? first.token.text.toLowerCase() : '';
  if (word === 'help') return { ok: true, request: { kind: 'help' } };
  if (word === 'portfolio') {
    const portfolio = parsePortfolioCommand(text, first.next);
    return portfolio.ok
      ? { ok: true, request: { kind: 'portfolio', request: portfolio.request } }
      : portfolio;
  }
  if (!isSubcommand(word)) {
    return { ...refuse(`I don't know the subcommand ${quoteInput(shown(first.token))}.`), usage: true };
  }

  const example = GRAMMAR[word].example;
  const rest = tokenize(text, first.next);
  if (!rest.ok) return refuse(rest.problem, example);
  if (word === 'new' && rest.tokens.length === 0) return { ok: true, request: { kind: 'new-modal' } };
  try {
    return { ok: true, request: READ[word](new Args(rest.tokens, word, ctx)) };
  } catch (error) {
    if (error instanceof Problem) return refuse(error.message, example);
    throw error;
  }
}
