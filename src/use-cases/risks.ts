/**
 * `/program risks <program>` and `risks portfolio:<key>`: the analysis of SPEC §6 for one program,
 * or for a portfolio's programs together, on demand.
 */
import { programIntelligence } from '../domain/analysis/intelligence.js';
import type { Id, Milestone, Program, Workstream } from '../domain/entities.js';
import type { Actor } from '../domain/permissions.js';
import type { ProgramRisks } from '../domain/read-models.js';
import type { Stores } from '../services.js';
import { dateIn } from '../domain/digest/context.js';
import { loadWorkspacePlan, workstreamsNamedBy, type WorkspacePlan } from './intelligence-data.js';
import { problem, success, type Outcome } from './outcome.js';
import { resolveProgram } from './resolve.js';

/**
 * Loads what the analysis needs in three round trips whatever the program's size: the program; its
 * workstreams and milestones with the workspace's standing dependencies and allocated resources; the
 * other programs' workstreams those name. Forecasts come from each workstream's record of its latest
 * update, so no update history is read.
 */
export async function programRisks(
  stores: Stores,
  actor: Actor,
  programKey: string,
  now: Date,
): Promise<Outcome<ProgramRisks>> {
  const found = await resolveProgram(stores, actor.teamId, programKey);
  if (!found.ok) return found;
  const program = found.value;
  const [own, milestones, plan] = await Promise.all([
    stores.workstreams.listByProgram(actor.teamId, program._id),
    stores.milestones.forProgram(actor.teamId, program._id),
    loadWorkspacePlan(stores, actor.teamId),
  ]);
  return success(
    await risksOf(stores, actor, now, {
      subject: { kind: 'program', key: program.key, name: program.name },
      programs: [program],
      own,
      milestones,
      plan,
      home: program._id,
    }),
  );
}

/** The same for a portfolio's programs, in four round trips whatever their number. */
export async function portfolioRisks(
  stores: Stores,
  actor: Actor,
  portfolioKey: string,
  now: Date,
): Promise<Outcome<ProgramRisks>> {
  const portfolio = await stores.portfolios.findByKey(actor.teamId, portfolioKey);
  if (!portfolio) return problem({ kind: 'no_portfolio', key: portfolioKey });
  if (portfolio.programIds.length === 0) return problem({ kind: 'empty_portfolio', key: portfolioKey });
  const [programs, own, milestones, plan] = await Promise.all([
    stores.programs.findByIds(actor.teamId, portfolio.programIds),
    stores.workstreams.listByPrograms(actor.teamId, portfolio.programIds),
    stores.milestones.forPrograms(actor.teamId, portfolio.programIds),
    loadWorkspacePlan(stores, actor.teamId),
  ]);
  return success(
    await risksOf(stores, actor, now, {
      subject: { kind: 'portfolio', key: portfolio.key, name: portfolio.name },
      programs,
      own,
      milestones,
      plan,
    }),
  );
}

async function risksOf(
  stores: Stores,
  actor: Actor,
  now: Date,
  read: {
    subject: ProgramRisks['subject'];
    programs: readonly Program[];
    own: readonly Workstream[];
    milestones: Milestone[];
    plan: WorkspacePlan;
    home?: Id;
  },
): Promise<ProgramRisks> {
  const { plan } = read;
  const known = new Map(read.own.map((w) => [w._id.toHexString(), w]));
  for (const w of await workstreamsNamedBy(stores, actor.teamId, known, plan))
    known.set(w._id.toHexString(), w);
  const today = dateIn(now, actor.timezone);
  const intelligence = programIntelligence({
    program: read.programs,
    today,
    workstreams: [...known.values()],
    dependencies: plan.standing,
    milestones: read.milestones,
    resources: plan.resources,
  });
  return {
    subject: read.subject,
    programIds: new Set(read.programs.map((p) => p._id.toHexString())),
    ...(read.home ? { home: read.home } : {}),
    today,
    workstreams: known,
    milestones: read.milestones,
    ...intelligence,
  };
}
