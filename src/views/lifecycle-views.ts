/** Answers to the commands that change programs over time (SPEC §8): what changed, from what. */
import type { Milestone, Program, Workstream } from '../domain/entities.js';
import { audienceWord } from '../domain/audience.js';
import { dateIn, daysBetween } from '../domain/digest/context.js';
import type { WorkstreamState } from '../domain/types.js';
import type { Answer } from './answer.js';
import { section, sectionsOf, withinBlockLimit } from './blocks.js';
import { userText } from '../text/escape.js';
import { formatDate, HEALTH_EMOJI, NOT_STARTED, STATE_LABEL } from './format.js';
import { plural } from './plural.js';
import type { SampleRemoval } from '../domain/read-models.js';

const say = (text: string): Answer => ({ response_type: 'ephemeral', text, blocks: [section(text)] });
const named = (p: Pick<Program, 'name' | 'key'>) => `*${userText(p.name, 200)}* (\`${p.key}\`)`;
const people = (ids: readonly string[]) => (ids.length ? ids.map((id) => `<@${id}>`).join(', ') : 'nobody');
const AUDIENCE_SAID = { internal: 'internal', client: 'client-facing' } as const;

interface Changed<T> {
  before: T;
  after: T;
  fields: string[];
}

/** `/program set <program> …`; `asked` names the fields the user gave, for "nothing changed". */
export function programChangedView(o: Changed<Program>, asked: readonly string[] = []): Answer {
  const p = o.after;
  if (o.fields.length === 0) {
    return say(
      asked.length === 1 && asked[0] === 'audience'
        ? `${named(p)} is ${AUDIENCE_SAID[audienceWord(p.audience)]} already. Nothing changed.`
        : `${named(p)} has that already. Nothing changed.`,
    );
  }
  const lines: string[] = [];
  for (const field of o.fields) {
    if (field === 'name') lines.push(`name: *${userText(o.before.name, 200)}* → *${userText(p.name, 200)}*`);
    if (field === 'objective') lines.push(`objective: ${userText(p.objective ?? '', 300)}`);
    if (field === 'channelId')
      lines.push(
        `home channel: ${o.before.channelId ? `<#${o.before.channelId}>` : 'none'} → <#${p.channelId}> (on-demand digests go there; schedules keep their own channels)`,
      );
    if (field === 'audience')
      lines.push(
        `audience: ${AUDIENCE_SAID[audienceWord(o.before.audience)]} → *${AUDIENCE_SAID[audienceWord(p.audience)]}*`,
      );
  }
  if (o.fields.includes('audience')) {
    const now = audienceWord(p.audience);
    const consequence =
      now === 'client'
        ? `It now has a client digest (\`/program preview ${p.key} as:client\`, \`/program digest ${p.key} as:client\`, or a schedule for clients), showing only client-visible updates, blockers and milestones, with no names.`
        : 'It no longer has a client digest: previews and posts for clients are refused, and client schedules skip their runs.';
    if (o.fields.length === 1)
      return say(
        `${named(p)} is now ${AUDIENCE_SAID[now]} (it was ${audienceWord(o.before.audience)}). ${consequence}`,
      );
    lines.push(consequence);
  }
  return say(`Changed ${named(p)}:\n${lines.map((l) => `• ${l}`).join('\n')}`);
}

const STATE_CONSEQUENCE: Partial<Record<WorkstreamState, string>> = {
  paused:
    'Paused work gets no reminders and is neither missing nor in needs attention; what waits on it still sees it.',
  done: 'Done: it leaves needs attention, missing updates and reminders, and what waits on it is no longer held up.',
  cancelled:
    'Cancelled: it leaves the digest and the reminders; work that depended on it shows as waiting on cancelled work until it is re-planned.',
  active: 'Active again: reminders and the missing-update list include it.',
};

/** `/program set <program> <workstream> …`. */
export function workstreamChangedView(o: Changed<Workstream> & { program: Program }, now: Date): Answer {
  const w = o.after;
  const ref = `\`${o.program.key}/${w.key}\``;
  if (o.fields.length === 0) return say(`${ref} has that already. Nothing changed.`);
  const lines: string[] = [];
  const notes: string[] = [];
  for (const field of o.fields) {
    switch (field) {
      case 'state':
        lines.push(`state: ${STATE_LABEL[o.before.state]} → *${STATE_LABEL[w.state]}*`);
        if (STATE_CONSEQUENCE[w.state]) notes.push(STATE_CONSEQUENCE[w.state]!);
        break;
      case 'targetDate': {
        const from = o.before.targetDate;
        const to = w.targetDate!;
        const shift = from ? daysBetween(from, to) : 0;
        const by =
          shift > 0
            ? ` (${plural(shift, 'day')} later)`
            : shift < 0
              ? ` (${plural(-shift, 'day')} earlier)`
              : '';
        lines.push(`due: ${from ? formatDate(from, now) : 'none'} → *${formatDate(to, now)}*${by}`);
        if (shift > 0) notes.push('The next digest shows the slip under what changed.');
        break;
      }
      case 'leadId':
        lines.push(`lead: <@${o.before.leadId}> → <@${w.leadId}>`);
        notes.push(`Reminders for ${ref} go to <@${w.leadId}> from now on.`);
        break;
      case 'team':
        lines.push(`team: ${userText(o.before.team, 40)} → *${userText(w.team, 40)}*`);
        break;
      case 'name':
        lines.push(`name: ${userText(o.before.name, 80)} → *${userText(w.name, 80)}*`);
        break;
      case 'phase':
        lines.push(
          `phase: ${o.before.phase ? userText(o.before.phase, 60) : 'none'} → *${userText(w.phase ?? '', 60)}*`,
        );
        break;
    }
  }
  return say(
    `Changed ${ref}:\n${lines.map((l) => `• ${l}`).join('\n')}${notes.length ? `\n${notes.join(' ')}` : ''}`,
  );
}

/** `/program owner <program> @user`. */
export function handedOverView(o: Changed<Program>): Answer {
  const p = o.after;
  if (o.fields.length === 0) return say(`<@${p.ownerId}> owns ${named(p)} already. Nothing changed.`);
  return say(
    `${named(p)} is now owned by <@${p.ownerId}> (it was <@${o.before.ownerId}>, who stays an admin: \`/program admins ${p.key} remove @…\` takes that away).`,
  );
}

/** `/program admins <program> add|remove @user…`. */
export function adminsChangedView(o: Changed<Program>): Answer {
  const p = o.after;
  const now = `Admins of ${named(p)}: ${people(p.adminIds)} (owner <@${p.ownerId}>).`;
  return say(o.fields.length === 0 ? `Nothing changed. ${now}` : now);
}

export function unarchivedView(p: Program): Answer {
  return say(
    `${named(p)} is active again: it takes updates and changes, and its digests and reminders resume at their next slots.`,
  );
}

/** `/program milestone <program> "<name>" done|moved:<date>`. */
export function milestoneChangedView(
  o: { program: Program; before: Milestone; after: Milestone },
  now: Date,
): Answer {
  const name = `*${userText(o.after.name, 200)}*`;
  if (o.after.doneAt)
    return say(`Marked ${name} of \`${o.program.key}\` done. Forecasts and risks leave it out from now on.`);
  if (o.before.date === o.after.date)
    return say(`${name} is on ${formatDate(o.after.date, now)} already. Nothing changed.`);
  const shift = daysBetween(o.before.date, o.after.date);
  return say(
    `Moved ${name} of \`${o.program.key}\` from ${formatDate(o.before.date, now)} to *${formatDate(o.after.date, now)}* (${plural(Math.abs(shift), 'day')} ${shift > 0 ? 'later' : 'earlier'}).`,
  );
}

/** `/program milestones <program>`: by date, reached ones marked, with what each needs. */
export function milestoneListView(
  o: { program: Program; milestones: readonly Milestone[]; workstreams: readonly Workstream[] },
  now: Date,
  timezone: string,
): Answer {
  const { program } = o;
  if (o.milestones.length === 0) {
    return say(
      `${named(program)} has no milestones yet. \`/program milestone ${program.key} "Beta launch" 2027-01-20 needs:payments\` adds one.`,
    );
  }
  const byId = new Map(o.workstreams.map((w) => [w._id.toHexString(), w]));
  const lines = o.milestones.map((m) => {
    const needs = m.needs
      .map((id) => byId.get(id.toHexString()))
      .filter((w): w is Workstream => w !== undefined)
      .map(
        (w) => `${w.state === 'done' ? '✅' : w.health ? HEALTH_EMOJI[w.health] : NOT_STARTED} \`${w.key}\``,
      );
    const facts = [
      m.doneAt ? `✅ done ${formatDate(dateIn(m.doneAt, timezone), now)}` : undefined,
      m.movedFrom
        ? `moved from ${formatDate(m.movedFrom, now)}${(m.moves ?? 1) > 1 ? ` (${plural(m.moves!, 'move')})` : ''}`
        : undefined,
      m.internal ? 'internal' : undefined,
    ].filter(Boolean);
    return `• ${formatDate(m.date, now)} — *${userText(m.name, 80)}*${needs.length ? ` — needs ${needs.join(', ')}` : ''}${facts.length ? ` _(${facts.join(' · ')})_` : ''}`;
  });
  return {
    response_type: 'ephemeral',
    text: `${plural(o.milestones.length, 'milestone')} of ${program.key}`,
    blocks: withinBlockLimit(sectionsOf(`*Milestones of ${named(program)}*`, lines), 50, 'milestones'),
  };
}

/** `/program sample remove`: what was removed, or that there was no sample to remove. */
export function sampleRemovedView(o: SampleRemoval): Answer {
  if (!o.removed) return say('There is no sample portfolio in this workspace: nothing to remove.');
  const c = o.counts;
  const parts = [
    plural(c.programs, 'program'),
    plural(c.workstreams, 'workstream'),
    plural(c.updates, 'update'),
    ...(c.blockers ? [plural(c.blockers, 'blocker')] : []),
    plural(c.dependencies, 'dependency', 'dependencies'),
    plural(c.milestones, 'milestone'),
    ...(c.schedules ? [plural(c.schedules, 'digest schedule')] : []),
    ...(c.digestRuns ? [plural(c.digestRuns, 'posted digest')] : []),
    ...(c.reminders ? [plural(c.reminders, 'reminder')] : []),
    ...(c.resources ? [plural(c.resources, 'shared resource')] : []),
    plural(c.allocations, 'allocation'),
  ];
  const kept = o.keptResources.length
    ? ` Kept the shared resource ${o.keptResources.map((name) => `*${userText(name, 60)}*`).join(', ')}: other work is booked on it.`
    : '';
  return say(
    `Removed the sample portfolio: ${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]!} (${o.programs
      .map((p) => `\`${p.key}\``)
      .sort()
      .join(', ')}).${kept}`,
  );
}
