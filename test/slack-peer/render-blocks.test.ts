/** The playground's Block Kit drawing: faithful enough to see a layout, and never a way in for markup. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { View } from '@slack/types';
import {
  blocksToHtml,
  type Directory,
  escapeHtml,
  mrkdwnToHtml,
  viewToHtml,
} from '../../src/slack-peer/render-blocks.js';
import { DEFAULT_SETTINGS } from '../../src/domain/settings.js';
import { scheduleModal } from '../../src/views/schedule-views.js';
import { settingsModal } from '../../src/views/settings-views.js';
import { updateModal } from '../../src/views/update-views.js';
import { DigestFixture, inDays } from '../support/digest-fixtures.js';
import { everySurface } from '../support/every-surface.js';

/** Every tag the drawing may emit; anything else in the output came from user text. */
const ALLOWED_TAG =
  /^<\/?(b|i|s|code|pre|blockquote|br|hr|h3|div|span|figure|figcaption|label|textarea|optgroup|option|select|button|input|img|a)(\s[^<>]*)?>$/;
const tagsOf = (html: string) => html.match(/<[^>]*>/g) ?? [];
/** Every attribute the drawing may write: names it chose, each value quoted (its quotes escaped). */
const ATTRIBUTES =
  /^<\/?[a-z0-9]+((\s(class|href|target|rel|src|alt|label|value|type|name|placeholder|maxlength|min|max|step|data-[a-z-]+)="[^"<>]*")|\s(checked|selected|multiple))*>$/;

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

  it('escapes every text, value and id of every form control, and of a modal around them', () => {
    const text = fc.string({ maxLength: 40, unit: 'grapheme-ascii' });
    const plainText = text.map((t) => ({ type: 'plain_text', text: t }));
    const option = fc.record({ text: plainText, value: text, description: plainText });
    const entry = fc.record({ id: text, name: text });
    const id = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme-ascii' });
    fc.assert(
      fc.property(
        fc.record({
          blockId: id,
          actionId: id,
          label: plainText,
          placeholder: plainText,
          value: text,
          options: fc.array(option, { minLength: 1, maxLength: 3 }),
          mrkdwn: text,
          title: plainText,
          submit: plainText,
          directory: fc.record({
            conversations: fc.array(entry, { maxLength: 3 }),
            users: fc.array(entry, { maxLength: 3 }),
          }),
        }),
        (t) => {
          const input = (element: Record<string, unknown>) => ({
            type: 'input',
            block_id: t.blockId,
            label: t.label,
            hint: t.label,
            element: { action_id: t.actionId, placeholder: t.placeholder, ...element },
          });
          const boxes = t.options.map((o, i) =>
            i === 0 ? { ...o, text: { type: 'mrkdwn', text: t.mrkdwn } } : o,
          );
          const elements = [
            { type: 'plain_text_input', initial_value: t.value, max_length: 3000 },
            { type: 'plain_text_input', multiline: true, initial_value: t.value },
            {
              type: 'number_input',
              is_decimal_allowed: true,
              min_value: t.value,
              max_value: t.value,
              initial_value: t.value,
            },
            { type: 'datepicker', initial_date: t.value },
            { type: 'timepicker', initial_time: t.value },
            { type: 'static_select', options: t.options, initial_option: t.options[0] },
            { type: 'static_select', option_groups: [{ label: t.label, options: t.options }] },
            { type: 'radio_buttons', options: boxes, initial_option: boxes[0] },
            { type: 'checkboxes', options: boxes, initial_options: boxes },
            { type: 'conversations_select', initial_conversation: t.value },
            { type: 'channels_select', initial_channel: t.value },
            { type: 'users_select', initial_user: t.value },
            { type: 'multi_users_select', initial_users: [t.value] },
          ];
          const view = {
            type: 'modal',
            title: t.title,
            submit: t.submit,
            close: t.submit,
            blocks: [
              ...elements.map(input),
              {
                type: 'actions',
                block_id: t.blockId,
                elements: elements.map((e) => ({ ...e, action_id: t.actionId })),
              },
              {
                type: 'section',
                block_id: t.blockId,
                text: t.label,
                accessory: { ...elements[8], action_id: t.actionId },
              },
            ],
          };
          const html = viewToHtml(view, { [t.blockId]: t.value }, t.directory);
          for (const tag of tagsOf(html)) {
            expect(tag).toMatch(ALLOWED_TAG);
            expect(tag).toMatch(ATTRIBUTES);
          }
          expect(html).not.toMatch(/<script/i);
          // Each control (the boxes' wrapper for checkboxes and radio buttons) carries its ids, escaped.
          const ids = `data-block-id="${escapeHtml(t.blockId)}" data-action-id="${escapeHtml(t.actionId)}"`;
          for (const { type } of elements) {
            // Once in its input block and once in the actions block; the checkboxes in the section too.
            const drawn =
              2 * elements.filter((e) => e.type === type).length + (type === 'checkboxes' ? 1 : 0);
            expect(html.split(`${ids} data-kind="${type}"`).length - 1, type).toBe(drawn);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('escapes the five characters that matter in HTML', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

/** The page finds a modal's controls by these three attributes, on exactly one element per input block. */
const control = (blockId: string, kind: string) =>
  `data-block-id="${blockId}" data-action-id="value" data-kind="${kind}"`;

describe('Cairn’s modals as forms', () => {
  const fx = new DigestFixture({ name: 'Checkout', channelId: 'C0CHECK' });
  const pay = fx.workstream('pay', { name: 'Payments <API>' });
  const web = fx.workstream('web', { name: 'Web' });
  const directory: Directory = {
    conversations: [
      { id: 'C0GEN', name: 'general' },
      { id: 'C0CHECK', name: 'checkout & pay' },
    ],
    users: [
      { id: 'U0ANA', name: 'Ana' },
      { id: 'U0BO', name: 'Bo <admin>' },
    ],
  };

  it('draws every input block of every modal as one control carrying its ids and type', () => {
    const views = everySurface().flatMap((s) => (s.view?.type === 'modal' ? [s.view] : []));
    expect(views.length).toBeGreaterThanOrEqual(5);
    for (const view of views) {
      const html = viewToHtml(view, {}, directory);
      for (const block of view.blocks) {
        if (block.type !== 'input') continue;
        const { element } = block as { element: { type: string } };
        expect(html.split(control(block.block_id!, element.type)).length - 1, block.block_id).toBe(1);
      }
    }
  });

  it('shows the schedule modal’s initial values: channel, days, time, timezone, audience, reminder', () => {
    const html = viewToHtml(scheduleModal(fx.program, 'Europe/Paris'), {}, directory);
    expect(html).toContain('<div class="modal-title">Digest schedule</div>');
    expect(html).toContain(
      `<select class="picker" ${control('channel', 'conversations_select')}><option value=""></option><option value="C0GEN">#general</option><option value="C0CHECK" selected>#checkout &amp; pay</option></select>`,
    );
    expect(html).toContain(`<div class="checkboxes" ${control('days', 'checkboxes')}>`);
    expect(html).toContain('<input type="checkbox" value="mon" checked> Monday</label>');
    expect(html).toContain('<input type="checkbox" value="tue"> Tuesday</label>');
    expect(html).toContain(`<input type="time" value="09:00" ${control('time', 'timepicker')}>`);
    expect(html).toContain(
      `<input type="text" value="Europe/Paris" maxlength="64" ${control('timezone', 'plain_text_input')}>`,
    );
    expect(html).toContain('<input type="radio" name="variant/value" value="team" checked>');
    expect(html).toContain('<input type="radio" name="variant/value" value="client">');
    expect(html).toContain('<option value="120" selected>2 hours before</option>');
    expect(html).toContain(
      '<div class="modal-actions"><button type="button" class="button" data-kind="close">Cancel</button><button type="button" class="button primary" data-kind="submit">Schedule</button></div>',
    );
  });

  it('shows the update modal’s values when editing: health, progress, summary, forecast, audience', () => {
    const editing = fx.update(pay, {
      health: 'at_risk',
      ago: 1,
      summary: 'Card flow </textarea><script>',
      progress: 40,
      forecastDate: inDays(14),
    });
    const html = viewToHtml(
      updateModal({
        workstreams: [pay],
        selected: pay,
        editing: { ...editing, internal: true },
        metadata: {},
      }),
      { summary: 'Say more' },
      directory,
    );
    expect(html).toContain('<input type="radio" name="health/value" value="at_risk" checked>');
    expect(html).toContain(
      `<input type="number" value="40" step="1" min="0" max="100" ${control('progress', 'number_input')}>`,
    );
    expect(html).toContain('>Card flow &lt;/textarea&gt;&lt;script&gt;</textarea>');
    expect(html).toContain(`<input type="date" value="${inDays(14)}" ${control('forecast', 'datepicker')}>`);
    expect(html).toContain(
      '<input type="checkbox" value="internal" checked> Internal update<span class="hint">',
    );
    expect(html).toContain('<div class="error">Say more</div>');
  });

  it('offers the workstreams of a new update, the chosen one selected', () => {
    const html = viewToHtml(updateModal({ workstreams: [pay, web], selected: web, metadata: {} }));
    expect(html).toContain(
      `<select ${control('workstream', 'static_select')}><option value="">Choose a workstream</option>`,
    );
    expect(html).toContain(
      `<option value="${pay._id.toHexString()}">Payments &lt;API&gt; (checkout/pay)</option>`,
    );
    expect(html).toContain(`<option value="${web._id.toHexString()}" selected>Web (checkout/web)</option>`);
  });

  it('shows the settings as they are, the listed people selected, one the directory lacks by its id', () => {
    const html = viewToHtml(
      settingsModal({
        ...DEFAULT_SETTINGS,
        programCreation: { creators: 'listed', creatorIds: ['U0BO', 'U0GONE'] },
      }),
      {},
      directory,
    );
    expect(html).toContain(
      `<input type="number" value="7" step="1" min="1" max="60" ${control('stale_after_days', 'number_input')}>`,
    );
    expect(html).toContain('<input type="radio" name="program_creators/value" value="listed" checked>');
    expect(html).toContain(
      `<select class="picker" multiple ${control('program_creator_ids', 'multi_users_select')}><option value="U0ANA">Ana</option><option value="U0BO" selected>Bo &lt;admin&gt;</option><option value="U0GONE" selected>U0GONE</option></select>`,
    );
  });

  it('draws a users select and a modal with no submit button nor close text', () => {
    const html = viewToHtml(
      {
        type: 'modal',
        title: { type: 'plain_text', text: 'Who' },
        blocks: [
          {
            type: 'input',
            block_id: 'who',
            label: { type: 'plain_text', text: 'Who' },
            element: { type: 'users_select', action_id: 'value', initial_user: 'U0ANA' },
          },
        ],
      },
      {},
      directory,
    );
    expect(html).toContain(
      `<select class="picker" ${control('who', 'users_select')}><option value=""></option><option value="U0ANA" selected>Ana</option>`,
    );
    expect(html).toContain(
      '<div class="modal-actions"><button type="button" class="button" data-kind="close">Close</button></div>',
    );
    expect(html).not.toContain('data-kind="submit"');
  });

  it('draws a Home tab as its blocks alone', () => {
    const home = everySurface().find((s) => s.view?.type === 'home')!.view as View;
    expect(viewToHtml(home, {}, directory)).toBe(blocksToHtml(home.blocks, {}, directory));
    expect(viewToHtml(home)).not.toContain('class="modal');
  });
});

describe('mentions without a label', () => {
  const directory = {
    users: [{ id: 'U0ANA', name: 'Ana <b>' }],
    conversations: [{ id: 'C0CHK', name: 'checkout' }],
  };
  const section = (text: string) => [{ type: 'section', text: { type: 'mrkdwn', text } }];

  it('show the name the directory has, as Slack shows a person’s or channel’s name', () => {
    const html = blocksToHtml(section('lead <@U0ANA> in <#C0CHK> and <@U0GONE>'), {}, directory);
    expect(html).toContain('<span class="mention">@Ana &lt;b&gt;</span>');
    expect(html).toContain('<span class="mention">#checkout</span>');
    expect(html).toContain('@U0GONE');
  });

  it('cannot be faked by text that looks like the drawn markup', () => {
    const html = blocksToHtml(section('<span class="mention" data-user="U0ANA">@x</span>'), {}, directory);
    expect(html).not.toContain('Ana');
    expect(tagsOf(html).every((tag) => ALLOWED_TAG.test(tag))).toBe(true);
  });
});
