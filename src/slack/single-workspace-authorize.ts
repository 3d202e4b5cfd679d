import type { Authorize } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.js';

interface BotIdentity {
  botId?: string;
  botUserId?: string;
  teamId?: string;
}

/** What auth.test said of the bot token: who it is, or why it could not tell. */
export type Verification = { ok: true; identity: BotIdentity } | { ok: false; error: unknown };

/**
 * Authorization for one workspace and one bot token. Unlike Bolt's built-in, it never makes a
 * request wait on auth.test and never caches a failed one: Slack being briefly unreachable at
 * start-up must not break every later request.
 */
export function singleWorkspaceAuthorize(
  client: () => WebClient,
  botToken: string,
  log: Logger,
): { authorize: Authorize<boolean>; identify: () => Promise<Verification> } {
  let identity: BotIdentity | undefined;
  let pending: Promise<Verification> | undefined;

  const identify = () =>
    (pending ??= client()
      .auth.test({ token: botToken })
      .then((r): Verification => {
        identity = { botId: r.bot_id, botUserId: r.user_id, teamId: r.team_id };
        log.info({ team: r.team_id, botUser: r.user_id }, 'bot token verified');
        return { ok: true, identity };
      })
      .catch((error: unknown): Verification => {
        pending = undefined;
        log.warn(
          { reason: error instanceof Error ? error.message : String(error) },
          'bot token not verified yet',
        );
        return { ok: false, error };
      }));

  const authorize: Authorize<boolean> = async () => {
    if (!identity) void identify();
    // No teamId here: Bolt would let it override the team the request came from.
    return { botToken, botId: identity?.botId, botUserId: identity?.botUserId };
  };
  return { authorize, identify };
}
