/** What a user's App Home tab shows (SPEC §4), gathered in a fixed number of queries. */
import { workstreamsBesides } from './resolve.js';
import { chainsAround } from '../domain/analysis/intelligence.js';
import { dateIn } from '../domain/digest/context.js';
import type { HomeData, ProgramCounts } from '../domain/read-models.js';
import { type Id, sameId, type Workstream } from '../domain/entities.js';
import type { Actor } from '../domain/permissions.js';
import type { Health, WorkstreamState } from '../domain/types.js';
import type { Stores } from '../services.js';

/** At most this many items of each kind are read; the view shows fewer and says how many more there are. */
export const HOME_FETCH_LIMIT = 500;

/**
 * The user's workstreams, programs, blockers, dependencies and the programs they follow, in three
 * round trips of at most ten queries whatever the amount of data, with the chains through the
 * user's work (SPEC §6).
 */
export async function loadHome(stores: Stores, actor: Actor, now: Date): Promise<HomeData> {
  const { teamId, userId } = actor;
  const [led, programs, ownedBlockers, followed] = await Promise.all([
    stores.workstreams.listByLead(teamId, userId, HOME_FETCH_LIMIT),
    stores.programs.listAdministeredBy(teamId, userId, HOME_FETCH_LIMIT),
    stores.blockers.openOwnedBy(teamId, userId, HOME_FETCH_LIMIT),
    stores.followers.followedBy(teamId, userId, HOME_FETCH_LIMIT),
  ]);
  const current = led.filter((w) => w.state !== 'cancelled');
  const runIds = programs.map((p) => p._id);
  const runHex = new Set(runIds.map(hex));
  // The programs of my workstreams and blockers that are not among those I run: are they archived?
  const otherProgramIds = unique([
    ...current.map((w) => w.programId),
    ...ownedBlockers.map((b) => b.programId),
  ]).filter((id) => !runHex.has(hex(id)));
  // The programs I follow come in the same query: those I run are known already.
  const toRead = unique([...otherProgramIds, ...followed.filter((id) => !runHex.has(hex(id)))]);

  const [otherPrograms, provided, workstreamCounts, blockerCounts, standing] = await Promise.all([
    toRead.length > 0 ? stores.programs.findByIds(teamId, toRead) : [],
    current.length > 0
      ? stores.dependencies.openProvidedBy(
          teamId,
          current.map((w) => w._id),
          HOME_FETCH_LIMIT,
        )
      : [],
    stores.workstreams.countByProgramAndHealth(teamId, runIds),
    stores.blockers.countOpenByProgram(teamId, runIds),
    // Chains through my work, and the work of the programs I run that they put at risk.
    current.length > 0 || programs.length > 0 ? stores.dependencies.standing(teamId) : [],
  ]);

  const active = new Set([
    ...runHex,
    ...otherPrograms.filter((p) => p.state === 'active').map((p) => hex(p._id)),
  ]);
  const workstreams = current.filter((w) => active.has(hex(w.programId)));
  const mine = new Map(workstreams.map((w) => [hex(w._id), w]));
  const blockers = ownedBlockers.filter((b) => active.has(hex(b.programId)));
  const owed = provided.filter((d) => mine.has(hex(d.providerId)));

  // The workstreams named by my blockers, by what I owe and by the chains through my work that are
  // not mine: one more query.
  const others = await workstreamsBesides(stores, teamId, mine, [
    ...blockers.map((b) => b.workstreamId),
    ...owed.map((d) => d.consumerId),
    ...standing.flatMap((d) => [d.consumerId, d.providerId]),
  ]);
  const named = new Map([...mine, ...others.map((w) => [hex(w._id), w] as const)]);
  const find = (id: Id) => named.get(hex(id));
  const programById = new Map([...programs, ...otherPrograms].map((p) => [hex(p._id), p] as const));
  // One pass of the analysis for my workstreams' chains and for the work of my programs that is at
  // risk through what it waits on: the digest counts that work at risk, and so does Home.
  const ofMyPrograms = [...named.values()].filter((w) => runHex.has(hex(w.programId)));
  const chains = chainsAround(
    [...workstreams, ...ofMyPrograms],
    named,
    standing,
    dateIn(now, actor.timezone),
  );
  const atRiskThroughDependencies = ofMyPrograms.filter((w) => chains.get(hex(w._id))?.risk);

  return {
    userId,
    workstreams,
    programs: programs.map((program) => ({
      program,
      role: program.ownerId === userId ? 'owner' : 'admin',
      counts: countsFor(program._id, workstreamCounts, blockerCounts, atRiskThroughDependencies),
    })),
    blockers: blockers.map((blocker) => ({ blocker, workstream: find(blocker.workstreamId) })),
    owes: owed.map((dependency) => ({
      dependency,
      provider: find(dependency.providerId),
      consumer: find(dependency.consumerId),
    })),
    // A program removed since it was followed is left out.
    following: followed.flatMap((id) => programById.get(hex(id)) ?? []),
    truncated: {
      workstreams: led.length >= HOME_FETCH_LIMIT,
      programs: programs.length >= HOME_FETCH_LIMIT,
      blockers: ownedBlockers.length >= HOME_FETCH_LIMIT,
      owes: provided.length >= HOME_FETCH_LIMIT,
      following: followed.length >= HOME_FETCH_LIMIT,
    },
    chains,
  };
}

/**
 * Counted as the program's digest counts them: work that said on track, or has said nothing yet,
 * is at risk when what it waits on will be late (SPEC §6).
 */
function countsFor(
  programId: Id,
  workstreams: ReadonlyArray<{ programId: Id; health: Health | null; count: number }>,
  blockers: ReadonlyArray<{ programId: Id; count: number }>,
  atRiskThroughDependencies: readonly Workstream[],
): ProgramCounts {
  const counts: ProgramCounts = {
    workstreams: 0,
    byHealth: { on_track: 0, at_risk: 0, off_track: 0 },
    withoutUpdate: 0,
    atRiskThroughDependencies: 0,
    openBlockers: 0,
  };
  for (const group of workstreams) {
    if (!sameId(group.programId, programId)) continue;
    counts.workstreams += group.count;
    if (group.health) counts.byHealth[group.health] += group.count;
    else counts.withoutUpdate += group.count;
  }
  for (const group of blockers) if (sameId(group.programId, programId)) counts.openBlockers += group.count;
  for (const w of atRiskThroughDependencies) {
    if (!sameId(w.programId, programId) || !TAKES_UPDATES.has(w.state)) continue;
    if (w.health === 'on_track') counts.byHealth.on_track--;
    else if (!w.health) counts.withoutUpdate--;
    else continue;
    counts.byHealth.at_risk++;
    counts.atRiskThroughDependencies++;
  }
  return counts;
}

/** The states countByProgramAndHealth counts. */
const TAKES_UPDATES = new Set<WorkstreamState>(['not_started', 'active', 'paused']);

const hex = (id: Id) => id.toHexString();

function unique(ids: readonly Id[]): Id[] {
  const seen = new Map<string, Id>();
  for (const id of ids) seen.set(hex(id), id);
  return [...seen.values()];
}
