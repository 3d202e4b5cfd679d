import type { Button, KnownBlock, SectionBlock, SectionBlockAccessory } from '@slack/types';
import { cutMrkdwn, truncate } from '../text/escape.js';
import { plural } from './plural.js';
import { INPUT_ACTION } from './ids.js';

/** Slack refuses a section whose text is longer than this. */
export const SECTION_TEXT_LIMIT = 3000;
export const MESSAGE_BLOCK_LIMIT = 50;

/**
 * A mrkdwn text object. Always `verbatim: true`: Cairn writes its mentions and links itself as
 * `<@U…>` / `<#C…>`, which Slack still renders, so nothing is lost by turning off Slack's
 * auto-parsing, which would otherwise link URLs, channel names and @-words found in user text.
 */
export const mrkdwn = (text: string) => ({
  type: 'mrkdwn' as const,
  text: cutMrkdwn(text, SECTION_TEXT_LIMIT),
  verbatim: true,
});
export const section = (text: string): KnownBlock => ({ type: 'section', text: mrkdwn(text) });
export const context = (text: string): KnownBlock => ({ type: 'context', elements: [mrkdwn(text)] });
export const header = (text: string): KnownBlock => ({
  type: 'header',
  text: { type: 'plain_text', text: truncate(text, 150), emoji: true },
});
export const divider = (): KnownBlock => ({ type: 'divider' });

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(text, 75), emoji: true },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

/**
 * Packs lines under a heading into as few sections as Slack allows, never cutting a line in two,
 * so a long list stays whole instead of being silently cut at 3,000 characters.
 */
export function sectionsOf(heading: string, lines: readonly string[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let current = heading;
  for (const line of lines) {
    const safe = cutMrkdwn(line, SECTION_TEXT_LIMIT - heading.length - 1);
    if (current.length + 1 + safe.length > SECTION_TEXT_LIMIT) {
      blocks.push(section(current));
      current = safe;
    } else {
      current = current ? `${current}\n${safe}` : safe;
    }
  }
  if (current) blocks.push(section(current));
  return blocks;
}

/** A line of a list and, when the line can be acted on, the element shown beside it. */
export interface Line {
  text: string;
  accessory?: SectionBlockAccessory;
  /** The id of the line's own section (a line with an accessory has one), for whoever reads it back. */
  blockId?: string;
}

/**
 * sectionsOf for lines some of which carry an accessory. Slack puts an accessory beside a whole
 * section, so each of those lines is a section of its own (the heading then sits in one above it,
 * where the element would not seem to be the heading's), and the plain lines between them are packed
 * as sectionsOf packs them.
 */
export function sectionsOfLines(heading: string, lines: readonly Line[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let plain: string[] = [];
  let head = heading;
  const flush = () => {
    blocks.push(...sectionsOf(head, plain));
    plain = [];
    head = '';
  };
  for (const line of lines) {
    if (!line.accessory) {
      plain.push(line.text);
      continue;
    }
    flush();
    const block: SectionBlock = {
      type: 'section',
      text: mrkdwn(line.text),
      accessory: line.accessory,
      ...(line.blockId ? { block_id: line.blockId } : {}),
    };
    blocks.push(block);
  }
  flush();
  return blocks;
}

/**
 * The first `max` lines of a list, then a line saying how many more there are ("…and 3 more
 * blockers" when `one` names the items, "…and 3 more" when not), so a long list is never cut silently.
 */
export function capped(lines: readonly string[], max: number, one?: string, many = `${one}s`): string[] {
  if (lines.length <= max) return [...lines];
  const rest = lines.length - max;
  const what = one === undefined ? '' : ` ${rest === 1 ? one : many}`;
  return [...lines.slice(0, max), `_…and ${rest} more${what}_`];
}

/** Keeps a message within Slack's block limit, saying what was left out rather than dropping it silently. */
export function withinBlockLimit(
  blocks: KnownBlock[],
  limit = MESSAGE_BLOCK_LIMIT,
  whatWasCut = 'more',
): KnownBlock[] {
  if (blocks.length <= limit) return blocks;
  const kept = blocks.slice(0, limit - 1);
  return [
    ...kept,
    context(`…and ${plural(blocks.length - kept.length, 'more section')} of ${whatWasCut} not shown here.`),
  ];
}

/** A text field in a modal; `value` is the action id every form reader looks for. */
export function textInput(o: {
  blockId: string;
  label: string;
  placeholder: string;
  maxLength: number;
  optional?: boolean;
  multiline?: boolean;
  initial?: string | undefined;
}): KnownBlock {
  return {
    type: 'input',
    block_id: o.blockId,
    optional: o.optional ?? false,
    label: { type: 'plain_text', text: o.label },
    element: {
      type: 'plain_text_input',
      action_id: INPUT_ACTION,
      multiline: o.multiline ?? false,
      max_length: o.maxLength,
      placeholder: { type: 'plain_text', text: o.placeholder },
      ...(o.initial ? { initial_value: o.initial } : {}),
    },
  };
}
