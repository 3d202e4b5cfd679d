import type { App } from '@slack/bolt';
import type { Services } from '../../src/services.js';
import * as blockerButtons from './blocker-buttons.js';
import * as dependencyButtons from './dependency-buttons.js';
import * as digestButtons from './digest-buttons.js';
import * as homeButtons from './home-buttons.js';
import * as scheduleButtons from './schedule-buttons.js';
import * as updateButtons from './update-buttons.js';
import * as workstreamButtons from './workstream-buttons.js';

export function register(app: App, services: Services): void {
  updateButtons.register(app, services);
  scheduleButtons.register(app, services);
  digestButtons.register(app, services);
  workstreamButtons.register(app, services);
  blockerButtons.register(app, services);
  dependencyButtons.register(app, services);
  homeButtons.register(app, services);
}
