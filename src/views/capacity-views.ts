/**
 * The DM that brings a capacity conflict (SPEC §6) to the owners of the programs involved: which
 * shared resource, which week, how far over, who draws on it, and what to do about it.
 */
import type { KnownBlock } from '@slack/types';
import type { CapacityConflict } from '../domain/analysis/capacity.js';
import type { CalendarDate } from '../domain/types.js';
import { userText } from '../text/escape.js';
import { capped, context, section, sectionsOf, withinBlockLimit } from './blocks.js';
import { formatDate } from './format.js';
import type { SlackMessage } from './message.js';
import { plural } from './plural.js';

/** Programs listed in full; the rest are counted. */
const PROGRAMS_MAX = 20;
/** Workstreams listed per program; the rest are counted. */
const WORKSTREAMS_MAX = 8;

/** Units as a planner writes them: sums of fractions rounded to two decimals (`0.1 + 0.2` is `0.3`). */
const units = (n: number) => Math.round(n * 100) / 100;

/**
 * @param programNames the name of each program in the conflict, by key; a program not named is
 *   shown by its key alone.
 * @param today the workspace's today, which dates are shown relative to.
 */
export function capacityConflictMessage(
  conflict: CapacityConflict,
  programNames: ReadonlyMap<string, string>,
  today: CalendarDate,
): SlackMessage {
  const resource = userText(conflict.resource.name, 60);
  const load = `${units(conflict.total)}/${units(conflict.resource.capacity)} units`;
  const monday = formatDate(conflict.isoWeek.monday, new Date(`${today}T12:00:00Z`));
  const week = `week ${conflict.isoWeek.week} (from ${monday})`;

  const programLines = conflict.byProgram.map((p) => {
    const name = programNames.get(p.programKey);
    const label = name ? `*${userText(name, 80)}* \`${p.programKey}\`` : `\`${p.programKey}\``;
    const workstreams = capped(
      p.workstreams.map((w) => `${userText(w.name, 60)} \`${p.programKey}/${w.key}\` ${units(w.units)}`),
      WORKSTREAMS_MAX,
      'workstream',
    );
    return `• ${label} — ${plural(units(p.units), 'unit')}: ${workstreams.join(', ')}`;
  });

  const blocks: KnownBlock[] = [
    section(
      `:warning: *${resource}* is over capacity: *${load} in ${week}*, ${plural(units(conflict.excess), 'unit')} over.`,
    ),
    ...sectionsOf('*Booked that week*', capped(programLines, PROGRAMS_MAX, 'program')),
    context(
      'To resolve it, re-plan one of these allocations with `/program allocate …` (fewer units, or other weeks), ' +
        'or raise the capacity with `/program resource …`. `/program risks <program>` lists every conflict.',
    ),
  ];
  const shares = capped(
    conflict.byProgram.map((p) => `${p.programKey} ${units(p.units)}`),
    PROGRAMS_MAX,
  ).join(', ');
  return {
    text: `${userText(conflict.resource.name, 60)}: ${load} in ${week} — ${shares}`,
    blocks: withinBlockLimit(blocks, 50, 'the conflict'),
  };
}
