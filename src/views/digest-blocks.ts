/**
 * The digest's Block Kit (SPEC §3): a main message with the summary and what needs attention, and a
 * thread with the detail by team. Every message stays within Slack's limits (50 blocks, 3,000
 * characters a section) and nothing is dropped silently: when the main message would be too long,
 * it keeps the most severe items, says how many more there are, and the rest opens the thread.
 */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import type { DigestView } from '../domain/digest.js';
import { button, context, divider, header, MESSAGE_BLOCK_LIMIT, section, sectionsOf } from './blocks.js';
import { LineFormat } from './digest-lines.js';
import { userText } from '../text/escape.js';
import { ACTION } from './ids.js';
import type { SlackMessage } from './message.js';

export type { SlackMessage };
import { blockerActions } from './item-actions.js';

export interface DigestMessages {
  main: SlackMessage;
  /** Replies to post under the main message, in order (none for a short leadership digest). */
  thread: SlackMessage[];
}

export interface DigestMessageOptions {
  /** A link to Cairn's App Home (slack://app?team=…&id=…&tab=home); adds "Open in Cairn". */
  appHomeUrl?: string;
}

/** Block ids of the by-team sections start with this (unique within each message). */
export const BY_TEAM_BLOCK_PREFIX = 'digest_team_';

/** How many blocks of the main message the smaller parts may take before needs-attention. */
const CHANGES_BLOCKS = 5;
const MILESTONE_BLOCKS = 3;
const OUTLOOK_BLOCKS = 4;

interface Part {
  heading: string;
  lines: string[];
  /** Said under the heading when there are no lines; a part without it is left out when empty. */
  empty?: string;
  /** Blocks it may take before needs attention takes the rest; none for needs attention itself. */
  first?: number;
  /** Where what did not fit opens the thread: lowest first. */
  overflowRank: number;
}

export function digestMessages(view: DigestView, options: DigestMessageOptions = {}): DigestMessages {
  const f = new LineFormat(view.header.today);
  const name = userText(view.header.programName, 100);
  const { header: h, changes } = view;

  const facts = [h.date, `\`${h.programKey}\``];
  if (h.ownerId) facts.push(`owner <@${h.ownerId}>`);
  if (view.variant !== 'team') facts.push(`${view.variant} digest`);
  const top: KnownBlock[] = [header(h.programName), context(facts.join(' · '))];
  if (h.objective) top.push(section(`*Objective* ${userText(h.objective, 1000, { lines: 'keep' })}`));
  top.push(section(f.counts(view.counts)), divider());

  const outlook = view.outlook ? f.outlook(view.outlook) : undefined;
  const parts: Part[] = [
    {
      heading: changes.since ? `*What changed since ${f.date(changes.since)}*` : '*What changed*',
      lines: f.changes(changes).map(bullet),
      empty: changes.hasPrevious
        ? 'Nothing changed.'
        : '_This is the first digest: changes will show from the next one._',
      first: CHANGES_BLOCKS,
      overflowRank: 1,
    },
    {
      heading: `*Needs attention* (${view.attention.length})`,
      lines: view.attention.map((item) => bullet(f.attention(item))),
      empty: 'Nothing needs attention. 🎉',
      overflowRank: 0,
    },
    ...(outlook
      ? [
          {
            heading: '*Critical path*',
            lines: outlook.path,
            empty: '_No forecasts yet: the path shows once work states or inherits a date._',
            first: 1,
            overflowRank: 2,
          },
          {
            heading: '*What the at-risk work waits on*',
            lines: outlook.bottlenecks.map(bullet),
            first: OUTLOOK_BLOCKS,
            overflowRank: 3,
          },
          {
            heading: '*Recommendations*',
            lines: outlook.recommendations.map(bullet),
            first: OUTLOOK_BLOCKS,
            overflowRank: 4,
          },
        ]
      : []),
    {
      heading: '*Milestones in the next 30 days*',
      lines: view.milestones.map((m) => bullet(f.milestone(m))),
      empty: 'None.',
      first: MILESTONE_BLOCKS,
      overflowRank: 5,
    },
  ].filter((p) => p.lines.length > 0 || p.empty !== undefined);
  const actions = actionsOf(view, options);
  const tail = actions ? [actions] : [];
  // One more block is kept for the line pointing to the thread.
  const budget = MESSAGE_BLOCK_LIMIT - top.length - tail.length - 1;
  const fitted = allocate(parts, budget).map((max, i) => fit(parts[i]!, max));
  const attentionAt = parts.findIndex((p) => p.first === undefined);

  // What did not fit opens the thread, needs attention first.
  const detail: KnownBlock[] = parts
    .map((part, i) => ({ part, overflow: fitted[i]!.overflow }))
    .sort((a, b) => a.part.overflowRank - b.part.overflowRank)
    .flatMap(({ part, overflow }) =>
      overflow.length > 0 ? sectionsOf(`${part.heading} — continued`, overflow) : [],
    );
  // Small teams share a section: each team's heading is a line of its own, then its workstreams.
  const teamLines = (view.teams ?? []).flatMap((group) => [
    `*Team ${userText(group.team, 80)}* (${group.lines.length})`,
    ...group.lines.map((l) => f.workstream(l)),
  ]);
  sectionsOf('', teamLines).forEach((block, i) =>
    detail.push({ ...block, block_id: `${BY_TEAM_BLOCK_PREFIX}${i}` }),
  );

  const mainBlocks = [...top, ...fitted.flatMap((p) => p.blocks)];
  if (detail.length > 0)
    mainBlocks.push(context(view.teams ? '🧵 Detail by team in the thread.' : '🧵 More in the thread.'));
  mainBlocks.push(...tail);

  const chunks = chunked(detail, MESSAGE_BLOCK_LIMIT);
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
  return { main: { text: `${name} — ${summaryText(view)}`, blocks: mainBlocks }, thread };
}

/** Blockers shown with Resolve and Escalate in one thread reply: the oldest first, two blocks each. */
export const BLOCKERS_WITH_BUTTONS = 20;

function blockersMessage(view: DigestView, f: LineFormat, name: string): SlackMessage | undefined {
  // Resolve and Escalate are the team's: never in front of a client, whatever the model holds.
  const open = view.variant === 'client' ? [] : (view.openBlockers ?? []);
  if (open.length === 0) return undefined;
  const shown = open.slice(0, BLOCKERS_WITH_BUTTONS);
  const blocks: KnownBlock[] = [section(`*Open blockers* (${open.length}), oldest first`)];
  for (const o of shown) blocks.push(section(f.openBlocker(o)), blockerActions(o.blocker.id));
  const rest = open.length - shown.length;
  if (rest > 0)
    blocks.push(
      context(
        `…and ${rest} newer ${rest === 1 ? 'blocker' : 'blockers'}: \`/status &lt;workstream&gt;\` shows each one's.`,
      ),
    );
  return { text: `${name} — open blockers`, blocks };
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

const blocksFor = (p: Part) => (p.lines.length === 0 ? 1 : sectionsOf(p.heading, p.lines).length);

/**
 * Blocks each part may take: every part but needs attention first up to its own few blocks, needs
 * attention the rest, then what it leaves back to the others in their order.
 */
function allocate(parts: Part[], budget: number): number[] {
  const wanted = parts.map(blocksFor);
  const alloc = parts.map((p, i) => (p.first === undefined ? 0 : Math.min(wanted[i]!, p.first)));
  const used = () => alloc.reduce((a, b) => a + b, 0);
  const rest = parts.findIndex((p) => p.first === undefined);
  alloc[rest] = Math.max(0, Math.min(wanted[rest]!, budget - used()));
  let left = budget - used();
  parts.forEach((_, i) => {
    const more = Math.max(0, Math.min(left, wanted[i]! - alloc[i]!));
    alloc[i]! += more;
    left -= more;
  });
  return alloc;
}

/**
 * The part's sections within `max` blocks: all its lines if they fit, else the first (most severe)
 * ones and "…and N more in the thread", the others returned as overflow.
 */
function fit(part: Part, max: number): { blocks: KnownBlock[]; overflow: string[] } {
  const { heading, lines } = part;
  if (lines.length === 0) return { blocks: [section(`${heading}\n${part.empty ?? ''}`)], overflow: [] };
  const all = sectionsOf(heading, lines);
  if (all.length <= max) return { blocks: all, overflow: [] };
  const keeping = (k: number) =>
    sectionsOf(heading, [...lines.slice(0, k), `_…and ${lines.length - k} more in the thread_`]);
  // The largest number of lines that fits, by bisection (more lines never take fewer blocks).
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (keeping(mid).length <= max) lo = mid;
    else hi = mid - 1;
  }
  return { blocks: keeping(lo), overflow: lines.slice(lo) };
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
