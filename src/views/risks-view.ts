/**
 * `/program risks <program>` (or `risks portfolio:<key>`, the same for a portfolio's programs): the analysis in words (SPEC §6), every flag saying why: at-risk chains
 * in order to their root cause, cycles, broken dependencies, milestone forecasts, the critical path,
 * what the most at-risk work waits on, and capacity conflicts.
 */
import type { KnownBlock } from '@slack/types';
import type { ProgramRisks } from '../domain/read-models.js';
import { userText } from '../text/escape.js';
import type { Answer } from './answer.js';
import { capped, context, header, sectionsOf, withinBlockLimit } from './blocks.js';
import { chainLinks } from './chains.js';
import { LineFormat } from './digest-lines.js';
import { plural } from './plural.js';

/** Items shown per list; the rest are counted. */
const LIST_MAX = 15;

export function risksView(r: ProgramRisks): Answer {
  const dates = new LineFormat(r.today);
  const date = (d: string) => dates.date(d);
  const name = (hex: string) => {
    const w = r.workstreams.get(hex);
    return w ? `*${userText(w.name, 60)}* \`${w.programKey}/${w.key}\`` : '_a removed workstream_';
  };
  const a = r.analysis;

  const chains = a.atRisk
    .filter((item) => r.programIds.has(r.workstreams.get(item.workstreamId)?.programId.toHexString() ?? ''))
    .map(
      (item) =>
        `🟡 ${name(item.workstreamId)} — at risk: ${dates.chain(chainLinks(item.chain, r.workstreams, r.home))}`,
    );

  const cycles = a.cycles.map((c) => `🔁 ${[...c, c[0]!].map(name).join(' → ')}`);
  const broken = a.broken.map(
    (e) =>
      `💔 ${name(e.consumer)} needed _${userText(e.deliverable, 120)}_ from ${name(e.provider)} by ${date(e.neededBy)}${e.commitment === 'declined' ? ' · declined by the provider' : ''}`,
  );
  const milestoneNames = new Map(r.milestones.map((m) => [m._id.toHexString(), m.name]));
  const milestones = a.milestones.map((m) => {
    const called = `*${userText(milestoneNames.get(m.milestoneId) ?? 'a milestone', 80)}* ${date(m.date)}`;
    if (!m.forecast) return `🏁 ${called}: no forecast yet`;
    return m.atRisk
      ? `⚠️ ${called}: forecast ${date(m.forecast)}, ${plural(m.daysLate, 'day')} late`
      : `🏁 ${called}: forecast ${date(m.forecast)}, on time`;
  });
  const path = a.criticalPath
    ? [
        `Finishes ${date(a.criticalPath.finish)}: ${a.criticalPath.steps.map((s) => name(s.workstreamId)).join(' → ')}`,
      ]
    : [];
  const bottlenecks = [
    ...a.bottlenecks.workstreams
      .filter((b) => b.waiting > 0)
      .map((b) => `${name(b.workstreamId)}: ${waitOn(b.waiting)}`),
    ...a.bottlenecks.teams
      .filter((t) => t.waiting > 0)
      .map((t) => `team ${userText(t.name, 40)}: ${waitOn(t.waiting)}`),
    ...r.resourceBottlenecks.map((g) => `📦 ${userText(g.name, 60)}: ${waitOn(g.waiting)}`),
  ];
  const capacity = r.capacity.map((c) =>
    dates.capacity({
      resource: c.resource.name,
      total: c.total,
      capacity: c.resource.capacity,
      week: c.isoWeek.week,
      monday: c.isoWeek.monday,
      byProgram: c.byProgram,
    }),
  );

  const part = (heading: string, lines: string[]): KnownBlock[] =>
    lines.length === 0 ? [] : sectionsOf(`*${heading}* (${lines.length})`, capped(lines, LIST_MAX));
  const blocks: KnownBlock[] = [
    header(`Risks: ${r.subject.kind === 'portfolio' ? 'portfolio ' : ''}${r.subject.name}`),
    context(
      `\`${r.subject.kind === 'portfolio' ? `portfolio:${r.subject.key}` : r.subject.key}\` · as of ${date(r.today)} · forecasts pushed later by what each waits on`,
    ),
    ...part('At risk', chains),
    ...part('Cycles', cycles),
    ...part('Broken dependencies', broken),
    ...part('Milestones', milestones),
    ...(path.length > 0 ? sectionsOf('*Critical path*', path) : []),
    ...part('What the at-risk work waits on', bottlenecks),
    ...part('Capacity conflicts', capacity),
  ];
  if (blocks.length === 2)
    blocks.push(
      context('Nothing at risk: no late chains, cycles, broken dependencies or capacity conflicts. 🎉'),
    );
  const summary = `${userText(r.subject.name, 100)}: ${plural(chains.length, 'workstream')} at risk, ${plural(r.capacity.length, 'capacity conflict')}`;
  return { response_type: 'ephemeral', text: summary, blocks: withinBlockLimit(blocks, 50, 'risks') };
}

const waitOn = (n: number) => `${plural(n, 'at-risk workstream')} ${n === 1 ? 'waits' : 'wait'} on it`;
