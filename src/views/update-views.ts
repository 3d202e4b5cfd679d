import type { RecordedUpdate } from '../domain/read-models.js';
import { type StatusUpdate, type Workstream, updateRefValue } from '../domain/entities.js';
import type { KnownBlock, ModalView, Option, PlainTextOption } from '@slack/types';
import type { OneClickAnswer } from '../domain/one-click.js';
import type { Problem } from '../domain/problems.js';
import type { Health } from '../domain/types.js';
import type { Answer } from './answer.js';
import { button, context, section, textInput } from './blocks.js';
import { truncate, userText } from '../text/escape.js';
import { formatDate, HEALTH_EMOJI, HEALTH_LABEL } from './format.js';
import { ACTION, AUDIENCE_CHOICE, INPUT_ACTION, MODAL, UPDATE_FIELD } from './ids.js';
import { ONE_CLICK_ACTION, ONE_CLICK_LABEL } from './item-actions.js';
import { workstreamOptionText } from './pickers.js';
import { problemView } from './problems.js';

/**
 * The answer to a recorded quick update: what was recorded, and an Edit button. A "No change" click
 * (`answer`) is answered as such, with the health the work stays at ("No change recorded: Card vault
 * (checkout/vault) stays at risk").
 */
export function updateRecordedView(recorded: RecordedUpdate, now: Date, answer?: OneClickAnswer): Answer {
  const { update, workstream: w, openedBlocker } = recorded;
  const ref = `${w.programKey}/${w.key}`;
  const name = userText(w.name, 120);
  let first: string;
  let text: string;
  if (answer === 'no_change') {
    const stays = `${HEALTH_LABEL[update.health].toLowerCase()}${update.blocked ? ' (blocked)' : ''}`;
    const verb = recorded.duplicate ? 'No change already recorded' : 'No change recorded';
    first = `${verb}: *${name}* (\`${ref}\`) stays ${HEALTH_EMOJI[update.health]} ${stays}`;
    text = `${verb}: ${name} (${ref}) stays ${stays}`;
  } else {
    const headline = `${HEALTH_EMOJI[update.health]} ${HEALTH_LABEL[update.health]}${update.blocked ? ' (blocked)' : ''}${update.progress === undefined ? '' : ` · ${update.progress}%`}`;
    const verb = recorded.duplicate
      ? 'Already recorded'
      : update.revisions.length > 0
        ? 'Edited your update'
        : 'Recorded';
    first = `${verb} for *${name}* (\`${ref}\`): ${headline}`;
    text = `Recorded for ${name} (${ref}): ${headline}`;
  }
  const lines = [first];
  if (update.summary) lines.push(`> ${userText(update.summary, 2000, { mentions: true, lines: 'quote' })}`);
  if (update.forecastDate) lines.push(`Forecast: ${formatDate(update.forecastDate, now)}`);
  if (update.internal) lines.push('Internal: client digests show its health, not its words.');
  if (update.onBehalfOf) lines.push(`Posted on behalf of <@${update.onBehalfOf}>, who leads it.`);
  const blocks: KnownBlock[] = [section(lines.join('\n'))];
  if (openedBlocker)
    blocks.push(
      context(
        `Opened ${openedBlocker.internal ? 'an internal' : 'a client-visible'} blocker owned by <@${openedBlocker.ownerId}>: ${userText(openedBlocker.text, 300, { mentions: true })}`,
      ),
    );
  blocks.push({ type: 'actions', elements: [button('Edit', ACTION.updateEdit, updateRefValue(update))] });
  return { response_type: 'ephemeral', text, blocks };
}

/**
 * A "Still on track" refused because the work is no longer on track (the message offering it is
 * older than its latest update): why, and Update… and No change to answer it as it now stands.
 */
export function notOnTrackView(
  refused: Extract<Problem, { kind: 'not_on_track' }>,
  workstreamId: string,
): Answer {
  const answer = problemView(refused);
  return {
    ...answer,
    blocks: [
      ...answer.blocks,
      {
        type: 'actions',
        elements: [
          button('Update…', ACTION.updateOpen, workstreamId, 'primary'),
          button(ONE_CLICK_LABEL.no_change, ONE_CLICK_ACTION.no_change, workstreamId),
        ],
      },
    ],
  };
}

/** What the modal carries from opening to submission (Slack returns it as private_metadata). */
export interface UpdateModalMetadata {
  /** Set when editing an existing update: `<programId>/<updateId>` (see updateRefValue). */
  updateRef?: string;
  /** Where to confirm the result (the channel the command was typed in). */
  channelId?: string;
}

const HEALTH_CHOICES: Array<{ value: Health | 'blocked'; text: string }> = [
  { value: 'on_track', text: `${HEALTH_EMOJI.on_track} On track` },
  { value: 'at_risk', text: `${HEALTH_EMOJI.at_risk} At risk` },
  { value: 'off_track', text: `${HEALTH_EMOJI.off_track} Off track` },
  { value: 'blocked', text: `${HEALTH_EMOJI.off_track} Blocked` },
];

const option = (text: string, value: string): PlainTextOption => ({
  text: { type: 'plain_text', text: truncate(text, 75), emoji: true },
  value,
});

const INTERNAL_OPTION = {
  ...option('Internal update', AUDIENCE_CHOICE.internal),
  description: { type: 'plain_text' as const, text: 'Its summary and next steps stay out of client digests' },
};
const BLOCKERS_VISIBLE_OPTION = {
  ...option('Blockers visible to clients', AUDIENCE_CHOICE.blockersVisible),
  description: { type: 'plain_text' as const, text: 'Otherwise client digests say “an internal blocker”' },
};

/**
 * Who may read the update (SPEC §7): the update is client-visible unless ticked internal; a blocker it
 * opens is internal unless its blockers are ticked visible (editing opens no blocker, so only the first).
 */
function audienceInput(editing: StatusUpdate | undefined): KnownBlock {
  return {
    type: 'input',
    block_id: UPDATE_FIELD.audience,
    optional: true,
    label: { type: 'plain_text', text: 'Clients' },
    element: {
      type: 'checkboxes',
      action_id: INPUT_ACTION,
      options: editing ? [INTERNAL_OPTION] : [INTERNAL_OPTION, BLOCKERS_VISIBLE_OPTION],
      ...(editing?.internal ? { initial_options: [INTERNAL_OPTION] } : {}),
    },
  };
}

/**
 * The update modal: pick the workstream (the user's own first), health, progress, summary, next
 * steps, blockers, forecast. Editing shows the update's workstream fixed and its values filled in.
 */
export function updateModal(options: {
  workstreams: readonly Workstream[];
  selected?: Workstream;
  editing?: StatusUpdate;
  metadata: UpdateModalMetadata;
}): ModalView {
  const { workstreams, selected, editing } = options;
  const blocks: KnownBlock[] = [];
  if (editing && selected) {
    blocks.push(
      section(
        `Editing your update on *${userText(selected.name, 120)}* (\`${selected.programKey}/${selected.key}\`). The earlier wording is kept in its history.`,
      ),
    );
  } else {
    const choices = workstreams
      .slice(0, 100)
      .map((w) => option(workstreamOptionText(w), w._id.toHexString()));
    const initial = selected ? choices.find((o) => o.value === selected._id.toHexString()) : undefined;
    blocks.push({
      type: 'input',
      block_id: UPDATE_FIELD.workstream,
      label: { type: 'plain_text', text: 'Workstream' },
      element: {
        type: 'static_select',
        action_id: INPUT_ACTION,
        placeholder: { type: 'plain_text', text: 'Choose a workstream' },
        options: choices.length > 0 ? choices : [option('No workstreams yet', 'none')],
        ...(initial ? { initial_option: initial } : {}),
      },
    });
  }
  const healthInitial = editing
    ? HEALTH_CHOICES.find((c) => c.value === (editing.blocked ? 'blocked' : editing.health))
    : undefined;
  blocks.push(
    {
      type: 'input',
      block_id: UPDATE_FIELD.health,
      label: { type: 'plain_text', text: 'Health' },
      element: {
        type: 'radio_buttons',
        action_id: INPUT_ACTION,
        options: HEALTH_CHOICES.map((c) => option(c.text, c.value)),
        ...(healthInitial
          ? { initial_option: option(healthInitial.text, healthInitial.value) as Option }
          : {}),
      },
    },
    {
      type: 'input',
      block_id: UPDATE_FIELD.progress,
      optional: true,
      label: { type: 'plain_text', text: 'Progress (%)' },
      element: {
        type: 'number_input',
        action_id: INPUT_ACTION,
        is_decimal_allowed: false,
        min_value: '0',
        max_value: '100',
        ...(editing?.progress === undefined ? {} : { initial_value: String(editing.progress) }),
      },
    },
    textInput({
      blockId: UPDATE_FIELD.summary,
      label: 'Summary',
      placeholder: 'What happened since the last update?',
      maxLength: 2000,
      multiline: true,
      initial: editing?.summary,
    }),
    textInput({
      blockId: UPDATE_FIELD.nextSteps,
      label: 'Next steps',
      placeholder: 'What comes next?',
      maxLength: 1000,
      optional: true,
      multiline: true,
      initial: editing?.nextSteps,
    }),
    textInput({
      blockId: UPDATE_FIELD.blockers,
      label: 'Blockers',
      placeholder: 'Anything in the way? Each update that names one opens a blocker.',
      maxLength: 500,
      optional: true,
      multiline: true,
      initial: editing?.blockers,
    }),
    {
      type: 'input',
      block_id: UPDATE_FIELD.forecast,
      optional: true,
      label: { type: 'plain_text', text: 'Forecast date' },
      element: {
        type: 'datepicker',
        action_id: INPUT_ACTION,
        ...(editing?.forecastDate ? { initial_date: editing.forecastDate } : {}),
      },
    },
    audienceInput(editing),
  );
  return {
    type: 'modal',
    callback_id: MODAL.update,
    title: { type: 'plain_text', text: editing ? 'Edit update' : 'Status update' },
    submit: { type: 'plain_text', text: editing ? 'Save' : 'Post update' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify(options.metadata),
    blocks,
  };
}
