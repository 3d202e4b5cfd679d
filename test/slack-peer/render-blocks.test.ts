/** The playground's Block Kit drawing: faithful enough to see a layout, and never a way in for markup. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blocksToHtml, escapeHtml, mrkdwnToHtml } from '../../src/slack-peer/render-blocks.js';

/** Every tag the drawing may emit; anything else in the output came from user text. */
const ALLOWED_TAG =
  /^<\/?(b|i|s|code|pre|blockquote|br|hr|h3|div|span|figure|figcaption|label|textarea|optgroup|option|select|button|input|img|a)(\s[^<>]*)?>$/;
const tagsOf = (html: string) => html.match(/<[^>]*>/g) ?? [];

describe('mrkdwn as HTML', () => {
  it.each([
    ['*bold* and _italic_ and ~gone~', '<b>bold</b> and <i>italic</i> and <s>gone</s>'],
    ['`*not bold*`', '<code>*not bold*</code>'],
    ['&gt; quoted', '<blockquote>quoted</blockquote>'],
    [
      'hi <@U0LEE|lee> in <#C0X|checkout>',
      'hi <span class="mention">@lee</span> in <span class="mention">#checkout</span>',
    ],
    [
      '<https://example.com|a link>',
      '<a href="https://example.com" target="_blank" rel="noopener noreferrer">a link</a>',
    ],
    ['&lt;script&gt;alert(1)&lt;/script&gt;', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['<javascript:alert(1)|click>', '&lt;javascript:alert(1)|click&gt;'],
    ['```\n*raw*\n```', '<pre><br>*raw*<br></pre>'],
    [
      '<https://x.example/a_b_ *c* d|see _this_>',
      '<a href="https://x.example/a_b_ *c* d" target="_blank" rel="noopener noreferrer">see _this_</a>',
    ],
  ])('%j', (mrkdwn, html) => {
    expect(mrkdwnToHtml(mrkdwn)).toBe(html);
  });

  it('emits only its own tags, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'grapheme-ascii' }), (text) => {
        for (const tag of tagsOf(mrkdwnToHtml(text))) expect(tag).toMatch(ALLOWED_TAG);
        expect(mrkdwnToHtml(text)).not.toMatch(/<script|on\w+=|javascript:/i);
      }),
    );
  });
});

describe('blocks as HTML', () => {
  it('draws the blocks Cairn sends, with what a click needs to be sent back', () => {
    const html = blocksToHtml([
      { type: 'header', text: { type: 'plain_text', text: 'Checkout <revamp>' } },
      {
        type: 'section',
        block_id: 'attention:1',
        text: { type: 'mrkdwn', text: '*web* is off track' },
        accessory: {
          type: 'overflow',
          action_id: 'digest_line_menu',
          options: [{ text: { type: 'plain_text', text: 'Still on track' }, value: 'carry:abc' }],
        },
      },
      { type: 'divider' },
      {
        type: 'actions',
        block_id: 'acts',
        elements: [
          {
            type: 'button',
            action_id: 'status_open_modal',
            value: 'w1',
            text: { type: 'plain_text', text: 'Update…' },
          },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'updated _2d ago_' }] },
      { type: 'image', image_url: 'data:image/png;base64,AAAA', alt_text: 'Health chart' },
      { type: 'rich_text' },
    ]);
    expect(html).toContain('<h3 class="block header">Checkout &lt;revamp&gt;</h3>');
    expect(html).toContain(
      'data-block-id="attention:1" data-action-id="digest_line_menu" data-kind="overflow"',
    );
    expect(html).toContain('<option value="carry:abc">Still on track</option>');
    expect(html).toContain(
      'data-action-id="status_open_modal" data-value="w1" data-kind="button">Update…</button>',
    );
    expect(html).toContain('<i>2d ago</i>');
    expect(html).toContain('<img src="data:image/png;base64,AAAA" alt="Health chart">');
    expect(html).toContain('[rich_text block]');
  });

  it('shows a modal input with its value and the inline error Cairn answered', () => {
    const html = blocksToHtml(
      [
        {
          type: 'input',
          block_id: 'stale',
          label: { type: 'plain_text', text: 'Stale after (days)' },
          element: { type: 'plain_text_input', action_id: 'value', initial_value: '7"><script>' },
        },
      ],
      { stale: 'Give a whole number from 1 to 60' },
    );
    expect(html).toContain('value="7&quot;&gt;&lt;script&gt;"');
    expect(html).toContain('<div class="error">Give a whole number from 1 to 60</div>');
  });

  it('emits only its own tags and no script, whatever the texts, ids and values', () => {
    const text = fc.string({ maxLength: 80, unit: 'grapheme-ascii' });
    fc.assert(
      fc.property(text, text, text, text, (a, b, id, value) => {
        const html = blocksToHtml([
          {
            type: 'section',
            block_id: id,
            text: { type: 'mrkdwn', text: a },
            fields: [{ type: 'plain_text', text: b }],
          },
          {
            type: 'actions',
            elements: [{ type: 'button', action_id: id, value, text: { type: 'plain_text', text: b } }],
          },
          { type: 'image', image_url: a, alt_text: b },
        ]);
        for (const tag of tagsOf(html)) expect(tag).toMatch(ALLOWED_TAG);
        expect(html).not.toMatch(/<script|\son\w+=/i);
      }),
    );
  });

  it('escapes the five characters that matter in HTML', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
