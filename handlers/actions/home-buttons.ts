/** Preview and Post now on the Home tab's programs. The Home tab has no response URL: answers go by DM or modal. */
import { composeDigest } from '../../src/use-cases/compose-digest.js';
import { resolveProgram } from '../../src/use-cases/resolve.js';
import { postDigestNow } from '../../src/use-cases/scheduler.js';
import { previewModal } from '../../src/views/preview.js';
import { digestPostedView } from '../../src/views/program-views.js';
import type { ButtonListener } from '../types.js';
import { refuse, tell } from './click.js';
import { openModal } from './open-modal.js';

/** The program a Home tab button names (its value is the key), looked up in the clicker's workspace. */
async function clickedProgram(args: Parameters<ButtonListener>[0]) {
  await args.ack();
  const actor = await args.context.actor();
  const found = await resolveProgram(args.context.services.stores, actor.teamId, args.action.value ?? '');
  if (!found.ok) await refuse(args, found.problem);
  return { actor, program: found.ok ? found.value : undefined };
}

export const previewClicked: ButtonListener = async (args) => {
  const { services } = args.context;
  const { actor, program } = await clickedProgram(args);
  if (!program) return;
  const digest = await composeDigest(services.stores, program, {
    variant: 'team',
    timezone: actor.timezone,
    now: services.now(),
  });
  await openModal(args, previewModal(digest), 'the preview');
};

export const postDigestClicked: ButtonListener = async (args) => {
  const { services } = args.context;
  const { actor, program } = await clickedProgram(args);
  if (!program) return;
  const posted = await postDigestNow(
    { stores: services.stores, slackFor: services.slackFor, log: services.log },
    program,
    { replicaId: `home:${actor.userId}`, now: services.now() },
  );
  if (!posted.ok) return refuse(args, posted.problem);
  await tell(args, digestPostedView(program, posted.value.channelId));
};
