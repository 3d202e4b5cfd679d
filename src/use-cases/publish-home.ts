/** Draws a user's App Home tab afresh: on opening it, and after changes that concern them. */
import type { WebClient } from '@slack/web-api';
import type { Services } from '../services.js';
import { homeView } from '../views/home-view.js';
import { loadHome } from './home.js';

/**
 * Loads what the user's Home tab shows and publishes it. Never throws: a Home tab that could not be
 * refreshed is logged, and must not break the command or click that asked for the refresh.
 */
export async function publishHome(
  services: Services,
  client: WebClient,
  teamId: string,
  userId: string,
): Promise<void> {
  try {
    const now = services.now();
    // Nothing on the Home tab depends on the user's timezone or admin rights: no users.info here.
    const data = await loadHome(
      services.stores,
      { teamId, userId, timezone: 'UTC', isWorkspaceAdmin: false },
      now,
    );
    await client.views.publish({ user_id: userId, view: homeView(data, now) });
  } catch (error) {
    services.log.warn({ err: error, teamId, user: userId }, 'could not publish the Home tab');
  }
}
