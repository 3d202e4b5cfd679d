import { describe, expect, it } from 'vitest';
import {
  buildDigest,
  snapshotOf,
  type AttentionItem,
  type ChainAttention,
  type HealthAttention,
  type MissingUpdate,
  type SignalsDisagree,
} from '../../src/domain/digest.js';
import { ATTENTION_CLASSES, attentionClass } from '../../src/domain/digest/attention-rank.js';
import { daysAgo, DigestFixture, inDays, NOW, otherProgram, TODAY } from '../support/digest-fixtures.js';

const keysOf = (items: AttentionItem[], kind: AttentionItem['kind']) =>
  items.filter((i) => i.kind === kind).map((i) => ('workstream' in i ? i.workstream.key : i.resource));

describe('header', () => {
  it('names the program, its date in the digest’s timezone, objective and owner', () => {
    const fx = new DigestFixture();
    expect(buildDigest(fx.data()).header).toEqual({
      programKey: 'checkout',
      programName: 'Checkout revamp',
      date: 'Wed 25 Nov 2026',
      today: TODAY,
      objective: 'Lift checkout conversion by 5%',
      ownerId: 'UOWNER1',
    });
    // 15:00 UTC on the 25th is already the 26th in Auckland.
    const auckland = buildDigest(fx.data({ timezone: 'Pacific/Auckland' })).header;
    expect(auckland.date).toBe('Thu 26 Nov 2026');
    expect(auckland.today).toBe('2026-11-26');
  });
});

describe('counts', () => {
  function program() {
    const fx = new DigestFixture();
    fx.update(fx.workstream('green'), { health: 'on_track', ago: 1 });
    fx.update(fx.workstream('green-quiet'), { health: 'on_track', ago: 5 });
    fx.update(fx.workstream('amber'), { health: 'at_risk', ago: 2 });
    fx.update(fx.workstream('red'), { health: 'off_track', ago: 10 });
    fx.workstream('fresh'); // never updated
    const paused = fx.workstream('paused');
    fx.update(paused, { health: 'at_risk', ago: 20 });
    paused.state = 'paused';
    const done = fx.workstream('done');
    fx.update(done, { health: 'on_track', ago: 30 });
    done.state = 'done';
    const cancelled = fx.workstream('cancelled');
    fx.update(cancelled, { health: 'off_track', ago: 30 });
    cancelled.state = 'cancelled';
    return fx;
  }

  it('counts each open workstream once by its latest health, never-updated ones as not started', () => {
    const { counts, missingKeys } = buildDigest(program().data());
    expect(counts).toEqual({
      onTrack: 2,
      atRisk: 2,
      offTrack: 1,
      notStarted: 1,
      // Without a previous digest: no update for over 7 days (red at 10 days, fresh never in 60);
      // paused work (20 days) waits and is not chased (SPEC §8).
      noUpdate: 2,
      done: 1,
      atRiskThroughDependencies: 0,
      noUpdateSince: { staleAfterDays: 7 },
    });
    expect(missingKeys).toEqual(['fresh', 'red']);
  });

  it('measures “no update” against the previous digest when there is one; paused, done and cancelled are never missing', () => {
    const { counts, missingKeys } = buildDigest(program().previous(3).data());
    expect(counts.noUpdate).toBe(3);
    expect(counts.noUpdateSince).toEqual({ previousDigest: '2026-11-22' });
    expect(missingKeys.sort()).toEqual(['fresh', 'green-quiet', 'red']);
  });
});

describe('what changed since the previous digest', () => {
  it('is empty, and says so, for a first digest', () => {
    const fx = new DigestFixture();
    fx.update(fx.workstream('a'), { health: 'at_risk', ago: 1 });
    fx.blocker(fx.workstreams[0]!, 'new thing', { ago: 0.5 });
    expect(buildDigest(fx.data()).changes).toEqual({
      hasPrevious: false,
      healthTransitions: [],
      newBlockers: [],
      resolvedBlockers: [],
      completed: [],
      targetSlips: [],
      forecastSlips: [],
      milestoneMoves: [],
      milestoneSlips: [],
    });
  });

  function changed() {
    const fx = new DigestFixture();
    const payments = fx.workstream('payments', { targetDate: inDays(20) });
    fx.update(payments, { health: 'on_track', ago: 9 });
    fx.update(payments, {
      health: 'at_risk',
      ago: 1,
      summary: 'PSP sandbox is down',
      forecastDate: inDays(30),
    });
    const search = fx.workstream('search', { targetDate: inDays(40) });
    fx.update(search, { health: 'on_track', ago: 2, forecastDate: inDays(35) });
    const legacy = fx.workstream('legacy');
    fx.update(legacy, { health: 'on_track', ago: 3 });
    legacy.state = 'done';
    const steady = fx.workstream('steady', { targetDate: inDays(10) });
    fx.update(steady, { health: 'on_track', ago: 1, forecastDate: inDays(10) });
    const old = fx.blocker(search, 'Old blocker', { ago: 10 });
    fx.blocker(payments, 'Waiting on legal review', { ago: 2 });
    fx.blocker(search, 'Index rebuild', { ago: 12, resolvedAgo: 1 });
    fx.previous(7, [
      [payments, { health: 'on_track', targetDate: inDays(20), forecastDate: inDays(20) }],
      [
        search,
        {
          health: 'on_track',
          targetDate: inDays(30),
          forecastDate: inDays(35),
          openBlockerIds: [old._id.toHexString()],
        },
      ],
      [legacy, { health: 'on_track' }],
      [steady, { health: 'on_track', targetDate: inDays(10), forecastDate: inDays(10) }],
    ]);
    return fx;
  }

  it('lists health transitions with the latest summary as the reason', () => {
    const { changes } = buildDigest(changed().data());
    expect(changes.hasPrevious).toBe(true);
    expect(changes.since).toBe('2026-11-18');
    expect(changes.healthTransitions).toEqual([
      {
        workstream: expect.objectContaining({ key: 'payments' }),
        from: 'on_track',
        to: 'at_risk',
        reason: 'PSP sandbox is down',
      },
    ]);
  });

  it('lists blockers opened since (not older ones) and those resolved since', () => {
    const { changes } = buildDigest(changed().data());
    expect(changes.newBlockers.map((b) => [b.workstream?.key, b.blocker.text, b.blocker.ageDays])).toEqual([
      ['payments', 'Waiting on legal review', 2],
    ]);
    expect(changes.resolvedBlockers.map((b) => [b.workstream?.key, b.blocker.text])).toEqual([
      ['search', 'Index rebuild'],
    ]);
  });

  it('lists completed workstreams and target-date and forecast slips', () => {
    const { changes } = buildDigest(changed().data());
    expect(changes.completed.map((w) => w.key)).toEqual(['legacy']);
    expect(changes.targetSlips).toEqual([
      { workstream: expect.objectContaining({ key: 'search' }), from: inDays(30), to: inDays(40), days: 10 },
    ]);
    expect(changes.forecastSlips).toEqual([
      {
        workstream: expect.objectContaining({ key: 'payments' }),
        from: inDays(20),
        to: inDays(30),
        days: 10,
      },
    ]);
  });

  it('says nothing changed when a digest is compared with its own snapshot', () => {
    const fx = changed();
    const first = fx.data();
    const later = {
      ...first,
      previous: snapshotOf(first),
      now: new Date(NOW.getTime() + 60_000),
      resolvedBlockers: [],
    };
    const { changes } = buildDigest(later);
    expect(changes.hasPrevious).toBe(true);
    expect([
      ...changes.healthTransitions,
      ...changes.newBlockers,
      ...changes.resolvedBlockers,
      ...changes.completed,
      ...changes.targetSlips,
      ...changes.forecastSlips,
      ...changes.milestoneMoves,
      ...changes.milestoneSlips,
    ]).toEqual([]);
  });
});

describe('needs attention', () => {
  function troubled() {
    const fx = new DigestFixture();
    const red = fx.workstream('red', { targetDate: inDays(10) });
    fx.update(red, { health: 'off_track', ago: 1, summary: 'Vendor slipped' });
    fx.blocker(red, 'Vendor contract unsigned', { ago: 6 });
    fx.blocker(red, 'No QA environment', { ago: 1 });
    const amber = fx.workstream('amber');
    fx.update(amber, { health: 'at_risk', ago: 1 });
    const silent = fx.workstream('silent');
    fx.update(silent, { health: 'on_track', ago: 9 });
    const overdue = fx.workstream('overdue', { targetDate: inDays(-4) });
    fx.update(overdue, { health: 'on_track', ago: 1 });
    const blocked = fx.workstream('blocked');
    fx.update(blocked, { health: 'on_track', ago: 1 });
    fx.blocker(blocked, 'Waiting for security sign-off', { ago: 5 });
    const fine = fx.workstream('fine', { targetDate: inDays(10) });
    fx.update(fine, { health: 'on_track', ago: 1 });
    fx.blocker(fine, 'Fresh blocker', { ago: 2 });

    const platform = otherProgram();
    const auth = fx.workstream('auth', { targetDate: inDays(5) }, platform);
    fx.update(auth, { health: 'on_track', ago: 1, forecastDate: inDays(20) });
    fx.dependency(fine, auth, inDays(12), 'SSO tokens');
    const infra = fx.workstream(
      'infra',
      { health: 'off_track', state: 'active', targetDate: inDays(1) },
      platform,
    );
    fx.dependency(amber, infra, inDays(30), 'Kafka cluster');
    fx.dependency(fine, blocked, inDays(30), 'Review', 'open'); // provider green, no date: not at risk
    fx.dependency(amber, red, inDays(30), 'Met already', 'met');
    return fx;
  }

  it('lists off-track work with its blockers and their age', () => {
    const { attention } = buildDigest(troubled().data());
    const red = attention.find((i): i is HealthAttention => i.kind === 'off_track');
    expect(red?.workstream.key).toBe('red');
    expect(red?.summary).toBe('Vendor slipped');
    expect(red?.blockers.map((b) => [b.text, b.ageDays])).toEqual([
      ['Vendor contract unsigned', 6],
      ['No QA environment', 1],
    ]);
    expect(keysOf(attention, 'at_risk')).toEqual(['amber']);
  });

  it('lists missing updates with the lead', () => {
    const { attention } = buildDigest(troubled().data());
    const missing = attention.filter((i): i is MissingUpdate => i.kind === 'missing_update');
    expect(missing).toEqual([
      {
        kind: 'missing_update',
        workstream: expect.objectContaining({ key: 'silent', leadId: 'ULEADSILENT' }),
        lastUpdate: '2026-11-16',
        daysSinceUpdate: 9,
      },
    ]);
  });

  it('says "lead away until" for the work of a lead who is away, and lists who is away; never to a client', () => {
    const leadsAway = { ULEADSILENT: '2026-12-04', USOMEONEELSE: '2026-12-10' };
    const team = buildDigest(troubled().data({ leadsAway }));
    expect(team.attention.filter((i) => i.kind === 'missing_update')).toEqual([
      expect.objectContaining({
        workstream: expect.objectContaining({ key: 'silent' }),
        leadAwayUntil: '2026-12-04',
      }),
    ]);
    // Only leads of this program's live work, with their workstreams.
    expect(team.away).toEqual([{ userId: 'ULEADSILENT', until: '2026-12-04', workstreamKeys: ['silent'] }]);
    const client = buildDigest(troubled().data({ leadsAway, variant: 'client' }));
    expect(JSON.stringify(client)).not.toContain('2026-12-04');
    expect(client.away).toBeUndefined();
    expect(buildDigest(troubled().data()).away).toBeUndefined();
  });

  it('lists work at risk through a late dependency, with the chain in order and its own blockers', () => {
    const { attention } = buildDigest(troubled().data());
    const chains = attention.filter((i): i is ChainAttention => i.kind === 'chain');
    expect(chains).toEqual([
      {
        kind: 'chain',
        workstream: expect.objectContaining({ key: 'fine' }),
        health: 'on_track',
        forecast: inDays(18),
        slipDays: 8,
        chain: [
          {
            kind: 'late',
            provider: expect.objectContaining({ key: 'auth', programKey: 'platform', external: true }),
            deliverable: 'SSO tokens',
            neededBy: inDays(12),
            providerForecast: inDays(20),
            days: 8,
          },
        ],
        otherReasons: 0,
        summary: 'on_track update 1d ago',
        blockers: [expect.objectContaining({ text: 'Fresh blocker', ageDays: 2 })],
      },
    ]);
    // Listed once: not again as a disagreeing signal.
    expect(keysOf(attention, 'signals')).not.toContain('fine');
  });

  it('flags an open dependency on off-track work as a signal, before any forecast says late', () => {
    const { attention } = buildDigest(troubled().data());
    const amber = attention.find(
      (i): i is SignalsDisagree => i.kind === 'signals' && i.workstream.key === 'amber',
    );
    expect(amber).toMatchObject({
      health: 'at_risk',
      signals: [
        {
          kind: 'provider_off_track',
          provider: expect.objectContaining({ key: 'infra' }),
          deliverable: 'Kafka cluster',
          neededBy: inDays(30),
        },
      ],
    });
  });

  it('falls back to the provider’s target date when it has no forecast', () => {
    const fx = new DigestFixture();
    const consumer = fx.workstream('web');
    const provider = fx.workstream('api', { targetDate: inDays(15) });
    fx.update(provider, { health: 'on_track', ago: 1 });
    fx.dependency(consumer, provider, inDays(10), 'REST API');
    const [item] = buildDigest(fx.data()).attention.filter((i) => i.kind === 'chain');
    expect(item).toMatchObject({
      workstream: { key: 'web' },
      chain: [{ kind: 'late', providerForecast: inDays(15), neededBy: inDays(10), days: 5 }],
    });
  });

  it('follows a slip through two programs to its root, and counts the work it puts at risk', () => {
    const fx = new DigestFixture();
    const payments = otherProgram('payments', 'Payments');
    const fraud = otherProgram('fraud', 'Fraud');
    const ui = fx.workstream('ui', { targetDate: inDays(30) });
    fx.update(ui, { health: 'on_track', ago: 1 });
    const api = fx.workstream('api', { targetDate: inDays(14) }, payments);
    fx.update(api, { health: 'on_track', ago: 1 });
    const rules = fx.workstream('rules', { targetDate: inDays(8) }, fraud);
    fx.update(rules, { health: 'at_risk', ago: 1, forecastDate: inDays(21) });
    fx.dependency(ui, api, inDays(15), 'Payment intents');
    fx.dependency(api, rules, inDays(10), 'Risk scores');
    const view = buildDigest(fx.data());
    const [chain] = view.attention;
    expect(chain).toMatchObject({
      kind: 'chain',
      workstream: { key: 'ui' },
      chain: [
        { kind: 'late', provider: { key: 'api' }, providerForecast: inDays(25), days: 10 },
        { kind: 'late', provider: { key: 'rules' }, providerForecast: inDays(21), days: 11 },
      ],
    });
    expect(view.counts).toMatchObject({ onTrack: 0, atRisk: 1, atRiskThroughDependencies: 1 });
    expect(view.teams?.[0]?.lines[0]?.waitsOnLate).toMatchObject({ key: 'api', programKey: 'payments' });
  });

  it('shows this program’s work that other programs’ at-risk work waits on', () => {
    const fx = new DigestFixture();
    const other = otherProgram('payments', 'Payments');
    const late = fx.workstream('rules', { targetDate: inDays(20) });
    fx.update(late, { health: 'at_risk', ago: 1, forecastDate: inDays(25) });
    const a = fx.workstream('api', { targetDate: inDays(30) }, other);
    const b = fx.workstream('ledger', { targetDate: inDays(30) }, other);
    fx.dependency(a, late, inDays(21));
    fx.dependency(b, a, inDays(31));
    const { attention } = buildDigest(fx.data());
    expect(attention.find((i) => i.kind === 'knock_on')).toEqual({
      kind: 'knock_on',
      workstream: expect.objectContaining({ key: 'rules' }),
      forecast: inDays(25),
      waiting: [
        expect.objectContaining({ key: 'api', programKey: 'payments' }),
        expect.objectContaining({ key: 'ledger', programKey: 'payments' }),
      ],
    });
  });

  it('keeps a broken dependency visible as a chain until it is re-planned', () => {
    const fx = new DigestFixture();
    const web = fx.workstream('web', { targetDate: inDays(30) });
    fx.update(web, { health: 'on_track', ago: 1 });
    const api = fx.workstream('api', { targetDate: inDays(5) });
    fx.update(api, { health: 'on_track', ago: 1 });
    fx.dependency(web, api, inDays(10), 'REST API', 'broken');
    const [item] = buildDigest(fx.data()).attention;
    expect(item).toMatchObject({ kind: 'chain', chain: [{ kind: 'broken', deliverable: 'REST API' }] });
  });

  it('lists capacity conflicts this program takes part in, not other programs’ alone', () => {
    const fx = new DigestFixture();
    const other = otherProgram('payments', 'Payments');
    const web = fx.workstream('web');
    fx.update(web, { health: 'on_track', ago: 1 });
    const api = fx.workstream('api', {}, other);
    const ledger = fx.workstream('ledger', {}, other);
    // Week 49 (Mon 30 Nov): checkout 3 + payments 3 = 6 of 5. Week 51: payments alone, 7 of 5.
    fx.resource('SRE on-call', 5, [
      [web, 3, inDays(5), inDays(5)],
      [api, 3, inDays(5), inDays(5)],
      [ledger, 7, inDays(19), inDays(19)],
    ]);
    const capacity = buildDigest(fx.data()).attention.filter((i) => i.kind === 'capacity');
    expect(capacity).toEqual([
      {
        kind: 'capacity',
        resource: 'SRE on-call',
        capacity: 5,
        total: 6,
        excess: 1,
        week: 49,
        monday: '2026-11-30',
        byProgram: [
          { programKey: 'checkout', units: 3 },
          { programKey: 'payments', units: 3 },
        ],
        ours: [{ key: 'web', name: 'Workstream web', units: 3 }],
      },
    ]);
  });

  it('lists green work whose signals disagree, saying which signal', () => {
    const { attention } = buildDigest(troubled().data());
    const signals = attention.filter((i): i is SignalsDisagree => i.kind === 'signals');
    const byKey = Object.fromEntries(signals.map((s) => [s.workstream.key, s.signals]));
    expect(byKey['overdue']).toEqual([{ kind: 'past_target', targetDate: inDays(-4), daysOverdue: 4 }]);
    expect(byKey['blocked']).toEqual([
      {
        kind: 'old_blocker',
        blocker: expect.objectContaining({ text: 'Waiting for security sign-off', ageDays: 5 }),
      },
    ]);
    // Already listed as missing its update: not listed again for the same silence.
    expect(byKey['silent']).toBeUndefined();
  });

  it('takes a blocker as old from the workspace’s escalation threshold, and a forecast past target as a signal', () => {
    const fx = new DigestFixture();
    const w = fx.workstream('w', { targetDate: inDays(10) });
    fx.update(w, { health: 'on_track', ago: 1, forecastDate: inDays(13) });
    fx.blocker(w, 'Slow review', { ago: 2 });
    const signalsAt = (limit: number) =>
      buildDigest(fx.data({ blockerDaysLimit: limit })).attention.flatMap((i) =>
        i.kind === 'signals' ? i.signals.map((s) => s.kind) : [],
      );
    expect(signalsAt(5)).toEqual(['forecast_past_target']);
    expect(signalsAt(2)).toEqual(['forecast_past_target', 'old_blocker']);
  });

  it('flags green work without an update for longer than the stale-after days', () => {
    const fx = new DigestFixture();
    const w = fx.workstream('quiet');
    fx.update(w, { health: 'on_track', ago: 9 });
    // The previous digest was three weeks ago: the update came after it, so it is not missing…
    fx.previous(21, [[w, { health: 'on_track' }]]);
    const { attention, counts } = buildDigest(fx.data());
    expect(counts.noUpdate).toBe(0);
    // …but it is older than the workspace's seven stale-after days.
    expect(attention).toEqual([
      {
        kind: 'signals',
        workstream: expect.objectContaining({ key: 'quiet' }),
        health: 'on_track',
        signals: [{ kind: 'stale', daysSinceUpdate: 9 }],
      },
    ]);
  });

  it('orders by severity class: off track, at risk (a late chain first, as it came), disagreeing signals, missing updates', () => {
    const { attention, milestones } = buildDigest(troubled().data());
    const kinds = attention.map((i) => i.kind);
    expect([...new Set(kinds)]).toEqual(['off_track', 'chain', 'at_risk', 'signals', 'missing_update']);
    const needed = new Set(milestones.flatMap((m) => m.needs.map((n) => `checkout/${n.workstream.key}`)));
    const classes = attention.map((i) => ATTENTION_CLASSES.indexOf(attentionClass(i, needed)));
    expect(classes).toEqual([...classes].sort((a, b) => a - b));
  });

  it('puts a chain into a milestone of the next 30 days first, before off-track work', () => {
    const fx = troubled();
    fx.milestone(
      'Launch',
      inDays(20),
      fx.workstreams.filter((w) => w.key === 'fine'),
    );
    const { attention } = buildDigest(fx.data());
    expect(attention.map((i) => i.kind).slice(0, 2)).toEqual(['chain', 'off_track']);
    expect(keysOf(attention, 'chain')).toEqual(['fine']);
    // A milestone further out than the digest looks does not count.
    const later = troubled();
    later.milestone(
      'Launch',
      inDays(45),
      later.workstreams.filter((w) => w.key === 'fine'),
    );
    expect(buildDigest(later.data()).attention[0]?.kind).toBe('off_track');
  });

  it('ignores done and cancelled work, and dependencies whose provider is done', () => {
    const fx = new DigestFixture();
    const done = fx.workstream('done', { targetDate: inDays(-10) });
    fx.update(done, { health: 'off_track', ago: 30 });
    done.state = 'done';
    const gone = fx.workstream('gone');
    fx.update(gone, { health: 'at_risk', ago: 30 });
    gone.state = 'cancelled';
    const consumer = fx.workstream('web');
    fx.update(consumer, { health: 'on_track', ago: 1 });
    fx.dependency(consumer, done, inDays(-20));
    expect(buildDigest(fx.data()).attention).toEqual([]);
  });
});

describe('by team', () => {
  it('lists every workstream but cancelled ones, teams sorted, with health, trend and latest summary', () => {
    const fx = new DigestFixture();
    const pay = fx.workstream('pay', { team: 'Payments', targetDate: inDays(20) });
    for (const [health, ago] of [
      ['on_track', 20],
      ['on_track', 14],
      ['on_track', 7],
      ['at_risk', 3],
      ['at_risk', 1],
    ] as const) {
      fx.update(pay, { health, ago, progress: 60, summary: `day -${ago}`, nextSteps: 'Ship it' });
    }
    fx.workstream('new', { team: 'Apps' });
    const stale = fx.workstream('quiet', { team: 'Apps' });
    fx.update(stale, { health: 'off_track', ago: 12 });
    const gone = fx.workstream('gone', { team: 'Apps' });
    gone.state = 'cancelled';
    const shipped = fx.workstream('shipped', { team: 'Zeta' });
    fx.update(shipped, { health: 'on_track', ago: 40 });
    shipped.state = 'done';

    const teams = buildDigest(fx.data()).teams;
    expect(teams?.map((t) => [t.team, t.lines.map((l) => [l.workstream.key, l.mark])])).toEqual([
      [
        'Apps',
        [
          ['new', 'not_started'],
          ['quiet', 'no_update'],
        ],
      ],
      ['Payments', [['pay', 'at_risk']]],
      ['Zeta', [['shipped', 'done']]],
    ]);
    expect(teams?.[1]?.lines[0]).toEqual({
      workstream: {
        id: pay._id.toHexString(),
        key: 'pay',
        programKey: 'checkout',
        name: 'Workstream pay',
        leadId: 'ULEADPAY',
        external: false,
      },
      mark: 'at_risk',
      state: 'active',
      health: 'at_risk',
      progress: 60,
      targetDate: inDays(20),
      trend: ['on_track', 'on_track', 'at_risk', 'at_risk'],
      summary: 'day -1',
      nextSteps: 'Ship it',
      openBlockers: 0,
    });
  });
});

describe('milestones', () => {
  it('shows those in the next 30 days, with what they need and whether that is at risk', () => {
    const fx = new DigestFixture();
    const ok = fx.workstream('ok');
    fx.update(ok, { health: 'on_track', ago: 1 });
    const shaky = fx.workstream('shaky');
    fx.update(shaky, { health: 'at_risk', ago: 1 });
    fx.milestone('Past gate', inDays(-1), [ok]);
    fx.milestone('Beta', inDays(10), [ok]);
    fx.milestone('GA', inDays(30), [ok, shaky]);
    fx.milestone('Too far', inDays(31), [ok]);
    fx.milestone('Today', TODAY);
    const { milestones } = buildDigest(fx.data());
    expect(milestones.map((m) => [m.name, m.daysAway, m.atRisk])).toEqual([
      ['Today', 0, false],
      ['Beta', 10, false],
      ['GA', 30, true],
    ]);
    expect(milestones[2]?.needs.map((n) => [n.workstream.key, n.health])).toEqual([
      ['ok', 'on_track'],
      ['shaky', 'at_risk'],
    ]);
  });
});

describe('variants', () => {
  function mixed() {
    const fx = new DigestFixture();
    const w = fx.workstream('pay');
    fx.update(w, {
      health: 'off_track',
      ago: 1,
      summary: 'Blocked by <@U0LEGAL|dana> on the contract',
      nextSteps: 'Escalate to the CFO',
    });
    fx.blocker(w, 'Budget freeze from finance', { ago: 4, internal: true });
    fx.blocker(w, 'Vendor API rate limits', { ago: 2 });
    fx.milestone('Launch', inDays(5), [w]);
    return fx;
  }

  it('leadership: everything but the by-team detail', () => {
    const view = buildDigest(mixed().data({ variant: 'leadership' }));
    expect(view.teams).toBeUndefined();
    expect(view.attention).not.toEqual([]);
    expect(view.milestones).toHaveLength(1);
    expect(view.header.ownerId).toBe('UOWNER1');
  });

  it('client: no user ids, no internal notes, no text of internal blockers', () => {
    const view = buildDigest(mixed().data({ variant: 'client' }));
    const json = JSON.stringify(view);
    expect(json).not.toMatch(/U0LEGAL|UOWNER1|ULEADPAY/);
    expect(json).not.toContain('Budget freeze');
    expect(json).not.toContain('Escalate to the CFO');
    const red = view.attention[0] as HealthAttention;
    expect(red.summary).toBe('Blocked by @dana on the contract');
    expect(red.blockers).toEqual([
      { id: expect.any(String), ageDays: 4 },
      { id: expect.any(String), text: 'Vendor API rate limits', ageDays: 2 },
    ]);
    expect(view.teams?.[0]?.lines[0]?.nextSteps).toBeUndefined();
  });

  it('team: shows internal blockers and next steps', () => {
    const json = JSON.stringify(buildDigest(mixed().data()));
    expect(json).toContain('Budget freeze');
    expect(json).toContain('Escalate to the CFO');
  });
});

describe('snapshotOf', () => {
  it('records, per workstream id, its health, state, dates and open blockers', () => {
    const fx = new DigestFixture();
    const w = fx.workstream('pay', { targetDate: inDays(20) });
    fx.update(w, { health: 'at_risk', ago: 1, forecastDate: inDays(25) });
    const b = fx.blocker(w, 'Stuck');
    const fresh = fx.workstream('fresh');
    const snapshot = snapshotOf(fx.data());
    expect(snapshot.postedAt).toEqual(NOW);
    expect(snapshot.workstreams).toEqual({
      [w._id.toHexString()]: {
        health: 'at_risk',
        state: 'active',
        targetDate: inDays(20),
        forecastDate: inDays(25),
        openBlockerIds: [b._id.toHexString()],
      },
      [fresh._id.toHexString()]: { state: 'not_started', openBlockerIds: [] },
    });
  });

  it('treats nulls from a stored snapshot as unset', () => {
    const fx = new DigestFixture();
    const w = fx.workstream('pay');
    fx.update(w, { health: 'on_track', ago: 1 });
    fx.previous(7);
    fx.snapshot[w._id.toHexString()] = {
      health: null,
      state: 'not_started',
      targetDate: null,
      forecastDate: null,
      openBlockerIds: [],
    } as never;
    const { changes } = buildDigest(fx.data());
    expect(changes.healthTransitions).toEqual([
      expect.objectContaining({ workstream: expect.objectContaining({ key: 'pay' }), to: 'on_track' }),
    ]);
    expect(changes.healthTransitions[0]).not.toHaveProperty('from');
  });
});

describe('what a workstream state asks of people (SPEC §8)', () => {
  it('keeps paused, done and cancelled work out of needs attention and missing updates, and new work too', () => {
    const fx = new DigestFixture();
    for (const state of ['paused', 'done', 'cancelled'] as const) {
      const w = fx.workstream(state);
      fx.update(w, { health: 'off_track', ago: 20 });
      fx.blocker(w, `stuck ${state}`, { ago: 15 });
      w.state = state;
    }
    const silent = fx.workstream('silent');
    fx.update(silent, { health: 'off_track', ago: 20 });
    fx.workstream('added-today', { createdAt: daysAgo(0.1) });
    const digest = buildDigest(fx.data());
    const listed = new Set(
      digest.attention.flatMap((item) => ('workstream' in item ? [item.workstream.key] : [])),
    );
    expect([...listed].sort()).toEqual(['silent']);
    expect(digest.missingKeys).toEqual(['silent']);
  });
});
