/**
 * The App Home tab (SPEC §4): my workstreams with quick-update buttons, programs I run with preview
 * and post, blockers I own with their age, and dependencies I owe. Pure: whatever the data, at most
 * 100 blocks (Slack's limit for a view), each list capped and the rest counted.
 */
import type { Button, HomeView, KnownBlock } from '@slack/types';
import type { HomeBlocker, HomeData, HomeDependency, HomeProgram } from '../use-cases/home.js';
import type { Workstream } from '../data/workstreams.js';
import { button, context, divider, header, section } from './blocks.js';
import { escapeKeepingMentions, escapeMrkdwn, truncate } from './escape.js';
import { formatAge, formatAgo, formatDate, HEALTH_EMOJI, NOT_STARTED, STATE_LABEL } from './format.js';

/** Slack's limit on the blocks of a Home tab. */
export const HOME_BLOCK_LIMIT = 100;

/**
 * How many items of each list are shown. With the blocks each takes (2, 2, 1, 2) and four blocks of
 * divider, heading and "…and N more" per list, a full Home tab is 2 + 23 + 19 + 18 + 23 = 85 blocks.
 */
export const HOME_CAPS = { workstreams: 10, programs: 8, blockers: 15, owes: 10 } as const;

export function homeView(data: HomeData, now: Date): HomeView {
  const blocks: KnownBlock[] = [header('Cairn')];
  const nothing =
    data.workstreams.length === 0 &&
    data.programs.length === 0 &&
    data.blockers.length === 0 &&
    data.owes.length === 0;
  if (nothing) {
    blocks.push(
      section(
        'Nothing here yet: you lead no workstreams, run no programs, and own no open blockers or dependencies.\n' +
          '• `/status` posts an update on a workstream (or `/status <workstream>` shows one).\n' +
          '• `/program new <key> "<name>"` starts a program; `/program add` gives it workstreams and their leads.',
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
      (w) => workstreamBlocks(w, now),
      'workstreams. `/status <program/workstream>` shows any of them.',
    ),
    ...list(
      '*Programs you run*',
      data.programs,
      HOME_CAPS.programs,
      data.truncated.programs,
      programBlocks,
      'programs. `/program list` shows them all.',
    ),
    ...list(
      '*Blockers you own*',
      data.blockers,
      HOME_CAPS.blockers,
      data.truncated.blockers,
      (b) => blockerBlocks(b, now),
      'blockers, oldest shown first.',
    ),
    ...list(
      '*Dependencies you owe*',
      data.owes,
      HOME_CAPS.owes,
      data.truncated.owes,
      (d) => dependencyBlocks(d, now),
      'dependencies, soonest due shown first.',
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
  moreOf: string,
): KnownBlock[] {
  if (items.length === 0) return [];
  const count = `${items.length}${truncated ? '+' : ''}`;
  const blocks: KnownBlock[] = [divider(), section(`${heading} (${count})`)];
  for (const item of items.slice(0, cap)) blocks.push(...render(item));
  const rest = items.length - Math.min(cap, items.length);
  if (rest > 0) blocks.push(context(`…and ${rest}${truncated ? '+' : ''} more ${moreOf}`));
  return blocks;
}

const refOf = (w: Pick<Workstream, 'programKey' | 'key'>) =>
  `\`${escapeMrkdwn(truncate(`${w.programKey}/${w.key}`, 60))}\``;
const nameOf = (name: string, max = 80) => escapeMrkdwn(truncate(name.replace(/[\r\n]+/g, ' '), max));

function workstreamBlocks(w: Workstream, now: Date): KnownBlock[] {
  const id = w._id.toHexString();
  const facts = [w.lastUpdateAt ? `updated ${formatAgo(w.lastUpdateAt, now)}` : 'no update yet'];
  if (w.progress !== undefined) facts.push(`${w.progress}%`);
  if (w.state === 'paused' || w.state === 'done') facts.push(STATE_LABEL[w.state]);
  if (w.targetDate) facts.push(`due ${formatDate(w.targetDate, now)}`);
  const emoji = w.health ? HEALTH_EMOJI[w.health] : NOT_STARTED;
  const elements: Button[] = [button('Update…', 'status_open_modal', id, 'primary')];
  // Still on track carries the last update forward: there must be one.
  if (w.lastUpdateAt) elements.push(button('Still on track', 'status_carry_forward', id));
  elements.push(button('Details', 'status_details', id));
  return [
    section(`${emoji} *${nameOf(w.name)}* ${refOf(w)} · ${facts.join(' · ')}`),
    { type: 'actions', elements },
  ];
}

function programBlocks({ program: p, role, counts: c }: HomeProgram): KnownBlock[] {
  const health =
    c.workstreams === 0
      ? 'no workstreams yet'
      : [
          `${c.workstreams} workstream${c.workstreams === 1 ? '' : 's'}:`,
          `${HEALTH_EMOJI.on_track} ${c.byHealth.on_track}`,
          `${HEALTH_EMOJI.at_risk} ${c.byHealth.at_risk}`,
          `${HEALTH_EMOJI.off_track} ${c.byHealth.off_track}`,
          `${NOT_STARTED} ${c.withoutUpdate}`,
        ].join(' ');
  const blockers = `${c.openBlockers} open blocker${c.openBlockers === 1 ? '' : 's'}`;
  const key = escapeMrkdwn(p.key);
  const post: Button = {
    ...button('Post now', 'home_post_digest', p.key),
    confirm: {
      title: { type: 'plain_text', text: 'Post the digest now?' },
      text: {
        type: 'plain_text',
        text: truncate(
          `Cairn posts the ${p.name} digest to its channel now, for everyone there to read.`,
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
    { type: 'actions', elements: [button('Preview', 'home_preview', p.key), post] },
  ];
}

function blockerBlocks({ blocker: b, workstream }: HomeBlocker, now: Date): KnownBlock[] {
  const where = workstream ? refOf(workstream) : 'a removed workstream';
  const text = escapeKeepingMentions(truncate(b.text.replace(/[\r\n]+/g, ' '), 300));
  return [
    {
      ...section(`• ${text}\n_${where} · open ${formatAge(b.openedAt, now)}_`),
      accessory: button('Resolve', 'blocker_resolve', b._id.toHexString()),
    } as KnownBlock,
  ];
}

function dependencyBlocks({ dependency: d, provider, consumer }: HomeDependency, now: Date): KnownBlock[] {
  const id = d._id.toHexString();
  const forWhom = consumer ? `for ${refOf(consumer)} (<@${consumer.leadId}>)` : 'for a removed workstream';
  const from = provider ? ` · from ${refOf(provider)}` : '';
  const overdue = d.neededBy < isoDate(now) ? ' · *overdue*' : '';
  return [
    section(
      `*${escapeMrkdwn(truncate(d.deliverable.replace(/[\r\n]+/g, ' '), 200))}* ${forWhom} by ${formatDate(d.neededBy, now)}${overdue}${from}`,
    ),
    {
      type: 'actions',
      elements: [
        button('Mark met', 'dependency_met', id, 'primary'),
        button('Flag broken', 'dependency_broken', id, 'danger'),
      ],
    },
  ];
}

/** `now` as a UTC calendar date, to compare with a `neededBy`. */
const isoDate = (now: Date) => now.toISOString().slice(0, 10);
