import type { ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Connection } from 'mongoose';
import { pingDatabase } from './db/connection.js';

/** How Cairn stands with Slack, as /healthz reports it. */
export interface SlackState {
  /** `unverified`: Slack has not confirmed the bot token yet (not reachable, or not answered yet). */
  state: 'up' | 'down' | 'unverified';
  /** Why it is not up, in words for whoever reads /healthz. */
  reason?: string;
  /** When it entered this state (ISO 8601). */
  since?: string;
}

/**
 * The Slack side of Cairn's health, from the composition root. There is none with OAuth
 * distribution: no single bot token speaks for Cairn there, and events come over HTTP.
 */
export interface SlackLink {
  state(): SlackState;
}

/**
 * GET /healthz: 200 when the database answers and Slack is up (the bot token verified and, in
 * Socket Mode, the connection open); 503 otherwise, the body saying which side is not and why.
 */
export function healthRoute(connection: Connection, slack?: SlackLink): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      void pingDatabase(connection)
        .catch((error: unknown) => ({ state: 'down' as const, error: String(error) }))
        .then((database) => {
          const link = slack?.state();
          const up = database.state === 'up' && (link === undefined || link.state === 'up');
          reply(res, up ? 200 : 503, {
            status: up ? 'ok' : 'degraded',
            database,
            ...(link ? { slack: link } : {}),
          });
        });
    },
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
