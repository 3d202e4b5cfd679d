import type { CairnMiddleware } from '../types.js';

/**
 * Remembers each workspace that talks to Cairn. Runs after the listener, so it never delays the
 * acknowledgement Slack waits for, and a failure here is logged rather than shown to the user.
 */
export const recordWorkspace: CairnMiddleware = async ({ context, next }) => {
  await next();
  const { services, workspaceId } = context;
  if (!workspaceId) return;
  await services.stores.workspaces
    .recordSeen({ teamId: workspaceId, enterpriseId: context.enterpriseId }, services.now())
    .catch((error: unknown) =>
      services.log.warn({ err: error, teamId: workspaceId }, 'could not record workspace'),
    );
};
