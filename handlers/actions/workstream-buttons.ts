/**
 * Still on track and Details on reminders, cards and the Home tab. A double click records one update
 * (its key is the message and the workstream), and the message it came from is redrawn.
 */
import { storedId } from '../../src/data/ids.js';
import type { Services } from '../../src/services.js';
import type { Actor } from '../../src/domain/permissions.js';
import { publishHome } from '../../src/use-cases/publish-home.js';
import { carryForward, workstreamCard } from '../../src/use-cases/status.js';
import { readReminder, reminderMessage } from '../../src/views/reminder-views.js';
import { updateRecordedView } from '../../src/views/update-views.js';
import { workstreamCardView } from '../../src/views/workstream-card.js';
import type { ButtonListener } from '../types.js';
import { readClick, refuse, tell } from './click.js';

export const carryForwardClicked: ButtonListener = async (args) => {
  const { ack, body, client, respond, context } = args;
  await ack();
  const { services } = context;
  const click = readClick(body);
  if (!click.id) return refuse(args, { kind: 'missing', what: 'workstream' });
  const actor = await context.actor();
  const where = click.messageTs ?? body.view?.id ?? body.trigger_id;
  const now = services.now();
  const carried = await carryForward(
    services.stores,
    actor,
    click.id,
    `carry:${click.id.toHexString()}:${where}`,
    now,
  );
  if (!carried.ok) return refuse(args, carried.problem);
  context.saved('Your last update is carried forward');

  const reminder = click.surface === 'message' ? readReminder(click.messageBlocks) : undefined;
  if (reminder) {
    const message = await redrawnReminder(services, actor, reminder, carried.value.workstream.programKey);
    await respond({ replace_original: true, text: message.text, blocks: message.blocks });
  } else if (click.surface === 'home') {
    await publishHome(services, client, actor.teamId, actor.userId);
  } else {
    await tell(args, updateRecordedView(carried.value, now));
  }
};

/** The reminder DM as it now stands: the workstream just carried forward shows as updated. */
async function redrawnReminder(
  services: Services,
  actor: Actor,
  reminder: { since: Date; when: string | undefined; workstreamIds: string[] },
  fallbackName: string,
) {
  const ids = reminder.workstreamIds.map(storedId).filter((id) => id !== undefined);
  const workstreams = await services.stores.workstreams.findByIds(actor.teamId, ids);
  const ordered = reminder.workstreamIds
    .map((id) => workstreams.find((w) => w._id.toHexString() === id))
    .filter((w) => w !== undefined);
  const [program] = await services.stores.programs.findByIds(
    actor.teamId,
    ordered.slice(0, 1).map((w) => w.programId),
  );
  return reminderMessage(
    actor.userId,
    { programName: program?.name ?? fallbackName, since: reminder.since, when: reminder.when },
    ordered,
    services.now(),
  );
}

export const detailsClicked: ButtonListener = async (args) => {
  const { ack, body, client, context } = args;
  await ack();
  const { services } = context;
  const click = readClick(body);
  const actor = await context.actor();
  const workstream = click.id ? await services.stores.workstreams.findById(actor.teamId, click.id) : null;
  if (!workstream) return refuse(args, { kind: 'missing', what: 'workstream' });
  const card = await workstreamCard(
    services.stores,
    actor,
    {
      programKey: workstream.programKey,
      workstreamKey: workstream.key,
    },
    services.now(),
  );
  if (!card.ok) return refuse(args, card.problem);
  const view = workstreamCardView(card.value, services.now());
  if (click.surface === 'message') return tell(args, view);
  await client.chat.postMessage({ channel: actor.userId, text: view.text, blocks: view.blocks });
};
