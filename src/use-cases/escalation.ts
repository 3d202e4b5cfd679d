/**
 * Escalation (SPEC §4): a blocker open longer than its workspace's threshold is brought to the
 * program owner, once per threshold crossed (5 days, then 10, …); a dependency that turns at risk
 * is brought to both leads once, and again only after it has recovered and turned again.
 * Each notice is claimed with a unique insert (src/data/claims.ts), so replicas send it once; a
 * dependency is at risk as the analysis says (SPEC §6), so a slip two programs away warns too.
 */
import { atRiskReasons } from '../domain/analysis/intelligence.js';
import { dateIn } from '../domain/digest/context.js';
import type { Blocker, Workstream } from '../domain/entities.js';
import { settingsOf } from '../domain/settings.js';
import { expectsUpdates } from '../domain/workstream-state.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../services.js';
import { postMessageOnce } from '../slack/digest-poster.js';
import type { ClientFor } from '../slack/workspace-client.js';
import { workstreamsBesides } from './resolve.js';
import { blockerEscalationMessage, dependencyAtRiskMessage } from '../views/escalation-views.js';
import { whoIsAway } from './time-away.js';

export interface EscalationDeps {
  stores: Stores;
  slackFor: ClientFor;
  log: Logger;
}

const DAY_MS = 86_400_000;

export async function runEscalationTick(
  deps: EscalationDeps,
  now: Date,
): Promise<{ blockers: number; dependencies: number }> {
  return { blockers: await escalateBlockers(deps, now), dependencies: await warnDependencies(deps, now) };
}

async function escalateBlockers(deps: EscalationDeps, now: Date): Promise<number> {
  const { stores } = deps;
  // The smallest threshold any workspace may set is one day; each workspace's own applies below.
  const candidates = await stores.blockers.openSince(new Date(now.getTime() - DAY_MS), 1_000);
  const thresholds = new Map<string, number>();
  const awayIn = new Map<string, Promise<ReadonlyMap<string, string>>>();
  const ownerOf = new Map<string, Promise<string | undefined>>();
  const ownerAway = async (blocker: Blocker): Promise<boolean> => {
    const program = blocker.programId.toHexString();
    if (!ownerOf.has(program))
      ownerOf.set(
        program,
        stores.programs.findByIds(blocker.teamId, [blocker.programId]).then((p) => p[0]?.ownerId),
      );
    if (!awayIn.has(blocker.teamId)) awayIn.set(blocker.teamId, whoIsAway(stores, blocker.teamId, now));
    const owner = await ownerOf.get(program)!;
    return owner !== undefined && (await awayIn.get(blocker.teamId)!).has(owner);
  };
  let sent = 0;
  for (const blocker of candidates) {
    if (!thresholds.has(blocker.teamId)) {
      const workspace = await stores.workspaces.find(blocker.teamId);
      thresholds.set(
        blocker.teamId,
        // Never crossed while Cairn is uninstalled there; counted again from its age once reinstalled.
        workspace?.uninstalledAt ? Infinity : Math.max(1, settingsOf(workspace).escalateBlockersAfterDays),
      );
    }
    const threshold = thresholds.get(blocker.teamId)!;
    const ageDays = (now.getTime() - blocker.openedAt.getTime()) / DAY_MS;
    const level = Math.floor(ageDays / threshold);
    if (level < 1 || (blocker.escalations ?? 0) >= level) continue;
    // Someone away is not chased (issue 15): the escalation waits, unclaimed, and reaches its owner
    // once back, at the level crossed by then.
    if (await ownerAway(blocker)) continue;
    if (
      !(await stores.claims.once(
        blocker.teamId,
        `escalate:${blocker._id.toHexString()}:${level}`,
        'escalation',
        now,
      ))
    )
      continue;
    await stores.blockers.markEscalated(blocker.teamId, blocker._id, level, now);
    if (
      await tellOwner(
        deps,
        blocker,
        Math.floor(ageDays),
        `escalate:${blocker._id.toHexString()}:${level}`,
        now,
      )
    )
      sent++;
  }
  return sent;
}

async function tellOwner(
  deps: EscalationDeps,
  blocker: Blocker,
  ageDays: number,
  key: string,
  now: Date,
): Promise<boolean> {
  const [programs, workstream] = await Promise.all([
    deps.stores.programs.findByIds(blocker.teamId, [blocker.programId]),
    deps.stores.workstreams.findById(blocker.teamId, blocker.workstreamId),
  ]);
  const program = programs[0];
  // Paused, done and cancelled work is not chased (SPEC §8).
  if (!program || !workstream || program.state === 'archived' || !expectsUpdates(workstream.state))
    return false;
  try {
    const client = await deps.slackFor(blocker.teamId, { retries: false });
    const message = blockerEscalationMessage(program, workstream, blocker, ageDays);
    await postMessageOnce(client, program.ownerId, message, key, { since: now });
    return true;
  } catch (error) {
    deps.log.warn({ err: error, blocker: blocker._id.toHexString() }, 'could not escalate a blocker');
    return false;
  }
}

/**
 * A dependency is at risk as the analysis says (SPEC §6: its provider's propagated forecast passes the
 * date needed, or the provider is overdue, cancelled or itself at risk), or when its provider is off
 * track (SPEC §3). Per workspace, three queries: the workspace, its standing dependencies, the
 * workstreams they name.
 */
async function warnDependencies(deps: EscalationDeps, now: Date): Promise<number> {
  let sent = 0;
  for (const teamId of (await deps.stores.dependencies.teamsWithOpen()).sort()) {
    sent += await warnDependenciesOf(deps, teamId, now);
  }
  return sent;
}

async function warnDependenciesOf(deps: EscalationDeps, teamId: string, now: Date): Promise<number> {
  const { stores } = deps;
  const [workspace, standing] = await Promise.all([
    stores.workspaces.find(teamId),
    stores.dependencies.standing(teamId),
  ]);
  if (workspace?.uninstalledAt) return 0;
  const named = new Map<string, Workstream>();
  for (const w of await workstreamsBesides(
    stores,
    teamId,
    named,
    standing.flatMap((d) => [d.consumerId, d.providerId]),
  ))
    named.set(w._id.toHexString(), w);
  const today = dateIn(now, settingsOf(workspace).defaultTimezone);
  const reasons = atRiskReasons(standing, named, today);

  let sent = 0;
  for (const dependency of standing) {
    if (dependency.state !== 'open') continue;
    const consumer = named.get(dependency.consumerId.toHexString());
    const provider = named.get(dependency.providerId.toHexString());
    if (!consumer || !provider) continue;
    const reason = reasons.get(dependency._id.toHexString());
    const episode = dependency.atRiskEpisodes ?? 0;
    if (!reason) {
      // Recovered: the next time it turns at risk is a new episode, with a warning of its own.
      if (dependency.atRiskNotifiedAt) {
        await stores.dependencies.markAtRiskRecovered(teamId, dependency._id, episode);
      }
      continue;
    }
    if (dependency.atRiskNotifiedAt) continue;
    const claim = `dependency-at-risk:${dependency._id.toHexString()}:${episode}`;
    if (!(await stores.claims.once(teamId, claim, 'escalation', now))) continue;
    await stores.dependencies.markAtRiskNotified(teamId, dependency._id, now);
    try {
      const client = await deps.slackFor(teamId, { retries: false });
      const message = dependencyAtRiskMessage(dependency, consumer, provider, reason, named, today);
      const away = await whoIsAway(stores, teamId, now);
      for (const lead of new Set([consumer.leadId, provider.leadId])) {
        if (away.has(lead)) continue;
        await postMessageOnce(client, lead, message, `${claim}:${lead}`, { since: now });
      }
      sent++;
    } catch (error) {
      deps.log.warn(
        { err: error, dependency: dependency._id.toHexString() },
        'could not warn about a dependency at risk',
      );
    }
  }
  return sent;
}
