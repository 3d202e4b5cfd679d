import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startCairn, type RunningCairn } from './support/cairn-harness.js';
import { testDatabase } from './support/database.js';

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

beforeAll(async () => {
  db = await testDatabase('receiver');
  running = await startCairn(db.connection);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

const workspaceRecorded = async (teamId: string) =>
  (await db.connection.collection('workspaces').countDocuments({ teamId })) === 1;

function programHelpBody(teamId: string): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: teamId,
    team_domain: 'acme',
    channel_id: 'C0001',
    channel_name: 'general',
    user_id: 'U0001',
    user_name: 'dana',
    command: '/program',
    text: 'help',
    api_app_id: 'A0001',
    response_url: running.slack.responseUrl(),
    trigger_id: running.slack.issueTriggerId(),
  }).toString();
}

describe("Slack's request signature at the real HTTP receiver", () => {
  it('lets a correctly signed /program help through: 200 with usage text', async () => {
    const response = await running.driver.slashCommand({
      command: '/program',
      text: 'help',
      teamId: 'TSIGNED',
    });
    expect(response.status).toBe(200);
    expect(response.elapsedMs).toBeLessThan(3_000);
    const body = response.json as {
      response_type: string;
      text: string;
      blocks: Array<{ text?: { text: string } }>;
    };
    expect(body.response_type).toBe('ephemeral');
    expect(body.blocks.map((b) => b.text?.text).join('\n')).toContain('/program new checkout');
    // The request reached the listeners: the workspace was recorded after the answer.
    await eventually(() => workspaceRecorded('TSIGNED'), 5_000);
  });

  const refused: Array<[string, { signature: 'wrong' | 'none'; ageSeconds: number }, string]> = [
    ['a wrong signature', { signature: 'wrong', ageSeconds: 0 }, 'TWRONG'],
    ['no signature', { signature: 'none', ageSeconds: 0 }, 'TUNSIGNED'],
  ];

  it.each(refused)(
    'answers %s with 401 and reaches no handler',
    async (_case, { signature, ageSeconds }, teamId) => {
      const response = await running.driver.raw(programHelpBody(teamId), {
        contentType: 'application/x-www-form-urlencoded',
        signature,
        timestamp: Math.floor(Date.now() / 1000) - ageSeconds,
      });
      expect(response.status).toBe(401);
      expect(response.text).not.toContain('/program new');
      await new Promise((r) => setTimeout(r, 300));
      expect(await workspaceRecorded(teamId)).toBe(false);
    },
  );

  it('answers a correctly signed request older than five minutes with 401 and reaches no handler', async () => {
    const response = await running.driver.raw(programHelpBody('TREPLAYED'), {
      contentType: 'application/x-www-form-urlencoded',
      signature: 'valid',
      timestamp: Math.floor(Date.now() / 1000) - 5 * 60 - 10,
    });
    expect(response.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(await workspaceRecorded('TREPLAYED')).toBe(false);
  });

  it('still accepts a correctly signed request from four minutes ago (clock skew)', async () => {
    const response = await running.driver.raw(programHelpBody('TSKEWED'), {
      contentType: 'application/x-www-form-urlencoded',
      signature: 'valid',
      timestamp: Math.floor(Date.now() / 1000) - 4 * 60,
    });
    expect(response.status).toBe(200);
    await eventually(() => workspaceRecorded('TSKEWED'), 5_000);
  });

  it('does not serve other paths or methods as Slack events', async () => {
    expect((await fetch(`${running.url}/slack/events`)).status).toBe(404);
    expect((await fetch(`${running.url}/nope`, { method: 'POST' })).status).toBe(404);
  });
});
