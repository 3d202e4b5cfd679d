/**
 * Escalation (SPEC §4): a blocker open longer than its workspace's threshold is brought to the
 * program owner, once per threshold crossed (5 days, then 10, …); a dependency that turns at risk
 * is brought to both leads once, and again only after it has recovered and turned again.
 * Each notice is claimed with a conditional update, so replicas send it once.
 */
import { type Blocker, type Dependency, sameId } from '../domain/entities.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../services.js';
import type { ClientFor } from '../slack/workspace-client.js';
import { blockerEscalationMessage, dependencyAtRiskMessage } from '../views/escalation-views.js';

export interface EscalationDeps {
  stores: Stores;
  slackFor: ClientFor;
  log: Logger;
}

const DAY_MS = 86_400_000;
const DEFAULT_THRESHOLD_DAYS = 5;

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
  let sent = 0;
  for (const blocker of candidates) {
    if (!thresholds.has(blocker.teamId)) {
      const workspace = await stores.workspaces.find(blocker.teamId);
      thresholds.set(
        blocker.teamId,
        Math.max(1, workspace?.settings.escalateBlockersAfterDays ?? DEFAULT_THRESHOLD_DAYS),
      );
    }
    const threshold = thresholds.get(blocker.teamId)!;
    const ageDays = (now.getTime() - blocker.openedAt.getTime()) / DAY_MS;
    const level = Math.floor(ageDays / threshold);
    if (level < 1 || (blocker.escalations ?? 0) >= level) continue;
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
    if (await tellOwner(deps, blocker, Math.floor(ageDays))) sent++;
  }
  return sent;
}

async function tellOwner(deps: EscalationDeps, blocker: Blocker, ageDays: number): Promise<boolean> {
  const [programs, workstream] = await Promise.all([
    deps.stores.programs.findByIds(blocker.teamId, [blocker.programId]),
    deps.stores.workstreams.findById(blocker.teamId, blocker.workstreamId),
  ]);
  const program = programs[0];
  if (!program || !workstream || program.state === 'archived') return false;
  try {
    const client = await deps.slackFor(blocker.teamId);
    const message = blockerEscalationMessage(program, workstream, blocker, ageDays);
    await client.chat.postMessage({ channel: program.ownerId, text: message.text, blocks: message.blocks });
    return true;
  } catch (error) {
    deps.log.warn({ err: error, blocker: blocker._id.toHexString() }, 'could not escalate a blocker');
    return false;
  }
}

async function warnDependencies(deps: EscalationDeps, now: Date): Promise<number> {
  const { stores } = deps;
  let sent = 0;
  for (const dependency of await stores.dependencies.open(1_000)) {
    const [workstreams, latest] = await Promise.all([
      stores.workstreams.findByIds(dependency.teamId, [dependency.consumerId, dependency.providerId]),
      stores.updates.latest(dependency.teamId, dependency.providerId, 1),
    ]);
    const consumer = workstreams.find((w) => sameId(w._id, dependency.consumerId));
    const provider = workstreams.find((w) => sameId(w._id, dependency.providerId));
    if (!consumer || !provider) continue;
    const forecast = latest[0]?.forecastDate ?? provider.targetDate;
    const reason = atRiskReason(dependency, provider.health, forecast);
    if (!reason) {
      // Recovered: the next time it turns at risk is a new episode, with a warning of its own.
      if (dependency.atRiskNotifiedAt) {
        await stores.dependencies.markAtRiskNotified(dependency.teamId, dependency._id, undefined);
      }
      continue;
    }
    if (dependency.atRiskNotifiedAt) continue;
    const episode = `dependency-at-risk:${dependency._id.toHexString()}:${dependency.atRiskEpisodes ?? 0}`;
    if (!(await stores.claims.once(dependency.teamId, episode, 'escalation', now))) continue;
    await stores.dependencies.markAtRiskNotified(dependency.teamId, dependency._id, now);
    try {
      const client = await deps.slackFor(dependency.teamId);
      const message = dependencyAtRiskMessage(dependency, consumer, provider, reason, now);
      for (const lead of new Set([consumer.leadId, provider.leadId])) {
        await client.chat.postMessage({ channel: lead, text: message.text, blocks: message.blocks });
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

/** SPEC §3: at risk when the provider's forecast is later than needed, or the provider is off track. */
export function atRiskReason(
  dependency: Pick<Dependency, 'neededBy'>,
  providerHealth: string | undefined,
  providerForecast: string | undefined,
): string | undefined {
  if (providerHealth === 'off_track') return 'the provider is off track';
  if (providerForecast && providerForecast > dependency.neededBy)
    return `the provider forecasts ${providerForecast}, after ${dependency.neededBy}`;
  return undefined;
}
