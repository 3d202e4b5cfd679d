/**
 * The removal listeners stay thin: tokens_revoked removes the workspace only when a bot token is
 * among those revoked (Cairn keeps no user token worth the name), app_uninstalled always; both hand
 * the workspace named by the envelope to the use case. The whole life cycle runs through the real
 * app in test/flows/oauth-lifecycle.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { appUninstalled, tokensRevoked } from '../../../handlers/events/app-uninstalled.js';
import { createLogger } from '../../../src/logger.js';
import type { Services } from '../../../src/services.js';

/** Services whose every removal step is written down instead of done. */
function recordingServices() {
  const steps: unknown[] = [];
  const services = {
    log: createLogger('silent'),
    now: () => new Date('2026-11-26T12:00:00Z'),
    tokens: { forget: async (ref: unknown) => void steps.push(['forget', ref]) },
    stores: {
      workspaces: { setInstalled: async (...args: unknown[]) => void steps.push(['setInstalled', ...args]) },
      schedules: { pauseAll: async (...args: unknown[]) => (steps.push(['pauseAll', ...args]), 2) },
      audit: { record: async (event: { action: string }) => void steps.push(['audit', event.action]) },
    },
  } as unknown as Services;
  return { services, steps };
}

const contextOf = (services: Services) => ({
  services,
  teamId: 'T0ACME',
  enterpriseId: undefined,
  isEnterpriseInstall: false,
});

describe('the removal listeners', () => {
  it('app_uninstalled forgets the tokens, marks the workspace and pauses its schedules', async () => {
    const { services, steps } = recordingServices();
    await appUninstalled({ event: { type: 'app_uninstalled' }, context: contextOf(services) } as never);
    expect(steps).toEqual([
      ['forget', { teamId: 'T0ACME', enterpriseId: undefined, isEnterpriseInstall: false }],
      [
        'setInstalled',
        { teamId: 'T0ACME', enterpriseId: undefined },
        false,
        new Date('2026-11-26T12:00:00Z'),
      ],
      ['pauseAll', 'T0ACME', 'uninstalled'],
      ['audit', 'workspace.uninstalled'],
    ]);
  });

  it('tokens_revoked removes the workspace for bot tokens, and leaves it for user tokens alone', async () => {
    const userOnly = recordingServices();
    await tokensRevoked({
      event: { type: 'tokens_revoked', tokens: { oauth: ['U0ANA'] } },
      context: contextOf(userOnly.services),
    } as never);
    expect(userOnly.steps).toEqual([]);

    const bot = recordingServices();
    await tokensRevoked({
      event: { type: 'tokens_revoked', tokens: { oauth: ['U0ANA'], bot: ['UBOT'] } },
      context: contextOf(bot.services),
    } as never);
    expect(bot.steps.map((step) => (step as unknown[])[0])).toEqual([
      'forget',
      'setInstalled',
      'pauseAll',
      'audit',
    ]);
  });
});
