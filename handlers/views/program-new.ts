import { createProgram } from '../../src/use-cases/programs.js';
import { PROGRAM_FIELD } from '../../src/views/ids.js';
import { fieldError } from './field-error.js';
import { readNewProgramForm } from '../../src/views/program-modal.js';
import { programCreatedView } from '../../src/views/program-views.js';
import type { ModalListener } from '../types.js';

/**
 * Submission of the new-program modal: field errors inline; a taken key keeps the form open. Who may
 * create programs is checked here too (createProgram), not only when the form opens.
 */
export const newProgramSubmitted: ModalListener = async ({ ack, body, view, client, context }) => {
  const form = readNewProgramForm(view.state.values as never);
  if (!form.ok) return ack({ response_action: 'errors', errors: form.errors });
  const { services } = context;
  try {
    const actor = await context.actor();
    const created = await createProgram(services.stores, actor, form, services.now());
    if (!created.ok) {
      // A taken key is the key's fault; a refusal (who may create programs) is shown at the top.
      const block = created.problem.kind === 'program_taken' ? PROGRAM_FIELD.key : PROGRAM_FIELD.name;
      return ack({
        response_action: 'errors',
        errors: { [block]: await fieldError(context, client, created.problem) },
      });
    }
    await ack();
    const answer = programCreatedView(created.value);
    await client.chat
      .postMessage({ channel: body.user.id, text: answer.text, blocks: answer.blocks })
      .catch((error: unknown) => services.log.warn({ err: error }, 'could not confirm a new program'));
  } catch (error) {
    services.log.error(
      { err: error, teamId: context.workspaceId },
      'creating a program from the modal failed',
    );
    return ack({
      response_action: 'errors',
      errors: {
        [PROGRAM_FIELD.name]:
          'Saving failed on my side; your entries are still here. Please try again in a moment.',
      },
    });
  }
};
