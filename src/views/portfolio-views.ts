/**
 * The portfolio's leadership digest in Block Kit (SPEC §7), and the answers of `/program portfolio …`.
 * The main message holds the totals, the programs that need attention most (worst first) and what
 * spans programs; every other program's line goes in the thread, counted, never dropped. Within
 * Slack's limits for 100 programs: 50 blocks a message, 3,000 characters a section, and
 * MESSAGE_TEXT_BUDGET characters of text a message (message-size.ts): when the main message would
 * hold more, it shows fewer programs and fewer items of each list, and the thread the rest.
 */
import type { KnownBlock } from '@slack/types';
import type { Portfolio, Program } from '../domain/entities.js';
import type { ProgramLine, PortfolioView, TopRisk } from '../domain/portfolio.js';
import { userText } from '../text/escape.js';
import type { Answer } from './answer.js';
import { capped, context, divider, header, MESSAGE_BLOCK_LIMIT, section, sectionsOf } from './blocks.js';
import { chainLinks, labelOf } from './chains.js';
import { LineFormat, ref } from './digest-lines.js';
import { HEALTH_EMOJI, NO_UPDATE, NOT_STARTED } from './format.js';
import type { SlackMessage } from './message.js';
import { MESSAGE_TEXT_BUDGET, messageTextLength, packBlocks } from './message-size.js';
import { plural } from './plural.js';

/** Program lines in the main message; the rest open the thread. */
export const PROGRAMS_IN_MAIN = 12;
/** Items of each cross-program list in the main message. */
const ACROSS_IN_MAIN = 6;
/** Links of a top risk's chain shown on a program's line. */
const CHAIN_LINKS = 2;

export function portfolioDigestMessages(view: PortfolioView): {
  main: SlackMessage;
  thread: SlackMessage[];
  /** A few plain lines posted instead of the main message if Slack refuses it all the same. */
  fallback: { text: string };
} {
  const f = new LineFormat(view.header.today);
  const name = userText(view.header.name, 100);
  const t = view.totals;
  const totals = [
    `${HEALTH_EMOJI.on_track} *${t.onTrack}* on track`,
    `${HEALTH_EMOJI.at_risk} *${t.atRisk}* at risk${t.atRiskThroughDependencies > 0 ? ` (${t.atRiskThroughDependencies} through dependencies)` : ''}`,
    `${HEALTH_EMOJI.off_track} *${t.offTrack}* off track`,
    `${NOT_STARTED} *${t.notStarted}* not started`,
    `${NO_UPDATE} *${t.noUpdate}* without a recent update`,
  ].join(' · ');
  const lines = view.programs.map((l) => programLine(l, f, view));

  const cross = view.crossDependencies.map(({ link, consumerId }) => {
    const consumer = view.named.get(consumerId);
    return `🔗 ${consumer ? ref(labelOf(consumer)) : '_a removed workstream_'} ${f.chain(chainLinks([link], view.named))} — _${userText(link.deliverable, 80)}_`;
  });
  const capacity = view.capacity.map((c) =>
    f.capacity({
      resource: c.resource.name,
      total: c.total,
      capacity: c.resource.capacity,
      week: c.isoWeek.week,
      monday: c.isoWeek.monday,
      byProgram: c.byProgram,
    }),
  );
  const waitOn = (n: number) => `${plural(n, 'at-risk workstream')} ${n === 1 ? 'waits' : 'wait'} on it`;
  const bottlenecks = view.bottlenecks.map((b) => {
    if (b.kind === 'workstream') {
      const w = view.named.get(b.workstreamId);
      return `${w ? ref(labelOf(w)) : '_a removed workstream_'}: ${waitOn(b.waiting)}`;
    }
    return `${b.kind === 'team' ? 'team' : '📦'} *${userText(b.name, 60)}*: ${waitOn(b.waiting)}`;
  });

  const summary = `${t.offTrack} off track, ${t.atRisk} at risk, ${t.onTrack} on track across ${plural(view.header.programs, 'program')}`;
  const mainText = `${name} — ${summary}`;
  /** The main message showing `programs` program lines and `across` items of each cross-program list. */
  const mainWith = (programs: number, across: number): KnownBlock[] => {
    const shown = lines.slice(0, programs);
    const rest = lines.length - shown.length;
    const part = (heading: string, items: string[], empty?: string): KnownBlock[] =>
      items.length > 0
        ? sectionsOf(`*${heading}* (${items.length})`, inMain(items.map(bullet), across))
        : empty
          ? [section(`*${heading}*\n${empty}`)]
          : [];
    return [
      header(`Portfolio: ${view.header.name}`),
      context(
        [
          view.header.date,
          `\`${view.header.key}\``,
          plural(view.header.programs, 'program'),
          'leadership digest',
        ].join(' · '),
      ),
      section(totals),
      divider(),
      ...sectionsOf(`*Programs* (${lines.length}), most in trouble first`, shown.map(bullet)),
      ...(rest > 0 ? [context(`🧵 ${plural(rest, 'more program')} in the thread.`)] : []),
      divider(),
      ...part('Dependencies between programs at risk', cross, 'None. 🎉'),
      ...part('Capacity conflicts', capacity),
      ...part('What the at-risk work waits on', bottlenecks),
    ];
  };
  // The most programs (then the most items of each list) that keep the main message within limits.
  const fits = (blocks: KnownBlock[]) =>
    blocks.length <= MESSAGE_BLOCK_LIMIT && messageTextLength(blocks, mainText) <= MESSAGE_TEXT_BUDGET;
  let programs = Math.min(PROGRAMS_IN_MAIN, lines.length);
  let across = ACROSS_IN_MAIN;
  while (!fits(mainWith(programs, across)) && (programs > 1 || across > 1)) {
    if (programs > 1) programs--;
    else across--;
  }
  const main = mainWith(programs, across);

  const thread: SlackMessage[] = [];
  const rest = lines.slice(programs);
  const restBlocks = rest.length > 0 ? sectionsOf(`*Programs* — continued`, rest.map(bullet)) : [];
  for (const blocks of messagesOf(restBlocks, name)) thread.push({ text: `${name} — more programs`, blocks });
  const more = (items: string[], heading: string) =>
    items.length > across ? sectionsOf(`*${heading}* — all ${items.length}`, items.map(bullet)) : [];
  // Every list cut in the main message is in the thread whole (what the at-risk work waits on too).
  const acrossDetail = [
    ...more(cross, 'Dependencies between programs at risk'),
    ...more(capacity, 'Capacity conflicts'),
    ...more(bottlenecks, 'What the at-risk work waits on'),
  ];
  for (const blocks of messagesOf(acrossDetail, name))
    thread.push({ text: `${name} — across programs`, blocks });
  const fallback = [
    `*Portfolio: ${name}* — leadership digest of ${view.header.date}, ${plural(view.header.programs, 'program')}`,
    totals,
    `_The full digest could not be shown here: Slack refused it as too long._ \`/program portfolio preview ${view.header.key}\` shows it to you.`,
  ].join('\n');
  return { main: { text: mainText, blocks: main }, thread, fallback: { text: fallback } };
}

const bullet = (line: string) => `• ${line}`;

/** The first `max` items, then how many more the thread holds (each list cut here is whole there). */
const inMain = (items: readonly string[], max: number) =>
  items.length <= max
    ? [...items]
    : [...items.slice(0, max), `_…and ${items.length - max} more in the thread_`];

/** Blocks split into replies within 50 blocks and the text budget, room kept for the reply's text. */
const messagesOf = (blocks: readonly KnownBlock[], name: string) =>
  packBlocks(blocks, { reserve: name.length + 40 });

function programLine(l: ProgramLine, f: LineFormat, view: PortfolioView): string {
  const c = l.counts;
  const mark =
    c.offTrack > 0 ? HEALTH_EMOJI.off_track : c.atRisk > 0 ? HEALTH_EMOJI.at_risk : HEALTH_EMOJI.on_track;
  const parts = [
    `${mark} *${userText(l.program.name, 60)}* \`${l.program.key}\`${l.program.state === 'archived' ? ' _(archived)_' : ''}`,
    `${HEALTH_EMOJI.off_track} ${c.offTrack} ${HEALTH_EMOJI.at_risk} ${c.atRisk} ${HEALTH_EMOJI.on_track} ${c.onTrack}${c.noUpdate > 0 ? ` ${NO_UPDATE} ${c.noUpdate}` : ''}`,
  ];
  if (l.trend.length > 1) parts.push(`trouble ${l.trend.join(' → ')}`);
  const m = l.nextMilestone;
  if (m) {
    const late =
      m.forecast && m.daysLate > 0
        ? `, forecast ${f.date(m.forecast)} (${plural(m.daysLate, 'day')} late)`
        : m.forecast
          ? ', on time'
          : '';
    parts.push(`next *${userText(m.name, 60)}* ${f.date(m.date)}${late}`);
  }
  const risk = l.topRisk ? ` — ${topRisk(l.topRisk, f, view)}` : '';
  return `${parts.join(' · ')}${risk}`;
}

function topRisk(r: TopRisk, f: LineFormat, view: PortfolioView): string {
  switch (r.kind) {
    case 'chain': {
      const w = view.named.get(r.workstreamId);
      const links = chainLinks(r.chain.slice(0, CHAIN_LINKS), view.named);
      return `${w ? ref(labelOf(w)) : '_a removed workstream_'} ${f.chain(links)}${r.chain.length > CHAIN_LINKS ? ' ← …' : ''}`;
    }
    case 'off_track': {
      const w = view.named.get(r.workstreamId);
      return `${w ? ref(labelOf(w)) : '_a removed workstream_'} is off track`;
    }
    case 'milestone':
      return `*${userText(r.name, 60)}* ${f.date(r.date)} is forecast ${f.date(r.forecast)}, ${plural(r.daysLate, 'day')} late`;
    case 'capacity':
      return f.capacity({
        resource: r.conflict.resource.name,
        total: r.conflict.total,
        capacity: r.conflict.resource.capacity,
        week: r.conflict.isoWeek.week,
        monday: r.conflict.isoWeek.monday,
        byProgram: r.conflict.byProgram,
      });
  }
}

const say = (text: string): Answer => ({ response_type: 'ephemeral', text, blocks: [section(text)] });
const keys = (programs: readonly Program[]) =>
  programs.length > 0
    ? capped(
        programs.map((p) => `\`${p.key}\``),
        20,
      ).join(', ')
    : '_none yet_';

export function portfolioCreatedView(p: Portfolio): Answer {
  return say(
    `Created the portfolio *${userText(p.name, 100)}* \`${p.key}\`. \`/program portfolio add ${p.key} <program> …\` adds programs; \`/program portfolio preview ${p.key}\` shows its digest.`,
  );
}

export function portfolioProgramsView(
  p: Portfolio,
  programs: readonly Program[],
  said: 'added' | 'removed' | 'not_there' | 'shown',
): Answer {
  const lead = {
    added: 'Added.',
    removed: 'Removed.',
    not_there: 'That program was not in it; nothing changed.',
    shown: '',
  }[said];
  return say(
    `${lead ? `${lead} ` : ''}*${userText(p.name, 100)}* \`${p.key}\`, made by <@${p.ownerId}>, holds ${plural(programs.length, 'program')}: ${keys(programs)}.`,
  );
}

export function portfolioListView(portfolios: readonly Portfolio[]): Answer {
  if (portfolios.length === 0)
    return say('No portfolios yet. `/program portfolio new <key> "<name>"` makes one.');
  const lines = portfolios.map(
    (p) => `• *${userText(p.name, 100)}* \`${p.key}\` — ${plural(p.programIds.length, 'program')}`,
  );
  return {
    response_type: 'ephemeral',
    text: `${plural(portfolios.length, 'portfolio')}`,
    blocks: sectionsOf(`*Portfolios* (${portfolios.length})`, capped(lines, 40, 'portfolio')),
  };
}
