import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, TEAM_ID, type RunningCairn } from '../../support/cairn-harness.js';
import { everyDocument, tenantCollection, testDatabase } from '../../support/database.js';

const PM = 'U0PM';
let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

beforeAll(async () => {
  db = await testDatabase('program-new-modal');
  running = await startCairn(db.connection);
  running.slack.setRateLimiting(false);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

function submit(values: Record<string, string | undefined>) {
  const text = (v: string | undefined) => ({ value: { type: 'plain_text_input', value: v ?? null } });
  return running.driver.viewSubmission({
    user: { id: PM, username: 'pm', name: 'pm', team_id: TEAM_ID },
    view: {
      id: `V${Math.random().toString(36).slice(2, 9).toUpperCase()}`,
      callback_id: 'program_new',
      private_metadata: '',
      state: {
        values: {
          name: text(values.name),
          key: text(values.key),
          objective: text(values.objective),
          channel: { value: { type: 'conversations_select', selected_conversation: values.channel ?? null } },
        },
      },
    },
  });
}

describe('/program new with nothing else', () => {
  it('opens the new-program modal, with the current channel as home channel', async () => {
    const response = await running.driver.slashCommand({
      command: '/program',
      text: 'new',
      userId: PM,
      channelId: 'C0HOME',
    });
    expect(response.status).toBe(200);
    const open = await running.slack.waitForCall('views.open');
    expect(open.response.ok).toBe(true);
    const view = open.args.view as {
      callback_id: string;
      blocks: Array<{ block_id: string; element: { initial_conversation?: string } }>;
    };
    expect(view.callback_id).toBe('program_new');
    expect(view.blocks.find((b) => b.block_id === 'channel')?.element.initial_conversation).toBe('C0HOME');
  });

  it('answers a bad key and a missing name inline, naming the fields', async () => {
    const response = await submit({ name: '  ', key: 'Check Out!' });
    expect(response.json).toEqual({
      response_action: 'errors',
      errors: {
        name: 'Give the program a name.',
        key: 'A key is 1 to 32 lower-case letters, digits or dashes, starting with a letter or digit, e.g. checkout.',
      },
    });
    expect(await everyDocument(db.connection, 'programs')).toHaveLength(0);
  });

  it('creates the program and confirms by DM; a taken key keeps the form open', async () => {
    const created = await submit({
      name: 'Checkout revamp',
      key: 'Checkout',
      objective: 'Cut abandonment',
      channel: 'C0HOME',
    });
    expect(created.status).toBe(200);
    expect(created.text).toBe('');
    const programs = await tenantCollection(db.connection, 'programs', TEAM_ID);
    const program = await programs.findOne({ key: 'checkout' });
    expect(program).toMatchObject({
      name: 'Checkout revamp',
      objective: 'Cut abandonment',
      channelId: 'C0HOME',
      ownerId: PM,
      teamId: TEAM_ID,
    });
    const dm = await running.slack.waitForCall('chat.postMessage', (c) => c.args.channel === PM);
    expect(String(dm.args.text)).toContain('Created *Checkout revamp* (`checkout`)');

    const again = await submit({ name: 'Another', key: 'checkout' });
    expect(again.json).toEqual({
      response_action: 'errors',
      errors: { key: 'A program "checkout" exists already. Pick another key.' },
    });
  });
});
