import type { KnownBlock, ModalView } from '@slack/types';

export const NEW_PROGRAM_CALLBACK = 'program_new';

/** `/program new` with nothing else: the same fields as the command, as a form. */
export function newProgramModal(channelId: string | undefined): ModalView {
  const text = (
    blockId: string,
    label: string,
    placeholder: string,
    max: number,
    optional = false,
    multiline = false,
  ): KnownBlock => ({
    type: 'input',
    block_id: blockId,
    optional,
    label: { type: 'plain_text', text: label },
    element: {
      type: 'plain_text_input',
      action_id: 'value',
      max_length: max,
      multiline,
      placeholder: { type: 'plain_text', text: placeholder },
    },
  });
  return {
    type: 'modal',
    callback_id: NEW_PROGRAM_CALLBACK,
    title: { type: 'plain_text', text: 'New program' },
    submit: { type: 'plain_text', text: 'Create' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      text('name', 'Name', 'Checkout revamp', 80),
      text('key', 'Key', 'checkout (lower case letters, digits and dashes)', 32),
      text('objective', 'Objective', 'The company goal it serves', 300, true, true),
      {
        type: 'input',
        block_id: 'channel',
        optional: true,
        label: { type: 'plain_text', text: 'Home channel' },
        element: {
          type: 'conversations_select',
          action_id: 'value',
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
  const name = values.name?.value?.value?.trim() ?? '';
  if (!name) errors.name = 'Give the program a name.';
  else if (name.length > 80) errors.name = 'Keep the name to 80 characters.';
  const programKey = (values.key?.value?.value ?? '').trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(programKey)) {
    errors.key =
      'A key is 1 to 32 lower-case letters, digits or dashes, starting with a letter or digit, e.g. checkout.';
  }
  const objective = values.objective?.value?.value?.trim() || undefined;
  if (objective && objective.length > 300) errors.objective = 'Keep the objective to 300 characters.';
  const channelId = values.channel?.value?.selected_conversation ?? undefined;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, programKey, name, objective, channelId };
}
