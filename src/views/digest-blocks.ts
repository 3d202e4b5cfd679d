/**
 * The digest's Block Kit (SPEC §3): a main message with the summary and what needs attention, and a
 * thread with the detail by team. Every message stays within Slack's limits (50 blocks, 3,000
 * characters a section, and MESSAGE_TEXT_BUDGET characters of text in all: message-size.ts) and
 * nothing is dropped silently: when the main message would be too long, it keeps the most severe
 * items, says how many more there are, and the rest opens the thread, split into as many replies
 * as the limits ask. On the team digest, each line about one of the program's workstreams (needs
 * attention, by team) is a section of its own with SPEC §4's menu beside it (lineMenu).
 */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import type { AttentionItem, DigestView, WorkstreamLabel } from '../domain/digest.js';
import {
  button,
  context,
  divider,
  header,
  type Line,
  MESSAGE_BLOCK_LIMIT,
  mrkdwn,
  section,
  sectionsOfLines,
} from './blocks.js';
import { LineFormat, ref } from './digest-lines.js';
import { userText } from '../text/escape.js';
import { ACTION } from './ids.js';
import type { SlackMessage } from './message.js';
import { blockTextLength, MESSAGE_TEXT_BUDGET, messageTextLength, packBlocks } from './message-size.js';

export type { SlackMessage };
import { blockerActions, workstreamMenu } from './item-actions.js';

export interface DigestMessages {
  main: SlackMessage;
  /** Replies to post under the main message, in order (none for a short leadership digest). */
  thread: SlackMessage[];
  /**
   * A few plain lines posted instead of the main message if Slack refuses it all the same
   * (`msg_blocks_too_long`, `invalid_blocks`): the program, its counts, and where to see it all.
   */
  fallback: { text: string };
}

export interface DigestMessageOptions {
  /** A link to Cairn's App Home (slack://app?team=…&id=…&tab=home); adds "Open in Cairn". */
  appHomeUrl?: string;
}

/** Block ids of the by-team sections start with this (unique within each message). */
export const BY_TEAM_BLOCK_PREFIX = 'digest_team_';
/** A by-team line with its menu: `digest_team_ws_<workstream id>`. */
const TEAM_LINE_PREFIX = `${BY_TEAM_BLOCK_PREFIX}ws_`;
/** A needs-attention line with its menu: `digest_attention_<kind>_<workstream id>` (one item per kind and workstream). */
const ATTENTION_LINE_PREFIX = 'digest_attention_';

/**
 * How much of the main message (blocks, characters of text) the smaller parts may take before
 * needs attention takes the rest; whatever needs attention leaves goes back to them.
 */
const CHANGES_FIRST = { blocks: 5, chars: 2_500 };
const PATH_FIRST = { blocks: 1, chars: 1_000 };
const OUTLOOK_FIRST = { blocks: 4, chars: 1_200 };
const MILESTONE_FIRST = { blocks: 3, chars: 1_500 };

/** Room kept for a thread reply's own `text` (the program's name and what the reply holds). */
const REPLY_TEXT_ROOM = 80;

interface Part {
  heading: string;
  lines: Line[];
  /** Said under the heading when there are no lines; a part without it is left out when empty. */
  empty?: string;
  /** What it may take before needs attention takes the rest; none for needs attention itself. */
  first?: { blocks: number; chars: number };
  /** Where what did not fit opens the thread: lowest first. */
  overflowRank: number;
}

export function digestMessages(view: DigestView, options: DigestMessageOptions = {}): DigestMessages {
  const f = new LineFormat(view.header.today);
  const name = userText(view.header.programName, 100);
  const { header: h, changes } = view;

  const facts = [h.date, ...(h.updated ? [`updated ${h.updated}`] : []), `\`${h.programKey}\``];
  if (h.ownerId) facts.push(`owner <@${h.ownerId}>`);
  if (view.variant !== 'team') facts.push(`${view.variant} digest`);
  if (h.historyFrom) facts.push(`updates read from ${f.date(h.historyFrom)} (too many to read all)`);
  const top: KnownBlock[] = [header(h.programName), context(facts.join(' · '))];
  if (h.objective) top.push(section(`*Objective* ${userText(h.objective, 1000, { lines: 'keep' })}`));
  top.push(section(f.counts(view.counts)), divider());

  const outlook = view.outlook ? f.outlook(view.outlook) : undefined;
  const parts: Part[] = [
    {
      heading: changes.since ? `*What changed since ${f.date(changes.since)}*` : '*What changed*',
      lines: f.changes(changes).map(bullet).map(plain),
      empty: changes.hasPrevious
        ? 'Nothing changed.'
        : '_This is the first digest: changes will show from the next one._',
      first: CHANGES_FIRST,
      overflowRank: 1,
    },
    {
      heading: `*Needs attention* (${view.attention.length})`,
      lines: view.attention.map((item) => attentionLine(view, item, f)),
      empty: 'Nothing needs attention. 🎉',
      overflowRank: 0,
    },
    ...(outlook
      ? [
          {
            heading: '*Critical path*',
            lines: outlook.path.map(plain),
            empty: '_No forecasts yet: the path shows once work states or inherits a date._',
            first: PATH_FIRST,
            overflowRank: 2,
          },
          {
            heading: '*What the at-risk work waits on*',
            lines: outlook.bottlenecks.map(bullet).map(plain),
            first: OUTLOOK_FIRST,
            overflowRank: 3,
          },
          {
            heading: '*Recommendations*',
            lines: outlook.recommendations.map(bullet).map(plain),
            first: OUTLOOK_FIRST,
            overflowRank: 4,
          },
        ]
      : []),
    {
      heading: '*Milestones in the next 30 days*',
      lines: view.milestones.map((m) => plain(bullet(f.milestone(m)))),
      empty: 'None.',
      first: MILESTONE_FIRST,
      overflowRank: 5,
    },
  ].filter((p) => p.lines.length > 0 || p.empty !== undefined);
  const actions = actionsOf(view, options);
  const tail = actions ? [actions] : [];
  const pointer = context(view.teams ? '🧵 Detail by team in the thread.' : '🧵 More in the thread.');
  const mainText = `${name} — ${summaryText(view)}`;
  // One more block, and its text, are kept for the line pointing to the thread.
  const budget = {
    blocks: MESSAGE_BLOCK_LIMIT - top.length - tail.length - 1,
    chars: MESSAGE_TEXT_BUDGET - messageTextLength([...top, ...tail, pointer], mainText),
  };
  const fitted = allocate(parts, budget).map((max, i) => fit(parts[i]!, max));
  const attentionAt = parts.findIndex((p) => p.first === undefined);

  // What did not fit opens the thread, needs attention first.
  const detail: KnownBlock[] = parts
    .map((part, i) => ({ part, overflow: fitted[i]!.overflow }))
    .sort((a, b) => a.part.overflowRank - b.part.overflowRank)
    .flatMap(({ part, overflow }) =>
      overflow.length > 0 ? sectionsOfLines(`${part.heading} — continued`, overflow) : [],
    );
  // Small teams share a section (each team's heading a line of its own, then its workstreams) where
  // no menu sits beside the lines.
  const teamLines = (view.teams ?? []).flatMap((group): Line[] => [
    plain(`*Team ${userText(group.team, 80)}* (${group.lines.length})`),
    ...group.lines.map((l) => ({ text: f.workstream(l), ...lineMenu(view, l.workstream, TEAM_LINE_PREFIX) })),
  ]);
  sectionsOfLines('', teamLines).forEach((block, i) =>
    detail.push(block.block_id ? block : { ...block, block_id: `${BY_TEAM_BLOCK_PREFIX}${i}` }),
  );

  const mainBlocks = [...top, ...fitted.flatMap((p) => p.blocks)];
  if (detail.length > 0) mainBlocks.push(pointer);
  mainBlocks.push(...tail);

  // Each reply within 50 blocks and the text budget, its own text included.
  const chunks = packBlocks(detail, { reserve: name.length + REPLY_TEXT_ROOM });
  const opening = fitted[attentionAt]?.overflow.length
    ? 'more that needs attention'
    : fitted.some((p) => p.overflow.length > 0)
      ? 'more of this digest'
      : 'detail by team';
  const thread = chunks.map((blocks, i) => ({
    text: `${name} — ${i === 0 ? opening : 'detail by team'}${chunks.length > 1 ? ` (${i + 1}/${chunks.length})` : ''}`,
    blocks,
  }));
  const blockers = blockersMessage(view, f, name);
  if (blockers) thread.push(blockers);
  return {
    main: { text: mainText, blocks: mainBlocks },
    thread,
    fallback: { text: fallbackText(view, f, name) },
  };
}

/**
 * A thread reply of a posted digest, drawn again from a fresh composition of the same digest (see
 * src/use-cases/redraw-digest.ts). Each line of it that carries a menu (its
 * block id names the line) becomes that line as drawn now, and every other block stays: the reply
 * keeps the lines it had, whatever moved from one reply to another since it was posted, so nothing
 * vanishes from the thread nor shows twice in it. A needs-attention line whose item no longer stands
 * says so. Undefined when the reply would no longer fit Slack's limits (a longer summary, say).
 */
export function redrawnReply(
  shown: { text: string; blocks: readonly KnownBlock[] },
  fresh: DigestMessages,
  view: DigestView,
): SlackMessage | undefined {
  const now = new Map<string, KnownBlock>();
  for (const block of [fresh.main, ...fresh.thread].flatMap((m) => m.blocks))
    if (block.block_id) now.set(block.block_id, block);
  const labels = new Map(
    (view.teams ?? []).flatMap((t) => t.lines.map((l) => [l.workstream.id, l.workstream] as const)),
  );
  const blocks = shown.blocks.map((block): KnownBlock => {
    const id = block.block_id ?? '';
    if (!id.startsWith(TEAM_LINE_PREFIX) && !id.startsWith(ATTENTION_LINE_PREFIX)) return block;
    const drawn = now.get(id);
    if (drawn) return drawn;
    // An attention item gone (the work was updated, say); a by-team line gone (cancelled work) stays as it was.
    const label = id.startsWith(ATTENTION_LINE_PREFIX) ? labels.get(id.split('_').pop()) : undefined;
    if (!label) return block;
    const { accessory } = lineMenu(view, label, '');
    return {
      type: 'section',
      text: mrkdwn(`• ✅ ${ref(label)} — no longer needs attention`),
      block_id: id,
      ...(accessory ? { accessory } : {}),
    };
  });
  const message = { text: shown.text, blocks };
  return blocks.length <= MESSAGE_BLOCK_LIMIT && messageTextLength(blocks, shown.text) <= MESSAGE_TEXT_BUDGET
    ? message
    : undefined;
}

/**
 * The short plain message posted if Slack refuses the main message all the same: the program, its
 * date and counts, and the command that shows the whole digest.
 */
function fallbackText(view: DigestView, f: LineFormat, name: string): string {
  const { header: h } = view;
  const as = view.variant === 'team' ? '' : ` as:${view.variant}`;
  return [
    `*${name}* — ${view.variant === 'team' ? 'digest' : `${view.variant} digest`} of ${h.date}`,
    f.counts(view.counts),
    `_The full digest could not be shown here: Slack refused it as too long._ \`/program preview ${h.programKey}${as}\` shows it to you.`,
  ].join('\n');
}

/** Blockers shown with Resolve and Escalate in one thread reply: the oldest first, two blocks each. */
export const BLOCKERS_WITH_BUTTONS = 20;

function blockersMessage(view: DigestView, f: LineFormat, name: string): SlackMessage | undefined {
  // Resolve and Escalate are the team's: never in front of a client, whatever the model holds.
  const open = view.variant === 'client' ? [] : (view.openBlockers ?? []);
  if (open.length === 0) return undefined;
  const text = `${name} — open blockers`;
  const blocks: KnownBlock[] = [section(`*Open blockers* (${open.length}), oldest first`)];
  // Room for the reply's text and for the line that counts the rest.
  let room = MESSAGE_TEXT_BUDGET - messageTextLength(blocks, text) - REPLY_TEXT_ROOM;
  let shown = 0;
  for (const o of open.slice(0, BLOCKERS_WITH_BUTTONS)) {
    const pair = [section(f.openBlocker(o)), blockerActions(o.blocker.id)];
    const size = blockTextLength(pair);
    if (size > room) break;
    blocks.push(...pair);
    room -= size;
    shown++;
  }
  const rest = open.length - shown;
  if (rest > 0)
    blocks.push(
      context(
        `…and ${rest} newer ${rest === 1 ? 'blocker' : 'blockers'}: \`/status &lt;workstream&gt;\` shows each one's.`,
      ),
    );
  return { text, blocks };
}

/** The notification text: `3 on track, 1 at risk, 2 off track` (and what has no update). */
function summaryText(view: DigestView): string {
  const c = view.counts;
  const parts = [`${c.onTrack} on track`, `${c.atRisk} at risk`, `${c.offTrack} off track`];
  if (c.notStarted > 0) parts.push(`${c.notStarted} not started`);
  if (c.noUpdate > 0) parts.push(`${c.noUpdate} without an update`);
  return parts.join(', ');
}

const bullet = (line: string) => `• ${line}`;
const plain = (text: string): Line => ({ text });

/**
 * The menu of a line about one of this program's workstreams, and the block id that names the line,
 * on the team digest alone: a client digest carries nothing to act on (SPEC §7), and a leadership
 * digest is read by people who do not post updates. A line about another program's work (a chain's
 * root, a capacity conflict) offers nothing: the clicker may not be able to do anything there.
 */
function lineMenu(view: DigestView, w: WorkstreamLabel, prefix: string): Omit<Line, 'text'> {
  if (view.variant !== 'team' || !w.id || w.external || w.anonymous) return {};
  return { accessory: workstreamMenu(w.id), blockId: `${prefix}${w.id}` };
}

function attentionLine(view: DigestView, item: AttentionItem, f: LineFormat): Line {
  const text = bullet(f.attention(item));
  return item.kind === 'capacity'
    ? { text }
    : { text, ...lineMenu(view, item.workstream, `${ATTENTION_LINE_PREFIX}${item.kind}_`) };
}

/** The digest's buttons; none on a client digest (they are the team's: SPEC §7). */
function actionsOf(view: DigestView, options: DigestMessageOptions): ActionsBlock | undefined {
  if (view.variant === 'client') return undefined;
  const key = view.header.programKey;
  const elements: Button[] = [button('Post an update', ACTION.digestPostUpdate, key, 'primary')];
  if (view.missingKeys.length > 0) elements.push(button('Nudge the missing ones', ACTION.digestNudge, key));
  if (options.appHomeUrl) {
    elements.push({
      type: 'button',
      text: { type: 'plain_text', text: 'Open in Cairn', emoji: true },
      action_id: ACTION.digestOpenHome,
      url: options.appHomeUrl,
    });
  }
  return { type: 'actions', block_id: 'digest_actions', elements };
}

interface Room {
  blocks: number;
  chars: number;
}

/** Text of a part's sections, once its lines are packed. */
const charsOf = (blocks: readonly KnownBlock[]) => blockTextLength(blocks);

/** The part shown whole, and at its smallest (its heading and "…and N more in the thread" alone). */
function sizes(p: Part): { wanted: Room; least: Room } {
  const blocks = p.lines.length === 0 ? [emptySection(p)] : sectionsOfLines(p.heading, p.lines);
  const wanted = { blocks: blocks.length, chars: charsOf(blocks) };
  if (p.lines.length === 0) return { wanted, least: wanted };
  const least = keeping(p, 0);
  return {
    wanted,
    least: {
      blocks: Math.min(wanted.blocks, least.length),
      chars: Math.min(wanted.chars, charsOf(least)),
    },
  };
}

/**
 * What each part may take, in blocks and in characters alike: every part first its least, then
 * every part but needs attention up to its own share, needs attention the rest, then what it leaves
 * back to the others in their order.
 */
function allocate(parts: Part[], budget: Room): Room[] {
  const measured = parts.map(sizes);
  const rest = parts.findIndex((p) => p.first === undefined);
  const one = (dim: keyof Room): number[] => {
    const wanted = measured.map((m) => m.wanted[dim]);
    const alloc = measured.map((m) => m.least[dim]);
    let left = budget[dim] - alloc.reduce((a, b) => a + b, 0);
    const give = (i: number, upTo: number) => {
      const more = Math.max(0, Math.min(left, upTo - alloc[i]!));
      alloc[i]! += more;
      left -= more;
    };
    parts.forEach((p, i) => {
      if (p.first) give(i, Math.min(wanted[i]!, p.first[dim]));
    });
    if (rest >= 0) give(rest, wanted[rest]!);
    parts.forEach((_, i) => give(i, wanted[i]!));
    return alloc;
  };
  const blocks = one('blocks');
  const chars = one('chars');
  return parts.map((_, i) => ({ blocks: blocks[i]!, chars: chars[i]! }));
}

const emptySection = (p: Part) => section(`${p.heading}\n${p.empty ?? ''}`);

/** The part's first `k` lines and "…and N more in the thread". */
const keeping = (p: Part, k: number) =>
  sectionsOfLines(p.heading, [
    ...p.lines.slice(0, k),
    plain(`_…and ${p.lines.length - k} more in the thread_`),
  ]);

/**
 * The part's sections within `max` (blocks and characters): all its lines if they fit, else the
 * first (most severe) ones and "…and N more in the thread", the others returned as overflow.
 */
function fit(part: Part, max: Room): { blocks: KnownBlock[]; overflow: Line[] } {
  const { lines } = part;
  if (lines.length === 0) return { blocks: [emptySection(part)], overflow: [] };
  const within = (blocks: readonly KnownBlock[]) =>
    blocks.length <= max.blocks && charsOf(blocks) <= max.chars;
  const all = sectionsOfLines(part.heading, lines);
  if (within(all)) return { blocks: all, overflow: [] };
  // The largest number of lines that fits, by bisection (more lines never take fewer blocks or characters).
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (within(keeping(part, mid))) lo = mid;
    else hi = mid - 1;
  }
  return { blocks: keeping(part, lo), overflow: lines.slice(lo) };
}
