/**
 * `/program export <program> [since:<date>] [as:client]`: checked at once; then "Preparing the
 * export…" goes to the user straight away, and the slow part (the CSV, the upload to their DM) runs
 * after, its result answered through the same response_url.
 */
import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Actor } from '../../src/domain/permissions.js';
import type { ProgramRequest } from '../../src/parsing/program-command.js';
import type { Services } from '../../src/services.js';
import { exportProgram, programForExport } from '../../src/use-cases/export.js';
import type { Answer } from '../../src/views/answer.js';
import { exportPreparingView, exportSentView } from '../../src/views/export-view.js';
import { problemView } from '../../src/views/problems.js';

export async function exportToUser(
  services: Services,
  actor: Actor,
  request: Extract<ProgramRequest, { kind: 'export' }>,
  surface: { client: WebClient; respond: RespondFn },
): Promise<Answer> {
  const { stores, log, users } = services;
  const found = await programForExport(stores, actor, request.programKey);
  if (!found.ok) return problemView(found.problem);
  const program = found.value;
  await surface.respond(exportPreparingView(program, request, services.now()));
  const sent = await exportProgram(
    { stores, client: surface.client, log },
    actor,
    program,
    {
      audience: request.audience,
      timezone: actor.timezone,
      ...(request.since && { since: request.since }),
      // Cached by the directory; a person Slack cannot name is written as `someone`.
      nameOf: async (userId) => (await users.get(surface.client, actor.teamId, userId)).name,
    },
    services.now(),
  );
  return exportSentView(sent, services.now());
}
