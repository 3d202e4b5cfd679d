import type { App, BlockButtonAction } from '@slack/bolt';
import { Types } from 'mongoose';
import type { Services } from '../../src/services.js';
import { publishHome } from '../../src/use-cases/publish-home.js';
import { carryForward, workstreamCard } from '../../src/use-cases/status.js';
import { readReminder, reminderMessage } from '../../src/views/reminder-views.js';
import { updateRecordedView } from '../../src/views/update-views.js';
import { workstreamCardView } from '../../src/views/workstream-card.js';
import { readClick, refuse, tell } from './interaction.js';

/**
 * Still on track and Details on reminders, cards and the Home tab. A double click records one
 * update (its key is the message and the workstream), and the message it came from is redrawn.
 */
export function register(app: App, services: Services): void {
  app.action<BlockButtonAction>(
    'status_carry_forward',
    async ({ ack, body, action, client, respond, context }) => {
      await ack();
      const click = readClick(body, action.value, context);
      if (!click?.id) return refuse(respond, 'That workstream does not exist in this workspace.');
      const where = click.messageTs ?? body.view?.id ?? body.trigger_id;
      const carried = await carryForward(
        services.stores,
        click.actor,
        click.id,
        `carry:${click.id.toHexString()}:${where}`,
        services.now(),
      );
      if (!carried.ok) return refuse(respond, carried.problem);

      const reminder = click.surface === 'message' ? readReminder(click.messageBlocks) : undefined;
      if (reminder) {
        const { teamId } = click.actor;
        const workstreams = await services.stores.workstreams.findByIds(
          teamId,
          reminder.workstreamIds.map((id) => new Types.ObjectId(id)),
        );
        const ordered = reminder.workstreamIds
          .map((id) => workstreams.find((w) => w._id.toHexString() === id))
          .filter((w) => w !== undefined);
        const [program] = await services.stores.programs.findByIds(
          teamId,
          ordered.slice(0, 1).map((w) => w.programId),
        );
        const programName = program?.name ?? carried.value.workstream.programKey;
        const message = reminderMessage(
          click.actor.userId,
          { programName, since: reminder.since, when: undefined },
          ordered,
          services.now(),
        );
        await respond({ replace_original: true, text: message.text, blocks: message.blocks }).catch(
          () => undefined,
        );
      } else if (click.surface === 'home') {
        await publishHome(services, client, click.actor.teamId, click.actor.userId);
      } else {
        await tell(respond, updateRecordedView(carried.value, services.now()));
      }
    },
  );

  app.action<BlockButtonAction>('status_details', async ({ ack, body, action, client, respond, context }) => {
    await ack();
    const click = readClick(body, action.value, context);
    const workstream = click?.id
      ? await services.stores.workstreams.findById(click.actor.teamId, click.id)
      : null;
    if (!click || !workstream) return refuse(respond, 'That workstream does not exist in this workspace.');
    const card = await workstreamCard(services.stores, click.actor, {
      programKey: workstream.programKey,
      workstreamKey: workstream.key,
    });
    if (!card.ok) return refuse(respond, card.problem);
    const view = workstreamCardView(card.value, services.now());
    if (click.surface === 'message') return tell(respond, view);
    await client.chat
      .postMessage({ channel: click.actor.userId, text: view.text, blocks: view.blocks })
      .catch(() => undefined);
  });
}
