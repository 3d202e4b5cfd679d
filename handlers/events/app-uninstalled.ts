import type { AllMiddlewareArgs } from '@slack/bolt';
import { removeWorkspace, type RemovalCause } from '../../src/use-cases/workspace-removal.js';
import type { CairnContext, EventListener } from '../types.js';

/** Cairn was uninstalled from a workspace: its tokens go, its schedules pause (SPEC §8). */
export const appUninstalled: EventListener<'app_uninstalled'> = async ({ context }) => {
  await remove(context, 'app_uninstalled');
};

/**
 * Tokens revoked. Only the bot's matter: Cairn asks for no user scopes, so a user token revoked alone
 * takes nothing away from it.
 */
export const tokensRevoked: EventListener<'tokens_revoked'> = async ({ event, context }) => {
  if ((event.tokens.bot ?? []).length === 0) return;
  await remove(context, 'tokens_revoked');
};

/** Bolt does not authorize these two events (the tokens are gone), so the workspace comes from the envelope. */
async function remove(
  context: AllMiddlewareArgs<CairnContext>['context'],
  cause: RemovalCause,
): Promise<void> {
  const { services, teamId, enterpriseId, isEnterpriseInstall } = context;
  await removeWorkspace(services, { teamId, enterpriseId, isEnterpriseInstall }, cause, services.now());
}
