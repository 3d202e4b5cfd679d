import type { App } from '@slack/bolt';
import type { CairnContext } from '../types.js';
import { appHomeOpened } from './app-home.js';

/** The events Cairn subscribes to (manifest.yml's settings.event_subscriptions.bot_events). */
export const EVENTS = ['app_home_opened'] as const;

export function register(app: App): void {
  app.event<'app_home_opened', CairnContext>('app_home_opened', appHomeOpened);
}
