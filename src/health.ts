import type { ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Connection } from 'mongoose';
import { pingDatabase } from './db/connection.js';

/** GET /healthz: 200 with the database's state when it answers, 503 when it does not. */
export function healthRoute(connection: Connection): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      void pingDatabase(connection).then(
        (database) =>
          reply(res, database.state === 'up' ? 200 : 503, {
            status: database.state === 'up' ? 'ok' : 'degraded',
            database,
          }),
        (error: unknown) =>
          reply(res, 503, { status: 'degraded', database: { state: 'down', error: String(error) } }),
      );
    },
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
