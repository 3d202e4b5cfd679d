/**
 * The digest's Block Kit (SPEC §3): a main message with the summary and what needs attention, and a
 * thread with the detail by team. Every message stays within Slack's limits (50 blocks, 3,000
 * characters a section, and MESSAGE_TEXT_BUDGET characters of text in all: message-size.ts) and
 * nothing is dropped silently.
 *
 * The main message keeps to a fixed budget whatever the program's size (issue 15, MAIN_BUDGET: 30
 * lines as renderedLines counts them, 4,000 characters as messageTextLength does): the header, the
 * counts, the top CHANGES_IN_MAIN of what changed and the top ATTENTION_IN_MAIN of needs attention
 * (ranked by src/domain/digest/attention-rank.ts), then as much of the other parts (critical path,
 * milestones, what the at-risk work waits on, recommendations) as the budget leaves, each list cut
 * there ending "+N more in the thread". Its lines are one line each, cut to MAIN_LINE_CHARS, unless
 * the message keeps to the budget with them whole. The thread holds everything: every list the main
 * message shortened (fewer items, or items cut to one line), whole, then the detail by team, split
 * into as many replies as the limits ask. On the team digest, each line about one of the program's
 * workstreams (needs attention, by team) is a section of its own with SPEC §4's menu beside it
 * (lineMenu).
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
import { charCount, cutMrkdwn, ELLIPSIS, userText } from '../text/escape.js';
import { ACTION } from './ids.js';
import type { SlackMessage } from './message.js';
import {
  blockTextLength,
  MESSAGE_TEXT_BUDGET,
  messageTextLength,
  packBlocks,
  renderedLines,
} from './message-size.js';

export type { SlackMessage };
import { blockerActions, healthInDigest, workstreamMenu } from './item-actions.js';

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

/** The main message's budget (issue 15): lines as renderedLines counts them, characters as messageTextLength does. */
export const MAIN_BUDGET = { lines: 30, chars: 4_000 } as const;
/** Items of what changed, and of needs attention, the main message shows at most. */
export const CHANGES_IN_MAIN = 5;
export const ATTENTION_IN_MAIN = 7;
/** A line of the main message, cut to one line, keeps this many characters at most. */
const MAIN_LINE_CHARS = 180;
/** The objective on the main message: one line of this many characters at most (whole in the thread). */
const MAIN_OBJECTIVE_CHARS = 200;

/** Room kept for a thread reply's own `text` (the program's name and what the reply holds). */
const REPLY_TEXT_ROOM = 80;

interface Part {
  /** How the pointer to the thread names it when the main message has no room for it at all. */
  name: string;
  heading: string;
  /** Its lines whole, as the thread shows them. */
  lines: Line[];
  /** Said under the heading when there are no lines; a part without it is left out when empty. */
  empty?: string;
  /** Items the main message shows at most (none: as many as the budget leaves). */
  cap?: number;
  /** Which part gets room on the main message first, and comes first in the thread: lowest first. */
  rank: number;
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
  // The objective on one line in the main message; whole in the thread when that cut it.
  const objective = h.objective ? userText(h.objective, 1000, { lines: 'keep' }) : undefined;
  const objectiveInMain = h.objective ? userText(h.objective, MAIN_OBJECTIVE_CHARS) : undefined;
  if (objectiveInMain) top.push(section(`*Objective* ${objectiveInMain}`));
  top.push(section(f.counts(view.counts)), divider());

  const outlook = view.outlook ? f.outlook(view.outlook) : undefined;
  const parts: Part[] = [
    {
      name: 'what changed',
      heading: changes.since ? `*What changed since ${f.date(changes.since)}*` : '*What changed*',
      lines: f.changes(changes).map(bullet).map(plain),
      empty: changes.hasPrevious
        ? 'Nothing changed.'
        : '_This is the first digest: changes will show from the next one._',
      cap: CHANGES_IN_MAIN,
      rank: 1,
    },
    {
      name: 'needs attention',
      heading: `*Needs attention* (${view.attention.length})`,
      lines: view.attention.map((item) => attentionLine(view, item, f)),
      empty: 'Nothing needs attention. 🎉',
      cap: ATTENTION_IN_MAIN,
      rank: 0,
    },
    ...(outlook
      ? [
          {
            name: 'the critical path',
            heading: '*Critical path*',
            lines: outlook.path.map(plain),
            empty: '_No forecasts yet: the path shows once work states or inherits a date._',
            rank: 2,
          },
          {
            name: 'what the at-risk work waits on',
            heading: '*What the at-risk work waits on*',
            lines: outlook.bottlenecks.map(bullet).map(plain),
            rank: 4,
          },
          {
            name: 'recommendations',
            heading: '*Recommendations*',
            lines: outlook.recommendations.map(bullet).map(plain),
            rank: 5,
          },
        ]
      : []),
    {
      name: 'milestones',
      heading: '*Milestones in the next 30 days*',
      lines: view.milestones.map((m) => plain(bullet(f.milestone(m)))),
      empty: 'None.',
      rank: 3,
    },
  ].filter((p) => p.lines.length > 0 || p.empty !== undefined);
  const actions = actionsOf(view, options);
  const tail = actions ? [actions] : [];
  const mainText = `${name} — ${summaryText(view)}`;
  // Room is kept for the line pointing to the thread at its longest (naming every part).
  const fixed = [...top, ...tail, pointerTo(view, parts)];
  const shown = mainParts(parts, {
    lines: MAIN_BUDGET.lines - renderedLines(fixed),
    chars: MAIN_BUDGET.chars - messageTextLength(fixed, mainText),
  });

  // The thread holds everything: the objective and every list the main message shortened, whole,
  // needs attention first.
  const detail: KnownBlock[] = [];
  const objectiveCut = objectiveInMain !== undefined && objectiveInMain !== userText(h.objective ?? '', 1000);
  if (objective && objectiveCut) detail.push(section(`*Objective* ${objective}`));
  const inThread = parts.filter((_, i) => !shown[i]?.complete).sort((a, b) => a.rank - b.rank);
  for (const part of inThread)
    detail.push(
      ...(part.lines.length === 0 ? [emptySection(part)] : sectionsOfLines(part.heading, part.lines)),
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
  // Who is away, for the program's owner to plan around (team variant only).
  if (view.away?.length)
    detail.push(
      ...sectionsOfLines(
        `*Away* (${view.away.length})`,
        view.away.map((a) =>
          plain(
            `🌴 <@${a.userId}> until ${f.date(a.until)} — ${a.workstreamKeys.map((k) => `\`${userText(k, 40)}\``).join(', ')}`,
          ),
        ),
      ),
    );

  const mainBlocks = [...top, ...shown.flatMap((s) => s?.blocks ?? [])];
  if (detail.length > 0)
    mainBlocks.push(
      pointerTo(
        view,
        parts.filter((_, i) => !shown[i]),
      ),
    );
  mainBlocks.push(...tail);

  // Each reply within 50 blocks and the text budget, its own text included.
  const chunks = packBlocks(detail, { reserve: name.length + REPLY_TEXT_ROOM });
  const opening = inThread.some((p) => p.name === 'needs attention')
    ? 'everything that needs attention'
    : inThread.length > 0 || objectiveCut
      ? 'this digest in full'
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
  return { accessory: workstreamMenu(w.id, healthInDigest(view, w.id)), blockId: `${prefix}${w.id}` };
}

function attentionLine(view: DigestView, item: AttentionItem, f: LineFormat): Line {
  const text = bullet(f.attention(item));
  // A capacity conflict, and a request another team has to answer (issue 15: several can name one
  // workstream), offer no menu.
  return item.kind === 'capacity' || item.kind === 'unanswered_request'
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
  lines: number;
  chars: number;
}

/** A part as the main message shows it. */
interface Shown {
  blocks: KnownBlock[];
  /** Every line of it, each whole: the thread need not show it again. */
  complete: boolean;
}

const sizeOf = (blocks: readonly KnownBlock[]): Room => ({
  lines: renderedLines(blocks),
  chars: blockTextLength(blocks),
});

/**
 * What of each part the main message shows within `room`, undefined for a part it has no room for
 * (the thread shows it, and the line pointing there names it). Most important part first (`rank`):
 * the parts with a cap (needs attention, what changed) at their least (the heading and "+N more in
 * the thread", or the text for none), then their items in order up to the cap; then every other part
 * at its least, then its items in order, while they fit; then each part's items whole rather than
 * cut to one line, while the message keeps to the room that way.
 */
function mainParts(parts: readonly Part[], room: Room): Array<Shown | undefined> {
  const left = { ...room };
  const take = (more: Room) => {
    if (more.lines > left.lines || more.chars > left.chars) return false;
    left.lines -= more.lines;
    left.chars -= more.chars;
    return true;
  };
  const growth = (from: readonly KnownBlock[], to: readonly KnownBlock[]): Room => {
    const [a, b] = [sizeOf(from), sizeOf(to)];
    return { lines: b.lines - a.lines, chars: b.chars - a.chars };
  };
  const order = parts.map((_, i) => i).sort((a, b) => parts[a]!.rank - parts[b]!.rank);
  const included = parts.map(() => false);
  const count = parts.map(() => 0);
  const fill = (i: number) => {
    const p = parts[i]!;
    const most = included[i] ? Math.min(p.lines.length, p.cap ?? Infinity) : 0;
    while (count[i]! < most && take(growth(inMain(p, count[i]!, false), inMain(p, count[i]! + 1, false))))
      count[i]!++;
  };
  const capped = order.filter((i) => parts[i]!.cap !== undefined);
  const others = order.filter((i) => parts[i]!.cap === undefined);
  for (const i of capped) included[i] = take(sizeOf(inMain(parts[i]!, 0, false)));
  capped.forEach(fill);
  for (const i of others) included[i] = take(sizeOf(inMain(parts[i]!, 0, false)));
  others.forEach(fill);
  const whole = parts.map(() => false);
  for (const i of order) {
    const p = parts[i]!;
    whole[i] = included[i]! && take(growth(inMain(p, count[i]!, false), inMain(p, count[i]!, true)));
  }
  return parts.map((p, i) =>
    included[i]
      ? { blocks: inMain(p, count[i]!, whole[i]!), complete: count[i] === p.lines.length && whole[i]! }
      : undefined,
  );
}

const emptySection = (p: Part) => section(`${p.heading}\n${p.empty ?? ''}`);

/** The part in the main message: its first `k` lines (whole, or each cut to one line) and "+N more in the thread". */
function inMain(p: Part, k: number, whole: boolean): KnownBlock[] {
  if (p.lines.length === 0) return [emptySection(p)];
  const lines = p.lines
    .slice(0, k)
    .map((l) => (whole ? l : { ...l, text: oneLineOf(l.text, MAIN_LINE_CHARS) }));
  const rest = p.lines.length - k;
  return sectionsOfLines(p.heading, rest > 0 ? [...lines, plain(`_+${rest} more in the thread_`)] : lines);
}

/** The line pointing to the thread; it names the parts the main message had no room for. */
function pointerTo(view: DigestView, left: readonly Part[]): KnownBlock {
  const what = view.teams ? '🧵 Detail by team in the thread' : '🧵 More in the thread';
  const named = left.map((p) => (p.lines.length > 0 ? `${p.name} (${p.lines.length})` : p.name));
  return context(named.length > 0 ? `${what}, with ${named.join(', ')}.` : `${what}.`);
}

/**
 * The first line of a mrkdwn line, cut to `max` characters (ending "…") when longer, with the bold,
 * italics, strike-through and code it opened closed again. Cairn's own formatting alone is at stake:
 * user text reaches a line with its `*`, `_`, `~` and backticks neutralised (src/text/escape.ts).
 */
export function oneLineOf(text: string, max: number): string {
  const first = text.split('\n')[0]!;
  if (charCount(first) <= max) return first;
  // Room for the delimiters closed again: Cairn's lines open one of each kind at most, but however
  // many there are, the line keeps to `max`.
  for (let room = max - 4; ; room -= 4) {
    const cut = closeFormatting(cutMrkdwn(first, Math.max(1, room)));
    if (charCount(cut) <= max || room <= 1) return cut;
  }
}

/**
 * A cut line with the delimiters it left open closed. A code span cut into (a key, which must never
 * show shortened) is left out whole, the "…" put before it.
 */
function closeFormatting(text: string): string {
  const open: string[] = [];
  let inToken = false;
  let codeFrom = 0;
  // The delimiters are ASCII: no half of a surrogate pair is taken for one.
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inToken) inToken = c !== '>';
    else if (open.at(-1) === '`') {
      if (c === '`') open.pop();
    } else if (c === '<') inToken = true;
    else if (c === '`' || c === '*' || c === '_' || c === '~') {
      if (open.at(-1) === c) open.pop();
      else open.push(c);
      if (c === '`') codeFrom = i;
    }
  }
  if (open.at(-1) === '`') {
    open.pop();
    text = `${text.slice(0, codeFrom).trimEnd()}${ELLIPSIS}`;
  }
  return `${text}${open.reverse().join('')}`;
}
