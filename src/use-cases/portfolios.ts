/**
 * Portfolios (SPEC §7): a named set of programs read together by leadership, and its digest. Whoever
 * made a portfolio (or a workspace admin) may change it; anyone in the workspace may read it.
 */
import { PORTFOLIO_PROGRAM_LIMIT } from '../data/portfolios.js';
import type { Portfolio, Program } from '../domain/entities.js';
import type { Actor } from '../domain/permissions.js';
import {
  buildPortfolioDigest,
  TREND_DIGESTS,
  type PortfolioData,
  type PortfolioView,
} from '../domain/portfolio.js';
import type { Stores } from '../services.js';
import { postDigest } from '../slack/digest-poster.js';
import type { ClientFor } from '../slack/workspace-client.js';
import { portfolioDigestMessages } from '../views/portfolio-views.js';
import { loadWorkspacePlan, workstreamsNamedBy } from './intelligence-data.js';
import { problem, success, type Outcome } from './outcome.js';

export async function createPortfolio(
  stores: Stores,
  actor: Actor,
  input: { key: string; name: string },
  now: Date,
): Promise<Outcome<Portfolio>> {
  const created = await stores.portfolios.create({
    teamId: actor.teamId,
    key: input.key,
    name: input.name,
    ownerId: actor.userId,
    programIds: [],
    createdAt: now,
  });
  if (!created) return problem({ kind: 'portfolio_taken', key: input.key });
  await audit(stores, actor, 'portfolio.created', created, now);
  return success(created);
}

/** Adds programs by key; every key must name a program of the workspace. */
export async function addToPortfolio(
  stores: Stores,
  actor: Actor,
  input: { key: string; programKeys: string[] },
  now: Date,
): Promise<Outcome<{ portfolio: Portfolio; programs: Program[] }>> {
  const found = await changeable(stores, actor, input.key);
  if (!found.ok) return found;
  const programs = await stores.programs.findByKeys(actor.teamId, input.programKeys);
  const unknown = input.programKeys.filter((k) => !programs.some((p) => p.key === k));
  if (unknown.length > 0) return problem({ kind: 'unknown_programs', keys: unknown });
  const held = new Set(found.value.programIds.map((id) => id.toHexString()));
  const adding = programs.filter((p) => !held.has(p._id.toHexString()));
  if (held.size + adding.length > PORTFOLIO_PROGRAM_LIMIT)
    return problem({ kind: 'portfolio_full', key: input.key, limit: PORTFOLIO_PROGRAM_LIMIT });
  const portfolio = await stores.portfolios.addPrograms(
    actor.teamId,
    found.value._id,
    programs.map((p) => p._id),
  );
  if (!portfolio) return problem({ kind: 'no_portfolio', key: input.key });
  await audit(stores, actor, 'portfolio.programs_added', portfolio, now, {
    programs: programs.map((p) => p.key),
  });
  return success({ portfolio, programs: await programsOf(stores, portfolio) });
}

export async function removeFromPortfolio(
  stores: Stores,
  actor: Actor,
  input: { key: string; programKey: string },
  now: Date,
): Promise<Outcome<{ portfolio: Portfolio; programs: Program[]; removed: boolean }>> {
  const found = await changeable(stores, actor, input.key);
  if (!found.ok) return found;
  const [program] = await stores.programs.findByKeys(actor.teamId, [input.programKey]);
  if (!program) return problem({ kind: 'unknown_programs', keys: [input.programKey] });
  const removed = found.value.programIds.some((id) => id.toHexString() === program._id.toHexString());
  const portfolio = await stores.portfolios.removeProgram(actor.teamId, found.value._id, program._id);
  if (!portfolio) return problem({ kind: 'no_portfolio', key: input.key });
  if (removed)
    await audit(stores, actor, 'portfolio.program_removed', portfolio, now, { program: program.key });
  return success({ portfolio, programs: await programsOf(stores, portfolio), removed });
}

export async function listPortfolios(stores: Stores, actor: Actor): Promise<Portfolio[]> {
  return stores.portfolios.list(actor.teamId, 200);
}

export async function showPortfolio(
  stores: Stores,
  actor: Actor,
  key: string,
): Promise<Outcome<{ portfolio: Portfolio; programs: Program[] }>> {
  const portfolio = await stores.portfolios.findByKey(actor.teamId, key);
  if (!portfolio) return problem({ kind: 'no_portfolio', key });
  return success({ portfolio, programs: await programsOf(stores, portfolio) });
}

/**
 * What a portfolio's digest is built from, in four round trips whatever the number of programs: the
 * portfolio; its programs, with the workspace; their workstreams and milestones with the workspace's
 * plan (standing dependencies, allocated resources) and the portfolio's last digests; the other
 * programs' workstreams the plan names.
 */
export async function loadPortfolioDigest(
  stores: Stores,
  actor: Actor,
  key: string,
  now: Date,
): Promise<Outcome<{ portfolio: Portfolio; programs: Program[]; view: PortfolioView }>> {
  const portfolio = await stores.portfolios.findByKey(actor.teamId, key);
  if (!portfolio) return problem({ kind: 'no_portfolio', key });
  if (portfolio.programIds.length === 0) return problem({ kind: 'empty_portfolio', key });
  const [programs, workspace] = await Promise.all([
    programsOf(stores, portfolio),
    stores.workspaces.find(actor.teamId),
  ]);
  const ids = programs.map((p) => p._id);
  const [workstreams, milestones, plan, previous] = await Promise.all([
    stores.workstreams.listByPrograms(actor.teamId, ids),
    stores.milestones.forPrograms(actor.teamId, ids),
    loadWorkspacePlan(stores, actor.teamId),
    stores.portfolios.lastPosted(actor.teamId, portfolio._id, TREND_DIGESTS),
  ]);
  const known = new Set(workstreams.map((w) => w._id.toHexString()));
  const otherWorkstreams = await workstreamsNamedBy(stores, actor.teamId, known, plan);
  const data: PortfolioData = {
    portfolio,
    programs,
    workstreams,
    otherWorkstreams,
    dependencies: plan.standing,
    resources: plan.resources,
    milestones,
    previous,
    now,
    timezone: actor.timezone,
    staleAfterDays: workspace?.settings.staleAfterDays ?? 7,
  };
  return success({ portfolio, programs, view: buildPortfolioDigest(data) });
}

/**
 * `/program portfolio digest`: posts the portfolio's leadership digest to `channelId`, once per
 * portfolio and second (a double submission posts once: the unique insert of its run is the claim),
 * and keeps each program's counts for the next one's trend.
 */
export async function postPortfolioDigest(
  deps: { stores: Stores; slackFor: ClientFor },
  actor: Actor,
  key: string,
  channelId: string,
  now: Date,
): Promise<Outcome<{ portfolio: Portfolio; channelId: string }>> {
  const loaded = await loadPortfolioDigest(deps.stores, actor, key, now);
  if (!loaded.ok) return loaded;
  const { portfolio, programs, view } = loaded.value;
  const run = await deps.stores.portfolios.claimRun({
    teamId: actor.teamId,
    portfolioId: portfolio._id,
    slot: new Date(Math.floor(now.getTime() / 1000) * 1000),
    channelId,
  });
  if (!run) return success({ portfolio, channelId });
  try {
    const client = await deps.slackFor(actor.teamId);
    const posted = await postDigest(client, channelId, portfolioDigestMessages(view), run._id.toHexString(), {
      since: now,
    });
    await deps.stores.portfolios.markPosted(actor.teamId, run._id, {
      ts: posted.ts,
      at: now,
      counts: countsToKeep(view, programs),
    });
    return success({ portfolio, channelId });
  } catch (error) {
    return problem({ kind: 'post_failed', channelId, error: slackError(error) });
  }
}

function slackError(error: unknown): string {
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string'
    ? data.error
    : error instanceof Error
      ? error.message
      : 'Slack refused it';
}

/** The counts a posted portfolio digest keeps for the next one's trend, by program id. */
export function countsToKeep(view: PortfolioView, programs: readonly Program[]) {
  const idOf = new Map(programs.map((p) => [p.key, p._id.toHexString()]));
  const counts: Record<string, { onTrack: number; atRisk: number; offTrack: number; noUpdate: number }> = {};
  for (const line of view.programs) {
    const id = idOf.get(line.program.key);
    if (!id) continue;
    const { onTrack, atRisk, offTrack, noUpdate } = line.counts;
    counts[id] = { onTrack, atRisk, offTrack, noUpdate };
  }
  return counts;
}

/** The portfolio's programs, by key; archived ones too (the digest says so). */
async function programsOf(stores: Stores, portfolio: Portfolio): Promise<Program[]> {
  if (portfolio.programIds.length === 0) return [];
  const programs = await stores.programs.findByIds(portfolio.teamId, portfolio.programIds);
  return programs.sort((a, b) => a.key.localeCompare(b.key));
}

async function changeable(stores: Stores, actor: Actor, key: string): Promise<Outcome<Portfolio>> {
  const portfolio = await stores.portfolios.findByKey(actor.teamId, key);
  if (!portfolio) return problem({ kind: 'no_portfolio', key });
  if (portfolio.ownerId !== actor.userId && !actor.isWorkspaceAdmin)
    return problem({ kind: 'not_portfolio_owner', key, ownerId: portfolio.ownerId });
  return success(portfolio);
}

function audit(
  stores: Stores,
  actor: Actor,
  action: string,
  portfolio: Portfolio,
  at: Date,
  details?: Record<string, unknown>,
): Promise<void> {
  return stores.audit.record({
    teamId: actor.teamId,
    actorId: actor.userId,
    action,
    target: { kind: 'portfolio', id: portfolio._id, key: portfolio.key },
    details,
    at,
  });
}
