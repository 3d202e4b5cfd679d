import type { ProgramOverview } from '../domain/read-models.js';
import { commitmentSuffix } from './commitment-views.js';
import type { Allocation, Dependency, Program, Workstream } from '../domain/entities.js';
import type { DigestVariant } from '../domain/schedule.js';
import type { KnownBlock } from '@slack/types';
import type { Answer } from './answer.js';
import { context, divider, header, section, sectionsOf, withinBlockLimit } from './blocks.js';
import { userText } from '../text/escape.js';
import { formatAge, formatDate, HEALTH_EMOJI, NOT_STARTED, STATE_LABEL } from './format.js';
import { plural } from './plural.js';

const say = (text: string): Answer => ({ response_type: 'ephemeral', text, blocks: [section(text)] });
const refOf = (w: Pick<Workstream, 'programKey' | 'key'>) => `\`${w.programKey}/${w.key}\``;

export function programCreatedView(p: Program): Answer {
  const where = p.channelId ? ` Its home channel is <#${p.channelId}>.` : '';
  return say(
    `Created *${userText(p.name, 200)}* (\`${p.key}\`), owned by <@${p.ownerId}>.${where}\nNext: \`/program add ${p.key} &lt;workstream&gt; "&lt;name&gt;" team:&lt;team&gt; lead:@someone due:&lt;date&gt;\``,
  );
}

export function programListView(programs: readonly Program[], includeArchived: boolean): Answer {
  if (programs.length === 0) {
    return say(
      includeArchived
        ? 'There are no programs yet. `/program new` creates one.'
        : 'There are no active programs. `/program new` creates one; `/program list all` shows archived ones too.',
    );
  }
  const lines = programs.map(
    (p) =>
      `• \`${p.key}\` *${userText(p.name, 80)}* — <@${p.ownerId}>${p.state === 'archived' ? ' _(archived)_' : ''}`,
  );
  return {
    response_type: 'ephemeral',
    text: plural(programs.length, 'program'),
    blocks: withinBlockLimit(sectionsOf(`*Programs* (${programs.length})`, lines), 50, 'programs'),
  };
}

/** A digest posted on demand (`/program digest [as:…]`, the Home tab's Post now). */
export function digestPostedView(p: Program, channelId: string, variant: DigestVariant = 'team'): Answer {
  const which = variant === 'team' ? 'digest' : `${variant} digest`;
  return say(`Posted the ${which} of *${userText(p.name, 200)}* to <#${channelId}>.`);
}

export function programArchivedView(p: Program): Answer {
  return say(
    `Archived *${userText(p.name, 200)}* (\`${p.key}\`). It keeps its history but takes no more changes or updates.`,
  );
}

/** `/program show`: who owns it, its workstreams by team, open blockers, dependencies, milestones. */
export function programOverviewView(o: ProgramOverview, now: Date): Answer {
  const { program: p, workstreams } = o;
  const byId = new Map([...workstreams, ...o.otherWorkstreams].map((w) => [w._id.toHexString(), w]));
  const facts = [`\`${p.key}\``, `owner <@${p.ownerId}>`];
  if (p.channelId) facts.push(`<#${p.channelId}>`);
  if (p.audience === 'external') facts.push('client-facing');
  if (p.state === 'archived') facts.push('*archived*');
  const blocks: KnownBlock[] = [header(p.name), context(facts.join(' · '))];
  if (p.objective) blocks.push(section(`*Objective* ${userText(p.objective, 1000, { lines: 'keep' })}`));

  const counts = { on_track: 0, at_risk: 0, off_track: 0, not_started: 0 };
  for (const w of workstreams) counts[w.health ?? 'not_started']++;
  blocks.push(
    context(
      `${HEALTH_EMOJI.on_track} ${counts.on_track} on track · ${HEALTH_EMOJI.at_risk} ${counts.at_risk} at risk · ${HEALTH_EMOJI.off_track} ${counts.off_track} off track · ${NOT_STARTED} ${counts.not_started} without an update`,
    ),
  );

  if (workstreams.length === 0) {
    blocks.push(
      section(
        `No workstreams yet. \`/program add ${p.key} &lt;workstream&gt; "&lt;name&gt;" team:&lt;team&gt; lead:@someone\` adds one.`,
      ),
    );
  }
  const teams = [...new Set(workstreams.map((w) => w.team))].sort();
  for (const team of teams) {
    const lines = workstreams
      .filter((w) => w.team === team)
      .map((w) => {
        const parts = [
          `${w.health ? HEALTH_EMOJI[w.health] : NOT_STARTED} *${userText(w.name, 80)}* \`${w.key}\``,
          `<@${w.leadId}>`,
        ];
        if (w.progress !== undefined) parts.push(`${w.progress}%`);
        if (w.targetDate) parts.push(`due ${formatDate(w.targetDate, now)}`);
        if (w.state !== 'active' && w.state !== 'not_started') parts.push(STATE_LABEL[w.state]);
        return parts.join(' · ');
      });
    blocks.push(...sectionsOf(`*Team ${userText(team, 80)}*`, lines));
  }

  if (o.blockers.length > 0) {
    blocks.push(divider());
    blocks.push(
      ...sectionsOf(
        `*Open blockers* (${o.blockers.length})`,
        o.blockers.map((b) => {
          const w = byId.get(b.workstreamId.toHexString());
          return `• ${userText(b.text, 200, { mentions: true })} — ${w ? refOf(w) : 'a removed workstream'}, open ${formatAge(b.openedAt, now)}`;
        }),
      ),
    );
  }
  if (o.dependencies.length > 0) {
    blocks.push(
      ...sectionsOf(
        `*Dependencies* (${o.dependencies.length})`,
        o.dependencies.map((d) => {
          const consumer = byId.get(d.consumerId.toHexString());
          const provider = byId.get(d.providerId.toHexString());
          return `• ${consumer ? refOf(consumer) : '?'} needs ${userText(d.deliverable, 150)} from ${provider ? refOf(provider) : '?'} by ${formatDate(d.neededBy, now)}${d.state === 'open' ? commitmentSuffix(d, now) : ` (${d.state})`}`;
        }),
      ),
    );
  }
  if (o.milestones.length > 0) {
    blocks.push(
      ...sectionsOf(
        `*Milestones* (${o.milestones.length})`,
        o.milestones.map((m) => {
          const needs = m.needs
            .map((id) => byId.get(id.toHexString()))
            .filter((w): w is Workstream => w !== undefined);
          return `• ${formatDate(m.date, now)} *${userText(m.name, 80)}*${needs.length > 0 ? ` — needs ${needs.map((w) => `\`${w.key}\``).join(', ')}` : ''}`;
        }),
      ),
    );
  }
  return {
    response_type: 'ephemeral',
    text: `${userText(p.name, 200)} (${p.key})`,
    blocks: withinBlockLimit(blocks, 50, 'this program'),
  };
}

export function workstreamAddedView(p: Program, w: Workstream, now: Date): Answer {
  const due = w.targetDate ? `, due ${formatDate(w.targetDate, now)}` : '';
  return say(
    `Added *${userText(w.name, 200)}* (${refOf(w)}) to *${userText(p.name, 200)}*: team ${userText(w.team, 80)}, led by <@${w.leadId}>${due}.\n<@${w.leadId}> can report with \`/status ${w.key} green …\`.`,
  );
}

/**
 * `/program depend`: noted; or, when the pair had a standing dependency (`previous`, as it was), re-planned
 * (what changed, and that it had been flagged broken), or already noted when nothing changed.
 */
export function dependencyAddedView(
  consumer: Workstream,
  provider: Workstream,
  deliverable: string,
  neededBy: string,
  now: Date,
  previous?: Pick<Dependency, 'neededBy' | 'deliverable' | 'state'>,
): Answer {
  const what = `*${userText(deliverable, 300)}* from ${refOf(provider)}`;
  const by = formatDate(neededBy, now);
  if (!previous) return say(`Noted: ${refOf(consumer)} needs ${what} by ${by}.`);
  const was: string[] = [];
  if (previous.neededBy !== neededBy) was.push(`was ${formatDate(previous.neededBy, now)}`);
  if (previous.deliverable !== deliverable) was.push(`was for *${userText(previous.deliverable, 150)}*`);
  if (previous.state === 'broken') was.push('it was flagged broken');
  if (was.length === 0)
    return say(`Already noted: ${refOf(consumer)} needs ${what} by ${by}. Nothing changed.`);
  return say(`Re-planned: ${refOf(consumer)} now needs ${what} by ${by} (${was.join('; ')}).`);
}

export function blockerAddedView(w: Workstream, text: string, internal: boolean): Answer {
  const seen = internal
    ? `Internal: client digests show it as “an internal blocker”, without its text (\`internal:no\` shows it).`
    : 'Client-visible: client digests show its text.';
  return say(
    `Opened a blocker on ${refOf(w)}, owned by <@${w.leadId}>:\n> ${userText(text, 1500, { mentions: true, lines: 'quote' })}\n${seen}`,
  );
}

export function milestoneAddedView(
  p: Program,
  name: string,
  date: string,
  needs: readonly Workstream[],
  now: Date,
  internal = false,
): Answer {
  const needed = needs.length > 0 ? `, needing ${needs.map(refOf).join(', ')}` : '';
  return say(
    `Added ${internal ? 'internal ' : ''}milestone *${userText(name, 200)}* to \`${p.key}\` on ${formatDate(date, now)}${needed}.${internal ? ' Client digests leave it out.' : ''}`,
  );
}

export function resourceSetView(name: string, capacity: number, created: boolean): Answer {
  return say(
    `${created ? 'Created' : 'Updated'} shared resource *${userText(name, 200)}*: ${plural(capacity, 'unit')} a week.`,
  );
}

/** `/program allocate`, with the workstream's allocations of the resource it replaced (overlapping ones). */
export function allocatedView(
  resource: string,
  w: Workstream,
  units: number,
  from: string,
  to: string,
  now: Date,
  replaced: readonly Pick<Allocation, 'units' | 'from' | 'to'>[] = [],
): Answer {
  const period = (a: { from: string; to: string }) =>
    `from ${formatDate(a.from, now)} to ${formatDate(a.to, now)}`;
  const listed = replaced.slice(0, 3).map((a) => `${plural(a.units, 'unit')} a week ${period(a)}`);
  if (replaced.length > listed.length) listed.push(`${replaced.length - listed.length} more`);
  const last = listed.pop();
  const replaces = last
    ? `; this replaces ${listed.length > 0 ? `${listed.join(', ')} and ` : ''}${last}`
    : '';
  return say(
    `Allocated ${plural(units, 'unit')} a week of *${userText(resource, 200)}* to ${refOf(w)} ${period({ from, to })}${replaces}.`,
  );
}
