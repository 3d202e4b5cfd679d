import type { App } from '@slack/bolt';
import type { CairnContext } from '../types.js';
import { appHomeOpened } from './app-home.js';
import { appUninstalled, tokensRevoked } from './app-uninstalled.js';

/** The events Cairn subscribes to (manifest.yml's settings.event_subscriptions.bot_events). */
export const EVENTS = ['app_home_opened', 'app_uninstalled', 'tokens_revoked'] as const;

export function register(app: App): void {
  app.event<'app_home_opened', CairnContext>('app_home_opened', appHomeOpened);
  app.event<'app_uninstalled', CairnContext>('app_uninstalled', appUninstalled);
  app.event<'tokens_revoked', CairnContext>('tokens_revoked', tokensRevoked);
}
