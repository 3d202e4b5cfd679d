/**
 * Portfolios (SPEC §7): a named set of programs read together by leadership, and its digest. Whoever
 * made a portfolio (or a workspace admin) may change it; anyone in the workspace may read it.
 */
import { PORTFOLIO_PROGRAM_LIMIT } from '../data/portfolios.js';
import type { Id, Portfolio, PortfolioCounts, Program } from '../domain/entities.js';
import { refusal, type Actor } from '../domain/permissions.js';
import { healthHistoryChart, HEALTH_HISTORY_LENGTH, pointsFromPortfolioHistory } from '../charts/index.js';
import { buildPortfolioDigest, type PortfolioData, type PortfolioView } from '../domain/portfolio.js';
import type { Stores } from '../services.js';
import type { SlackMessage } from '../views/message.js';
import { portfolioDigestMessages } from '../views/portfolio-views.js';
import type { DigestChart } from './compose-digest.js';
import { loadWorkspacePlan, workstreamsNamedBy } from './intelligence-data.js';
import { problem, success, type Outcome } from './outcome.js';
import { settingsOf } from '../domain/settings.js';

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

/** Who a portfolio digest is read by: its workspace, and the timezone its dates are told in. */
export interface PortfolioReader {
  teamId: string;
  timezone: string;
}

/**
 * What a portfolio's digest is built from, in four round trips whatever the number of programs: the
 * portfolio; its programs, with the workspace; their workstreams and milestones with the workspace's
 * plan (standing dependencies, allocated resources) and the portfolio's last digests; the other
 * programs' workstreams the plan names.
 */
export async function loadPortfolioDigest(
  stores: Stores,
  reader: PortfolioReader,
  ref: string | { id: Id },
  now: Date,
): Promise<Outcome<{ portfolio: Portfolio; programs: Program[]; view: PortfolioView; data: PortfolioData }>> {
  const { teamId } = reader;
  const portfolio =
    typeof ref === 'string'
      ? await stores.portfolios.findByKey(teamId, ref)
      : await stores.portfolios.findById(teamId, ref.id);
  const key = typeof ref === 'string' ? ref : (portfolio?.key ?? 'a removed portfolio');
  if (!portfolio) return problem({ kind: 'no_portfolio', key });
  if (portfolio.programIds.length === 0) return problem({ kind: 'empty_portfolio', key });
  const [programs, workspace] = await Promise.all([
    programsOf(stores, portfolio),
    stores.workspaces.find(teamId),
  ]);
  const ids = programs.map((p) => p._id);
  const [workstreams, milestones, plan, previous] = await Promise.all([
    stores.workstreams.listByPrograms(teamId, ids),
    stores.milestones.forPrograms(teamId, ids),
    loadWorkspacePlan(stores, teamId),
    stores.runs.portfolioHistory(teamId, portfolio._id, HEALTH_HISTORY_LENGTH - 1),
  ]);
  const known = new Set(workstreams.map((w) => w._id.toHexString()));
  const otherWorkstreams = await workstreamsNamedBy(stores, teamId, known, plan);
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
    timezone: reader.timezone,
    staleAfterDays: settingsOf(workspace).staleAfterDays,
  };
  return success({ portfolio, programs, view: buildPortfolioDigest(data), data });
}

/** A portfolio's digest as it is posted: its messages, what it keeps for the next one, its chart. */
export interface ComposedPortfolioDigest {
  portfolio: Portfolio;
  main: SlackMessage;
  thread: SlackMessage[];
  /** What is posted in the main message's place if Slack refuses it. */
  fallback: { text: string };
  portfolioCounts: PortfolioCounts;
  charts: DigestChart[];
}

/** data → view model → blocks for a portfolio, with its chart when asked (posting draws it; a preview does not). */
export async function composePortfolioDigest(
  stores: Stores,
  reader: PortfolioReader,
  ref: string | { id: Id },
  options: { now: Date; charts?: boolean },
): Promise<Outcome<ComposedPortfolioDigest>> {
  const loaded = await loadPortfolioDigest(stores, reader, ref, options.now);
  if (!loaded.ok) return loaded;
  const { portfolio, programs, view, data } = loaded.value;
  const portfolioCounts = countsToKeep(view, programs);
  return success({
    portfolio,
    ...portfolioDigestMessages(view),
    portfolioCounts,
    charts: options.charts ? portfolioCharts(portfolio, data, portfolioCounts, reader.timezone) : [],
  });
}

/**
 * The portfolio's chart (SPEC §7): its open workstreams by health, all programs together, at each of
 * its last digests (scheduled or on demand) and this one.
 */
function portfolioCharts(
  portfolio: Portfolio,
  data: PortfolioData,
  counts: PortfolioCounts,
  timezone: string,
): DigestChart[] {
  const history = [...data.previous, { postedAt: data.now, counts }];
  const health = healthHistoryChart(pointsFromPortfolioHistory(history, timezone), {
    program: portfolio.name,
  });
  return health
    ? [
        {
          ...health,
          filename: `portfolio-${portfolio.key}-health.png`,
          title: `${portfolio.name}: health over the last digests`,
        },
      ]
    : [];
}

/** The counts a posted portfolio digest keeps for the next one's trend, by program id. */
function countsToKeep(view: PortfolioView, programs: readonly Program[]): PortfolioCounts {
  const idOf = new Map(programs.map((p) => [p.key, p._id.toHexString()]));
  const counts: PortfolioCounts = {};
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
  const refused = refusal({ kind: 'change_portfolio', portfolio }, actor);
  return refused ? problem(refused) : success(portfolio);
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
