/** What the playground sends for typed text: Slack's escaping, and mentions only of people and channels it knows. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/parsing/tokenize.js';
import { slackCommandText, type Known } from '../../src/slack-peer/typed-text.js';

const known: Known = {
  people: [
    { id: 'U0ANA', handle: 'ana' },
    { id: 'U0BEN', handle: 'ben' },
  ],
  channels: [{ id: 'C0CHK', name: 'checkout' }],
};
const nobody: Known = { people: [], channels: [] };
const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const MENTION = /<(@U[A-Z0-9]+|#C[A-Z0-9]+)\|[a-z0-9._-]+>/gi;

describe('slackCommandText', () => {
  it.each([
    ['web on_track lead @Ana', 'web on_track lead <@U0ANA|ana>'],
    ['ping @ana, @ben.', 'ping <@U0ANA|ana>, <@U0BEN|ben>.'],
    ['channel:#checkout', 'channel:<#C0CHK|checkout>'],
    ['@nobody #nowhere', '@nobody #nowhere'],
    ['mail ana@ben.example', 'mail ana@ben.example'],
    ['a < b & c > d', 'a &lt; b &amp; c &gt; d'],
    ['<@U0EVIL|ana>', '&lt;@U0EVIL|ana&gt;'],
  ])('%s → %s', (typed, sent) => {
    expect(slackCommandText(typed, known)).toBe(sent);
  });

  it('sends what was typed, escaped as Slack escapes it, when nobody is known', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (typed) => {
        expect(decode(slackCommandText(typed, nobody))).toBe(typed);
      }),
    );
  });

  it('never lets typed text make a raw < or > other than the mentions it adds', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('@ana', '#checkout', '<', '>', '&', '@')),
          {
            maxLength: 20,
          },
        ),
        (parts) => {
          const sent = slackCommandText(parts.join(''), known);
          expect(sent.replace(MENTION, '')).not.toMatch(/[<>]/);
        },
      ),
    );
  });

  it('reads back as Cairn reads a command: each mention is one token with the person in it', () => {
    const read = tokenize(slackCommandText('set web lead @ben #checkout', known));
    expect(read.ok && read.tokens.map((t) => t.type)).toEqual(['word', 'word', 'word', 'user', 'channel']);
    expect(read.ok && read.tokens[3]).toMatchObject({ id: 'U0BEN' });
    expect(read.ok && read.tokens[4]).toMatchObject({ id: 'C0CHK' });
  });
});
