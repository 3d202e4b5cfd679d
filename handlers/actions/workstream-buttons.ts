/**
 * Still on track, No change and Details on reminders, cards and the Home tab (and, through the same
 * functions, in the menu on the digest's lines: digest-menu.ts). A double click records one update
 * (its key is the message and the workstream), and the message it came from is redrawn.
 */
import { storedId } from '../../src/data/ids.js';
import type { Id } from '../../src/domain/entities.js';
import type { OneClickAnswer } from '../../src/domain/one-click.js';
import type { RecordedUpdate } from '../../src/domain/read-models.js';
import type { Services } from '../../src/services.js';
import type { Actor } from '../../src/domain/permissions.js';
import { publishHome } from '../../src/use-cases/publish-home.js';
import { carryForward, workstreamCard } from '../../src/use-cases/status.js';
import { readReminder, reminderMessage } from '../../src/views/reminder-views.js';
import { notOnTrackView, updateRecordedView } from '../../src/views/update-views.js';
import { workstreamCardView } from '../../src/views/workstream-card.js';
import type { ButtonListener } from '../types.js';
import { readClick, refuse, tell, type Clicked } from './click.js';

/** The request key of a one-click answer: one update per message (or view), workstream and answer. */
const REQUEST_PREFIX: Record<OneClickAnswer, string> = { still_on_track: 'carry', no_change: 'no_change' };

/**
 * "Still on track" or "No change" from a click: the workstream's last update carried forward with its
 * health, once per message (or view) and workstream however many clicks come, two people's at once
 * included. Says why not to the clicker when it cannot be; a "Still on track" on work that is no
 * longer on track (a message drawn before it turned amber or red) records nothing, and the clicker is
 * offered Update… and No change instead. Resolves what was recorded, or no record for that stale
 * click (so the caller can bring the surface clicked on up to date), or undefined when refused.
 */
export async function carryForwardOnce(
  args: Clicked,
  workstreamId: Id | undefined,
  now: Date,
  answer: OneClickAnswer,
): Promise<{ actor: Actor; recorded?: RecordedUpdate } | undefined> {
  const { body, context } = args;
  if (!workstreamId) {
    await refuse(args, { kind: 'missing', what: 'workstream' });
    return undefined;
  }
  const actor = await context.actor();
  const messageTs = (body.container as { message_ts?: string } | undefined)?.message_ts;
  const where = messageTs ?? body.view?.id ?? body.trigger_id;
  const carried = await carryForward(
    context.services.stores,
    actor,
    workstreamId,
    `${REQUEST_PREFIX[answer]}:${workstreamId.toHexString()}:${where}`,
    now,
    answer,
  );
  if (!carried.ok) {
    const why = carried.problem;
    if (why.kind !== 'not_on_track') {
      await refuse(args, why);
      return undefined;
    }
    await tell(args, notOnTrackView(why, workstreamId.toHexString()));
    return { actor };
  }
  context.saved(
    answer === 'no_change'
      ? 'Your last update is carried forward (no change)'
      : 'Your last update is carried forward',
  );
  return { actor, recorded: carried.value };
}

/** "Still on track" (on green work; on any work in messages posted before "No change" existed). */
export const carryForwardClicked: ButtonListener = (args) => oneClickClicked(args, 'still_on_track');

/** "No change" (on amber and red work). */
export const noChangeClicked: ButtonListener = (args) => oneClickClicked(args, 'no_change');

/**
 * A one-click answer on a reminder DM (redrawn in place: the workstream shows as updated, with its
 * health), the Home tab (published again) or anywhere else (the clicker is told what was recorded).
 * A refused "Still on track" redraws the reminder or the Home tab too, so that it offers No change.
 */
async function oneClickClicked(args: Parameters<ButtonListener>[0], answer: OneClickAnswer): Promise<void> {
  const { ack, body, client, respond, context } = args;
  await ack();
  const { services } = context;
  const click = readClick(body);
  const now = services.now();
  const carried = await carryForwardOnce(args, click.id, now, answer);
  if (!carried) return;
  const { actor, recorded } = carried;

  const reminder = click.surface === 'message' ? readReminder(click.messageBlocks) : undefined;
  if (reminder) {
    const fallbackName = recorded?.workstream.programKey ?? '';
    const message = await redrawnReminder(services, actor, reminder, fallbackName);
    await respond({ replace_original: true, text: message.text, blocks: message.blocks });
  } else if (click.surface === 'home') {
    await publishHome(services, client, actor.teamId, actor.userId);
  } else if (recorded) {
    await tell(args, updateRecordedView(recorded, now, answer));
  }
}

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
  await args.ack();
  const click = readClick(args.body);
  await showDetails(args, click.id, click.surface === 'message');
};

/**
 * Details: the workstream's card, to the clicker alone (beside the message clicked on, else by DM:
 * the Home tab and modals have nowhere else to show it).
 */
export async function showDetails(
  args: Clicked,
  workstreamId: Id | undefined,
  onMessage: boolean,
): Promise<void> {
  const { client, context } = args;
  const { services } = context;
  const actor = await context.actor();
  const workstream = workstreamId
    ? await services.stores.workstreams.findById(actor.teamId, workstreamId)
    : null;
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
  if (onMessage) return tell(args, view);
  await client.chat.postMessage({ channel: actor.userId, text: view.text, blocks: view.blocks });
}
