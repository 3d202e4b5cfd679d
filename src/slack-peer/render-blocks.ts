/**
 * Block Kit as HTML, for the playground's page (issue 14): the blocks Cairn sends (header, section
 * with text, fields and accessory, context, divider, actions with buttons, overflows and selects,
 * image, input) drawn closely enough that a layout problem shows. Pure: blocks in, HTML out. Every
 * text is escaped before any markup is added, so nothing a user wrote can become markup on the page.
 * Interactive elements carry data attributes (action id, value, block id) for the page's script to
 * send back as Slack would send a click.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** HTML-escapes text, including quotes, so it is safe in element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Slack's mrkdwn as HTML. Slack's own escaping (`&lt;`, `&gt;`, `&amp;`) is undone first, then the
 * text is HTML-escaped as a whole, and only then are the marks (`*bold*`, `_italic_`, `~strike~`,
 * `` `code` ``, ```` ``` ```` blocks, `>` quotes, `<@U…>` mentions, `<#C…|name>` channels, `<!here>`,
 * `<url|text>` links) turned into elements: every piece of markup comes from this function, none from
 * the text.
 */
export function mrkdwnToHtml(mrkdwn: string): string {
  const plain = mrkdwn.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const lines = escapeHtml(plain).split('\n');
  const out: string[] = [];
  let inPre = false;
  for (const line of lines) {
    if (line.includes('```')) {
      const parts = line.split('```');
      let html = '';
      parts.forEach((part, i) => {
        if (i > 0) {
          html += inPre ? '</pre>' : '<pre>';
          inPre = !inPre;
        }
        html += inPre ? part : inline(part);
      });
      out.push(html);
      continue;
    }
    if (inPre) {
      out.push(line);
      continue;
    }
    out.push(line.startsWith('&gt; ') ? `<blockquote>${inline(line.slice(5))}</blockquote>` : inline(line));
  }
  if (inPre) out.push('</pre>');
  return out
    .join('<br>')
    .replace(/<br><pre>/g, '<pre>')
    .replace(/<\/pre><br>/g, '</pre>');
}

/** The inline marks of one line of already-escaped text; nothing inside a code span is a mark. */
function inline(escaped: string): string {
  return escaped
    .split(/(`[^`]+`)/)
    .map((part, i) => (i % 2 === 1 ? `<code>${part.slice(1, -1)}</code>` : marks(part)))
    .join('');
}

function marks(escaped: string): string {
  // Mentions and links first, and no mark inside them (a URL's `_` or `*` is not italic or bold).
  return escaped
    .split(/(&lt;[^&]*?&gt;)/)
    .map((part, i) =>
      i % 2 === 1
        ? special(part.slice(4, -4))
        : part
            .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,;:!?])/g, '$1<b>$2</b>')
            .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,;:!?])/g, '$1<i>$2</i>')
            .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,;:!?])/g, '$1<s>$2</s>'),
    )
    .join('');
}

/** `<@U1|name>`, `<#C1|name>`, `<!here>`, `<https://…|text>` (their text already escaped). */
function special(inner: string): string {
  const [target = '', label] = inner.split('|', 2);
  if (target.startsWith('@')) return `<span class="mention">@${label ?? target.slice(1)}</span>`;
  if (target.startsWith('#')) return `<span class="mention">#${label ?? target.slice(1)}</span>`;
  if (target.startsWith('!')) return `<span class="mention">@${target.slice(1).split('^')[0]}</span>`;
  if (/^(https?:\/\/|mailto:)/.test(target))
    return `<a href="${target}" target="_blank" rel="noopener noreferrer">${label ?? target}</a>`;
  return `&lt;${inner}&gt;`;
}

/** A text object: mrkdwn drawn as such, plain_text escaped as it is. */
function textHtml(text: unknown): string {
  if (!isObject(text)) return '';
  return text.type === 'mrkdwn' ? mrkdwnToHtml(str(text.text)) : escapeHtml(str(text.text));
}

const data = (attributes: Record<string, string | undefined>) =>
  Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` data-${k}="${escapeHtml(v!)}"`)
    .join('');

/** One interactive or image element. */
function elementHtml(element: unknown, blockId: string | undefined): string {
  if (!isObject(element)) return '';
  const common = { 'block-id': blockId, 'action-id': str(element.action_id) || undefined };
  switch (element.type) {
    case 'button':
      if (typeof element.url === 'string' && /^https?:\/\//.test(element.url)) {
        return `<a class="button" href="${escapeHtml(element.url)}" target="_blank" rel="noopener noreferrer"${data(common)}>${textHtml(element.text)}</a>`;
      }
      return `<button class="button ${escapeHtml(str(element.style))}"${data({ ...common, value: str(element.value) || undefined, kind: 'button' })}>${textHtml(element.text)}</button>`;
    case 'overflow':
      return `<select class="overflow"${data({ ...common, kind: 'overflow' })}><option value="">⋯</option>${optionsHtml(element.options)}</select>`;
    case 'static_select':
    case 'external_select':
      return `<select${data({ ...common, kind: 'static_select' })}><option value="">${textHtml(element.placeholder)}</option>${optionsHtml(element.options)}${groupsHtml(element.option_groups)}</select>`;
    case 'users_select':
    case 'multi_users_select':
    case 'conversations_select':
    case 'channels_select':
      return `<input class="picker" placeholder="${escapeHtml(str(isObject(element.placeholder) ? element.placeholder.text : ''))}"${data({ ...common, kind: str(element.type) })}>`;
    case 'image':
      return imageHtml(element.image_url, element.alt_text);
    case 'mrkdwn':
    case 'plain_text':
      return `<span>${textHtml(element)}</span>`;
    default:
      return `<span class="unknown">[${escapeHtml(str(element.type))}]</span>`;
  }
}

function optionsHtml(options: unknown): string {
  if (!Array.isArray(options)) return '';
  return options
    .filter(isObject)
    .map(
      (o) =>
        `<option value="${escapeHtml(str(o.value))}">${escapeHtml(str(isObject(o.text) ? o.text.text : ''))}</option>`,
    )
    .join('');
}

function groupsHtml(groups: unknown): string {
  if (!Array.isArray(groups)) return '';
  return groups
    .filter(isObject)
    .map(
      (g) =>
        `<optgroup label="${escapeHtml(str(isObject(g.label) ? g.label.text : ''))}">${optionsHtml(g.options)}</optgroup>`,
    )
    .join('');
}

/** Images from data URLs or http(s) only; alt text always. */
function imageHtml(url: unknown, alt: unknown): string {
  const src = str(url);
  if (!/^(https?:\/\/|data:image\/)/.test(src))
    return `<span class="unknown">[image: ${escapeHtml(str(alt))}]</span>`;
  return `<img src="${escapeHtml(src)}" alt="${escapeHtml(str(alt))}">`;
}

/** One input block of a modal: its label, its element, and the error Cairn answered for it, if any. */
function inputHtml(block: Json, blockId: string | undefined, errors: Record<string, string>): string {
  const element = isObject(block.element) ? block.element : {};
  const initial = str(element.initial_value);
  const field =
    element.type === 'plain_text_input'
      ? element.multiline
        ? `<textarea${data({ 'block-id': blockId, 'action-id': str(element.action_id), kind: 'plain_text_input' })}>${escapeHtml(initial)}</textarea>`
        : `<input value="${escapeHtml(initial)}"${data({ 'block-id': blockId, 'action-id': str(element.action_id), kind: 'plain_text_input' })}>`
      : elementHtml(element, blockId);
  const error = blockId && errors[blockId] ? `<div class="error">${escapeHtml(errors[blockId])}</div>` : '';
  return `<label class="input"><span class="label">${textHtml(block.label)}${block.optional ? ' <i>(optional)</i>' : ''}</span>${field}${block.hint ? `<span class="hint">${textHtml(block.hint)}</span>` : ''}${error}</label>`;
}

/**
 * Blocks as HTML. `errors` are a modal's inline errors by block id (Slack's `response_action:
 * 'errors'`). Unknown block types show as such rather than vanish.
 */
export function blocksToHtml(blocks: unknown, errors: Record<string, string> = {}): string {
  if (!Array.isArray(blocks)) return '';
  return blocks
    .filter(isObject)
    .map((block) => {
      const blockId = str(block.block_id) || undefined;
      switch (block.type) {
        case 'header':
          return `<h3 class="block header">${textHtml(block.text)}</h3>`;
        case 'divider':
          return '<hr class="block">';
        case 'section': {
          const fields = Array.isArray(block.fields)
            ? `<div class="fields">${block.fields.map((f) => `<div>${textHtml(f)}</div>`).join('')}</div>`
            : '';
          const accessory = block.accessory
            ? `<div class="accessory">${elementHtml(block.accessory, blockId)}</div>`
            : '';
          return `<div class="block section"><div class="text">${textHtml(block.text)}${fields}</div>${accessory}</div>`;
        }
        case 'context':
          return `<div class="block context">${(Array.isArray(block.elements) ? block.elements : []).map((e) => elementHtml(e, blockId)).join(' ')}</div>`;
        case 'actions':
          return `<div class="block actions">${(Array.isArray(block.elements) ? block.elements : []).map((e) => elementHtml(e, blockId)).join('')}</div>`;
        case 'image':
          return `<figure class="block image">${block.title ? `<figcaption>${textHtml(block.title)}</figcaption>` : ''}${imageHtml(block.image_url, block.alt_text)}</figure>`;
        case 'input':
          return `<div class="block">${inputHtml(block, blockId, errors)}</div>`;
        default:
          return `<div class="block unknown">[${escapeHtml(str(block.type))} block]</div>`;
      }
    })
    .join('\n');
}
