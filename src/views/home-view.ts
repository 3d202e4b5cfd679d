/**
 * The App Home tab (SPEC §4): my workstreams with quick-update buttons, programs I run with preview
 * and post, blockers I own with their age, and dependencies I owe. Pure: whatever the data, at most
 * 100 blocks (Slack's limit for a view), each list capped and the rest counted.
 */
import { commitmentButtons, commitmentSuffix } from './commitment-views.js';
import { commitmentOf } from '../domain/commitment.js';
import { expectsUpdates } from '../domain/workstream-state.js';
import type {
  HomeBlocker,
  HomeData,
  HomeDependency,
  HomeProgram,
  WorkstreamChains,
} from '../domain/read-models.js';
import { chainLinks, labelOf } from './chains.js';
import { LineFormat, ref } from './digest-lines.js';
import type { Program, Workstream } from '../domain/entities.js';
import type { Button, HomeView, KnownBlock } from '@slack/types';
import { button, context, divider, header, section } from './blocks.js';
import { blockerActions, dependencyActions, oneClickButton } from './item-actions.js';
import { escapeMrkdwn, oneLine, truncate, userText } from '../text/escape.js';
import { formatAge, formatAgo, formatDate, HEALTH_EMOJI, NOT_STARTED, STATE_LABEL } from './format.js';
import { ACTION } from './ids.js';
import { plural } from './plural.js';

/** Slack's limit on the blocks of a Home tab. */
export const HOME_BLOCK_LIMIT = 100;

/**
 * How many items of each list are shown. With the blocks each takes (2, 2, 2, 2, 1) and the divider,
 * heading and "…and N more" of each list, a full Home tab is 2 + 23 + 19 + 23 + 23 + 8 = 98 blocks.
 */
export const HOME_CAPS = { workstreams: 10, programs: 8, blockers: 10, owes: 10, following: 5 } as const;

export function homeView(data: HomeData, now: Date): HomeView {
  const blocks: KnownBlock[] = [header('Cairn')];
  const nothing =
    data.workstreams.length === 0 &&
    data.programs.length === 0 &&
    data.blockers.length === 0 &&
    data.owes.length === 0 &&
    (data.following ?? []).length === 0;
  if (nothing) {
    blocks.push(
      section(
        'Nothing here yet: you lead no workstreams, run no programs, and own no open blockers or dependencies.\n' +
          '• `/status` posts an update on a workstream (or `/status &lt;workstream&gt;` shows one).\n' +
          '• `/program new &lt;key&gt; "&lt;name&gt;"` starts a program; `/program add` gives it workstreams and their leads.\n' +
          '• `/program follow &lt;program&gt;` sends you its digests by DM.',
      ),
    );
    return { type: 'home', blocks };
  }
  blocks.push(
    context(`What needs you, <@${data.userId}>: your workstreams, programs, blockers and dependencies.`),
  );

  blocks.push(
    ...list(
      '*Your workstreams*',
      data.workstreams,
      HOME_CAPS.workstreams,
      data.truncated.workstreams,
      (w) => workstreamBlocks(w, now, data.chains.get(w._id.toHexString())),
      ['workstream', 'workstreams', '. `/status &lt;program/workstream&gt;` shows any of them.'],
    ),
    ...list('*Programs you run*', data.programs, HOME_CAPS.programs, data.truncated.programs, programBlocks, [
      'program',
      'programs',
      '. `/program list` shows them all.',
    ]),
    ...list(
      '*Blockers you own*',
      data.blockers,
      HOME_CAPS.blockers,
      data.truncated.blockers,
      (b) => blockerBlocks(b, now),
      ['blocker', 'blockers', ', oldest shown first.'],
    ),
    ...list(
      '*Dependencies you owe*',
      data.owes,
      HOME_CAPS.owes,
      data.truncated.owes,
      (d) => dependencyBlocks(d, now),
      ['dependency', 'dependencies', ', soonest due shown first.'],
    ),
    ...list(
      '*Programs you follow*',
      data.following ?? [],
      HOME_CAPS.following,
      data.truncated.following ?? false,
      followedBlocks,
      ['program', 'programs', ', in the order you followed them.'],
    ),
  );
  return { type: 'home', blocks: blocks.slice(0, HOME_BLOCK_LIMIT) };
}

/** A divider, a heading with the count, the first `cap` items, and how many more there are. */
function list<T>(
  heading: string,
  items: readonly T[],
  cap: number,
  truncated: boolean,
  render: (item: T) => KnownBlock[],
  /** What the rest are, in the singular and plural, and a note after them. */
  moreOf: readonly [one: string, many: string, note: string],
): KnownBlock[] {
  if (items.length === 0) return [];
  const count = `${items.length}${truncated ? '+' : ''}`;
  const blocks: KnownBlock[] = [divider(), section(`${heading} (${count})`)];
  for (const item of items.slice(0, cap)) blocks.push(...render(item));
  const rest = items.length - Math.min(cap, items.length);
  const [one, many, note] = moreOf;
  const more = truncated ? `${rest}+ more ${many}` : plural(rest, `more ${one}`, `more ${many}`);
  if (rest > 0) blocks.push(context(`…and ${more}${note}`));
  return blocks;
}

const refOf = (w: Pick<Workstream, 'programKey' | 'key'>) =>
  `\`${escapeMrkdwn(truncate(`${w.programKey}/${w.key}`, 60))}\``;
const nameOf = (name: string, max = 80) => userText(name, max);

/** Links of a chain shown on the Home tab; a longer chain ends in "…". */
const CHAIN_LINKS_SHOWN = 3;
/** At-risk workstreams named as waiting on one of mine; the rest are counted. */
const WAITING_SHOWN = 3;

function workstreamBlocks(w: Workstream, now: Date, chains: WorkstreamChains | undefined): KnownBlock[] {
  const id = w._id.toHexString();
  const facts = [w.lastUpdateAt ? `updated ${formatAgo(w.lastUpdateAt, now)}` : 'no update yet'];
  if (w.progress !== undefined) facts.push(`${w.progress}%`);
  if (w.state === 'paused' || w.state === 'done') facts.push(STATE_LABEL[w.state]);
  if (w.targetDate) facts.push(`due ${formatDate(w.targetDate, now)}`);
  const emoji = w.health ? HEALTH_EMOJI[w.health] : NOT_STARTED;
  const elements: Button[] = [button('Update…', ACTION.updateOpen, id, 'primary')];
  // Still on track (green work) or No change (amber and red) carries the last update forward: there
  // must be one, and work that expects updates (paused and done work is not chased: SPEC §8).
  const oneClick = w.lastUpdateAt && expectsUpdates(w.state) ? oneClickButton(id, w.health) : undefined;
  if (oneClick) elements.push(oneClick);
  elements.push(button('Details', ACTION.workstreamDetails, id));
  return [
    section(
      `${emoji} *${nameOf(w.name)}* ${refOf(w)} · ${facts.join(' · ')}${chains ? chainLines(w, chains) : ''}`,
    ),
    { type: 'actions', elements },
  ];
}

/** What my workstream waits on that will be late, and the at-risk work that waits on it (SPEC §6). */
function chainLines(w: Workstream, chains: WorkstreamChains): string {
  const f = new LineFormat(chains.today);
  let lines = '';
  if (chains.risk) {
    const links = chainLinks(chains.risk.chain, chains.named, w.programId);
    const more = links.length > CHAIN_LINKS_SHOWN ? ' ← …' : '';
    lines += `\n${HEALTH_EMOJI.at_risk}🔗 At risk: ${f.chain(links.slice(0, CHAIN_LINKS_SHOWN))}${more}`;
  }
  const waiting = chains.reaches.flatMap((id) => {
    const other = chains.named.get(id);
    return other ? [ref(labelOf(other, w.programId))] : [];
  });
  if (waiting.length > 0) {
    const shown = waiting.slice(0, WAITING_SHOWN);
    if (waiting.length > shown.length) shown.push(`${waiting.length - shown.length} more`);
    const verb = waiting.length === 1 ? 'waits' : 'wait';
    lines += `\n⛓️ ${plural(waiting.length, 'at-risk workstream')} ${verb} on it: ${shown.join(', ')}`;
  }
  return lines;
}

function programBlocks({ program: p, role, counts: c }: HomeProgram): KnownBlock[] {
  const health =
    c.workstreams === 0
      ? 'no workstreams yet'
      : [
          `${c.workstreams} workstream${c.workstreams === 1 ? '' : 's'}:`,
          `${HEALTH_EMOJI.on_track} ${c.byHealth.on_track}`,
          `${HEALTH_EMOJI.at_risk} ${c.byHealth.at_risk}${c.atRiskThroughDependencies > 0 ? ` (${c.atRiskThroughDependencies} through dependencies)` : ''}`,
          `${HEALTH_EMOJI.off_track} ${c.byHealth.off_track}`,
          `${NOT_STARTED} ${c.withoutUpdate}`,
        ].join(' ');
  const blockers = `${c.openBlockers} open blocker${c.openBlockers === 1 ? '' : 's'}`;
  const key = escapeMrkdwn(p.key);
  const post: Button = {
    ...button('Post now', ACTION.homePostDigest, p.key),
    confirm: {
      title: { type: 'plain_text', text: 'Post the digest now?' },
      text: {
        type: 'plain_text',
        text: truncate(
          `Cairn posts the ${truncate(oneLine(p.name), 150)} digest to its channel now, for everyone there to read.`,
          300,
        ),
      },
      confirm: { type: 'plain_text', text: 'Post it' },
      deny: { type: 'plain_text', text: 'Not yet' },
    },
  };
  return [
    section(
      `*${nameOf(p.name)}* \`${key}\` · ${role === 'owner' ? 'owner' : 'admin'} · ${health} · ${blockers}`,
    ),
    { type: 'actions', elements: [button('Preview', ACTION.homePreview, p.key), post] },
  ];
}

/** A program the user follows (`/program follow`): its digests come to them by DM. */
function followedBlocks(p: Program): KnownBlock[] {
  const key = escapeMrkdwn(p.key);
  const digests = p.state === 'archived' ? '_archived: no digests_' : 'its digests come to you by DM';
  return [section(`*${nameOf(p.name)}* \`${key}\` · ${digests} · \`/program unfollow ${key}\` stops them`)];
}

function blockerBlocks({ blocker: b, workstream }: HomeBlocker, now: Date): KnownBlock[] {
  const where = workstream ? refOf(workstream) : 'a removed workstream';
  const text = userText(b.text, 300, { mentions: true });
  return [
    section(`• ${text}\n_${where} · open ${formatAge(b.openedAt, now)}_`),
    blockerActions(b._id.toHexString()),
  ];
}

/**
 * A dependency I owe: Mark met · Flag broken and, while its provider has not answered the request,
 * Commit · Propose another date · Decline before them, in the same actions block (2 blocks either way).
 */
function dependencyBlocks({ dependency: d, provider, consumer }: HomeDependency, now: Date): KnownBlock[] {
  const id = d._id.toHexString();
  const forWhom = consumer ? `for ${refOf(consumer)} (<@${consumer.leadId}>)` : 'for a removed workstream';
  const from = provider ? ` · from ${refOf(provider)}` : '';
  const overdue = d.neededBy < isoDate(now) ? ' · *overdue*' : '';
  return [
    section(
      `*${userText(d.deliverable, 200)}* ${forWhom} by ${formatDate(d.neededBy, now)}${overdue}${from}${commitmentSuffix(d, now)}`,
    ),
    {
      type: 'actions',
      elements: [...(requestOpen(d) ? commitmentButtons(d) : []), ...dependencyActions(id).elements],
    },
  ];
}

/** The request to the provider awaits its answer (the use case refuses an answer to any other). */
const requestOpen = (d: HomeDependency['dependency']) =>
  d.state === 'open' && commitmentOf(d).state === 'requested';

/** `now` as a UTC calendar date, to compare with a `neededBy`. */
const isoDate = (now: Date) => now.toISOString().slice(0, 10);
