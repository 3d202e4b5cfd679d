import type { App } from '@slack/bolt';
import type { Services } from '../../src/services.js';
import * as digestButtons from './digest-buttons.js';
import * as scheduleButtons from './schedule-buttons.js';
import * as updateButtons from './update-buttons.js';

export function register(app: App, services: Services): void {
  updateButtons.register(app, services);
  scheduleButtons.register(app, services);
  digestButtons.register(app, services);
}
