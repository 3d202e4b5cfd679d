/**
 * Block Kit as HTML, for the playground's page (issue 14): the blocks Cairn sends (header, section
 * with text, fields and accessory, context, divider, actions with buttons, overflows and selects,
 * image, input) drawn closely enough that a layout problem shows. Pure: blocks in, HTML out. Every
 * text is escaped before any markup is added, so nothing a user wrote can become markup on the page.
 * Interactive elements carry data attributes (action id, value, block id) for the page's script to
 * send back as Slack would send a click.
 *
 * Form elements (in input blocks, actions and section accessories) are real controls showing their
 * initial values. Each control carries `data-block-id`, `data-action-id` and `data-kind` (the Slack
 * element type) on one element: the <input>, <textarea> or <select> itself, or, for checkboxes and
 * radio_buttons, one wrapper <div> around their <input type="checkbox|radio" value="…"> boxes.
 * Users and conversations selects list the people and channels of a Directory.
 */

type Json = Record<string, unknown>;

/** Who and where the playground knows, for users and conversations selects to offer. */
export interface Directory {
  conversations?: ReadonlyArray<{ id: string; name: string }>;
  users?: ReadonlyArray<{ id: string; name: string }>;
}

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
  // Without a label Slack shows the person's or channel's name: `named` puts it in from the directory.
  if (target.startsWith('@'))
    return label === undefined
      ? `<span class="mention" data-user="${target.slice(1)}">@${target.slice(1)}</span>`
      : `<span class="mention">@${label}</span>`;
  if (target.startsWith('#'))
    return label === undefined
      ? `<span class="mention" data-conversation="${target.slice(1)}">#${target.slice(1)}</span>`
      : `<span class="mention">#${label}</span>`;
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

/** The text of a text object, unmarked (for attributes and <option>s, which hold no markup). */
const plain = (text: unknown): string => (isObject(text) ? str(text.text) : '');

const data = (attributes: Record<string, string | undefined>) =>
  Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` data-${k}="${escapeHtml(v!)}"`)
    .join('');

/** One interactive or image element. */
function elementHtml(element: unknown, blockId: string | undefined, directory: Directory): string {
  if (!isObject(element)) return '';
  const type = str(element.type);
  const common = { 'block-id': blockId, 'action-id': str(element.action_id) || undefined };
  const control = data({ ...common, kind: type });
  const placeholder = plain(element.placeholder);
  const chosen = new Set(initialValues(element));
  switch (type) {
    case 'button':
      if (typeof element.url === 'string' && /^https?:\/\//.test(element.url)) {
        return `<a class="button" href="${escapeHtml(element.url)}" target="_blank" rel="noopener noreferrer"${data(common)}>${textHtml(element.text)}</a>`;
      }
      return `<button class="button ${escapeHtml(str(element.style))}"${data({ ...common, value: str(element.value) || undefined, kind: 'button' })}>${textHtml(element.text)}</button>`;
    case 'overflow':
      return `<select class="overflow"${data({ ...common, kind: 'overflow' })}><option value="">⋯</option>${optionsHtml(element.options)}</select>`;
    case 'static_select':
    case 'external_select':
      return `<select${data({ ...common, kind: 'static_select' })}><option value="">${escapeHtml(placeholder)}</option>${optionsHtml(element.options, chosen)}${groupsHtml(element.option_groups, chosen)}</select>`;
    case 'multi_static_select':
      return `<select multiple${control}>${optionsHtml(element.options, chosen)}${groupsHtml(element.option_groups, chosen)}</select>`;
    case 'plain_text_input': {
      const initial = escapeHtml(str(element.initial_value));
      const limits = `${attribute('placeholder', placeholder)}${attribute('maxlength', numberText(element.max_length))}`;
      return element.multiline
        ? `<textarea${limits}${control}>${initial}</textarea>`
        : `<input type="text" value="${initial}"${limits}${control}>`;
    }
    case 'number_input':
      return `<input type="number" value="${escapeHtml(str(element.initial_value))}" step="${element.is_decimal_allowed ? 'any' : '1'}"${attribute('min', str(element.min_value))}${attribute('max', str(element.max_value))}${attribute('placeholder', placeholder)}${control}>`;
    case 'datepicker':
      return `<input type="date" value="${escapeHtml(str(element.initial_date))}"${control}>`;
    case 'timepicker':
      return `<input type="time" value="${escapeHtml(str(element.initial_time))}"${control}>`;
    case 'radio_buttons':
    case 'checkboxes': {
      const box = type === 'radio_buttons' ? 'radio' : 'checkbox';
      const name =
        box === 'radio' ? ` name="${escapeHtml(`${blockId ?? ''}/${str(element.action_id)}`)}"` : '';
      const boxes = (Array.isArray(element.options) ? element.options : []).filter(isObject).map((o) => {
        const value = str(o.value);
        const description = o.description ? `<span class="hint">${textHtml(o.description)}</span>` : '';
        return `<label class="choice"><input type="${box}"${name} value="${escapeHtml(value)}"${chosen.has(value) ? ' checked' : ''}> ${textHtml(o.text)}${description}</label>`;
      });
      return `<div class="${box === 'radio' ? 'radios' : 'checkboxes'}"${control}>${boxes.join('')}</div>`;
    }
    case 'conversations_select':
    case 'channels_select':
    case 'multi_conversations_select':
    case 'multi_channels_select':
      return pickerHtml(type, control, placeholder, directory.conversations, '#', chosen);
    case 'users_select':
    case 'multi_users_select':
      return pickerHtml(type, control, placeholder, directory.users, '', chosen);
    case 'image':
      return imageHtml(element.image_url, element.alt_text);
    case 'mrkdwn':
    case 'plain_text':
      return `<span>${textHtml(element)}</span>`;
    default:
      return `<span class="unknown">[${escapeHtml(type)}]</span>`;
  }
}

/** ` name="value"`, escaped, or nothing when there is no value. */
const attribute = (name: string, value: string): string => (value ? ` ${name}="${escapeHtml(value)}"` : '');
const numberText = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? String(v) : '');

/** What an element starts with selected: option values, or user and conversation ids. */
function initialValues(element: Json): string[] {
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
  const one = (v: unknown): string[] => (typeof v === 'string' && v ? [v] : []);
  const optionValues = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter(isObject).map((o) => str(o.value)) : [];
  return [
    ...(isObject(element.initial_option) ? [str(element.initial_option.value)] : []),
    ...optionValues(element.initial_options),
    ...one(element.initial_conversation),
    ...one(element.initial_channel),
    ...one(element.initial_user),
    ...strings(element.initial_conversations),
    ...strings(element.initial_channels),
    ...strings(element.initial_users),
  ];
}

/**
 * A users or conversations select: the directory's entries, the initial ones selected; an initial id
 * the directory lacks is offered too (by its id), so that the form keeps it.
 */
function pickerHtml(
  type: string,
  control: string,
  placeholder: string,
  entries: Directory['users'] = [],
  prefix: string,
  chosen: ReadonlySet<string>,
): string {
  const multiple = type.startsWith('multi_');
  const known = new Set(entries.map((e) => e.id));
  const option = (id: string, label: string) =>
    `<option value="${escapeHtml(id)}"${chosen.has(id) ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  const options = [
    ...entries.map((e) => option(e.id, `${prefix}${e.name}`)),
    ...[...chosen].filter((id) => !known.has(id)).map((id) => option(id, id)),
  ].join('');
  const none = multiple ? '' : `<option value="">${escapeHtml(placeholder)}</option>`;
  return `<select class="picker"${multiple ? ' multiple' : ''}${control}>${none}${options}</select>`;
}

function optionsHtml(options: unknown, chosen: ReadonlySet<string> = new Set()): string {
  if (!Array.isArray(options)) return '';
  return options
    .filter(isObject)
    .map(
      (o) =>
        `<option value="${escapeHtml(str(o.value))}"${chosen.has(str(o.value)) ? ' selected' : ''}>${escapeHtml(plain(o.text))}</option>`,
    )
    .join('');
}

function groupsHtml(groups: unknown, chosen: ReadonlySet<string>): string {
  if (!Array.isArray(groups)) return '';
  return groups
    .filter(isObject)
    .map(
      (g) => `<optgroup label="${escapeHtml(plain(g.label))}">${optionsHtml(g.options, chosen)}</optgroup>`,
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

/**
 * One input block of a modal: its label, its element, and the error Cairn answered for it, if any.
 * A group of boxes sits in a <div> (a <label> may hold one control only).
 */
function inputHtml(
  block: Json,
  blockId: string | undefined,
  errors: Record<string, string>,
  directory: Directory,
): string {
  const element = isObject(block.element) ? block.element : {};
  const tag = element.type === 'checkboxes' || element.type === 'radio_buttons' ? 'div' : 'label';
  const field = elementHtml(element, blockId, directory);
  const error =
    blockId && Object.hasOwn(errors, blockId)
      ? `<div class="error">${escapeHtml(str(errors[blockId]))}</div>`
      : '';
  return `<${tag} class="input"><span class="label">${textHtml(block.label)}${block.optional ? ' <i>(optional)</i>' : ''}</span>${field}${block.hint ? `<span class="hint">${textHtml(block.hint)}</span>` : ''}${error}</${tag}>`;
}

/**
 * Blocks as HTML. `errors` are a modal's inline errors by block id (Slack's `response_action:
 * 'errors'`); `directory` the people and conversations that users and conversations selects offer.
 * Unknown block types show as such rather than vanish.
 */
export function blocksToHtml(
  blocks: unknown,
  errors: Record<string, string> = {},
  directory: Directory = {},
): string {
  if (!Array.isArray(blocks)) return '';
  return named(blocksHtml(blocks, errors, directory), directory);
}

/**
 * Unlabelled mentions drawn with the name the directory has for them. The spans matched are only ever
 * made by `special` (user text is escaped before any markup exists), and their ids are escaped there.
 */
function named(html: string, directory: Directory): string {
  const nameOf = (list: Directory['users'], id: string) => list?.find((entry) => entry.id === id)?.name;
  return html.replace(
    /<span class="mention" data-(user|conversation)="([^"]*)">([@#])[^<]*<\/span>/g,
    (whole, kind: string, id: string, mark: string) => {
      const name = nameOf(kind === 'user' ? directory.users : directory.conversations, id);
      return name === undefined ? whole : `<span class="mention">${mark}${escapeHtml(name)}</span>`;
    },
  );
}

function blocksHtml(blocks: unknown[], errors: Record<string, string>, directory: Directory): string {
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
            ? `<div class="accessory">${elementHtml(block.accessory, blockId, directory)}</div>`
            : '';
          return `<div class="block section"><div class="text">${textHtml(block.text)}${fields}</div>${accessory}</div>`;
        }
        case 'context':
          return `<div class="block context">${(Array.isArray(block.elements) ? block.elements : []).map((e) => elementHtml(e, blockId, directory)).join(' ')}</div>`;
        case 'actions':
          return `<div class="block actions">${(Array.isArray(block.elements) ? block.elements : []).map((e) => elementHtml(e, blockId, directory)).join('')}</div>`;
        case 'image':
          return `<figure class="block image">${block.title ? `<figcaption>${textHtml(block.title)}</figcaption>` : ''}${imageHtml(block.image_url, block.alt_text)}</figure>`;
        case 'input':
          return `<div class="block">${inputHtml(block, blockId, errors, directory)}</div>`;
        default:
          return `<div class="block unknown">[${escapeHtml(str(block.type))} block]</div>`;
      }
    })
    .join('\n');
}

/**
 * A view as HTML. A modal: its title, its blocks, and its buttons, `<button data-kind="close">` (the
 * view's close text, or Close) and, when the view has one, `<button data-kind="submit">`. A Home tab:
 * its blocks alone.
 */
export function viewToHtml(
  view: unknown,
  errors: Record<string, string> = {},
  directory: Directory = {},
): string {
  if (!isObject(view)) return '';
  const blocks = blocksToHtml(view.blocks, errors, directory);
  if (view.type === 'home') return blocks;
  const close = `<button type="button" class="button" data-kind="close">${escapeHtml(plain(view.close) || 'Close')}</button>`;
  const submit = isObject(view.submit)
    ? `<button type="button" class="button primary" data-kind="submit">${escapeHtml(plain(view.submit))}</button>`
    : '';
  return `<div class="modal"><div class="modal-title">${escapeHtml(plain(view.title))}</div><div class="modal-body">${blocks}</div><div class="modal-actions">${close}${submit}</div></div>`;
}
