import type { App } from '@slack/bolt';
import type { Services } from '../../src/services.js';
import { actorFor, workspaceOf } from '../../src/slack/actor.js';
import { createProgram } from '../../src/use-cases/programs.js';
import { NEW_PROGRAM_CALLBACK, readNewProgramForm } from '../../src/views/program-modal.js';
import { programCreatedView } from '../../src/views/program-views.js';

/** Submission of the new-program modal: field errors inline; a taken key keeps the form open. */
export function register(app: App, services: Services): void {
  app.view(NEW_PROGRAM_CALLBACK, async ({ ack, body, view, client, context }) => {
    const form = readNewProgramForm(view.state.values as never);
    if (!form.ok) return ack({ response_action: 'errors', errors: form.errors });
    const teamId = workspaceOf(context);
    if (!teamId)
      return ack({
        response_action: 'errors',
        errors: { name: 'I could not tell which workspace this came from.' },
      });
    try {
      const actor = await actorFor(services.users, client, teamId, body.user.id);
      const created = await createProgram(services.stores, actor, form, services.now());
      if (!created.ok)
        return ack({ response_action: 'errors', errors: { key: created.problem.replace(/`/g, '') } });
      await ack();
      const answer = programCreatedView(created.value);
      await client.chat
        .postMessage({ channel: body.user.id, text: answer.text, blocks: answer.blocks })
        .catch((error: unknown) => services.log.warn({ err: error }, 'could not confirm a new program'));
    } catch (error) {
      services.log.error({ err: error, teamId }, 'creating a program from the modal failed');
      return ack({
        response_action: 'errors',
        errors: {
          name: 'Saving failed on my side; your entries are still here. Please try again in a moment.',
        },
      });
    }
  });
}
