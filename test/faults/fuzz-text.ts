/**
 * Random `/status` and `/program` texts for the fuzz run (fuzz.test.ts), from a seeded PRNG so a
 * failing run can be replayed with FUZZ_SEED. Texts are built from fragments people (and attackers)
 * really type, mostly in the shape Slack sends them with escaping on: user-typed `&`, `<`, `>` as
 * entities, picked @people, #channels, @channel and links as `<…>` escapes. Some fragments are raw
 * `<`/`>` Slack would never send, for robustness.
 */

/** mulberry32: small, fast, good enough for test data; deterministic for a given seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Dice {
  constructor(readonly random: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/** Program keys that exist in workspace A, keys the fuzz creates in B, and keys that are not keys. */
export const A_PROGRAMS = ['checkout', 'billing'];
export const A_WORKSTREAMS = ['payments', 'web', 'checkout/payments', 'billing/ledger', 'ledger'];
const B_KEYS = ['alpha', 'beta', 'gamma', 'x', 'checkout', 'p-1', '0day', 'a'.repeat(32)];
const BAD_KEYS = [
  'Checkout!',
  '-x',
  'a'.repeat(33),
  '🚀',
  'مرحبا',
  '{"$gt":',
  '$where',
  'a/b/c',
  '/',
  'checkout/',
  '/web',
  'ÇHECKOUT',
  'chec\u200Bkout',
  'check\u0301out',
  'ｃｈｅｃｋｏｕｔ',
  '\u212Aey', // Kelvin sign: lower-cases to an ASCII k
  'İstanbul', // lower-cases to two code points
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
];

/** Keys the clean recipes use in workspace B, so that later requests find what earlier ones made. */
const B_PROGRAMS = ['alpha', 'beta', 'gamma', 'x', 'p-1', '0day', 'a'.repeat(32), 'checkout'];
const B_WORKSTREAMS = ['ws', 'ws-2', 'payments', 'w3'];
const VALID_TEAMS = ['payments', 'web', 'a.b', 'team_1', 'ünïcödé', '漢字', 'x'.repeat(40)];
const VALID_DATES = [
  '2026-12-15',
  'dec 15',
  'fri',
  'next monday',
  'tomorrow',
  'in 2 weeks',
  '2028-02-29',
  '31 dec',
];
const VALID_USERS = ['<@U0PM>', '<@U0PM|pat.pm>', '<@UFUZZ1|dana>', '<@W0ENT>', '<@UNOBODY|<!channel>>'];
/** Shared resource names: words, or text for double quotes (no double quote inside). */
const RESOURCES = [
  'SRE',
  '$where',
  '“<!here> lab”',
  '"🚀 rig"',
  '"{$gt: 1}"',
  '"a.b"',
  '"&lt;!channel&gt;"',
  '“__proto__”',
];

const UNICODE = [
  '🚀',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  '🇺🇦',
  '👍🏽',
  '🟢',
  '🔴',
  'e\u0301',
  'Z̴̡̪͌a̸͚̎l̵g̶o̸',
  '\u0301\u0302\u0303', // combining marks with nothing to combine with
  'مرحبا بالعالم',
  'שלום',
  '\u202Eevil\u202C',
  '\u200F\u200E',
  '漢字テスト',
  '한국어',
  'カタカナ',
  '\u200D',
  '\u200B',
  '\uFEFF',
  '\u2060',
  '\u00A0',
  '\u3000',
  '\u2028',
  '\u2029',
  'ß',
  'ﬁ',
  '𝐀𝐁𝐂',
  '𐐀',
  '\uD800', // lone surrogates: not representable in UTF-8
  '\uDFFF',
  '\uDBFF\uDBFF',
  'a\uDC00b',
  '\uFFFD',
  '\uFFFF',
  '\u{10FFFF}',
  '\u{E0041}', // tag character
];

/** Tabs and newlines are allowed spacing; the rest must be refused as pasted junk. */
const CONTROL = [
  '\u0000',
  '\u0007',
  '\u001B[31m',
  '\u007F',
  '\u0085',
  '\u009B',
  '\r\n',
  '\t',
  '\n',
  '\u000B',
  '\r',
];

/** What Slack sends for @channel, @here, groups, people, channels and links, and mrkdwn. */
export const INJECTION = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!here|here>',
  '<!channel|@channel>',
  '<!everyone|@everyone>',
  '<!subteam^S0123ABC|@eng>',
  '<!subteam^S0123ABC>',
  '<!date^1392734382^{date}|Feb 18>',
  '<@U123|x>',
  '<@U0PM>',
  '<@W999|w>',
  '<@U1|<!channel>>',
  '<#C1|y>',
  '<#C0CAIRN>',
  '<#C1|<!here>>',
  '<https://evil|z>',
  '<https://evil.example/?a=1&amp;b=2|click here>',
  '<mailto:a@b.c|mail>',
  '<https://evil|<!channel>>',
  '*bold*',
  '_it_',
  '~strike~',
  '`code`',
  '```block```',
  '```',
  '&lt;!channel&gt;',
  '&lt;!here&gt;',
  '&amp;lt;!everyone&amp;gt;',
  '&lt;',
  '&gt;',
  '&amp;',
  '&amp;amp;',
  '&#60;!channel&#62;',
  '&gt; quoted',
  '<',
  '>',
  '<<!channel>>',
  '&lt;!channel|&lt;x&gt;', // a user typing <!channel|<x>: after decoding, Slack would read a labelled ping
  '&lt;!here|&lt;&gt;',
  '&lt;!everyone|',
  '&lt;!channel|',
  '&lt;!here',
  '&gt;',
  '<!channel|<x>',
  '<!channel',
  'channel>',
  '<>',
  '<|>',
  '<!>',
  '<@>',
  ':rocket:',
  '@channel',
  '@here',
  '\\',
  '\\n',
  '%00',
  '%E2%80%AE',
];

const MONGO = [
  '{"$gt": ""}',
  '{"$ne":null}',
  '$where',
  '$where: "sleep(1000)"',
  '{"$regex": ".*"}',
  '$gt',
  '$',
  '.$',
  'a.b',
  '$set',
  'this.constructor',
  '__proto__',
  '{"__proto__":{"admin":true}}',
  'constructor',
  'prototype',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  'Infinity',
  '0x10',
  "'; db.dropDatabase(); '",
  'ObjectId("000000000000000000000000")',
];

const QUOTES = [
  '"',
  '“',
  '”',
  '‘',
  '’',
  "'",
  '""',
  '“”',
  '"unbalanced',
  '“curly',
  '"a" "b"',
  '"""',
  '”backwards“',
];

const DATES = [
  '2026-12-15',
  'dec 15',
  'fri',
  'next monday',
  'tomorrow',
  'in 2 weeks',
  'in 9999 weeks',
  'feb 29',
  '2028-02-29',
  '2026-02-30',
  '2026-13-01',
  '9999-12-31',
  '0000-01-01',
  'yesterday',
  'next next monday',
  '31 dec',
  'december 15th 2026',
  '12/15',
  '15.12.2026',
  'dec 45',
  '-1',
  'in -3 days',
  'in a week',
  'sept 31',
];

const HEALTH = [
  'green',
  'on-track',
  'amber',
  'yellow',
  'at-risk',
  'red',
  'off-track',
  'blocked',
  'GREEN,',
  'red:',
  'Blocked!',
  'purple',
  'grееn',
  '🟢',
  'on track',
];
const PERCENT = [
  '50%',
  '100%',
  '0%',
  '101%',
  '-0%',
  '+5%',
  '0.5%',
  '99999999999999999999%',
  '%',
  '1e2%',
  '٥٠%',
];
const USERS = [
  '<@U0PM>',
  '<@U0PM|pat.pm>',
  '<@UFUZZ1|dana>',
  '<@W0ENT>',
  '@dana',
  '<#C1|general>',
  '<!channel>',
  'dana',
  '<@U123|<!here>>',
];
const CHANNELS = ['<#C0CAIRN|cairn-test>', '<#C0FUZZ>', '<#G123|private>', '#general', '<@U0PM>', '<!here>'];
const TEAMS = [
  'payments',
  'web',
  'a.b',
  'team_1',
  'ünïcödé',
  '漢字',
  'x'.repeat(41),
  '<!here>',
  '"quoted team"',
  '$where',
  '-x',
];

const PROGRAM_SUBS = [
  'new',
  'list',
  'show',
  'archive',
  'add',
  'depend',
  'blocker',
  'milestone',
  'resource',
  'allocate',
  'schedule',
  'schedules',
  'digest',
  'preview',
  'help',
  'NEW',
  'Show',
  'LIST',
];

export type Command = '/program' | '/status';
export interface FuzzCase {
  index: number;
  command: Command;
  text: string;
  /** Which of the recipe kinds produced it, for the report. */
  recipe: string;
}

export class FuzzText {
  private readonly d: Dice;
  constructor(seed: number) {
    this.d = new Dice(prng(seed));
  }

  /** Any fragment of any family. */
  private fragment(): string {
    const d = this.d;
    const family = d.int(0, 9);
    switch (family) {
      case 0:
      case 1:
        return d.pick(UNICODE);
      case 2:
        return d.pick(CONTROL);
      case 3:
      case 4:
        return d.pick(INJECTION);
      case 5:
        return d.pick(MONGO);
      case 6:
        return d.pick(QUOTES);
      case 7:
        return d.pick([...DATES, ...HEALTH, ...PERCENT]);
      case 8:
        return this.option();
      default:
        return d.pick([
          ...B_KEYS,
          ...A_WORKSTREAMS,
          ...BAD_KEYS,
          ...PROGRAM_SUBS,
          'on',
          'by',
          'all',
          'word',
          'Launch day',
        ]);
    }
  }

  private separator(): string {
    return this.d.pick([' ', ' ', ' ', ' ', '', '  ', '\t', '\n', '\u00A0', '\u3000', ' \u200B ']);
  }

  /** A few fragments, joined. */
  soup(max = 12): string {
    const n = this.d.int(0, max);
    let out = '';
    for (let i = 0; i < n; i++) out += this.fragment() + this.separator();
    return out;
  }

  /** Mostly clean words, with a fragment now and then: what a summary or a name looks like. */
  private words(max = 8): string {
    const n = this.d.int(0, max);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      parts.push(
        this.d.chance(0.35)
          ? this.fragment()
          : this.d.pick(['fine', 'Card', 'vault', 'API', 'on', 'to', '3DS', 'done', 'legal']),
      );
    }
    return parts.join(' ');
  }

  /** Text in quotes, sometimes badly quoted. */
  private quoted(): string {
    const d = this.d;
    const inner = this.words(6);
    const [open, close] = d.pick([
      ['"', '"'],
      ['"', '"'],
      ['“', '”'],
      ['”', '“'],
      ['"', ''],
      ['', '"'],
      ['‘', '’'],
      ["'", "'"],
      ['"', '”'],
    ] as const);
    return `${open}${inner}${close}`;
  }

  private key(): string {
    const d = this.d;
    if (d.chance(0.7)) return d.pick([...B_KEYS, ...A_PROGRAMS]);
    return d.chance(0.5) ? d.pick(BAD_KEYS) : this.fragment();
  }

  private workstream(): string {
    const d = this.d;
    if (d.chance(0.6)) return d.pick([...A_WORKSTREAMS, 'alpha/ws', 'ws', 'beta/ws-2', 'ws-2']);
    return d.chance(0.5) ? d.pick(BAD_KEYS) : this.fragment();
  }

  private date(): string {
    return this.d.chance(0.85) ? this.d.pick(DATES) : this.fragment();
  }

  private option(): string {
    const d = this.d;
    const key = d.pick([
      'team',
      'lead',
      'due',
      'objective',
      'channel',
      'needs',
      'capacity',
      'from',
      'to',
      'colour',
      'TEAM',
      'https',
      'a',
    ]);
    const space = d.chance(0.15) ? ' ' : '';
    const value = (() => {
      switch (key) {
        case 'team':
        case 'TEAM':
          return d.pick(TEAMS);
        case 'lead':
          return d.pick(USERS);
        case 'due':
        case 'from':
        case 'to':
          return this.date();
        case 'objective':
          return this.quoted();
        case 'channel':
          return d.pick(CHANNELS);
        case 'needs':
          return d.pick(['ws', 'ws,ws-2', 'a,b,', ',,,', 'alpha/ws, beta/ws-2', '$where', '<!here>']);
        case 'capacity':
          return d.pick(['10', '0', '0.5', '1e3', '10001', '-1', 'NaN', '2.25', '99999', '٣']);
        default:
          return this.fragment();
      }
    })();
    return d.chance(0.1) ? `${key}:` : `${key}:${space}${value}`;
  }

  /** Replaces, drops or doubles some of a recipe's parts. */
  private corrupt(parts: string[]): string[] {
    const d = this.d;
    const out: string[] = [];
    for (const part of parts) {
      const roll = d.random();
      if (roll < 0.08) continue;
      if (roll < 0.2) out.push(this.fragment());
      else if (roll < 0.25) out.push(part, part);
      else if (roll < 0.3) out.push(part + this.fragment());
      else out.push(part);
    }
    if (d.chance(0.2)) out.push(...this.soup(4).split(' '));
    return out;
  }

  /**
   * Free text for a name, summary or objective that parses: anything but double quotes and control
   * characters, so the nasty part reaches the database and every view that shows it.
   */
  private nasty(max = 6): string {
    const d = this.d;
    const pool = [...UNICODE, ...INJECTION, ...MONGO, 'Launch', 'day', 'of', 'the', 'API'].filter(
      // eslint-disable-next-line no-control-regex
      (f) => !/["“”\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/.test(f),
    );
    const n = d.int(1, max);
    return Array.from({ length: n }, () => d.pick(pool)).join(d.pick([' ', ' ', '', '\u00A0']));
  }

  private bProgram(): string {
    return this.d.pick(B_PROGRAMS);
  }

  /** Mostly in the first few programs, so updates, blockers and dependencies find their workstream. */
  private bWorkstream(): string {
    const program = this.d.chance(0.7) ? this.d.pick(B_PROGRAMS.slice(0, 3)) : this.bProgram();
    return `${program}/${this.d.pick(B_WORKSTREAMS)}`;
  }

  /** A request that parses, with nasty text wherever free text may go. */
  private cleanProgram(): { text: string; recipe: string } {
    const d = this.d;
    const sub = d.pick([
      'new',
      'new',
      'add',
      'add',
      'add',
      'blocker',
      'depend',
      'milestone',
      'resource',
      'allocate',
      'show',
      'show',
      'preview',
      'digest',
      'schedules',
      'schedule',
      'list',
      'archive',
    ]);
    const q = (text: string) => (d.chance(0.8) ? `"${text}"` : `“${text}”`);
    let text: string;
    switch (sub) {
      case 'new':
        text = `new ${this.bProgram()} ${q(this.nasty())}`;
        if (d.chance(0.6)) text += ` objective:${q(this.nasty(12))}`;
        if (d.chance(0.5))
          text += ` channel:${d.pick(['<#C0FUZZ|fuzz>', '<#C0CAIRN>', '<#G0PRIV|<!here>>'])}`;
        break;
      case 'add':
        text = `add ${this.bProgram()} ${d.pick(B_WORKSTREAMS)} ${q(this.nasty())} team:${d.pick(VALID_TEAMS)} lead:${d.pick(VALID_USERS)}`;
        if (d.chance(0.6)) text += ` due:${d.pick(VALID_DATES)}`;
        break;
      case 'blocker':
        text = `blocker ${this.bWorkstream()} ${q(this.nasty(10))}`;
        break;
      case 'depend':
        text = `depend ${this.bWorkstream()} on ${this.bWorkstream()} by ${d.pick(VALID_DATES)} ${q(this.nasty())}`;
        break;
      case 'milestone':
        text = `milestone ${this.bProgram()} ${q(this.nasty())} ${d.pick(VALID_DATES)}`;
        if (d.chance(0.5)) text += ` needs:${d.pick(B_WORKSTREAMS)},${d.pick(B_WORKSTREAMS)}`;
        break;
      case 'resource':
        text = `resource ${d.pick(RESOURCES)} capacity:${d.pick(['10', '0.5', '2.5', '10000'])}`;
        break;
      case 'allocate':
        text = `allocate ${d.pick(RESOURCES)} ${this.bWorkstream()} ${d.pick(['1', '2.5', '4'])} from:${d.pick(['dec 1', 'tomorrow', '2026-12-01'])} to:${d.pick(['dec 19', '2027-01-01'])}`;
        break;
      case 'list':
        text = d.pick(['list', 'list all']);
        break;
      case 'archive':
        // Rarely, and only the programs the others use least, so most data stays for the reads.
        text = `archive ${d.pick(['x', 'p-1', '0day'])}`;
        break;
      default:
        text = `${sub} ${d.chance(0.15) ? d.pick(A_PROGRAMS) : this.bProgram()}`;
    }
    return { text, recipe: `clean ${sub}` };
  }

  private cleanStatus(): { text: string; recipe: string } {
    const d = this.d;
    const ws = d.chance(0.15) ? d.pick(A_WORKSTREAMS) : this.bWorkstream();
    if (d.chance(0.2)) return { text: ws, recipe: 'clean status card' };
    const percent = d.chance(0.4) ? ` ${d.pick(['0%', '50%', '100%'])}` : '';
    return {
      text: `${ws} ${d.pick(HEALTH.slice(0, 10))}${percent} ${this.nasty(20)}`,
      recipe: 'clean status update',
    };
  }

  private programRecipe(): { text: string; recipe: string } {
    const d = this.d;
    if (d.chance(0.45)) return this.cleanProgram();
    const sub = d.pick(PROGRAM_SUBS);
    const base = sub.toLowerCase();
    let parts: string[];
    switch (base) {
      case 'new':
        parts = [sub, this.key(), this.quoted()];
        if (d.chance(0.5)) parts.push(`objective:${this.quoted()}`);
        if (d.chance(0.4)) parts.push(`channel:${d.pick(CHANNELS)}`);
        if (d.chance(0.1)) parts = [sub];
        break;
      case 'add':
        parts = [sub, this.key(), d.pick(['ws', 'ws-2', 'payments', ...BAD_KEYS]), this.quoted()];
        parts.push(`team:${d.pick(TEAMS)}`, `lead:${d.pick(USERS)}`);
        if (d.chance(0.6)) parts.push(`due:${this.date()}`);
        break;
      case 'depend':
        parts = [
          sub,
          this.workstream(),
          d.pick(['on', 'on', 'ON', 'upon']),
          this.workstream(),
          d.pick(['by', 'by', 'before']),
          this.date(),
          this.quoted(),
        ];
        break;
      case 'blocker':
        parts = [sub, this.workstream(), this.quoted()];
        break;
      case 'milestone':
        parts = [sub, this.key(), this.quoted(), this.date()];
        if (d.chance(0.5)) parts.push(this.option().replace(/^[a-zA-Z]+:/, 'needs:'));
        break;
      case 'resource':
        parts = [
          sub,
          d.chance(0.5) ? this.quoted() : this.key(),
          `capacity:${d.pick(['10', '0', '0.5', '1e3', '-1', '2.5', this.fragment()])}`,
        ];
        break;
      case 'allocate':
        parts = [
          sub,
          d.chance(0.5) ? this.quoted() : this.key(),
          this.workstream(),
          d.pick(['4', '0', '2.5', '10001', this.fragment()]),
          `from:${this.date()}`,
          `to:${this.date()}`,
        ];
        break;
      case 'list':
        parts = [sub, ...(d.chance(0.3) ? [d.pick(['all', 'ALL', 'archived', this.fragment()])] : [])];
        break;
      case 'help':
        parts = [sub, ...(d.chance(0.3) ? [this.fragment()] : [])];
        break;
      default:
        parts = [sub, this.key()];
    }
    return { text: this.corrupt(parts).join(this.separator() || ' '), recipe: `program ${base}` };
  }

  private statusRecipe(): { text: string; recipe: string } {
    const d = this.d;
    if (d.chance(0.45)) return this.cleanStatus();
    const roll = d.random();
    if (roll < 0.06)
      return {
        text: d.pick(['', ' ', '\t', 'help', 'HELP', ' help ', '\u200B']),
        recipe: 'status empty/help',
      };
    if (roll < 0.25) return { text: this.workstream(), recipe: 'status card' };
    const parts = [this.workstream(), d.chance(0.85) ? d.pick(HEALTH) : this.fragment()];
    if (d.chance(0.4)) parts.push(d.pick(PERCENT));
    parts.push(this.words(14));
    return { text: this.corrupt(parts).join(' '), recipe: 'status update' };
  }

  /** Long texts around the 3,000-character limit and far past it, up to 10,000. */
  private huge(command: Command): { text: string; recipe: string } {
    const d = this.d;
    const length = d.pick([2_999, 3_000, 3_001, d.int(1_000, 10_000), 10_000]);
    const unit = d.chance(0.5)
      ? d.pick(['x', '🚀', 'e\u0301', '<!channel> ', '&lt;', 'a b '])
      : this.fragment() || 'x';
    let body = '';
    while (body.length < length) body += unit;
    const prefix =
      command === '/status'
        ? d.pick(['payments green ', 'web red 50% ', 'ws amber ', ''])
        : d.pick(['show ', 'new big "', 'blocker web "', 'resource "', '']);
    const text = (prefix + body).slice(0, length);
    // The last code unit may be half a surrogate pair: that is a lone surrogate, as in the wild.
    return { text, recipe: 'huge' };
  }

  next(index: number): FuzzCase {
    const d = this.d;
    const command: Command = d.chance(0.6) ? '/program' : '/status';
    const roll = d.random();
    let made: { text: string; recipe: string };
    if (roll < 0.04) made = this.huge(command);
    else if (roll < 0.16) made = { text: this.soup(20), recipe: 'soup' };
    else made = command === '/program' ? this.programRecipe() : this.statusRecipe();
    return { index, command, ...made };
  }
}

/** True when the text holds a UTF-16 code unit that is half of no pair. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/**
 * A form field encoded the way a client that does not check for lone surrogates would: each
 * surrogate as the three bytes of its code point (WTF-8 / CESU-8), which is invalid UTF-8.
 */
export function encodeWtf8(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      const bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
      out += bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(ch);
    }
  }
  return out;
}
