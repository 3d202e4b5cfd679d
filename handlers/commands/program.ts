import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { parseProgramCommand, type ProgramRequest } from '../../src/parsing/program-command.js';
import type { Actor } from '../../src/domain/permissions.js';
import { variantRefusal } from '../../src/domain/audience.js';
import type { DigestVariant } from '../../src/domain/schedule.js';
import type { Services } from '../../src/services.js';
import * as programs from '../../src/use-cases/programs.js';
import * as lifecycle from '../../src/use-cases/lifecycle.js';
import { askProviderToCommit } from '../../src/use-cases/dependency-commitment.js';
import { followProgram, unfollowProgram } from '../../src/use-cases/followers.js';
import { followedView, unfollowedView } from '../../src/views/follower-views.js';
import { removeSamplePortfolio } from '../../src/use-cases/sample-removal.js';
import * as changed from '../../src/views/lifecycle-views.js';
import type { Outcome } from '../../src/use-cases/outcome.js';
import { noticeAnswer, problemAnswer, type Answer } from '../../src/views/answer.js';
import { programHelp } from '../../src/views/help.js';
import { newProgramModal } from '../../src/views/program-modal.js';
import { previewBlocks } from '../../src/views/preview.js';
import { scheduleListView } from '../../src/views/schedule-views.js';
import { composeDigest } from '../../src/use-cases/compose-digest.js';
import { resolveProgram } from '../../src/use-cases/resolve.js';
import { postDigestNow } from '../../src/use-cases/scheduler.js';
import { listSchedules } from '../../src/use-cases/schedules.js';
import * as views from '../../src/views/program-views.js';
import { problemView } from '../../src/views/problems.js';
import { portfolioRisks, programRisks } from '../../src/use-cases/risks.js';
import { risksView } from '../../src/views/risks-view.js';
import type { CommandListener } from '../types.js';
import { exportToUser } from './export.js';
import { portfolioCommand } from './portfolio.js';
import { openScheduleModal } from './schedule-modal.js';
import { openSettingsModal } from './settings-modal.js';

/** `/program …`: parsed, checked and answered here; the work itself is the core's use cases. */
export const programCommand: CommandListener = async ({ command, ack, respond, client, context }) => {
  if (/^\s*(help)?\s*$/i.test(command.text)) return ack(programHelp());
  await ack();
  const { services } = context;
  const reply = async (answer: Answer) => void (await respond(answer));
  const actor = await context.actor();
  if (/^\s*new\s*$/i.test(command.text)) {
    // Refused before the form opens, so nobody fills it in only to be refused (the submission is checked again).
    const refused = await programs.creationRefusal(services.stores, actor);
    if (refused) return reply(problemView(refused));
    return openNewProgramModal(client, command.trigger_id, command.channel_id, respond, services);
  }
  const parsed = parseProgramCommand(command.text, { now: services.now(), timezone: actor.timezone });
  if (!parsed.ok)
    return reply(parsed.usage ? programHelp(parsed.problem) : problemAnswer(parsed.problem, parsed.example));
  const result = await run(services, actor, parsed.request, {
    client,
    triggerId: command.trigger_id,
    channelId: command.channel_id,
    respond,
  });
  if (result) await reply(result);
};

interface Surface {
  client: WebClient;
  triggerId: string;
  channelId: string;
  /** Answers the user before slow work is done (`export`: "Preparing…", then the result). */
  respond: RespondFn;
}

/** Calls the use case a request names and words its outcome; `undefined` when a modal opened instead. */
async function run(
  services: Services,
  actor: Actor,
  request: ProgramRequest,
  surface: Surface,
): Promise<Answer | undefined> {
  const { stores } = services;
  const { channelId } = surface;
  const now = services.now();
  switch (request.kind) {
    case 'help':
      return programHelp();
    case 'new-modal':
      return noticeAnswer(
        'To create a program, name it: `/program new checkout "Checkout revamp" objective:"Cut cart abandonment"`',
      );
    case 'new':
      return answer(
        await programs.createProgram(
          stores,
          actor,
          { ...request, channelId: request.channelId ?? channelId },
          now,
        ),
        views.programCreatedView,
      );
    case 'list':
      return views.programListView(
        await programs.listPrograms(stores, actor, request.includeArchived),
        request.includeArchived,
      );
    case 'show':
      return answer(await programs.showProgram(stores, actor, request.programKey), (o) =>
        views.programOverviewView(o, now),
      );
    case 'archive':
      return answer(
        await lifecycle.archiveProgram(stores, actor, request.programKey, now),
        views.programArchivedView,
      );
    case 'add':
      return answer(await programs.addWorkstream(stores, actor, request, now), ({ program, workstream }) =>
        views.workstreamAddedView(program, workstream, now),
      );
    case 'depend': {
      const added = await programs.addDependency(stores, actor, request, now);
      // Issue 15: the providing lead is asked to commit, once per plan; the dependency stands either way.
      if (added.ok)
        await askProviderToCommit(stores, surface.client, added.value, now).catch((error: unknown) =>
          services.log.warn({ err: error }, 'could not ask the provider to commit to a dependency'),
        );
      return answer(added, ({ consumer, provider, dependency, previous }) =>
        views.dependencyAddedView(
          consumer,
          provider,
          dependency.deliverable,
          dependency.neededBy,
          now,
          previous,
        ),
      );
    }
    case 'blocker':
      return answer(await programs.addBlocker(stores, actor, request, now), ({ workstream, blocker }) =>
        views.blockerAddedView(workstream, blocker.text, blocker.internal ?? false),
      );
    case 'milestone':
      return answer(
        await programs.addMilestone(stores, actor, request, now),
        ({ program, milestone, needs }) =>
          views.milestoneAddedView(program, milestone.name, milestone.date, needs, now, milestone.internal),
      );
    case 'resource':
      return answer(await programs.setResource(stores, actor, request, now), ({ resource, created }) =>
        views.resourceSetView(resource.name, resource.capacityPerWeek, created),
      );
    case 'allocate':
      return answer(
        await programs.allocateResource(stores, actor, request, now),
        ({ resource, workstream, allocation, replaced }) =>
          views.allocatedView(
            resource.name,
            workstream,
            allocation.units,
            allocation.from,
            allocation.to,
            now,
            replaced,
          ),
      );
    case 'schedule':
      return openScheduleModal(services, actor, { programKey: request.programKey }, surface);
    case 'settings':
      return openSettingsModal(services, actor, surface);
    case 'schedules':
      return answer(
        await listSchedules(stores, actor, { programKey: request.programKey }),
        ({ subject, schedules }) => scheduleListView(subject, schedules),
      );
    case 'digest':
      return postNow(services, actor, request.programKey, request.variant);
    case 'preview':
      return preview(services, actor, request.programKey, request.variant);
    case 'set':
      return answer(await lifecycle.changeProgram(stores, actor, request, now), (o) =>
        changed.programChangedView(o, Object.keys(request.changes)),
      );
    case 'set-workstream':
      return answer(await lifecycle.changeWorkstream(stores, actor, request, now), (o) =>
        changed.workstreamChangedView(o, now),
      );
    case 'owner':
      return answer(await lifecycle.handOverProgram(stores, actor, request, now), changed.handedOverView);
    case 'admins':
      return answer(await lifecycle.changeAdmins(stores, actor, request, now), changed.adminsChangedView);
    case 'unarchive':
      return answer(
        await lifecycle.unarchiveProgram(stores, actor, request.programKey, now),
        changed.unarchivedView,
      );
    case 'milestones':
      return answer(await lifecycle.listMilestones(stores, actor, request.programKey), (o) =>
        changed.milestoneListView(o, now, actor.timezone),
      );
    case 'milestone-done':
    case 'milestone-moved':
      return answer(
        await lifecycle.changeMilestone(
          stores,
          actor,
          {
            programKey: request.programKey,
            name: request.name,
            to: request.kind === 'milestone-done' ? { done: true } : { date: request.date },
          },
          now,
        ),
        (o) => changed.milestoneChangedView(o, now),
      );
    case 'sample':
      return answer(await removeSamplePortfolio(stores, actor, now), changed.sampleRemovedView);
    case 'risks':
      return answer(await programRisks(stores, actor, request.programKey, now), risksView);
    case 'risks-portfolio':
      return answer(await portfolioRisks(stores, actor, request.portfolioKey, now), risksView);
    case 'export':
      return exportToUser(services, actor, request, surface);
    case 'portfolio':
      return portfolioCommand(services, actor, request.request, surface);
    case 'follow':
      return answer(await followProgram(stores, actor, request.programKey, now), (o) => {
        // The Home tab lists the programs they follow.
        if (o.changed) services.homes.request(surface.client, actor.teamId, actor.userId);
        return followedView(o.program, o.changed, o.scheduled);
      });
    case 'unfollow':
      return answer(await unfollowProgram(stores, actor, request.programKey), (o) => {
        if (o.changed) services.homes.request(surface.client, actor.teamId, actor.userId);
        return unfollowedView(o.program, o.changed);
      });
  }
}

async function postNow(
  services: Services,
  actor: Actor,
  programKey: string,
  variant: DigestVariant,
): Promise<Answer> {
  const found = await resolveProgram(services.stores, actor.teamId, programKey);
  if (!found.ok) return problemView(found.problem);
  if (found.value.state === 'archived')
    return problemAnswer(`\`${found.value.key}\` is archived; it has no digest.`);
  const refused = variantRefusal(found.value, variant);
  if (refused) return problemView(refused);
  if (!found.value.channelId) return problemAnswer(`\`${found.value.key}\` has no home channel to post to.`);
  const posted = await postDigestNow(
    { stores: services.stores, slackFor: services.slackFor, log: services.log, pacer: services.pacer },
    found.value,
    { replicaId: `command:${actor.userId}`, now: services.now(), variant },
  );
  return posted.ok
    ? views.digestPostedView(found.value, posted.value.channelId, variant)
    : problemView(posted.problem);
}

async function preview(
  services: Services,
  actor: Actor,
  programKey: string,
  variant: DigestVariant,
): Promise<Answer> {
  const found = await resolveProgram(services.stores, actor.teamId, programKey);
  if (!found.ok) return problemView(found.problem);
  const refused = variantRefusal(found.value, variant);
  if (refused) return problemView(refused);
  const digest = await composeDigest(services.stores, found.value, {
    variant,
    timezone: actor.timezone,
    now: services.now(),
  });
  return {
    response_type: 'ephemeral',
    text: digest.main.text,
    blocks: previewBlocks(
      digest.main.blocks,
      digest.thread.map((m) => m.blocks),
    ),
  };
}

function answer<T>(outcome: Outcome<T>, view: (value: T) => Answer): Answer {
  return outcome.ok ? view(outcome.value) : problemView(outcome.problem);
}

async function safely(respond: RespondFn, message: Answer, services: Services): Promise<void> {
  await respond(message).catch((error: unknown) =>
    services.log.error({ err: error }, 'could not answer the user'),
  );
}

async function openNewProgramModal(
  client: WebClient,
  triggerId: string,
  channelId: string,
  respond: RespondFn,
  services: Services,
) {
  try {
    await client.views.open({ trigger_id: triggerId, view: newProgramModal(channelId) });
  } catch (error) {
    services.log.warn({ err: error }, 'could not open the new-program modal');
    await safely(
      respond,
      noticeAnswer(
        'I could not open the form. Name the program instead: `/program new checkout "Checkout revamp" objective:"Cut cart abandonment"`',
      ),
      services,
    );
  }
}
