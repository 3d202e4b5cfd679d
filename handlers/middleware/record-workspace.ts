import type { App } from '@slack/bolt';
import type { Services } from '../../src/services.js';

/**
 * Remembers each workspace that talks to Cairn. Runs after the listener, so it never delays the
 * acknowledgement Slack waits for, and a failure here is logged rather than shown to the user.
 */
export function register(app: App, services: Services): void {
  app.use(async ({ context, next }) => {
    await next();
    const teamId = context.teamId ?? context.enterpriseId;
    if (!teamId) return;
    await services.stores.workspaces
      .recordSeen({ teamId, enterpriseId: context.enterpriseId }, services.now())
      .catch((error: unknown) => services.log.warn({ err: error, teamId }, 'could not record workspace'));
  });
}
