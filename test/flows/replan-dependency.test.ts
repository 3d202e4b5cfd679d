/**
 * `/program depend` again re-plans (issue 10, SPEC §6: a broken dependency stays visible until someone
 * re-plans it): a consumer and provider with an open or broken dependency get that one back, open, with
 * the new date, not a second one; a met one is history and a new one is added; identical `depend`s at
 * once leave one standing dependency. Through the signed receiver, the fake Slack and the real
 * database, with the app's clock pinned.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workstream } from '../../src/domain/entities.js';
import type { Actor } from '../../src/domain/permissions.js';
import { addDependency } from '../../src/use-cases/programs.js';
import { runEscalationTick } from '../../src/use-cases/escalation.js';
import { dependencyAddedView } from '../../src/views/program-views.js';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import {
  ACTION,
  callsAfter,
  clickInHome,
  findButton,
  markCalls,
  nextCall,
  openHome,
  textOf,
} from '../support/clicks.js';
import { ask } from '../support/conversation.js';
import { tenantCollection, testDatabase } from '../support/database.js';

const PM = 'U0PM';
const LEAD = 'U0LEAD';
const API_LEAD = 'U0APILEAD';
const DANA = 'U0DANA';
const LEE = 'U0LEE';
/** Declared on Wednesday 25 Nov 2026, 15:00 UTC; flagged broken on Thursday; re-planned on Friday. */
const DECLARED = new Date('2026-11-25T15:00:00Z');
const FLAGGED = new Date('2026-11-26T11:00:00Z');
const REPLANNED = new Date('2026-11-27T09:30:00Z');
let now = DECLARED;

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
const workstreamIds: Record<string, Types.ObjectId> = {};

/** The raw collection where the stores keep the workspace's dependencies. */
const dependencies = () => tenantCollection(db.connection, 'dependencies', TEAM_ID);
/** Every dependency of `consumer` on `provider` (workstream keys of `checkout`), oldest first. */
const between = async (consumer: string, provider: string) =>
  (await dependencies())
    .find(
      { consumerId: workstreamIds[consumer], providerId: workstreamIds[provider] },
      { sort: { createdAt: 1, _id: 1 } },
    )
    .toArray();
const standingBetween = async (consumer: string, provider: string) =>
  (await between(consumer, provider)).filter((d) => d.state !== 'met');
const auditOf = async (action: string, id?: Types.ObjectId) =>
  (await tenantCollection(db.connection, 'audit_events', TEAM_ID))
    .find({ action, ...(id ? { 'target.id': id } : {}) }, { sort: { at: 1, _id: 1 } })
    .toArray();
const depend = (text: string, userId = PM) => ask(running, '/program', `depend ${text}`, { userId });
const stores = () => running.cairn.services.stores;
const tick = () =>
  runEscalationTick(
    { stores: stores(), slackFor: running.cairn.services.slackFor, log: running.cairn.services.log },
    now,
  );

/** The provider's lead flags a dependency broken from their Home tab; resolves once it is redrawn. */
async function flagBroken(id: string) {
  const home = await openHome(running, API_LEAD);
  const mark = markCalls(running);
  await clickInHome(running, API_LEAD, home, findButton(home.blocks, ACTION.dependencyBroken, id));
  await nextCall(running, mark, 'views.publish', (c) => c.args.user_id === API_LEAD);
}

beforeAll(async () => {
  db = await testDatabase('replan-dependency');
  running = await startCairn(db.connection, { now: () => now });
  running.slack.setRateLimiting(false);
  for (const id of [PM, LEAD, API_LEAD, DANA, LEE]) running.slack.setUser({ id, tz: 'UTC' });
  const as = { userId: PM };
  await ask(running, '/program', 'new checkout "Checkout revamp"', as);
  for (const [key, name, lead] of [
    ['web', 'Web checkout', LEAD],
    ['api', 'Checkout API', API_LEAD],
    ['payments', 'Payments', DANA],
    ['vault', 'Card vault', LEE],
    ['ledger', 'Ledger', LEE],
    ['fraud', 'Fraud rules', LEE],
  ] as const) {
    const added = await ask(
      running,
      '/program',
      `add checkout ${key} "${name}" team:${key} lead:<@${lead}>`,
      as,
    );
    expect(added.all).toMatch(/^Added \*/);
    const stored = await (await tenantCollection(db.connection, 'workstreams', TEAM_ID)).findOne({ key });
    workstreamIds[key] = stored!._id as Types.ObjectId;
  }
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('/program depend again', () => {
  it('re-plans a broken dependency in place: one standing dependency, open again with the new date and deliverable, its creator kept, the re-plan recorded and audited', async () => {
    now = DECLARED;
    expect((await depend('web on api by 2026-12-14 "Login API"')).all).toContain(
      'Noted: `checkout/web` needs *Login API* from `checkout/api` by Mon 14 Dec.',
    );
    const [declared] = await between('web', 'api');
    const id = String(declared!._id);

    // The provider's lead flags it broken from their Home tab.
    now = FLAGGED;
    await flagBroken(id);
    expect((await (await dependencies()).findOne({ _id: declared!._id }))?.state).toBe('broken');

    now = REPLANNED;
    const answer = await depend('web on api by 2026-12-17 "Login API v2"', LEAD);
    expect(answer.all).not.toContain(':warning:');

    const pair = await between('web', 'api');
    expect(pair).toHaveLength(1);
    expect(pair[0]).toMatchObject({
      _id: declared!._id,
      state: 'open',
      neededBy: '2026-12-17',
      deliverable: 'Login API v2',
      createdBy: PM,
      createdAt: DECLARED,
      replannedFrom: '2026-12-14',
      replannedBy: LEAD,
      replannedAt: REPLANNED,
      replans: 1,
    });
    expect(pair[0]).not.toHaveProperty('atRiskNotifiedAt');

    const audited = await auditOf('dependency.replanned', declared!._id as Types.ObjectId);
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({
      actorId: LEAD,
      at: REPLANNED,
      details: {
        consumer: 'checkout/web',
        provider: 'checkout/api',
        before: { by: '2026-12-14', deliverable: 'Login API', state: 'broken' },
        after: { by: '2026-12-17', deliverable: 'Login API v2', state: 'open' },
      },
    });
    expect(await auditOf('dependency.added', declared!._id as Types.ObjectId)).toHaveLength(1);
  });

  it("leaves the re-planned dependency owed on the provider lead's Home tab, where it can be flagged broken again", async () => {
    const [dependency] = await between('web', 'api');
    const id = String(dependency!._id);
    const home = await openHome(running, API_LEAD);
    expect(textOf(home.blocks)).toContain('*Login API v2* for `checkout/web` (<@U0LEAD>) by Thu 17 Dec');
    await flagBroken(id);
    expect(await (await dependencies()).findOne({ _id: dependency!._id })).toMatchObject({
      state: 'broken',
      changedBy: API_LEAD,
    });

    // And re-planned once more, with the same date: open again, a second re-plan.
    await depend('web on api by 2026-12-17 "Login API v2"', LEAD);
    const pair = await between('web', 'api');
    expect(pair).toHaveLength(1);
    expect(pair[0]).toMatchObject({
      state: 'open',
      neededBy: '2026-12-17',
      replannedFrom: '2026-12-17',
      replans: 2,
    });
  });

  it('changes nothing when the same dependency is declared again unchanged', async () => {
    const before = await between('web', 'api');
    const audits = (await auditOf('dependency.replanned')).length;
    await depend('web on api by 2026-12-17 "Login API v2"');
    expect(await between('web', 'api')).toEqual(before);
    expect(await auditOf('dependency.replanned')).toHaveLength(audits);
  });

  it('warns both leads again when a re-planned dependency is at risk: the re-plan starts a new at-risk episode', async () => {
    now = DECLARED;
    await depend('web on payments by 2026-12-10 "Card API"');
    expect((await ask(running, '/status', 'payments red vendor slipped', { userId: DANA })).all).toContain(
      'Recorded for *Payments*',
    );
    let mark = markCalls(running);
    expect(await tick()).toMatchObject({ dependencies: 1 });
    expect(
      callsAfter(running, mark, 'chat.postMessage')
        .map((c) => c.args.channel)
        .sort(),
    ).toEqual([DANA, LEAD].sort());
    expect((await between('web', 'payments'))[0]?.atRiskNotifiedAt).toBeInstanceOf(Date);
    expect(await tick()).toMatchObject({ dependencies: 0 });

    now = REPLANNED;
    await depend('web on payments by 2026-12-21 "Card API"', LEAD);
    const [replanned] = await between('web', 'payments');
    expect(replanned).not.toHaveProperty('atRiskNotifiedAt');
    expect(replanned).toMatchObject({ state: 'open', neededBy: '2026-12-21', atRiskEpisodes: 1 });

    // Payments is still off track: the new date is at risk too, and both leads hear of it again.
    mark = markCalls(running);
    expect(await tick()).toMatchObject({ dependencies: 1 });
    const warnings = callsAfter(running, mark, 'chat.postMessage');
    expect(warnings.map((c) => c.args.channel).sort()).toEqual([DANA, LEAD].sort());
    expect(String(warnings[0]?.args.text)).toContain('Card API');
  });

  it('adds a new dependency when the one declared before was met: a met dependency is history', async () => {
    now = DECLARED;
    await depend('vault on api by 2026-12-11 "Keys"');
    const [first] = await between('vault', 'api');
    now = FLAGGED;
    expect(
      await stores().dependencies.settle(TEAM_ID, first!._id as Types.ObjectId, 'met', API_LEAD, now),
    ).toMatchObject({
      state: 'met',
    });

    now = REPLANNED;
    expect((await depend('vault on api by 2026-12-18 "Keys rotated"')).all).toContain(
      'Noted: `checkout/vault` needs *Keys rotated* from `checkout/api` by Fri 18 Dec.',
    );
    const pair = await between('vault', 'api');
    expect(pair).toHaveLength(2);
    expect(pair[0]).toMatchObject({
      _id: first!._id,
      state: 'met',
      neededBy: '2026-12-11',
      deliverable: 'Keys',
    });
    expect(pair[1]).toMatchObject({
      state: 'open',
      neededBy: '2026-12-18',
      deliverable: 'Keys rotated',
      createdAt: REPLANNED,
    });
    expect(pair[1]).not.toHaveProperty('replannedFrom');
    expect(await auditOf('dependency.replanned', pair[1]!._id as Types.ObjectId)).toHaveLength(0);
  });

  it("adds a new one too when a dependency was marked met behind the store's back", async () => {
    await depend('ledger on api by 2026-12-11 "Ledger API"');
    await (
      await dependencies()
    ).updateOne(
      { consumerId: workstreamIds.ledger, providerId: workstreamIds.api },
      { $set: { state: 'met' } },
    );
    await depend('ledger on api by 2026-12-15 "Ledger API v2"');
    const pair = await between('ledger', 'api');
    expect(pair.map((d) => [d.state, d.neededBy])).toEqual([
      ['met', '2026-12-11'],
      ['open', '2026-12-15'],
    ]);
    // And the new one is the standing one from then on.
    await depend('ledger on api by 2026-12-16 "Ledger API v2"');
    expect((await between('ledger', 'api')).map((d) => [d.state, d.neededBy])).toEqual([
      ['met', '2026-12-11'],
      ['open', '2026-12-16'],
    ]);
  });

  it('leaves one standing dependency when the same pair is declared several times at once', async () => {
    now = DECLARED;
    const people = [PM, LEAD, DANA, LEE, API_LEAD];
    // Declaring what a workstream waits on is its lead's or its program's owners' (SPEC §8).
    await ask(running, '/program', `admins checkout add ${people.map((id) => `<@${id}>`).join(' ')}`, {
      userId: PM,
    });
    const answers = await Promise.all(
      people.map((userId) => depend('payments on vault by 2026-12-09 "Vault API"', userId)),
    );
    for (const answer of answers) expect(answer.all).not.toContain(':warning:');
    const pair = await standingBetween('payments', 'vault');
    expect(pair).toHaveLength(1);
    expect(pair[0]).toMatchObject({ state: 'open', neededBy: '2026-12-09', deliverable: 'Vault API' });
    expect(await auditOf('dependency.added', pair[0]!._id as Types.ObjectId)).toHaveLength(1);

    // Broken, then re-planned by several people at once, with different dates: still one.
    await stores().dependencies.settle(TEAM_ID, pair[0]!._id as Types.ObjectId, 'broken', LEE, now);
    now = REPLANNED;
    await Promise.all(
      ['2026-12-14', '2026-12-15', '2026-12-16'].map((date, i) =>
        depend(`payments on vault by ${date} "Vault API"`, people[i]),
      ),
    );
    const replanned = await between('payments', 'vault');
    expect(replanned).toHaveLength(1);
    expect(replanned[0]).toMatchObject({ _id: pair[0]!._id, state: 'open' });
    // Whichever came last wins; one that read the dependency after another's re-plan re-planned that.
    expect(['2026-12-14', '2026-12-15', '2026-12-16']).toContain(replanned[0]!.neededBy);
    expect(['2026-12-09', '2026-12-14', '2026-12-15', '2026-12-16']).toContain(replanned[0]!.replannedFrom);
  });

  it('still refuses a new dependency that closes a cycle, but re-plans one that stands without calling it a cycle', async () => {
    now = REPLANNED;
    await depend('fraud on ledger by 2026-12-20 "Rules"');
    await depend('ledger on fraud by 2026-12-21 "Ledger feed"').then((a) =>
      expect(a.all).toContain(
        'That would close a cycle: `checkout/ledger` → `checkout/fraud` → `checkout/ledger`.',
      ),
    );
    expect(await between('ledger', 'fraud')).toHaveLength(0);
    const replanned = await depend('fraud on ledger by 2026-12-22 "Rules"');
    expect(replanned.all).not.toContain('cycle');
    expect((await between('fraud', 'ledger')).map((d) => [d.state, d.neededBy])).toEqual([
      ['open', '2026-12-22'],
    ]);
  });

  it('answers that it re-planned, with the date it had and that it was flagged broken', async () => {
    now = DECLARED;
    await depend('payments on ledger by 2026-12-14 "Signing keys"');
    const [dependency] = await between('payments', 'ledger');
    await stores().dependencies.settle(TEAM_ID, dependency!._id as Types.ObjectId, 'broken', LEE, now);
    expect((await depend('payments on ledger by 2026-12-17 "Signing keys"')).all).toContain(
      'Re-planned: `checkout/payments` now needs *Signing keys* from `checkout/ledger` by Thu 17 Dec (was Mon 14 Dec; it was flagged broken).',
    );
    expect((await depend('payments on ledger by 2026-12-17 "Signing keys"')).all).toContain(
      'Already noted: `checkout/payments` needs *Signing keys* from `checkout/ledger` by Thu 17 Dec. Nothing changed.',
    );
  });
});

describe('the answer to /program depend', () => {
  it('is given what it needs by the use case: the standing dependency as it was before the re-plan', async () => {
    now = DECLARED;
    const actor: Actor = { teamId: TEAM_ID, userId: PM, timezone: 'UTC', isWorkspaceAdmin: false };
    const declare = async (by: string) => {
      const result = await addDependency(
        stores(),
        actor,
        {
          consumer: { workstreamKey: 'vault' },
          provider: { workstreamKey: 'fraud' },
          by,
          deliverable: 'Rules API',
        },
        now,
      );
      if (!result.ok) throw new Error(JSON.stringify(result.problem));
      const { consumer, provider, dependency, previous } = result.value;
      return dependencyAddedView(
        consumer,
        provider,
        dependency.deliverable,
        dependency.neededBy,
        now,
        previous,
      ).text;
    };
    expect(await declare('2026-12-14')).toBe(
      'Noted: `checkout/vault` needs *Rules API* from `checkout/fraud` by Mon 14 Dec.',
    );
    const [dependency] = await between('vault', 'fraud');
    await stores().dependencies.settle(TEAM_ID, dependency!._id as Types.ObjectId, 'broken', LEE, now);
    expect(await declare('2026-12-17')).toBe(
      'Re-planned: `checkout/vault` now needs *Rules API* from `checkout/fraud` by Thu 17 Dec (was Mon 14 Dec; it was flagged broken).',
    );
    expect(await declare('2026-12-17')).toBe(
      'Already noted: `checkout/vault` needs *Rules API* from `checkout/fraud` by Thu 17 Dec. Nothing changed.',
    );
  });

  const workstream = (programKey: string, key: string) => ({ programKey, key }) as Workstream;
  const web = workstream('checkout', 'web');
  const api = workstream('checkout', 'api');
  const text = (previous?: Parameters<typeof dependencyAddedView>[5]) =>
    dependencyAddedView(web, api, 'Login API', '2026-12-17', DECLARED, previous).text;

  it('says it was re-planned, what it was, and that it had been flagged broken', () => {
    expect(text()).toBe('Noted: `checkout/web` needs *Login API* from `checkout/api` by Thu 17 Dec.');
    expect(text({ neededBy: '2026-12-14', deliverable: 'Login API', state: 'broken' })).toBe(
      'Re-planned: `checkout/web` now needs *Login API* from `checkout/api` by Thu 17 Dec (was Mon 14 Dec; it was flagged broken).',
    );
    expect(text({ neededBy: '2026-12-14', deliverable: 'Login', state: 'open' })).toBe(
      'Re-planned: `checkout/web` now needs *Login API* from `checkout/api` by Thu 17 Dec (was Mon 14 Dec; was for *Login*).',
    );
    expect(text({ neededBy: '2026-12-17', deliverable: 'Login API', state: 'broken' })).toBe(
      'Re-planned: `checkout/web` now needs *Login API* from `checkout/api` by Thu 17 Dec (it was flagged broken).',
    );
    expect(text({ neededBy: '2026-12-17', deliverable: 'Login API', state: 'open' })).toBe(
      'Already noted: `checkout/web` needs *Login API* from `checkout/api` by Thu 17 Dec. Nothing changed.',
    );
  });
});

describe('dependencies stored before re-planning existed', () => {
  let old: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningCairn;
  const programId = new Types.ObjectId();
  /** Two standing dependencies of one pair, as `depend` twice used to leave them. */
  const legacy = (consumerId: unknown, providerId: unknown) =>
    [
      ['2026-12-01', new Date('2026-11-01T10:00:00Z')],
      ['2026-12-05', new Date('2026-11-02T10:00:00Z')],
    ].map(([neededBy, createdAt]) => ({
      teamId: TEAM_ID,
      consumerId,
      consumerProgramId: programId,
      providerId,
      providerProgramId: programId,
      deliverable: 'Old API',
      neededBy,
      state: 'broken',
      createdBy: PM,
      createdAt,
    }));

  beforeAll(async () => {
    old = await testDatabase('replan-dependency-old');
    await (
      await tenantCollection(old.connection, 'dependencies', TEAM_ID)
    ).insertMany(legacy(new Types.ObjectId(), new Types.ObjectId()));
  });
  afterAll(async () => {
    await app?.stop();
    await old?.drop();
  });

  it('builds the unique index over old duplicates before its first write, and re-plans the latest of them', async () => {
    app = await startCairn(old.connection, { now: () => REPLANNED });
    const stored = await tenantCollection(old.connection, 'dependencies', TEAM_ID);

    const as = { userId: PM };
    await ask(app, '/program', 'new legacy "Legacy"', as);
    await ask(app, '/program', `add legacy app "App" team:app lead:<@${PM}>`, as);
    await ask(app, '/program', `add legacy core "Core" team:core lead:<@${PM}>`, as);
    const workstreams = await tenantCollection(old.connection, 'workstreams', TEAM_ID);
    const id = async (key: string) => (await workstreams.findOne({ key }))!._id;
    const [app_, core] = [await id('app'), await id('core')];
    await stored.insertMany(legacy(app_, core));
    const pair = () =>
      stored.find({ consumerId: app_, providerId: core }, { sort: { createdAt: 1 } }).toArray();

    const answer = await ask(app, '/program', 'depend app on core by 2026-12-18 "Old API"', as);
    expect(answer.all).not.toContain(':warning:');
    expect((await pair()).map((d) => [d.state, d.neededBy, d.replannedFrom])).toEqual([
      ['broken', '2026-12-01', undefined],
      ['open', '2026-12-18', '2026-12-05'],
    ]);
    await ask(app, '/program', 'depend app on core by 2026-12-19 "Old API"', as);
    expect((await pair()).map((d) => [d.state, d.neededBy])).toEqual([
      ['broken', '2026-12-01'],
      ['open', '2026-12-19'],
    ]);
    // Re-planning updates; the first new dependency builds the collection's indexes before it is
    // inserted, over the old duplicates (which carry no marker).
    await ask(app, '/program', `add legacy ui "UI" team:ui lead:<@${PM}>`, as);
    expect((await ask(app, '/program', 'depend ui on core by 2026-12-21 "UI API"', as)).all).toMatch(
      /^Noted: `legacy\/ui` needs \*UI API\*/,
    );
    const indexes = await stored.indexes();
    expect(indexes.find((i) => i.key.standing === 1)).toMatchObject({ unique: true });
  });
});
