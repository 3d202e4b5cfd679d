/** Preview and Post now on the Home tab's programs. The Home tab has no response URL: answers go by DM or modal. */
import { composeDigest } from '../../src/use-cases/compose-digest.js';
import { resolveProgram } from '../../src/use-cases/resolve.js';
import { postDigestNow } from '../../src/use-cases/scheduler.js';
import { noticeAnswer } from '../../src/views/answer.js';
import { escapeMrkdwn } from '../../src/views/escape.js';
import { previewModal } from '../../src/views/preview.js';
import type { ButtonListener } from '../types.js';
import { refuse, tell } from './click.js';
import { openModal } from './open-modal.js';

export const previewClicked: ButtonListener = async (args) => {
  const { ack, action, context } = args;
  await ack();
  const { services } = context;
  const actor = await context.actor();
  const found = await resolveProgram(services.stores, actor.teamId, action.value ?? '');
  if (!found.ok) return refuse(args, found.problem);
  const digest = await composeDigest(services.stores, found.value, {
    variant: 'team',
    timezone: actor.timezone,
    now: services.now(),
  });
  await openModal(args, previewModal(digest), 'the preview');
};

export const postDigestClicked: ButtonListener = async (args) => {
  const { ack, action, context } = args;
  await ack();
  const { services } = context;
  const actor = await context.actor();
  const found = await resolveProgram(services.stores, actor.teamId, action.value ?? '');
  if (!found.ok) return refuse(args, found.problem);
  const posted = await postDigestNow(
    { stores: services.stores, slackFor: services.slackFor, log: services.log },
    found.value,
    { replicaId: `home:${actor.userId}`, now: services.now() },
  );
  if (!posted.ok) return refuse(args, posted.problem);
  await tell(
    args,
    noticeAnswer(`Posted the digest of *${escapeMrkdwn(found.value.name)}* to <#${posted.value.channelId}>.`),
  );
};
