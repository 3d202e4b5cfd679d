/** Opens the workspace settings modal (`/program settings`). */
import type { WebClient } from '@slack/web-api';
import type { Actor } from '../../src/domain/permissions.js';
import type { Services } from '../../src/services.js';
import { settingsToChange } from '../../src/use-cases/settings.js';
import { problemAnswer, type Answer } from '../../src/views/answer.js';
import { problemView } from '../../src/views/problems.js';
import { settingsModal } from '../../src/views/settings-views.js';

/** Only workspace admins see the form (and its submission is checked again). */
export async function openSettingsModal(
  services: Services,
  actor: Actor,
  surface: { client: WebClient; triggerId: string },
): Promise<Answer | undefined> {
  const found = await settingsToChange(services.stores, actor);
  if (!found.ok) return problemView(found.problem);
  try {
    await surface.client.views.open({ trigger_id: surface.triggerId, view: settingsModal(found.value) });
    return undefined;
  } catch (error) {
    services.log.warn({ err: error }, 'could not open the settings modal');
    return problemAnswer(
      'Slack did not let me open the settings form in time. Please run `/program settings` again.',
    );
  }
}
