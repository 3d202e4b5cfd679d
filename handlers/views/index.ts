import type { App } from '@slack/bolt';
import type { Services } from '../../src/services.js';
import * as programNew from './program-new.js';
import * as scheduleNew from './schedule-new.js';
import * as statusUpdate from './status-update.js';

export function register(app: App, services: Services): void {
  statusUpdate.register(app, services);
  programNew.register(app, services);
  scheduleNew.register(app, services);
}
