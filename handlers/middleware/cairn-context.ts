import type { RespondFn } from '@slack/bolt';
import { DEFAULT_SETTINGS } from '../../src/domain/settings.js';
import type { Services } from '../../src/services.js';
import { actorFor, workspaceOf } from '../../src/slack/actor.js';
import { workspaceSettings } from '../../src/use-cases/settings.js';
import type { Answer } from '../../src/views/answer.js';
import { interruptedAnswer, noWorkspaceAnswer } from '../../src/views/interrupted.js';
import { replyAlone } from '../reply.js';
import { NoWorkspaceError, type CairnContext, type CairnMiddleware } from '../types.js';

/**
 * Gives every listener its CairnContext, and answers the user when a listener fails after Slack got
 * its acknowledgement: a command or a click is never met with silence. Modal submissions answer
 * their own failures (their errors go in the ack, inline); events have nobody to answer.
 */
export function cairnContext(services: Services): CairnMiddleware {
  return async (args) => {
    const { context, client, next } = args;
    const workspaceId = workspaceOf(context);
    const userId = context.userId;
    const saved: string[] = [];
    let actor: ReturnType<CairnContext['actor']> | undefined;
    const cairn: CairnContext = {
      services,
      workspaceId,
      actor: () =>
        (actor ??=
          workspaceId && userId
            ? actorFor(services.users, client, workspaceId, userId, () =>
                workspaceSettings(services.stores, workspaceId).then(
                  (settings) => settings.defaultTimezone,
                  (error: unknown) => {
                    services.log.warn(
                      { err: error, teamId: workspaceId },
                      'could not read the default timezone',
                    );
                    return DEFAULT_SETTINGS.defaultTimezone;
                  },
                ),
              )
            : Promise.reject(new NoWorkspaceError())),
      saved: (what) => void saved.push(what),
    };
    Object.assign(context, cairn);
    try {
      await next();
    } catch (error) {
      const body = args.body as { type?: string; command?: string; text?: string };
      if (error instanceof NoWorkspaceError) {
        services.log.warn({ user: userId }, 'a request without a workspace');
      } else {
        services.log.error(
          { err: error, teamId: workspaceId, user: userId, saved },
          'a Slack listener failed',
        );
      }
      const answer =
        error instanceof NoWorkspaceError
          ? noWorkspaceAnswer()
          : interruptedAnswer(saved, body.command ? `${body.command} ${body.text ?? ''}` : undefined);
      await tellUser(args, answer).catch((failed: unknown) =>
        services.log.warn({ err: failed, user: userId }, 'could not tell the user about a failure'),
      );
    }
  };
}

/** To the user alone (see replyAlone); modal submissions and events are left to answer themselves. */
async function tellUser(args: Parameters<CairnMiddleware>[0], answer: Answer): Promise<void> {
  const body = args.body as { type?: string; user?: { id?: string } };
  if (body.type === 'view_submission' || body.type === 'event_callback') return;
  const respond = (args as { respond?: RespondFn }).respond;
  const userId = body.user?.id;
  if (respond || userId) await replyAlone(respond, args.client, userId ?? '', answer);
}
