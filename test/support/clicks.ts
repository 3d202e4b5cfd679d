/**
 * Clicking the buttons Cairn rendered, as Slack sends the clicks: find a button by its action_id in
 * blocks Cairn published (a Home tab, a message, a slash command's answer), then send the
 * block_actions payload Slack would send for that surface, through the signed receiver. Overflow
 * menus likewise: find the menu and the option, and send the choice.
 */
import type { RunningCairn } from './cairn-harness.js';
import { TEAM_ID } from './cairn-harness.js';
import type { DriverResponse } from './slack-driver.js';
import type { RecordedCall, RecordedResponse } from './fake-slack.js';

/** The action ids the tests click: the app's own, so a renamed button is renamed here too. */
export { ACTION } from '../../src/views/ids.js';

export interface RenderedElement {
  type?: string;
  action_id?: string;
  value?: string;
  url?: string;
  text?: string | { text: string };
  confirm?: unknown;
  options?: Array<{ text?: { text?: string }; value?: string }>;
}

export interface RenderedBlock {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: RenderedElement[];
  accessory?: RenderedElement;
}

/** A button as rendered, with the block it sits in (Slack sends that block's id with the click). */
export interface RenderedButton {
  action_id: string;
  value: string | undefined;
  label: string;
  blockId: string | undefined;
  /** The text of the block (a section with the button as accessory), or of the block just before (actions). */
  nearText: string;
}

const labelOf = (e: RenderedElement) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? ''));

/** Every button in the blocks, in order. */
export function buttonsIn(blocks: readonly RenderedBlock[]): RenderedButton[] {
  const found: RenderedButton[] = [];
  blocks.forEach((block, i) => {
    const elements = [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])];
    const nearText = block.text?.text ?? blocks[i - 1]?.text?.text ?? '';
    for (const e of elements) {
      if (e.type !== 'button' || typeof e.action_id !== 'string') continue;
      found.push({
        action_id: e.action_id,
        value: e.value,
        label: labelOf(e),
        blockId: block.block_id,
        nearText,
      });
    }
  });
  return found;
}

/**
 * The one button with this action id (and value, when given) in the blocks; throws, listing the
 * buttons there are, when there is none or more than one.
 */
export function findButton(
  blocks: readonly RenderedBlock[],
  actionId: string,
  value?: string,
): RenderedButton {
  const all = buttonsIn(blocks);
  const matching = all.filter((b) => b.action_id === actionId && (value === undefined || b.value === value));
  if (matching.length !== 1) {
    const listed = all.map((b) => `${b.action_id}=${b.value ?? ''}`).join(', ') || 'none';
    throw new Error(
      `expected one button ${actionId}${value === undefined ? '' : `=${value}`} in the rendered blocks, found ${matching.length}; buttons there: ${listed}`,
    );
  }
  return matching[0]!;
}

/** An overflow menu as rendered (a section's accessory), with its options. */
export interface RenderedMenu {
  action_id: string;
  blockId: string | undefined;
  /** The text of the section it sits beside. */
  nearText: string;
  options: Array<{ label: string; value: string }>;
}

/** Every overflow menu in the blocks, in order. */
export function menusIn(blocks: readonly RenderedBlock[]): RenderedMenu[] {
  return blocks.flatMap((block) => {
    const elements = [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])];
    return elements
      .filter((e) => e.type === 'overflow' && typeof e.action_id === 'string')
      .map((e) => ({
        action_id: e.action_id!,
        blockId: block.block_id,
        nearText: block.text?.text ?? '',
        options: (e.options ?? []).map((o) => ({ label: o.text?.text ?? '', value: o.value ?? '' })),
      }));
  });
}

/**
 * The one menu option labelled `label` whose value ends with `:<id>` in the blocks, and the menu it
 * is in (with `blockId`, the menu in that block); throws, listing the menus there are, when there is
 * none or more than one.
 */
export function findMenuOption(
  blocks: readonly RenderedBlock[],
  id: string,
  label: string,
  blockId?: string,
): { menu: RenderedMenu; option: { label: string; value: string } } {
  const found = menusIn(blocks)
    .filter((m) => blockId === undefined || m.blockId === blockId)
    .flatMap((menu) =>
      menu.options
        .filter((o) => o.label === label && o.value.endsWith(`:${id}`))
        .map((option) => ({ menu, option })),
    );
  if (found.length !== 1) {
    const listed = menusIn(blocks)
      .map((m) => `${m.blockId ?? '?'}[${m.options.map((o) => o.value).join(', ')}]`)
      .join('; ');
    throw new Error(
      `expected one option "${label}" for ${id}, found ${found.length}; menus: ${listed || 'none'}`,
    );
  }
  return found[0]!;
}

/** Every text of the blocks, joined: what the user reads (sections, context, headers, button labels). */
export function textOf(blocks: readonly RenderedBlock[]): string {
  return blocks
    .flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map(labelOf)])
    .filter((t) => t !== '')
    .join('\n');
}

/** A mark of the calls recorded so far: `after(mark)` keeps only the ones that came later. */
export function markCalls(running: RunningCairn): Set<RecordedCall> {
  return new Set(running.slack.calls());
}

/** Waits for a call of `method` recorded after `mark` that matches `predicate`. */
export function nextCall(
  running: RunningCairn,
  mark: Set<RecordedCall>,
  method: string,
  predicate: (c: RecordedCall) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<RecordedCall> {
  return running.slack.waitForCall(method, (c) => !mark.has(c) && predicate(c), timeoutMs);
}

/** Calls of `method` recorded after `mark`. */
export function callsAfter(running: RunningCairn, mark: Set<RecordedCall>, method: string): RecordedCall[] {
  return running.slack.calls(method).filter((c) => !mark.has(c));
}

export interface PublishedHome {
  /** The view as Slack stores it (with its id), which is what Slack sends back with a click. */
  view: Record<string, unknown> & { id: string; type: string; blocks: RenderedBlock[] };
  blocks: RenderedBlock[];
}

/** The Home tab from a views.publish call that Slack accepted. */
export function homeFrom(call: RecordedCall): PublishedHome {
  if (call.response.ok !== true) throw new Error(`views.publish failed: ${JSON.stringify(call.response)}`);
  const view = call.response.view as PublishedHome['view'];
  return { view, blocks: view.blocks };
}

/** Opens the Home tab as `userId` and resolves with what Cairn published for them. */
export async function openHome(running: RunningCairn, userId: string): Promise<PublishedHome> {
  const mark = markCalls(running);
  const sent = await running.driver.event({
    type: 'app_home_opened',
    user: userId,
    tab: 'home',
    channel: `D${userId}`,
  });
  if (sent.status !== 200) throw new Error(`app_home_opened → HTTP ${sent.status}`);
  return homeFrom(await nextCall(running, mark, 'views.publish', (c) => c.args.user_id === userId));
}

const userOf = (userId: string) => ({
  id: userId,
  username: userId.toLowerCase(),
  name: userId.toLowerCase(),
  team_id: TEAM_ID,
});

function actionOf(button: RenderedButton) {
  return {
    type: 'button',
    action_id: button.action_id,
    block_id: button.blockId ?? 'unnamed',
    text: { type: 'plain_text', text: button.label, emoji: true },
    ...(button.value === undefined ? {} : { value: button.value }),
    action_ts: '1700000000.000100',
  };
}

/** Clicks a button on the Home tab: Slack sends the view (no channel, message or response_url). */
export function clickInHome(
  running: RunningCairn,
  userId: string,
  home: PublishedHome,
  button: RenderedButton,
): Promise<DriverResponse> {
  return running.driver.blockAction({ user: userOf(userId), view: home.view, actions: [actionOf(button)] });
}

/** A message the buttons sit on: posted by Cairn (channel and ts from Slack's answer) or an ephemeral answer. */
export interface ShownMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks: RenderedBlock[];
  ephemeral?: boolean;
  threadTs?: string;
}

/** The message a chat.postMessage call posted, as Slack stores it. */
export function postedMessage(call: RecordedCall): ShownMessage {
  if (call.response.ok !== true) throw new Error(`chat.postMessage failed: ${JSON.stringify(call.response)}`);
  const threadTs = typeof call.args.thread_ts === 'string' ? call.args.thread_ts : undefined;
  return {
    channel: String(call.response.channel),
    ts: String(call.response.ts),
    text: String(call.args.text ?? ''),
    blocks: (call.args.blocks ?? []) as RenderedBlock[],
    ...(threadTs ? { threadTs } : {}),
  };
}

/** An answer Cairn gave at a response_url (or in a slash command's HTTP response), shown as an ephemeral message. */
export function ephemeralMessage(
  body: { text?: string; blocks?: unknown[] },
  channel = 'C0CAIRN',
  ts = '1700000000.000900',
): ShownMessage {
  return {
    channel,
    ts,
    text: body.text ?? '',
    blocks: (body.blocks ?? []) as RenderedBlock[],
    ephemeral: true,
  };
}

/** Clicks a button on a message: Slack sends the container, channel, message and a fresh response_url. */
export function clickInMessage(
  running: RunningCairn,
  userId: string,
  message: ShownMessage,
  button: RenderedButton,
): Promise<DriverResponse> {
  return actOnMessage(running, userId, message, actionOf(button));
}

/** Chooses an option of an overflow menu on a message: Slack sends it as the action's selected_option. */
export function chooseInMessage(
  running: RunningCairn,
  userId: string,
  message: ShownMessage,
  chosen: { menu: RenderedMenu; option: { label: string; value: string } },
): Promise<DriverResponse> {
  return actOnMessage(running, userId, message, {
    type: 'overflow',
    action_id: chosen.menu.action_id,
    block_id: chosen.menu.blockId ?? 'unnamed',
    selected_option: {
      text: { type: 'plain_text', text: chosen.option.label, emoji: true },
      value: chosen.option.value,
    },
    action_ts: '1700000000.000100',
  });
}

function actOnMessage(
  running: RunningCairn,
  userId: string,
  message: ShownMessage,
  action: Record<string, unknown>,
): Promise<DriverResponse> {
  return running.driver.blockAction({
    user: userOf(userId),
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: message.channel,
      is_ephemeral: message.ephemeral === true,
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    },
    channel: { id: message.channel, name: message.channel.startsWith('D') ? 'directmessage' : 'cairn' },
    message: {
      type: 'message',
      ts: message.ts,
      text: message.text ?? '',
      blocks: message.blocks,
      user: running.slack.botUserId,
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    },
    actions: [action],
  });
}

/** The body Cairn posted to the click's (or command's) response_url. */
export async function answerTo(
  running: RunningCairn,
  response: DriverResponse,
  timeoutMs = 5_000,
): Promise<RecordedResponse['body']> {
  if (response.status !== 200) throw new Error(`the click got HTTP ${response.status}: ${response.text}`);
  const id = new URL(String(response.sent.response_url)).pathname.split('/').pop();
  return (await running.slack.waitForResponse((r) => r.id === id, timeoutMs)).body;
}

/** Every answer posted to the response_url of this request so far. */
export function answersTo(running: RunningCairn, response: DriverResponse): Array<RecordedResponse['body']> {
  const id = new URL(String(response.sent.response_url)).pathname.split('/').pop();
  return running.slack
    .responses()
    .filter((r) => r.id === id)
    .map((r) => r.body);
}
