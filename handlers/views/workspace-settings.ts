import { isValidTimezone } from '../../src/parsing/dates.js';
import { changeSettings } from '../../src/use-cases/settings.js';
import { SETTINGS_FIELD } from '../../src/views/ids.js';
import { readSettingsForm, settingsChangedView } from '../../src/views/settings-views.js';
import { fieldError } from './field-error.js';
import type { ModalListener } from '../types.js';

/** Submission of the settings modal; only a workspace admin's is saved, however it was sent. */
export const settingsSubmitted: ModalListener = async ({ ack, body, view, client, context }) => {
  const form = readSettingsForm(view.state.values, view.private_metadata, isValidTimezone);
  if (!form.ok) return ack({ response_action: 'errors', errors: form.errors });
  const { services } = context;
  try {
    const actor = await context.actor();
    const changed = await changeSettings(services.stores, actor, form, services.now());
    if (!changed.ok)
      return ack({
        response_action: 'errors',
        errors: { [SETTINGS_FIELD.timezone]: await fieldError(context, client, changed.problem) },
      });
    await ack();
    const answer = settingsChangedView(changed.value);
    await client.chat
      .postMessage({ channel: body.user.id, text: answer.text, blocks: answer.blocks })
      .catch((error: unknown) => services.log.warn({ err: error }, 'could not confirm changed settings'));
  } catch (error) {
    services.log.error({ err: error, teamId: context.workspaceId }, 'changing the settings failed');
    return ack({
      response_action: 'errors',
      errors: {
        [SETTINGS_FIELD.timezone]:
          'Saving failed on my side; your entries are still here. Please try again in a moment.',
      },
    });
  }
};
