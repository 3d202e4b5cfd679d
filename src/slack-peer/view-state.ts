/**
 * A modal's `view.state.values` as Slack sends it in a view_submission payload, built from what the
 * playground's page collected from its form controls. Pure: the view and the entered values in, the
 * state out.
 *
 * Every input block with a block_id and an action_id is there, once, whatever was entered: Slack sends
 * an untouched or emptied field too, as null (or [] for the elements that take many). A value is
 * Slack's field for its element type; a chosen option is copied from the view's own options, so a
 * value that is not among them is no choice (null), and ids the view does not have are ignored.
 */

type Json = Record<string, unknown>;

/** What the page collected: per block id, per action id, one value, several, or none. */
export type EnteredValues = Readonly<
  Record<string, Readonly<Record<string, string | readonly string[] | null | undefined>>>
>;

/** A text object as the view gives it. */
export interface StateText {
  type: string;
  text: string;
  emoji?: boolean;
  verbatim?: boolean;
}

/** A chosen option: the view's own option object (its text, value and description if it has one). */
export interface StateOption {
  text: StateText;
  value: string;
  description?: StateText;
}

/** One element's entry in `view.state.values`, with Slack's field for its type. */
export interface StateValue {
  type: string;
  value?: string | null;
  selected_option?: StateOption | null;
  selected_options?: StateOption[];
  selected_date?: string | null;
  selected_time?: string | null;
  selected_conversation?: string | null;
  selected_channel?: string | null;
  selected_user?: string | null;
  selected_conversations?: string[];
  selected_channels?: string[];
  selected_users?: string[];
}

/** `view.state.values`: block id → action id → value. */
export type StateValues = Record<string, Record<string, StateValue>>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An own property only: a block id such as `constructor` or `__proto__` is an id like any other. */
const own = (record: unknown, key: string): unknown =>
  isObject(record) && Object.hasOwn(record, key) ? record[key] : undefined;

/** One value: a string, or the only string of a list; empty is none. */
function one(entered: unknown): string | null {
  const value = Array.isArray(entered) && entered.length === 1 ? entered[0] : entered;
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Several values, each once, in the order given; empty strings are none. */
function many(entered: unknown): string[] {
  const list: unknown[] = Array.isArray(entered) ? entered : [entered];
  return [...new Set(list.filter((v): v is string => typeof v === 'string' && v !== ''))];
}

/** A real calendar date, `YYYY-MM-DD`. */
function date(entered: unknown): string | null {
  const value = one(entered);
  const match = value === null ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d ? value : null;
}

/** A time of day, `HH:mm` on the 24-hour clock. */
function time(entered: unknown): string | null {
  const value = one(entered);
  return value !== null && /^([01]\d|2[0-3]):[0-5]\d$/.test(value) ? value : null;
}

/** The element's options, those of its option groups included, in the order it shows them. */
function optionsOf(element: Json): Json[] {
  const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
  return [...list(element.options), ...list(element.option_groups).flatMap((g) => list(g.options))].filter(
    (o) => typeof o.value === 'string',
  );
}

/** An option as Slack returns it: the view's text object, value and description, copied. */
function copyOption(option: Json): StateOption {
  const copy = structuredClone({ text: option.text, value: option.value }) as StateOption;
  if (option.description !== undefined) copy.description = structuredClone(option.description) as StateText;
  return copy;
}

function selectedOption(element: Json, entered: unknown): StateOption | null {
  const value = one(entered);
  const option = value === null ? undefined : optionsOf(element).find((o) => o.value === value);
  return option ? copyOption(option) : null;
}

function selectedOptions(element: Json, entered: unknown): StateOption[] {
  const wanted = new Set(many(entered));
  const chosen: StateOption[] = [];
  for (const option of optionsOf(element)) {
    const value = option.value as string;
    if (!wanted.delete(value)) continue; // each value once, even if two options share it
    chosen.push(copyOption(option));
  }
  return chosen;
}

/** The element's entry, by its type; an element this does not know gives its type alone. */
function stateOf(element: Json, entered: unknown): StateValue {
  const type = typeof element.type === 'string' ? element.type : '';
  switch (type) {
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input':
      return { type, value: one(entered) };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: selectedOption(element, entered) };
    case 'checkboxes':
    case 'multi_static_select':
    case 'multi_external_select':
      return { type, selected_options: selectedOptions(element, entered) };
    case 'datepicker':
      return { type, selected_date: date(entered) };
    case 'timepicker':
      return { type, selected_time: time(entered) };
    case 'conversations_select':
      return { type, selected_conversation: one(entered) };
    case 'channels_select':
      return { type, selected_channel: one(entered) };
    case 'users_select':
      return { type, selected_user: one(entered) };
    case 'multi_conversations_select':
      return { type, selected_conversations: many(entered) };
    case 'multi_channels_select':
      return { type, selected_channels: many(entered) };
    case 'multi_users_select':
      return { type, selected_users: many(entered) };
    default:
      return { type };
  }
}

/**
 * The `view.state.values` Slack would send on submitting `view` with `entered` in its fields: an entry
 * for each input block that has a block_id and an element with an action_id (the first, should two
 * blocks share an id), and nothing else.
 */
export function viewStateValues(view: unknown, entered: EnteredValues): StateValues {
  const blocks = own(view, 'blocks');
  const entries: Array<[string, Record<string, StateValue>]> = [];
  const seen = new Set<string>();
  for (const block of Array.isArray(blocks) ? blocks : []) {
    if (!isObject(block) || block.type !== 'input' || !isObject(block.element)) continue;
    const blockId = block.block_id;
    const actionId = block.element.action_id;
    if (typeof blockId !== 'string' || !blockId || typeof actionId !== 'string' || !actionId) continue;
    if (seen.has(blockId)) continue;
    seen.add(blockId);
    const value = stateOf(block.element, own(own(entered, blockId), actionId));
    // Object.fromEntries makes own properties, `__proto__` included, never a prototype.
    entries.push([blockId, Object.fromEntries([[actionId, value]]) as Record<string, StateValue>]);
  }
  return Object.fromEntries(entries) as StateValues;
}

/**
 * What each input of `view` holds when it opens, before anyone types: its initial value, time, date,
 * option(s), conversation(s), channel(s) or user(s), as entered values. Submitting these is
 * submitting the form untouched.
 */
export function initialEntries(view: unknown): EnteredValues {
  const blocks = own(view, 'blocks');
  const entries: Array<[string, Record<string, string | string[] | null>]> = [];
  for (const block of Array.isArray(blocks) ? blocks : []) {
    if (!isObject(block) || block.type !== 'input' || !isObject(block.element)) continue;
    const { block_id: blockId } = block;
    const { action_id: actionId } = block.element;
    if (typeof blockId !== 'string' || typeof actionId !== 'string') continue;
    entries.push([blockId, Object.fromEntries([[actionId, initialOf(block.element)]])]);
  }
  return Object.fromEntries(entries);
}

function initialOf(element: Json): string | string[] | null {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const single =
    text(element.initial_value) ??
    text(element.initial_time) ??
    text(element.initial_date) ??
    text(element.initial_conversation) ??
    text(element.initial_channel) ??
    text(element.initial_user) ??
    (isObject(element.initial_option) ? text(element.initial_option.value) : undefined);
  if (single !== undefined) return single;
  if (Array.isArray(element.initial_options))
    return element.initial_options.flatMap((o) =>
      isObject(o) && typeof o.value === 'string' ? [o.value] : [],
    );
  for (const many of [element.initial_conversations, element.initial_channels, element.initial_users])
    if (Array.isArray(many)) return many.filter((v): v is string => typeof v === 'string');
  return null;
}
