/**
 * The whole flow of issue 3 through the real receiver, the fake Slack and the real database:
 * a program manager sets up a program; leads report by command and by modal; the program's
 * overview and a workstream's card show all of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { everyDocument, tenantCollection, testDatabase } from '../support/database.js';

const PM = 'U0PM';
const DANA = 'U0DANA';
const LEE = 'U0LEE';
const SAM = 'U0SAM';
// 2026-11-25, a Wednesday, 15:00 UTC.
const NOW = new Date('2026-11-25T15:00:00Z');

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

beforeAll(async () => {
  db = await testDatabase('program-flow');
  running = await startCairn(db.connection, { now: () => NOW });
  running.slack.setRateLimiting(false);
  running.slack.setUser({ id: PM, tz: 'America/New_York' });
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('setting up a program and reporting on it', () => {
  it('creates the program, three workstreams in two teams, a dependency, a blocker and a milestone', async () => {
    const created = await ask(
      running,
      '/program',
      'new checkout "Checkout revamp" objective:"Cut cart abandonment by 20%"',
      { userId: PM },
    );
    expect(created.all).toContain('Created *Checkout revamp* (`checkout`), owned by <@U0PM>');
    expect(created.elapsedMs).toBeLessThan(3_000);

    const adds = [
      `add checkout payments "Payments API" team:payments lead:<@${DANA}|dana> due:2026-12-15`,
      `add checkout vault "Card vault" team:payments lead:<@${LEE}|lee> due:dec 18`,
      `add checkout web "Checkout web" team:web lead:<@${SAM}|sam> due:fri`,
    ];
    for (const text of adds) {
      const added = await ask(running, '/program', text, { userId: PM });
      expect(added.all).toMatch(/^Added \*/);
    }
    const web = await (await tenantCollection(db.connection, 'workstreams', TEAM_ID)).findOne({ key: 'web' });
    // "fri" read in the PM's timezone (New York) on Wednesday 25 Nov: Friday 27 Nov.
    expect(web?.targetDate).toBe('2026-11-27');

    const depend = await ask(running, '/program', 'depend web on payments by dec 10 "Tokenised card API"', {
      userId: PM,
    });
    expect(depend.all).toContain(
      '`checkout/web` needs *Tokenised card API* from `checkout/payments` by Thu 10 Dec',
    );
    const blocker = await ask(running, '/program', 'blocker vault "Waiting on PCI sign-off"', { userId: PM });
    expect(blocker.all).toContain('Opened a blocker on `checkout/vault`, owned by <@U0LEE>');
    const milestone = await ask(
      running,
      '/program',
      'milestone checkout "Beta launch" 2027-01-20 needs:payments,web',
      { userId: PM },
    );
    expect(milestone.all).toContain(
      'Added milestone *Beta launch* to `checkout` on Wed 20 Jan 2027, needing `checkout/payments`, `checkout/web`',
    );
  });

  it('records a quick update with an Edit button, and a modal update through a view submission', async () => {
    const quick = await ask(running, '/status', 'payments amber 40% PCI review slipped a week', {
      userId: DANA,
    });
    expect(quick.all).toContain('Recorded for *Payments API* (`checkout/payments`): 🟡 At risk · 40%');
    expect(quick.all).toContain('> PCI review slipped a week');
    const edit = quick.blocks.find((b) => b.type === 'actions')?.elements?.[0] as
      { action_id?: string; value?: string } | undefined;
    expect(edit?.action_id).toBe('status_edit');
    // `<programId>/<updateId>`: updates are kept per program.
    expect(edit?.value).toMatch(/^[0-9a-f]{24}\/[0-9a-f]{24}$/);
    const checkout = await (
      await tenantCollection(db.connection, 'programs', TEAM_ID)
    ).findOne({ key: 'checkout' });
    expect(edit?.value?.split('/')[0]).toBe(String(checkout?._id));

    const second = await ask(running, '/status', 'payments green back on plan', { userId: DANA });
    expect(second.all).toContain('🟢 On track');

    // /status alone opens the modal, the user's own workstreams first.
    const opened = await running.driver.slashCommand({ command: '/status', text: '', userId: SAM });
    expect(opened.status).toBe(200);
    const open = await running.slack.waitForCall('views.open');
    const view = open.args.view as {
      blocks: Array<{
        block_id?: string;
        element?: { options?: Array<{ value: string; text: { text: string } }> };
      }>;
    };
    const choices = view.blocks.find((b) => b.block_id === 'workstream')?.element?.options ?? [];
    expect(choices[0]?.text.text).toBe('Checkout web (checkout/web)');

    const submitted = await running.driver.viewSubmission({
      user: { id: SAM, username: 'sam', name: 'sam', team_id: TEAM_ID },
      view: {
        id: 'VMODAL1',
        callback_id: 'status_update',
        private_metadata: JSON.stringify({ channelId: 'C0CAIRN' }),
        state: {
          values: {
            workstream: { value: { type: 'static_select', selected_option: { value: choices[0]!.value } } },
            health: { value: { type: 'radio_buttons', selected_option: { value: 'blocked' } } },
            progress: { value: { type: 'number_input', value: '25' } },
            summary: { value: { type: 'plain_text_input', value: 'Waiting for the card API' } },
            next_steps: { value: { type: 'plain_text_input', value: 'Stub the API' } },
            blockers: { value: { type: 'plain_text_input', value: 'No sandbox for the tokenised card API' } },
            forecast: { value: { type: 'datepicker', selected_date: '2026-12-20' } },
          },
        },
      },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.text).toBe('');
    const confirmation = await running.slack.waitForCall('chat.postEphemeral', (c) => c.args.user === SAM);
    expect(String(confirmation.args.text)).toContain('Checkout web');
  });

  it('shows all of it in /program show', async () => {
    const show = await ask(running, '/program', 'show checkout');
    expect(show.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Checkout revamp' } });
    expect(show.all).toContain('*Objective* Cut cart abandonment by 20%');
    expect(show.all).toContain('🟢 1 on track · 🟡 0 at risk · 🔴 1 off track · ⏸ 1 without an update');
    expect(show.all).toMatch(
      /\*Team payments\*\n🟢 \*Payments API\* `payments` · <@U0DANA> · 40% · due Tue 15 Dec\n⏸ \*Card vault\* `vault` · <@U0LEE> · due Fri 18 Dec/,
    );
    expect(show.all).toMatch(/\*Team web\*\n🔴 \*Checkout web\* `web` · <@U0SAM> · 25% · due Fri 27 Nov/);
    expect(show.all).toContain('*Open blockers* (2)');
    expect(show.all).toContain('Waiting on PCI sign-off — `checkout/vault`');
    expect(show.all).toContain('No sandbox for the tokenised card API — `checkout/web`');
    expect(show.all).toContain(
      '• `checkout/web` needs Tokenised card API from `checkout/payments` by Thu 10 Dec',
    );
    expect(show.all).toContain('• Wed 20 Jan 2027 *Beta launch* — needs `payments`, `web`');
  });

  it('shows a workstream card: latest update, trend, blockers and dependencies both ways', async () => {
    const payments = await ask(running, '/status', 'payments');
    expect(payments.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Payments API' } });
    expect(payments.all).toContain('*Latest* 🟢 On track');
    expect(payments.all).toContain('> back on plan');
    expect(payments.all).toContain('*Trend* 🟡🟢');
    expect(payments.all).toContain(
      '*Others need from it* (1)\n• Tokenised card API — for `checkout/web` by Thu 10 Dec',
    );

    const web = await ask(running, '/status', 'checkout/web');
    expect(web.all).toContain('*Latest* 🔴 Off track · 25% · forecast Sun 20 Dec');
    expect(web.all).toContain('_Next:_ Stub the API');
    expect(web.all).toContain(
      '*Open blockers* (1)\n• No sandbox for the tokenised card API — open just now, owner <@U0SAM>',
    );
    expect(web.all).toContain(
      '*Needs from others* (1)\n• Tokenised card API — from `checkout/payments` by Thu 10 Dec',
    );
  });

  it('keeps an audit trail of every change', async () => {
    const events = (await everyDocument(db.connection, 'audit_events')).sort(
      (a, b) => (a.at as Date).getTime() - (b.at as Date).getTime(),
    );
    const actions = events.map((e) => e.action as string);
    expect(actions.filter((a) => a === 'workstream.added')).toHaveLength(3);
    for (const action of [
      'program.created',
      'dependency.added',
      'blocker.opened',
      'milestone.added',
      'update.recorded',
    ]) {
      expect(actions).toContain(action);
    }
    expect(events.find((e) => e.action === 'program.created')?.actorId).toBe(PM);
  });
});
