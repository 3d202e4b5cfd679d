import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, type RunningCairn } from '../../support/cairn-harness.js';
import { ask } from '../../support/conversation.js';
import { testDatabase } from '../../support/database.js';

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

beforeAll(async () => {
  db = await testDatabase('program-command');
  running = await startCairn(db.connection);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

async function program(text: string) {
  const answer = await ask(running, '/program', text);
  expect(answer.elapsedMs).toBeLessThan(3_000);
  return answer;
}

describe('/program', () => {
  it.each(['help', '', '  HELP  '])('answers %j with usage and examples, ephemerally', async (text) => {
    const answer = await program(text);
    expect(answer.response_type).toBe('ephemeral');
    for (const example of [
      '/program new',
      '/program add',
      '/program depend',
      '/program schedule',
      'next monday',
    ]) {
      expect(answer.all).toContain(example);
    }
    expect(answer.all).not.toContain(':warning:');
  });

  it('answers an unknown subcommand by naming it, then usage', async () => {
    const answer = await program('frobnicate everything');
    expect(answer.blocks[0]?.text?.text).toBe(":warning: I don't know the subcommand `frobnicate`.");
    expect(answer.all).toContain('/program new');
  });

  it('quotes an unknown subcommand back so it cannot ping anyone or break the message', async () => {
    const answer = await program('<!channel> hi');
    expect(answer.blocks[0]?.text?.text).toBe(":warning: I don't know the subcommand `&lt;!channel&gt;`.");
    expect(answer.text).not.toMatch(/<!channel>/);
  });

  it('shortens a huge unknown word instead of echoing it whole', async () => {
    const answer = await program('x'.repeat(5_000));
    expect(answer.blocks[0]?.text?.text.length).toBeLessThan(200);
  });
});
