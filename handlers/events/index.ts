import type { App } from '@slack/bolt';
import type { Services } from '../../src/services.js';
import * as appHome from './app-home.js';

export function register(app: App, services: Services): void {
  appHome.register(app, services);
}
