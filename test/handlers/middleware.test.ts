/**
 * The middleware every listener runs in: it gives the listener its workspace and actor, and when the
 * listener fails after Slack's ack it tells the user what was saved and that nothing else was.
 */
import { describe, expect, it, vi } from 'vitest';
import { cairnContext } from '../../handlers/middleware/cairn-context.js';
import type { CairnContext } from '../../handlers/types.js';
import { createLogger } from '../../src/logger.js';
import type { Services } from '../../src/services.js';
import { UserDirectory } from '../../src/slack/user-directory.js';

const log = createLogger('silent');
/** The workspace's stored settings, or a failing read when undefined. */
let storedTimezone: string | undefined = 'Europe/Berlin';
const services = {
  log,
  users: new UserDirectory(log),
  now: () => new Date('2026-03-10T12:00:00Z'),
  stores: {
    workspaces: {
      find: async () => {
        if (storedTimezone === undefined) throw new Error('database down');
        return {
          settings: { defaultTimezone: storedTimezone, staleAfterDays: 7, escalateBlockersAfterDays: 5 },
        };
      },
    },
  },
} as unknown as Services;

/** A Web API client whose users.info gives `tz`, or leaves it out when null. */
function client(tz: string | null = 'Asia/Kolkata') {
  return {
    users: {
      info: vi.fn(async ({ user }: { user: string }) => ({
        ok: true,
        user: {
          id: user,
          ...(tz === null ? {} : { tz }),
          is_admin: false,
          real_name: 'Ada Lovelace',
          profile: { display_name: 'ada' },
        },
      })),
    },
    chat: { postMessage: vi.fn(async () => ({ ok: true })) },
  };
}

async function run(
  body: Record<string, unknown>,
  listener: (context: CairnContext) => Promise<void>,
  options: { respond?: boolean; teamId?: string; userId?: string; tz?: string | null } = {},
) {
  const respond = vi.fn(async () => ({}));
  const slack = client(options.tz);
  const context: Record<string, unknown> = {
    teamId: options.teamId ?? 'T0001',
    userId: options.userId ?? 'U0ADA',
    isEnterpriseInstall: false,
  };
  await cairnContext(services)({
    body,
    context,
    client: slack,
    logger: log,
    ...(options.respond === false ? {} : { respond }),
    next: () => listener(context as unknown as CairnContext),
  } as never);
  return { respond, slack };
}

describe('cairnContext', () => {
  it('gives the listener the workspace and the actor with their Slack timezone, looked up once per request', async () => {
    let seen: unknown;
    const { slack } = await run({ type: 'block_actions' }, async (context) => {
      seen = [context.workspaceId, await context.actor(), await context.actor()];
    });
    const actor = { teamId: 'T0001', userId: 'U0ADA', timezone: 'Asia/Kolkata', isWorkspaceAdmin: false };
    expect(seen).toEqual(['T0001', actor, actor]);
    expect(slack.users.info).toHaveBeenCalledTimes(1);
  });

  it("gives someone whose timezone Slack does not say the workspace's default, and UTC when that cannot be read", async () => {
    const timezoneOf = async (userId: string) => {
      let timezone: string | undefined;
      await run({ type: 'block_actions' }, async (context) => void ({ timezone } = await context.actor()), {
        userId,
        tz: null,
      });
      return timezone;
    };
    expect(await timezoneOf('U0NOTZ1')).toBe('Europe/Berlin');
    storedTimezone = undefined;
    try {
      expect(await timezoneOf('U0NOTZ2')).toBe('UTC');
    } finally {
      storedTimezone = 'Europe/Berlin';
    }
  });

  it('after a failure with nothing saved, says nothing changed and hands a command its text back', async () => {
    const { respond } = await run(
      { command: '/status', text: 'payments green shipped <!here>' },
      async () => {
        throw new Error('database down');
      },
    );
    expect(respond).toHaveBeenCalledTimes(1);
    const answer = (
      respond.mock.calls[0] as unknown as [{ text: string; blocks: unknown[]; response_type: string }]
    )[0];
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toBe(
      ":x: Sorry, I couldn't do that: something on my side failed, so it may not have been saved. Please try again in a minute.",
    );
    expect(JSON.stringify(answer.blocks)).toContain('/status payments green shipped &lt;!here&gt;');
  });

  it('after a failure past a save, says what was saved and that nothing else changed', async () => {
    const { respond } = await run(
      { type: 'block_actions', response_url: 'https://hooks.slack.test/1' },
      async (context) => {
        context.saved('The blocker is resolved');
        throw new Error('redraw failed');
      },
    );
    const answer = (respond.mock.calls[0] as unknown as [{ text: string; replace_original: boolean }])[0];
    expect(answer.replace_original).toBe(false);
    expect(answer.text).toBe(
      'The blocker is resolved — that is saved. Something on my side failed after that, so nothing else changed and what you see may be out of date; there is no need to do it again.',
    );
  });

  it('answers a Home tab click, which has no response URL, by DM', async () => {
    const { slack } = await run(
      { type: 'block_actions', user: { id: 'U0ADA' }, view: { type: 'home' } },
      async () => {
        throw new Error('boom');
      },
      { respond: false },
    );
    expect(slack.chat.postMessage).toHaveBeenCalledTimes(1);
    expect(
      (slack.chat.postMessage.mock.calls[0] as unknown as [{ channel: string; text: string }])[0],
    ).toMatchObject({
      channel: 'U0ADA',
      text: expect.stringContaining("Sorry, I couldn't do that"),
    });
  });

  it('refuses a request that names no workspace, saying so, without asking Slack who the user is', async () => {
    const { respond, slack } = await run(
      { type: 'block_actions', response_url: 'https://hooks.slack.test/1' },
      async (context) => {
        await context.actor();
      },
      { teamId: '' },
    );
    expect(slack.users.info).not.toHaveBeenCalled();
    expect((respond.mock.calls[0] as unknown as [{ text: string }])[0].text).toBe(
      'I could not tell which workspace this came from, so I did nothing.',
    );
  });

  it('keeps quiet for events and modal submissions, which answer their own failures', async () => {
    for (const body of [{ type: 'event_callback' }, { type: 'view_submission' }]) {
      const { respond, slack } = await run(body, async () => {
        throw new Error('boom');
      });
      expect(respond).not.toHaveBeenCalled();
      expect(slack.chat.postMessage).not.toHaveBeenCalled();
    }
  });
});
