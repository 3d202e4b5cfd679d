/**
 * The dependency analysis of one program (issue 10): 1,000 workstreams across 5 programs, 5,000
 * dependencies, one update each, real ObjectIds (their toHexString() is a real cost). Pure CPU, no
 * database. Printed against a baseline measured in the same run — building the dependency graph
 * alone, the least any analysis must do — so the ratio means something on any machine.
 *
 *   npm run bench:analysis          (BENCH_WORKSTREAMS, BENCH_DEPENDENCIES, BENCH_REPS to change it)
 */
import { Types } from 'mongoose';
import { performance } from 'node:perf_hooks';
import { analyseProgram, type AnalysisInput } from '../src/domain/analysis/index.js';
import { dependencyGraph } from '../src/domain/analysis/graph.js';
import { fixed, machineLine, median, percentile, table } from './support.js';

const WORKSTREAMS = Number(process.env.BENCH_WORKSTREAMS ?? 1_000);
const DEPENDENCIES = Number(process.env.BENCH_DEPENDENCIES ?? 5_000);
const REPS = Number(process.env.BENCH_REPS ?? 30);
const PROGRAMS = 5;

/** A deterministic pseudo-random sequence, so every run analyses the same program. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

const day = (n: number) => new Date(Date.UTC(2026, 11, 1) + n * 86_400_000).toISOString().slice(0, 10);

function world(): AnalysisInput {
  const next = random(42);
  const programs = Array.from({ length: PROGRAMS }, () => new Types.ObjectId());
  const workstreams = Array.from({ length: WORKSTREAMS }, (_, i) => ({
    _id: new Types.ObjectId(),
    programId: programs[i % PROGRAMS]!,
    programKey: `program-${i % PROGRAMS}`,
    key: `ws-${i}`,
    team: `team-${i % 40}`,
    state: 'active' as const,
    targetDate: day(30 + Math.floor(next() * 60)),
  }));
  // Edges only from a later workstream to an earlier one: a DAG, as refused cycles keep real data.
  const dependencies = Array.from({ length: DEPENDENCIES }, () => {
    const a = 1 + Math.floor(next() * (WORKSTREAMS - 1));
    const b = Math.floor(next() * a);
    return {
      _id: new Types.ObjectId(),
      consumerId: workstreams[a]!._id,
      providerId: workstreams[b]!._id,
      neededBy: day(20 + Math.floor(next() * 60)),
      state: 'open' as const,
      deliverable: `deliverable ${a}-${b}`,
    };
  });
  const updates = workstreams.map((w) => ({
    _id: new Types.ObjectId(),
    workstreamId: w._id,
    createdAt: new Date(Date.UTC(2026, 10, 30)),
    forecastDate: day(25 + Math.floor(next() * 70)),
  }));
  return {
    programId: programs[0]!,
    today: day(0),
    workstreams,
    updates,
    dependencies,
    milestones: [
      { _id: new Types.ObjectId(), date: day(60), needs: workstreams.slice(0, 50).map((w) => w._id) },
    ],
  };
}

function timed(run: () => unknown): number[] {
  run(); // warm-up: the first call also compiles
  return Array.from({ length: REPS }, () => {
    const started = performance.now();
    run();
    return performance.now() - started;
  });
}

const input = world();
const baseline = timed(() =>
  dependencyGraph(
    input.dependencies,
    input.workstreams.map((w) => w._id.toHexString()),
  ),
);
const analysis = timed(() => analyseProgram(input));
const result = analyseProgram(input);

console.log(machineLine('no database (pure CPU)'));
console.log(
  `${WORKSTREAMS} workstreams, ${DEPENDENCIES} dependencies, ${REPS} runs after a warm-up; ` +
    `${result.atRisk.length} at risk, critical path of ${result.criticalPath?.steps.length ?? 0} steps.\n`,
);
console.log(
  table(
    ['what', 'median ms', 'p90 ms', 'ratio to baseline (median)'],
    [
      [
        'baseline: dependency graph only',
        fixed(median(baseline), 2),
        fixed(percentile(baseline, 90), 2),
        '1.0',
      ],
      [
        'analyseProgram (target ≤ 50 ms)',
        fixed(median(analysis), 2),
        fixed(percentile(analysis, 90), 2),
        fixed(median(analysis) / median(baseline), 1),
      ],
    ],
  ),
);
