import { describe, expect, it } from 'vitest';
import { shown, tokenize, toPlainText, tooLong, type Token } from '../../src/parsing/tokenize.js';

/** Tokens without their positions, for compact expectations. */
function strip(token: Token): unknown {
  const rest: Record<string, unknown> = { ...token };
  for (const at of ['start', 'end', 'raw']) delete rest[at];
  return token.type === 'option' ? { ...rest, value: token.value.map(strip) } : rest;
}

function tokens(text: string): unknown[] {
  const result = tokenize(text);
  if (!result.ok) throw new Error(result.problem);
  return result.tokens.map(strip);
}

function problem(text: string): string {
  const result = tokenize(text);
  if (result.ok) throw new Error(`expected a problem for ${text}`);
  return result.problem;
}

const word = (text: string) => ({ type: 'word', text });
const quoted = (text: string) => ({ type: 'quoted', text });
const option = (key: string, ...value: unknown[]) => ({ type: 'option', key, value });

describe('tokenize', () => {
  it.each<[string, unknown[]]>([
    ['', []],
    ['  add   checkout\tpayments\nnow ', [word('add'), word('checkout'), word('payments'), word('now')]],
    ['"Payments API"', [quoted('Payments API')]],
    ['“Payments API”', [quoted('Payments API')]],
    ['”Payments API”', [quoted('Payments API')]],
    ['"Payments API”', [quoted('Payments API')]],
    ['""', [quoted('')]],
    ['"a:b c"', [quoted('a:b c')]],
    ['"Bob’s team"', [quoted('Bob’s team')]],
    ['R&amp;D &lt;3 a&gt;b', [word('R&D'), word('<3'), word('a>b')]],
    ['"R&amp;D &amp;lt;"', [quoted('R&D &lt;')]],
    ['<@U123ABC|dana>', [{ type: 'user', id: 'U123ABC', label: 'dana' }]],
    ['<@U123ABC>', [{ type: 'user', id: 'U123ABC' }]],
    ['<@W123ABC|dana>', [{ type: 'user', id: 'W123ABC', label: 'dana' }]],
    ['<#C123ABC|general>', [{ type: 'channel', id: 'C123ABC', name: 'general' }]],
    ['<#C123ABC>', [{ type: 'channel', id: 'C123ABC' }]],
    ['<#C123|>', [{ type: 'channel', id: 'C123' }]],
    ['<!channel> <!here> <!everyone>', [{ type: 'special' }, { type: 'special' }, { type: 'special' }]],
    ['<!subteam^S123|@team>', [{ type: 'special' }]],
    ['<https://example.com/a?b=c|label>', [{ type: 'special' }]],
    ['team:payments', [option('team', word('payments'))]],
    ['Team:payments', [option('team', word('payments'))]],
    ['lead:<@U1|dana>', [option('lead', { type: 'user', id: 'U1', label: 'dana' })]],
    ['due:2026-12-15', [option('due', word('2026-12-15'))]],
    ['objective:"Cut churn"', [option('objective', quoted('Cut churn'))]],
    ['objective:“Cut churn”', [option('objective', quoted('Cut churn'))]],
    ['needs:a,b', [option('needs', word('a,b'))]],
    ['capacity:10', [option('capacity', word('10'))]],
    ['from:dec 1', [option('from', word('dec')), word('1')]],
    ['team:', [option('team')]],
    ['a:b:c', [option('a', word('b:c'))]],
    ['https://example.com', [word('https://example.com')]],
    ['12:30 :red_circle: 🟢', [word('12:30'), word(':red_circle:'), word('🟢')]],
    ['x<@U1>y', [word('x'), { type: 'user', id: 'U1' }, word('y')]],
    ['"Launch" now', [quoted('Launch'), word('now')]],
    ['5" screen', [word('5"'), word('screen')]],
  ])('%j', (text, expected) => {
    expect(tokens(text)).toEqual(expected);
  });

  it('turns Slack escapes inside quotes into plain text that cannot ping', () => {
    expect(tokens('"Launch <!channel> and <!here|here> with <@U1|dana> in <#C1|general>"')).toEqual([
      quoted('Launch @channel and here with <@U1> in <#C1>'),
    ]);
  });

  it('keeps where each token is and what Slack sent', () => {
    const result = tokenize('add  "A B" lead:<@U1|d>');
    expect(result.ok && result.tokens.map(({ start, end, raw }) => ({ start, end, raw }))).toEqual([
      { start: 0, end: 3, raw: 'add' },
      { start: 5, end: 10, raw: '"A B"' },
      { start: 11, end: 23, raw: 'lead:<@U1|d>' },
    ]);
  });

  it('names where an unclosed quote starts', () => {
    expect(problem('add checkout "Payments API team:payments')).toBe(
      'The quote at character 14 (`"Payments API team:payments`) is never closed; end it with another `"`.',
    );
    expect(problem('objective:“Cut churn')).toContain('character 11');
  });

  it('quotes an unclosed quote safely and briefly', () => {
    const text = problem(`"<!channel> ${'x'.repeat(200)}`);
    expect(text).toContain('`"&lt;!channel&gt; xxx');
    expect(text.length).toBeLessThan(150);
  });

  it.each(['a\u0000b', 'a\u0007b', 'a\u001Bb', 'a\u007Fb', 'a\u0085b'])(
    'refuses control characters in %j',
    (text) => {
      expect(problem(text)).toMatch(/control character \(U\+00[0-9A-F]{2}\) at character 2/);
    },
  );

  it('allows tabs, newlines and carriage returns as spacing', () => {
    expect(tokens('a\tb\r\nc')).toEqual([word('a'), word('b'), word('c')]);
  });

  it('keeps emoji and right-to-left text intact', () => {
    expect(tokens('"🚀 إطلاق" "שלום עולם" 👩‍💻')).toEqual([
      quoted('🚀 إطلاق'),
      quoted('שלום עולם'),
      word('👩‍💻'),
    ]);
  });
});

describe('toPlainText', () => {
  it.each([
    ['waiting on <@U1|dana>', 'waiting on <@U1>'],
    ['cc <!channel> <!here> <!everyone>', 'cc @channel @here @everyone'],
    ['ping <!subteam^S123|@platform> and <!subteam^S9>', 'ping @platform and @subteam'],
    [
      'see <https://x.example/a|x.example/a> and <https://y.example>',
      'see x.example/a and https://y.example',
    ],
    ['in <#C1|general> and <#C2>', 'in <#C1> and <#C2>'],
    ['R&amp;D &lt;b&gt;', 'R&D <b>'],
    // Typed by the user (so escaped by Slack), then decoded: still made inert.
    ['&lt;!channel&gt; hi', '@channel hi'],
  ])('%j → %j', (raw, plain) => {
    expect(toPlainText(raw)).toBe(plain);
  });
});

describe('shown and tooLong', () => {
  it('shows tokens as the user would recognise them', () => {
    const result = tokenize('<@U1|dana> <@U2> <#C1|general> <!here> a&amp;b "q"');
    expect(result.ok && result.tokens.map(shown)).toEqual([
      '@dana',
      '<@U2>',
      '#general',
      '<!here>',
      'a&b',
      '"q"',
    ]);
  });

  it('limits commands to 3,000 characters, counting emoji as one', () => {
    expect(tooLong('x'.repeat(3_000))).toBeUndefined();
    expect(tooLong('🚀'.repeat(3_000))).toBeUndefined();
    expect(tooLong('x'.repeat(5_000))).toBe("That's 5,000 characters; commands are limited to 3,000.");
  });
});
