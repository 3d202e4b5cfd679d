/**
 * Block Kit limits, as Slack documents them, checked without any network.
 *
 * The local Slack peer (slack-peer.ts) runs these checks on every payload it
 * receives, so a test of Cairn fails the same way production would when a
 * message or view grows past one of Slack's limits. Each problem is reported
 * in the form Slack puts in `response_metadata.messages`, e.g.
 *
 *   [ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]
 *
 * Sources (docs.slack.dev): reference/block-kit/blocks/* (section, header,
 * actions, context, input), reference/block-kit/block-elements/* (button,
 * static select, plain-text input), reference/block-kit/composition-objects/
 * option-object, reference/views/modal-views, and real `invalid_blocks`
 * answers quoted in public bug reports for the message wording.
 */

/** Every limit this module enforces, by name, so tests can probe the edges. */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100, // modals and Home tabs alike
  messageText: 40_000, // chat.postMessage `text`; past it Slack answers msg_too_long
  blockId: 255,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  actionsElements: 25,
  contextElements: 10,
  inputLabel: 2000,
  inputHint: 2000,
  actionId: 255,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  placeholder: 150,
  selectOptions: 100,
  selectOptionGroups: 100,
  overflowOptions: 5,
  overflowOptionsMin: 2,
  optionUrl: 3000,
  radioOrCheckboxOptions: 10,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  plainTextInputMaxLength: 3000,
  modalTitle: 24,
  modalButton: 24, // submit and close
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
} as const;

/** Block types Slack accepts; anything else is refused as Slack does ("unsupported type"). */
const KNOWN_BLOCK_TYPES = new Set([
  'actions',
  'context',
  'context_actions',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
]);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Slack limits count characters; count code points so one emoji is one character. */
function charCount(text: string): number {
  return [...text].length;
}

/** Collects errors for one payload; `ptr` is always a JSON pointer into the request. */
class Report {
  readonly errors: string[] = [];
  /** block_id values already seen in this payload (they must be unique). */
  readonly blockIds = new Set<string>();

  add(message: string, ptr: string): void {
    this.errors.push(`[ERROR] ${message} [json-pointer:${ptr}]`);
  }

  /** A string field of at most `max` characters (absent is fine). */
  maxChars(value: unknown, max: number, ptr: string): void {
    if (value === undefined) return;
    if (typeof value !== 'string') return this.add('must be a string', ptr);
    if (charCount(value) > max) this.add(`must be less than ${max + 1} characters`, ptr);
  }

  /** An array field of at most `max` items; returns the items for further checks. */
  maxItems(value: unknown, max: number, ptr: string): unknown[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.add('must provide an array', ptr);
      return [];
    }
    if (value.length > max) this.add(`no more than ${max} items allowed`, ptr);
    return value;
  }

  /** A text object ({type, text}) whose text has 1..max characters. */
  text(value: unknown, max: number, ptr: string, plainOnly = false): void {
    if (value === undefined) return;
    if (!isObject(value)) return this.add('must provide an object', ptr);
    const type = value['type'];
    if (type !== 'plain_text' && (plainOnly || type !== 'mrkdwn')) {
      const expected = plainOnly ? 'plain_text' : 'plain_text, mrkdwn';
      return this.add(`unsupported type: ${String(type)}; expected one of: ${expected}`, `${ptr}/type`);
    }
    const text = value['text'];
    if (typeof text !== 'string') return this.add('missing required field: text', ptr);
    if (text.length === 0) return this.add('must be more than 0 characters', `${ptr}/text`);
    this.maxChars(text, max, `${ptr}/text`);
  }
}

// ---------------------------------------------------------------------------
// Elements (buttons, selects, inputs) and composition objects
// ---------------------------------------------------------------------------

/**
 * An option object: its text (plain text only in overflow and select menus; radio buttons and
 * checkboxes may use mrkdwn), its value (required in menus, where it is what a choice sends), and an
 * overflow option's url.
 */
function checkOption(r: Report, option: unknown, ptr: string, menu = false): void {
  if (!isObject(option)) return r.add('must provide an object', ptr);
  if (option['text'] === undefined) r.add('missing required field: text', ptr);
  r.text(option['text'], LIMITS.optionText, `${ptr}/text`, menu);
  if (menu && option['value'] === undefined) r.add('missing required field: value', ptr);
  r.maxChars(option['value'], LIMITS.optionValue, `${ptr}/value`);
  r.text(option['description'], LIMITS.optionDescription, `${ptr}/description`, true);
  r.maxChars(option['url'], LIMITS.optionUrl, `${ptr}/url`);
}

function checkOptions(r: Report, options: unknown, max: number, ptr: string, menu = false): void {
  r.maxItems(options, max, ptr).forEach((o, i) => checkOption(r, o, `${ptr}/${i}`, menu));
}

/** An overflow menu: 2 to 5 options (its required field), each as a menu's. */
function checkOverflow(r: Report, el: Json, ptr: string): void {
  const options = el['options'];
  if (options === undefined) return r.add('missing required field: options', ptr);
  if (Array.isArray(options) && options.length < LIMITS.overflowOptionsMin)
    r.add(`must provide at least ${LIMITS.overflowOptionsMin} items`, `${ptr}/options`);
  checkOptions(r, options, LIMITS.overflowOptions, `${ptr}/options`, true);
}

function checkSelect(r: Report, el: Json, ptr: string): void {
  checkOptions(r, el['options'], LIMITS.selectOptions, `${ptr}/options`, true);
  const groups = r.maxItems(el['option_groups'], LIMITS.selectOptionGroups, `${ptr}/option_groups`);
  groups.forEach((g, i) => {
    if (isObject(g))
      checkOptions(r, g['options'], LIMITS.selectOptions, `${ptr}/option_groups/${i}/options`, true);
  });
  if (el['initial_option'] !== undefined) checkOption(r, el['initial_option'], `${ptr}/initial_option`, true);
}

function checkPlainTextInput(r: Report, el: Json, ptr: string): void {
  for (const field of ['max_length', 'min_length'] as const) {
    const n = el[field];
    if (typeof n === 'number' && n > LIMITS.plainTextInputMaxLength) {
      r.add(`must be less than or equal to ${LIMITS.plainTextInputMaxLength}`, `${ptr}/${field}`);
    }
  }
}

/** One interactive element, wherever it sits (accessory, actions, input). */
function checkElement(r: Report, el: unknown, ptr: string): void {
  if (!isObject(el)) return r.add('must provide an object', ptr);
  r.maxChars(el['action_id'], LIMITS.actionId, `${ptr}/action_id`);
  r.text(el['placeholder'], LIMITS.placeholder, `${ptr}/placeholder`, true);
  switch (el['type']) {
    case 'button':
      r.text(el['text'], LIMITS.buttonText, `${ptr}/text`, true);
      r.maxChars(el['value'], LIMITS.buttonValue, `${ptr}/value`);
      r.maxChars(el['url'], LIMITS.buttonUrl, `${ptr}/url`);
      return;
    case 'static_select':
    case 'multi_static_select':
      return checkSelect(r, el, ptr);
    case 'overflow':
      return checkOverflow(r, el, ptr);
    case 'radio_buttons':
    case 'checkboxes':
      return checkOptions(r, el['options'], LIMITS.radioOrCheckboxOptions, `${ptr}/options`);
    case 'plain_text_input':
      return checkPlainTextInput(r, el, ptr);
    default:
      return;
  }
}

/** Elements of one actions block: limits each, and action_id must be unique in the block. */
function checkActionElements(r: Report, elements: unknown[], ptr: string): void {
  const seen = new Set<string>();
  elements.forEach((el, i) => {
    checkElement(r, el, `${ptr}/${i}`);
    const id = isObject(el) ? el['action_id'] : undefined;
    if (typeof id !== 'string') return;
    if (seen.has(id)) r.add(`duplicate action_id: ${id}`, `${ptr}/${i}/action_id`);
    seen.add(id);
  });
}

// ---------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------

function checkSection(r: Report, block: Json, ptr: string): void {
  if (block['text'] === undefined && block['fields'] === undefined) {
    r.add('must provide either text or fields', ptr);
  }
  r.text(block['text'], LIMITS.sectionText, `${ptr}/text`);
  const fields = r.maxItems(block['fields'], LIMITS.sectionFields, `${ptr}/fields`);
  fields.forEach((f, i) => r.text(f, LIMITS.sectionFieldText, `${ptr}/fields/${i}`));
  if (block['accessory'] !== undefined) checkElement(r, block['accessory'], `${ptr}/accessory`);
}

function checkInput(r: Report, block: Json, ptr: string): void {
  if (block['label'] === undefined) r.add('missing required field: label', ptr);
  r.text(block['label'], LIMITS.inputLabel, `${ptr}/label`, true);
  r.text(block['hint'], LIMITS.inputHint, `${ptr}/hint`, true);
  if (block['element'] === undefined) return r.add('missing required field: element', ptr);
  checkElement(r, block['element'], `${ptr}/element`);
}

function checkBlockId(r: Report, block: Json, ptr: string): void {
  const id = block['block_id'];
  if (id === undefined) return;
  r.maxChars(id, LIMITS.blockId, `${ptr}/block_id`);
  if (typeof id !== 'string') return;
  if (r.blockIds.has(id)) r.add(`duplicate block_id: ${id}`, `${ptr}/block_id`);
  r.blockIds.add(id);
}

function checkBlock(r: Report, block: unknown, ptr: string): void {
  if (!isObject(block)) return r.add('must provide an object', ptr);
  const type = block['type'];
  if (typeof type !== 'string') return r.add('missing required field: type', ptr);
  if (!KNOWN_BLOCK_TYPES.has(type)) return r.add(`unsupported type: ${type}`, `${ptr}/type`);
  checkBlockId(r, block, ptr);
  switch (type) {
    case 'section':
      return checkSection(r, block, ptr);
    case 'header':
      return r.text(block['text'], LIMITS.headerText, `${ptr}/text`, true);
    case 'actions': {
      const els = r.maxItems(block['elements'], LIMITS.actionsElements, `${ptr}/elements`);
      return checkActionElements(r, els, `${ptr}/elements`);
    }
    case 'context':
      r.maxItems(block['elements'], LIMITS.contextElements, `${ptr}/elements`);
      return;
    case 'input':
      return checkInput(r, block, ptr);
    default:
      return;
  }
}

function checkBlocks(r: Report, blocks: unknown, max: number, ptr: string): void {
  if (!Array.isArray(blocks)) return r.add('must provide an array', ptr);
  r.maxItems(blocks, max, ptr);
  blocks.forEach((b, i) => checkBlock(r, b, `${ptr}/${i}`));
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/**
 * Checks the `blocks` argument of chat.postMessage / chat.update / chat.postEphemeral.
 * Returns [] when Slack would accept the blocks, else Slack-style `[ERROR] …` lines
 * whose pointers start at `/blocks`.
 */
export function validateMessageBlocks(blocks: unknown): string[] {
  const r = new Report();
  checkBlocks(r, blocks, LIMITS.messageBlocks, '/blocks');
  return r.errors;
}

function checkModal(r: Report, view: Json): void {
  if (view['title'] === undefined) r.add('missing required field: title', '/view');
  r.text(view['title'], LIMITS.modalTitle, '/view/title', true);
  r.text(view['submit'], LIMITS.modalButton, '/view/submit', true);
  r.text(view['close'], LIMITS.modalButton, '/view/close', true);
  // Documented on the modal view object: submit is required when an input block is present.
  const blocks = Array.isArray(view['blocks']) ? view['blocks'] : [];
  const hasInput = blocks.some((b) => isObject(b) && b['type'] === 'input');
  if (hasInput && view['submit'] === undefined) {
    r.add('must define `submit` to use an `input` block in modals', '/view/submit');
  }
}

/**
 * Checks a `view` argument of views.open / views.update / views.push (type "modal")
 * or views.publish (type "home"). Pointers start at `/view`.
 */
export function validateView(view: unknown): string[] {
  const r = new Report();
  if (!isObject(view)) {
    r.add('must provide an object', '/view');
    return r.errors;
  }
  const type = view['type'];
  if (type !== 'modal' && type !== 'home') {
    r.add(`unsupported type: ${String(type)}; expected one of: modal, home`, '/view/type');
    return r.errors;
  }
  if (type === 'modal') checkModal(r, view);
  checkBlocks(r, view['blocks'], LIMITS.viewBlocks, '/view/blocks');
  r.maxChars(view['private_metadata'], LIMITS.privateMetadata, '/view/private_metadata');
  r.maxChars(view['callback_id'], LIMITS.callbackId, '/view/callback_id');
  r.maxChars(view['external_id'], LIMITS.externalId, '/view/external_id');
  return r.errors;
}

/** Whether a message `text` is past Slack's length limit (chat.* answer `msg_too_long`). */
export function isMessageTextTooLong(text: unknown): boolean {
  return typeof text === 'string' && charCount(text) > LIMITS.messageText;
}
