import { describe, expect, it } from 'vitest';
import { context, section } from '../../src/views/blocks.js';
import {
  codeBlockText,
  cutMrkdwn,
  escapeKeepingMentions,
  escapeMrkdwn,
  oneLine,
  quoteInput,
  truncate,
  userText,
} from '../../src/text/escape.js';

const FAMILY = '👩‍👩‍👧‍👦'; // 7 code points, one grapheme

describe('escapeMrkdwn', () => {
  it('escapes the three control characters and replaces formatting characters by look-alikes', () => {
    expect(escapeMrkdwn('Tier*1 _roll_ ~out~ `x` <!channel> & R&D')).toBe(
      'Tier∗1 ˍrollˍ ∼out∼ ˋxˋ &lt;!channel&gt; &amp; R&amp;D',
    );
  });

  it('leaves no ``` to open a code block', () => {
    expect(escapeMrkdwn('see ```code```')).toBe('see ˋˋˋcodeˋˋˋ');
  });
});

describe('escapeKeepingMentions', () => {
  it('keeps user mentions, without their label, and nothing else of the <…> kind', () => {
    expect(
      escapeKeepingMentions('ask <@U0DANA|dana_x> and <@W0ENT>, not <!here> or <https://x.example|here>'),
    ).toBe('ask <@U0DANA> and <@W0ENT>, not &lt;!here&gt; or &lt;https://x.example|here&gt;');
  });
});

describe('truncate (plain text)', () => {
  it('leaves a text that fits as it is', () => {
    expect(truncate('Payments', 8)).toBe('Payments');
  });

  it('cuts between graphemes, counting code points, and says so', () => {
    expect(truncate(`ab${FAMILY}${FAMILY}`, 10)).toBe(`ab${FAMILY}…`);
    expect(truncate(`ab${FAMILY}${FAMILY}`, 9)).toBe('ab…');
    expect(truncate('🇫🇷🇩🇪🇬🇧', 5)).toBe('🇫🇷🇩🇪…');
    expect(truncate('cafe\u0301 au lait', 6)).toBe('cafe\u0301…');
    expect(truncate('cafe\u0301 au lait', 5)).toBe('caf…');
  });

  it('drops the spaces before the …', () => {
    expect(truncate('Tier 1    rollout', 10)).toBe('Tier 1…');
  });
});

describe('userText', () => {
  it('cuts first, then escapes: a text of & keeps whole entities, within the budget, and says it was cut', () => {
    const shown = userText('&'.repeat(2000), 3000);
    expect([...shown].length).toBeLessThanOrEqual(3000);
    expect(shown).toBe(`${'&amp;'.repeat(599)}…`);
  });

  it('counts the budget in escaped characters', () => {
    expect(userText('R&D', 7)).toBe('R&amp;D');
    expect(userText('R&D team', 7)).toBe('R&amp;…');
    expect(userText('R&D team', 6)).toBe('R…');
  });

  it('never cuts an emoji sequence', () => {
    expect(userText(`ok ${FAMILY}${FAMILY}`, 12)).toBe(`ok ${FAMILY}…`);
    expect(userText(`ok ${FAMILY}`, 9)).toBe('ok…');
  });

  it('is on one line by default, and keeps or quotes line breaks when asked', () => {
    expect(userText('a\n  b\r\nc ', 100)).toBe('a b c');
    expect(userText('a\nb', 100, { lines: 'keep' })).toBe('a\nb');
    expect(userText('a\nb\r\n\nc', 100, { lines: 'quote' })).toBe('a\n> b\n> \n> c');
  });

  it('counts the quote marks of a quoted text in its budget', () => {
    expect(userText('a\nb\nc', 5, { lines: 'quote' })).toBe('a…');
    expect(userText('a\nb\nc', 9, { lines: 'quote' })).toBe('a\n> b\n> c');
  });

  it('keeps mentions whole when asked: a mention is cut as a whole or not at all', () => {
    expect(userText('hi <@U0DANA|dana> *now*', 100, { mentions: true })).toBe('hi <@U0DANA> ∗now∗');
    expect(userText('hi <@U0DANA|dana> there', 10, { mentions: true })).toBe('hi…');
    expect(userText('hi <@U0DANA|dana>', 100)).toBe('hi &lt;@U0DANA|dana&gt;');
  });
});

describe('quoteInput', () => {
  it('quotes words typed back in a code span, on one line, short, with nothing that ends the span', () => {
    expect(quoteInput('check_out *x* `x`\nnext <!here>')).toBe('`check_out *x* ˋxˋ next &lt;!here&gt;`');
    expect(quoteInput('a'.repeat(100), 10)).toBe(`\`${'a'.repeat(9)}…\``);
  });
});

describe('codeBlockText', () => {
  it('hands text back as typed inside a code block, but no backtick can end the block', () => {
    expect(codeBlockText('a*b_c ```x``` <!here> &', 100)).toBe('a*b_c ˋˋˋxˋˋˋ &lt;!here&gt; &amp;');
    expect(codeBlockText('&&&', 11)).toBe('&amp;&amp;…');
  });
});

describe('cutMrkdwn (the last resort for Cairn’s own mrkdwn)', () => {
  it('leaves a text that fits as it is', () => {
    expect(cutMrkdwn('*a* b', 5)).toBe('*a* b');
  });

  it('keeps whole lines when that keeps at least half of it', () => {
    expect(cutMrkdwn('*one*\n*two*\n*three*', 14)).toBe('*one*\n*two*\n…');
  });

  it('else cuts between graphemes, never inside an entity or a <…>', () => {
    expect(cutMrkdwn(`${'x'.repeat(10)} &amp;&amp;`, 17)).toBe(`${'x'.repeat(10)} &amp;…`);
    expect(cutMrkdwn(`${'x'.repeat(10)} <@U0DANA> y`, 15)).toBe(`${'x'.repeat(10)}…`);
    expect(cutMrkdwn(`${'x'.repeat(10)}${FAMILY}${FAMILY}`, 20)).toBe(`${'x'.repeat(10)}${FAMILY}…`);
  });
});

describe('oneLine', () => {
  it('joins lines with one space and trims', () => {
    expect(oneLine(' a \n\n b\u2028c ')).toBe('a b c');
  });
});

describe('mrkdwn text objects', () => {
  it('are verbatim: Slack links no URL, channel name or @-word of the text, and still renders <@U…> and <#C…>', () => {
    expect(section('Hi <@U0DANA>, in <#C0001>')).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: 'Hi <@U0DANA>, in <#C0001>', verbatim: true },
    });
    expect(context('x')).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'x', verbatim: true }],
    });
  });

  it('stay within 3,000 characters, cut where they may be', () => {
    const block = section(`*Summary*\n${'&amp;'.repeat(700)}`) as { text: { text: string } };
    expect([...block.text.text].length).toBeLessThanOrEqual(3000);
    expect(block.text.text).toMatch(/^\*Summary\*\n(&amp;)+…$/);
  });
});
