/** Worked examples of SPEC §6, written out by hand. Dates are December 2025 unless said. */
import { describe, expect, it } from 'vitest';
import {
  analyseProgram,
  type AnalysisInput,
  type AnalysedWorkstream,
  type ProgramAnalysis,
  type RiskLink,
} from '../../../src/domain/analysis/index.js';
import { dependency, id, milestone, update, workstream } from './support.js';

const CYCLE = 'cycle checkout-ui → payments-api → rules → checkout-ui';
const dec = (n: number) => `2025-12-${String(n).padStart(2, '0')}`;

interface Example {
  name: string;
  today?: string;
  workstreams: AnalysedWorkstream[];
  updates?: AnalysisInput['updates'];
  dependencies: AnalysisInput['dependencies'];
  milestones?: AnalysisInput['milestones'];
  expected: Summary;
}

interface Summary {
  /** own → propagated, per workstream ('-' for none). */
  forecasts: Record<string, string>;
  /** The chain of each at-risk workstream, link by link. */
  atRisk: Record<string, string[]>;
  /** Every reason of each at-risk workstream, when it has more than its chain's first. */
  reasons?: Record<string, string[]>;
  criticalPath?: string;
  cycles?: string[][];
  broken?: string[];
  bottlenecks?: { workstreams: string[]; teams: string[] };
  milestones?: string[];
}

const link = (l: RiskLink) =>
  `${l.consumerId} ← ${l.providerId}: ${l.kind}` +
  ` (forecast ${l.providerForecast ?? '-'}, needed ${l.neededBy}${l.days !== undefined ? `, ${l.days} days` : ''})`;

function summary(result: ProgramAnalysis, reasonsOf: string[]): Summary {
  const path = result.criticalPath;
  return {
    forecasts: Object.fromEntries(
      result.forecasts.map((f) => [f.workstreamId, `${f.own ?? '-'} → ${f.propagated ?? '-'}`]),
    ),
    atRisk: Object.fromEntries(
      result.atRisk.map((a) => [
        a.workstreamId,
        [...a.chain.map(link), ...(a.cycle ? [`cycle ${[...a.cycle, a.cycle[0]].join(' → ')}`] : [])],
      ]),
    ),
    ...(reasonsOf.length > 0
      ? {
          reasons: Object.fromEntries(
            result.atRisk
              .filter((a) => reasonsOf.includes(a.workstreamId))
              .map((a) => [a.workstreamId, a.reasons.map(link)]),
          ),
        }
      : {}),
    ...(path
      ? { criticalPath: `${path.steps.map((s) => s.workstreamId).join(' → ')} finish ${path.finish}` }
      : {}),
    ...(result.cycles.length > 0 ? { cycles: result.cycles } : {}),
    ...(result.broken.length > 0 ? { broken: result.broken.map((e) => e.id) } : {}),
    ...(result.bottlenecks.workstreams.length > 0
      ? {
          bottlenecks: {
            workstreams: result.bottlenecks.workstreams.map((b) => `${b.workstreamId} ${b.waiting}`),
            teams: result.bottlenecks.teams.map((b) => `${b.name} ${b.waiting}`),
          },
        }
      : {}),
    ...(result.milestones.length > 0
      ? {
          milestones: result.milestones.map(
            (m) =>
              `${m.milestoneId} ${m.date}: forecast ${m.forecast ?? '-'}${m.atRisk ? `, at risk by ${m.daysLate} days` : ''}` +
              (m.criticalPath ? ` via ${m.criticalPath.steps.map((s) => s.workstreamId).join(' → ')}` : '') +
              (m.undated.length > 0 ? `, undated ${m.undated.join(' ')}` : ''),
          ),
        }
      : {}),
  };
}

const examples: Example[] = [
  {
    name: 'a chain across two programs: Checkout UI waits on Payments API, which waits on Fraud rules',
    workstreams: [
      workstream('checkout-ui', { team: 'web', targetDate: dec(15) }),
      workstream('payments-api', { program: 'payments', team: 'payments', targetDate: dec(4) }),
      workstream('fraud-rules', { program: 'payments', team: 'risk', targetDate: dec(3) }),
    ],
    updates: [update('payments-api', dec(7)), update('fraud-rules', dec(16))],
    dependencies: [
      dependency('checkout-ui', 'payments-api', dec(10), 'open', 'dep-ui-api'),
      dependency('payments-api', 'fraud-rules', dec(5), 'open', 'dep-api-rules'),
    ],
    milestones: [milestone('release', dec(20), ['checkout-ui']), milestone('beta', dec(17), ['fraud-rules'])],
    expected: {
      forecasts: {
        'checkout-ui': `${dec(15)} → ${dec(23)}`,
        'fraud-rules': `${dec(16)} → ${dec(16)}`,
        'payments-api': `${dec(7)} → ${dec(18)}`,
      },
      atRisk: {
        'checkout-ui': [
          `checkout-ui ← payments-api: late (forecast ${dec(18)}, needed ${dec(10)}, 8 days)`,
          `payments-api ← fraud-rules: late (forecast ${dec(16)}, needed ${dec(5)}, 11 days)`,
        ],
        'payments-api': [`payments-api ← fraud-rules: late (forecast ${dec(16)}, needed ${dec(5)}, 11 days)`],
      },
      criticalPath: `fraud-rules → payments-api → checkout-ui finish ${dec(23)}`,
      bottlenecks: { workstreams: ['fraud-rules 2', 'payments-api 1'], teams: ['risk 2', 'payments 1'] },
      milestones: [
        `beta ${dec(17)}: forecast ${dec(16)} via fraud-rules`,
        `release ${dec(20)}: forecast ${dec(23)}, at risk by 3 days via fraud-rules → payments-api → checkout-ui`,
      ],
    },
  },
  {
    name: 'a diamond: the later branch decides, the on-time branch does not push',
    workstreams: [
      workstream('top', { team: 'web', targetDate: dec(22) }),
      workstream('left', { team: 'api', targetDate: dec(12) }),
      workstream('right', { team: 'api', targetDate: dec(20) }),
      workstream('bottom', { team: 'data', targetDate: dec(10) }),
    ],
    dependencies: [
      dependency('top', 'left', dec(13), 'open', 'dep-top-left'),
      dependency('top', 'right', dec(21), 'open', 'dep-top-right'),
      dependency('left', 'bottom', dec(8), 'open', 'dep-left-bottom'),
      dependency('right', 'bottom', dec(12), 'open', 'dep-right-bottom'),
    ],
    expected: {
      forecasts: {
        bottom: `${dec(10)} → ${dec(10)}`,
        left: `${dec(12)} → ${dec(14)}`,
        right: `${dec(20)} → ${dec(20)}`,
        top: `${dec(22)} → ${dec(23)}`,
      },
      atRisk: {
        left: [`left ← bottom: late (forecast ${dec(10)}, needed ${dec(8)}, 2 days)`],
        top: [
          `top ← left: late (forecast ${dec(14)}, needed ${dec(13)}, 1 days)`,
          `left ← bottom: late (forecast ${dec(10)}, needed ${dec(8)}, 2 days)`,
        ],
      },
      criticalPath: `bottom → left → top finish ${dec(23)}`,
      // Top waits on right too (on time): it still counts as at-risk work waiting on right.
      bottlenecks: { workstreams: ['bottom 2', 'left 1', 'right 1'], teams: ['data 2', 'api 1'] },
    },
  },
  {
    name: 'a broken dependency stays visible, puts its consumer and what waits on it at risk, and pushes no date',
    workstreams: [
      workstream('search', { targetDate: dec(20) }),
      workstream('catalog', { targetDate: dec(10) }),
      workstream('images', { program: 'media', targetDate: dec(20) }),
    ],
    dependencies: [
      dependency('catalog', 'images', dec(5), 'broken', 'dep-broken'),
      dependency('search', 'catalog', dec(12), 'open', 'dep-search'),
    ],
    expected: {
      forecasts: {
        catalog: `${dec(10)} → ${dec(10)}`,
        search: `${dec(20)} → ${dec(20)}`,
        images: `${dec(20)} → ${dec(20)}`,
      },
      atRisk: {
        catalog: [`catalog ← images: broken (forecast ${dec(20)}, needed ${dec(5)})`],
        search: [
          `search ← catalog: upstream (forecast ${dec(10)}, needed ${dec(12)})`,
          `catalog ← images: broken (forecast ${dec(20)}, needed ${dec(5)})`,
        ],
      },
      criticalPath: `search finish ${dec(20)}`,
      broken: ['dep-broken'],
      // Search waits on the images too, through the catalog.
      bottlenecks: { workstreams: ['images 2', 'catalog 1'], teams: ['team 2'] },
    },
  },
  {
    name: 'a met dependency is delivered: no edge, no push, no risk',
    today: dec(10),
    workstreams: [workstream('mobile', { targetDate: dec(10) }), workstream('auth', { targetDate: dec(20) })],
    dependencies: [dependency('mobile', 'auth', dec(5), 'met', 'dep-met')],
    expected: {
      forecasts: { auth: `${dec(20)} → ${dec(20)}`, mobile: `${dec(10)} → ${dec(10)}` },
      atRisk: {},
      criticalPath: `auth finish ${dec(20)}`,
    },
  },
  {
    name: 'a provider in another program is judged by its own latest forecast, not its target',
    workstreams: [
      workstream('checkout-ui', { targetDate: dec(12) }),
      workstream('ledger', { program: 'finance', targetDate: dec(5) }),
    ],
    // The older update's forecast no longer counts.
    updates: [update('ledger', dec(30), 0), update('ledger', dec(14), 5)],
    dependencies: [dependency('checkout-ui', 'ledger', dec(10), 'open', 'dep-ledger')],
    expected: {
      forecasts: { 'checkout-ui': `${dec(12)} → ${dec(16)}`, ledger: `${dec(14)} → ${dec(14)}` },
      atRisk: {
        'checkout-ui': [`checkout-ui ← ledger: late (forecast ${dec(14)}, needed ${dec(10)}, 4 days)`],
      },
      // Only the program's own workstreams finish it; the ledger is another program's.
      criticalPath: `ledger → checkout-ui finish ${dec(16)}`,
      bottlenecks: { workstreams: ['ledger 1'], teams: ['team 1'] },
    },
  },
  {
    name: 'a done provider has delivered, even past the date and with a later forecast on record',
    today: dec(10),
    workstreams: [
      workstream('checkout-ui', { targetDate: dec(8) }),
      workstream('tokens', { state: 'done', targetDate: dec(1) }),
    ],
    updates: [update('tokens', dec(30))],
    dependencies: [dependency('checkout-ui', 'tokens', dec(5), 'open', 'dep-tokens')],
    expected: {
      forecasts: { 'checkout-ui': `${dec(8)} → ${dec(8)}`, tokens: '- → -' },
      atRisk: {},
      criticalPath: `checkout-ui finish ${dec(8)}`,
    },
  },
  {
    name: 'a cancelled provider will never deliver: its consumer is at risk, by no date',
    workstreams: [
      workstream('checkout-ui', { targetDate: dec(12) }),
      workstream('wallets', { state: 'cancelled', targetDate: dec(30) }),
    ],
    dependencies: [dependency('checkout-ui', 'wallets', dec(10), 'open', 'dep-wallets')],
    expected: {
      forecasts: { 'checkout-ui': `${dec(12)} → ${dec(12)}`, wallets: '- → -' },
      atRisk: {
        'checkout-ui': [`checkout-ui ← wallets: provider_cancelled (forecast -, needed ${dec(10)})`],
      },
      criticalPath: `checkout-ui finish ${dec(12)}`,
      bottlenecks: { workstreams: ['wallets 1'], teams: ['team 1'] },
    },
  },
  {
    name: 'a dependency needed before today from undated work is overdue; undated work pushes nobody',
    today: dec(10),
    workstreams: [workstream('checkout-ui', { targetDate: dec(12) }), workstream('copy')],
    dependencies: [dependency('checkout-ui', 'copy', dec(5), 'open', 'dep-copy')],
    milestones: [milestone('launch', dec(15), ['checkout-ui', 'copy'])],
    expected: {
      forecasts: { 'checkout-ui': `${dec(12)} → ${dec(12)}`, copy: '- → -' },
      atRisk: { 'checkout-ui': [`checkout-ui ← copy: overdue (forecast -, needed ${dec(5)}, 5 days)`] },
      criticalPath: `checkout-ui finish ${dec(12)}`,
      bottlenecks: { workstreams: ['copy 1'], teams: ['team 1'] },
      milestones: [`launch ${dec(15)}: forecast ${dec(12)} via checkout-ui, undated copy`],
    },
  },
  {
    name: 'a cycle is reported once, puts its workstreams and what waits on them at risk, and pushes nobody inside it',
    workstreams: [
      workstream('checkout-ui', { targetDate: dec(5) }),
      workstream('payments-api', { targetDate: dec(10) }),
      workstream('rules', { targetDate: dec(20) }),
      workstream('search', { targetDate: dec(8) }),
    ],
    dependencies: [
      dependency('checkout-ui', 'payments-api', dec(3), 'open', 'dep-1'),
      dependency('payments-api', 'rules', dec(3), 'open', 'dep-2'),
      dependency('rules', 'checkout-ui', dec(3), 'open', 'dep-3'),
      dependency('search', 'checkout-ui', dec(6), 'open', 'dep-4'),
    ],
    expected: {
      forecasts: {
        'checkout-ui': `${dec(5)} → ${dec(5)}`,
        'payments-api': `${dec(10)} → ${dec(10)}`,
        rules: `${dec(20)} → ${dec(20)}`,
        search: `${dec(8)} → ${dec(8)}`,
      },
      atRisk: {
        'checkout-ui': [`checkout-ui ← payments-api: cycle (forecast ${dec(10)}, needed ${dec(3)})`, CYCLE],
        'payments-api': [`payments-api ← rules: cycle (forecast ${dec(20)}, needed ${dec(3)})`, CYCLE],
        rules: [`rules ← checkout-ui: cycle (forecast ${dec(5)}, needed ${dec(3)})`, CYCLE],
        search: [
          `search ← checkout-ui: upstream (forecast ${dec(5)}, needed ${dec(6)})`,
          `checkout-ui ← payments-api: cycle (forecast ${dec(10)}, needed ${dec(3)})`,
          CYCLE,
        ],
      },
      criticalPath: `rules finish ${dec(20)}`,
      cycles: [['checkout-ui', 'payments-api', 'rules']],
      bottlenecks: {
        workstreams: ['checkout-ui 3', 'payments-api 3', 'rules 3'],
        teams: ['team 4'],
      },
    },
  },
  {
    name: 'several reasons: the gravest leads, then the latest; the chain follows the first',
    workstreams: [
      workstream('checkout-ui', { targetDate: dec(12) }),
      workstream('fees', { targetDate: dec(11) }),
      workstream('payments-api', { targetDate: dec(20) }),
      workstream('wallets', { state: 'cancelled' }),
    ],
    dependencies: [
      dependency('checkout-ui', 'fees', dec(10), 'open', 'dep-fees'),
      dependency('checkout-ui', 'payments-api', dec(10), 'open', 'dep-late'),
      dependency('checkout-ui', 'wallets', dec(10), 'open', 'dep-cancelled'),
    ],
    expected: {
      forecasts: {
        'checkout-ui': `${dec(12)} → ${dec(22)}`,
        fees: `${dec(11)} → ${dec(11)}`,
        'payments-api': `${dec(20)} → ${dec(20)}`,
        wallets: '- → -',
      },
      atRisk: {
        'checkout-ui': [`checkout-ui ← wallets: provider_cancelled (forecast -, needed ${dec(10)})`],
      },
      reasons: {
        'checkout-ui': [
          `checkout-ui ← wallets: provider_cancelled (forecast -, needed ${dec(10)})`,
          `checkout-ui ← payments-api: late (forecast ${dec(20)}, needed ${dec(10)}, 10 days)`,
          `checkout-ui ← fees: late (forecast ${dec(11)}, needed ${dec(10)}, 1 days)`,
        ],
      },
      criticalPath: `payments-api → checkout-ui finish ${dec(22)}`,
      bottlenecks: { workstreams: ['fees 1', 'payments-api 1', 'wallets 1'], teams: ['team 1'] },
    },
  },
  {
    name: 'ties: an equal push or finish goes to the longer chain, then the smaller id',
    workstreams: [
      workstream('root', { targetDate: dec(5) }),
      workstream('q-provider', { targetDate: dec(10) }),
      workstream('a-provider', { targetDate: dec(12) }),
      workstream('z-end', { targetDate: dec(15) }),
      workstream('b-end', { targetDate: dec(20) }),
      workstream('a-end', { targetDate: dec(20) }),
    ],
    dependencies: [
      dependency('q-provider', 'root', dec(3), 'open', 'dep-q-root'),
      dependency('z-end', 'a-provider', dec(7), 'open', 'dep-z-a'),
      dependency('z-end', 'q-provider', dec(7), 'open', 'dep-z-q'),
    ],
    milestones: [milestone('m1', dec(25), ['b-end', 'a-end']), milestone('m2', dec(25), ['a-end', 'z-end'])],
    expected: {
      forecasts: {
        'a-end': `${dec(20)} → ${dec(20)}`,
        'a-provider': `${dec(12)} → ${dec(12)}`,
        'b-end': `${dec(20)} → ${dec(20)}`,
        'q-provider': `${dec(10)} → ${dec(12)}`,
        root: `${dec(5)} → ${dec(5)}`,
        'z-end': `${dec(15)} → ${dec(20)}`,
      },
      atRisk: {
        'q-provider': [`q-provider ← root: late (forecast ${dec(5)}, needed ${dec(3)}, 2 days)`],
        'z-end': [
          `z-end ← q-provider: late (forecast ${dec(12)}, needed ${dec(7)}, 5 days)`,
          `q-provider ← root: late (forecast ${dec(5)}, needed ${dec(3)}, 2 days)`,
        ],
      },
      reasons: {
        'z-end': [
          `z-end ← q-provider: late (forecast ${dec(12)}, needed ${dec(7)}, 5 days)`,
          `z-end ← a-provider: late (forecast ${dec(12)}, needed ${dec(7)}, 5 days)`,
        ],
      },
      criticalPath: `root → q-provider → z-end finish ${dec(20)}`,
      bottlenecks: { workstreams: ['root 2', 'a-provider 1', 'q-provider 1'], teams: ['team 2'] },
      milestones: [
        `m1 ${dec(25)}: forecast ${dec(20)} via a-end`,
        `m2 ${dec(25)}: forecast ${dec(20)} via root → q-provider → z-end`,
      ],
    },
  },
  {
    name: 'ties: equal finishes on equal chains go to the smaller id, whatever the input order',
    workstreams: [workstream('web', { targetDate: dec(20) }), workstream('api', { targetDate: dec(20) })],
    dependencies: [],
    expected: {
      forecasts: { api: `${dec(20)} → ${dec(20)}`, web: `${dec(20)} → ${dec(20)}` },
      atRisk: {},
      criticalPath: `api finish ${dec(20)}`,
    },
  },
];

describe('worked examples', () => {
  it.each(examples)('$name', (example) => {
    const result = analyseProgram({
      programId: id('program-checkout'),
      today: example.today ?? dec(1),
      workstreams: example.workstreams,
      updates: example.updates ?? [],
      dependencies: example.dependencies,
      milestones: example.milestones ?? [],
    });
    expect(summary(result, Object.keys(example.expected.reasons ?? {}))).toEqual(example.expected);
  });

  it('lists workstreams by program key and key, whatever their ids, and those it does not hold last', () => {
    const result = analyseProgram({
      programId: id('program-checkout'),
      today: dec(1),
      workstreams: [
        workstream('a-id', { key: 'zeta', program: 'checkout', targetDate: dec(9) }),
        workstream('b-id', { key: 'alpha', program: 'payments', targetDate: dec(20) }),
        workstream('c-id', { key: 'beta', program: 'checkout', targetDate: dec(9) }),
      ],
      updates: [],
      dependencies: [
        dependency('a-id', 'b-id', dec(5), 'open', 'dep-1'),
        dependency('c-id', 'b-id', dec(5), 'open', 'dep-2'),
        dependency('c-id', 'aaa', dec(5), 'open', 'dep-3'),
      ],
      milestones: [],
    });
    expect(result.forecasts.map((f) => f.workstreamId)).toEqual(['c-id', 'a-id', 'b-id', 'aaa']);
    expect(result.atRisk.map((a) => a.workstreamId)).toEqual(['c-id', 'a-id']);
  });

  it('lists workstreams by program and key, those it does not hold last, and says whose each is', () => {
    const [chain] = examples;
    const result = analyseProgram({
      programId: id('program-checkout'),
      today: dec(1),
      workstreams: chain!.workstreams,
      updates: chain!.updates ?? [],
      dependencies: [
        ...chain!.dependencies,
        dependency('checkout-ui', 'aaa-unloaded', dec(20), 'open', 'dep-x'),
      ],
      milestones: [],
    });
    expect(result.forecasts.map((f) => f.workstreamId)).toEqual([
      'checkout-ui',
      'fraud-rules',
      'payments-api',
      'aaa-unloaded',
    ]);
    expect(result.atRisk.map((a) => [a.workstreamId, a.programId])).toEqual([
      ['checkout-ui', 'program-checkout'],
      ['payments-api', 'program-payments'],
    ]);
  });
});
