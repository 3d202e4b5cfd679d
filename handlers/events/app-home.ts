import { publishHome } from '../../src/use-cases/publish-home.js';
import type { EventListener } from '../types.js';

/** Opening Cairn's Home tab draws it afresh for that user, from that workspace's data only. */
export const appHomeOpened: EventListener<'app_home_opened'> = async ({ event, client, context }) => {
  if (event.tab !== 'home' || !context.workspaceId) return;
  await publishHome(context.services, client, context.workspaceId, event.user);
};
