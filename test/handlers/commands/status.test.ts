import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, type RunningCairn } from '../../support/cairn-harness.js';
import { testDatabase } from '../../support/database.js';

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

beforeAll(async () => {
  db = await testDatabase('status-command');
  running = await startCairn(db.connection);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('/status', () => {
  it('answers help with usage: the modal, quick updates, the card and the health words', async () => {
    const response = await running.driver.slashCommand({ command: '/status', text: 'help' });
    expect(response.status).toBe(200);
    const answer = response.json as { response_type: string; blocks: Array<{ text?: { text: string } }> };
    expect(answer.response_type).toBe('ephemeral');
    const all = answer.blocks.map((b) => b.text?.text ?? '').join('\n');
    expect(all).toContain('`/status` opens the update form');
    expect(all).toContain('`/status payments green');
    for (const word of ['green', 'on-track', 'amber', 'yellow', 'at-risk', 'red', 'off-track', 'blocked']) {
      expect(all).toContain(`\`${word}\``);
    }
  });
});
