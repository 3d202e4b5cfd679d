/** The digest's own row: Post an update, Nudge the missing ones, Open in Cairn. */
import { nudgeMissing } from '../../src/use-cases/nudge.js';
import { workstreamsForUpdate } from '../../src/use-cases/status.js';
import { noticeAnswer } from '../../src/views/answer.js';
import { updateModal } from '../../src/views/update-views.js';
import type { ButtonListener } from '../types.js';
import { readClick, refuse, tell } from './click.js';
import { openModal } from './open-modal.js';

export const postUpdateClicked: ButtonListener = async (args) => {
  const { ack, body, context } = args;
  await ack();
  const actor = await context.actor();
  const workstreams = await workstreamsForUpdate(context.services.stores, actor);
  if (workstreams.length === 0) return refuse(args, { kind: 'no_workstreams' });
  await openModal(
    args,
    updateModal({ workstreams, metadata: { channelId: body.channel?.id } }),
    'the update form',
  );
};

export const nudgeClicked: ButtonListener = async (args) => {
  const { ack, body, action, context } = args;
  await ack();
  const { services } = context;
  if (!action.value) return refuse(args, { kind: 'missing', what: 'program' });
  const actor = await context.actor();
  const nudged = await nudgeMissing(
    { stores: services.stores, slackFor: services.slackFor, log: services.log },
    actor,
    action.value,
    readClick(body).messageTs ?? body.trigger_id,
    services.now(),
  );
  if (!nudged.ok) return refuse(args, nudged.problem);
  const n = nudged.value.nudged;
  await tell(
    args,
    noticeAnswer(
      n === 0
        ? 'Nobody to nudge: no lead is missing an update, or this digest has nudged them already.'
        : `Nudged ${n} lead${n === 1 ? '' : 's'} by DM.`,
    ),
  );
};

/** "Open in Cairn" is a link button; Slack still sends its click, which needs an answer. */
export const openHomeClicked: ButtonListener = async ({ ack }) => {
  await ack();
};
