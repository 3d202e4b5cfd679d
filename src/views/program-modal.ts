import type { ModalView } from '@slack/types';
import { textInput } from './blocks.js';
import { INPUT_ACTION, MODAL, PROGRAM_FIELD } from './ids.js';

/** `/program new` with nothing else: the same fields as the command, as a form. */
export function newProgramModal(channelId: string | undefined): ModalView {
  return {
    type: 'modal',
    callback_id: MODAL.newProgram,
    title: { type: 'plain_text', text: 'New program' },
    submit: { type: 'plain_text', text: 'Create' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      textInput({
        blockId: PROGRAM_FIELD.name,
        label: 'Name',
        placeholder: 'Checkout revamp',
        maxLength: 80,
      }),
      textInput({
        blockId: PROGRAM_FIELD.key,
        label: 'Key',
        placeholder: 'checkout (lower case letters, digits and dashes)',
        maxLength: 32,
      }),
      textInput({
        blockId: PROGRAM_FIELD.objective,
        label: 'Objective',
        placeholder: 'The company goal it serves',
        maxLength: 300,
        optional: true,
        multiline: true,
      }),
      {
        type: 'input',
        block_id: PROGRAM_FIELD.channel,
        optional: true,
        label: { type: 'plain_text', text: 'Home channel' },
        element: {
          type: 'conversations_select',
          action_id: INPUT_ACTION,
          filter: { include: ['public', 'private'], exclude_bot_users: true },
          ...(channelId && /^[CG]/.test(channelId) ? { initial_conversation: channelId } : {}),
        },
      },
    ],
  };
}

export type NewProgramForm =
  | { ok: true; programKey: string; name: string; objective?: string; channelId?: string }
  | { ok: false; errors: Record<string, string> };

type StateValues = Record<
  string,
  Record<string, { value?: string | null; selected_conversation?: string | null }>
>;

export function readNewProgramForm(values: StateValues): NewProgramForm {
  const errors: Record<string, string> = {};
  const name = values[PROGRAM_FIELD.name]?.[INPUT_ACTION]?.value?.trim() ?? '';
  if (!name) errors[PROGRAM_FIELD.name] = 'Give the program a name.';
  else if (name.length > 80) errors[PROGRAM_FIELD.name] = 'Keep the name to 80 characters.';
  const programKey = (values[PROGRAM_FIELD.key]?.[INPUT_ACTION]?.value ?? '').trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(programKey)) {
    errors[PROGRAM_FIELD.key] =
      'A key is 1 to 32 lower-case letters, digits or dashes, starting with a letter or digit, e.g. checkout.';
  }
  const objective = values[PROGRAM_FIELD.objective]?.[INPUT_ACTION]?.value?.trim() || undefined;
  if (objective && objective.length > 300)
    errors[PROGRAM_FIELD.objective] = 'Keep the objective to 300 characters.';
  const channelId = values[PROGRAM_FIELD.channel]?.[INPUT_ACTION]?.selected_conversation ?? undefined;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, programKey, name, objective, channelId };
}
