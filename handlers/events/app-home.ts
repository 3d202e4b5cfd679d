import type { App } from '@slack/bolt';
import type { Services } from '../../src/services.js';
import { workspaceOf } from '../../src/slack/actor.js';
import { publishHome } from '../../src/use-cases/publish-home.js';

/** Opening Cairn's Home tab draws it afresh for that user, from that workspace's data only. */
export function register(app: App, services: Services): void {
  app.event('app_home_opened', async ({ event, client, context }) => {
    if (event.tab !== 'home') return;
    const teamId = workspaceOf(context);
    if (!teamId) return;
    await publishHome(services, client, teamId, event.user);
  });
}
