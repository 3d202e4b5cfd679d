/**
 * Edit (on a recorded update) and Update… (on a workstream line) open the update modal. A button's
 * value is never trusted: what it names must exist in the clicker's workspace, and only an update's
 * author may edit it.
 */
import { refusal } from '../../src/domain/permissions.js';
import { storedUpdateRef } from '../../src/data/ids.js';
import { type Id, sameId, updateRefValue } from '../../src/domain/entities.js';
import { EDIT_WINDOW_MS } from '../../src/data/updates.js';
import { workstreamsForUpdate } from '../../src/use-cases/status.js';
import { updateModal } from '../../src/views/update-views.js';
import type { ButtonListener } from '../types.js';
import { readClick, refuse, type Clicked } from './click.js';
import { openModal } from './open-modal.js';

export const editUpdateClicked: ButtonListener = async (args) => {
  const { ack, body, context } = args;
  await ack();
  const { services } = context;
  const ref = storedUpdateRef(body.actions[0]?.value);
  const actor = await context.actor();
  const update = ref
    ? await services.stores.updates.findById(actor.teamId, ref.programId, ref.updateId)
    : null;
  if (!update) return refuse(args, { kind: 'missing', what: 'update' });
  const refused = refusal({ kind: 'edit_update', authorId: update.authorId }, actor);
  if (refused) return refuse(args, refused);
  if (services.now().getTime() - update.createdAt.getTime() > EDIT_WINDOW_MS)
    return refuse(args, { kind: 'edit_closed' });
  const workstream = await services.stores.workstreams.findById(actor.teamId, update.workstreamId);
  if (!workstream) return refuse(args, { kind: 'missing', what: 'update_workstream' });
  await openModal(
    args,
    updateModal({
      workstreams: [workstream],
      selected: workstream,
      editing: update,
      metadata: { updateRef: updateRefValue(update), channelId: body.channel?.id },
    }),
    'the form',
  );
};

export const openUpdateClicked: ButtonListener = async (args) => {
  await args.ack();
  await openUpdateFor(args, readClick(args.body).id);
};

/**
 * Update…: the update modal with that workstream chosen, the clicker's own listed too (the trigger
 * id is the click's: an expired one is told to click again).
 */
export async function openUpdateFor(args: Clicked, workstreamId: Id | undefined): Promise<void> {
  const { body, context } = args;
  const { services } = context;
  const actor = await context.actor();
  const selected = workstreamId
    ? await services.stores.workstreams.findById(actor.teamId, workstreamId)
    : null;
  if (!selected) return refuse(args, { kind: 'missing', what: 'workstream' });
  const workstreams = await workstreamsForUpdate(services.stores, actor);
  const list = workstreams.some((w) => sameId(w._id, selected._id))
    ? workstreams
    : [selected, ...workstreams];
  await openModal(
    args,
    updateModal({ workstreams: list, selected, metadata: { channelId: body.channel?.id } }),
    'the form',
  );
}
