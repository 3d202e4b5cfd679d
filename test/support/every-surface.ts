/**
 * Renders every surface Cairn shows — digest and thread, workstream card, Home tab, recorded update,
 * schedule list, reminder and escalation DMs, answers and the modals — from one small world
 * built with DigestFixture, each piece of user text taken from `text` so a caller can vary it.
 */
import type { HomeData } from '../../src/domain/read-models.js';
import type { DigestSchedule } from '../../src/domain/entities.js';
import type { KnownBlock, View } from '@slack/types';
import { Types } from 'mongoose';
import { buildDigest } from '../../src/domain/digest.js';
import { sameId } from '../../src/domain/entities.js';
import { DEFAULT_SETTINGS } from '../../src/domain/settings.js';
import { dependencyRequestMessage, proposeDateModal } from '../../src/views/commitment-views.js';
import { digestMessages } from '../../src/views/digest-blocks.js';
import { blockerEscalationMessage, dependencyAtRiskMessage } from '../../src/views/escalation-views.js';
import { homeView } from '../../src/views/home-view.js';
import { newProgramModal } from '../../src/views/program-modal.js';
import { programOverviewView } from '../../src/views/program-views.js';
import { reminderMessage } from '../../src/views/reminder-views.js';
import { scheduleListView, scheduleModal } from '../../src/views/schedule-views.js';
import { settingsModal } from '../../src/views/settings-views.js';
import { updateModal, updateRecordedView } from '../../src/views/update-views.js';
import { workstreamCardView } from '../../src/views/workstream-card.js';
import { DigestFixture, inDays, NOW, otherProgram, TODAY } from './digest-fixtures.js';

/** User text for each field a user fills in; by default ordinary words. */
export interface SurfaceTexts {
  programName: string;
  objective: string;
  workstreamName: string;
  team: string;
  summary: string;
  nextSteps: string;
  blocker: string;
  deliverable: string;
  milestone: string;
}

export const PLAIN_TEXTS: SurfaceTexts = {
  programName: 'Checkout revamp',
  objective: 'Lift conversion',
  workstreamName: 'Payments API',
  team: 'Payments',
  summary: 'Card flow in review',
  nextSteps: 'Ship to beta',
  blocker: 'Sandbox is down',
  deliverable: 'Tokenisation API',
  milestone: 'Beta launch',
};

export interface Surface {
  name: string;
  /** A message's blocks, or a view (modal or Home tab). */
  blocks: readonly KnownBlock[];
  view?: View;
  text?: string;
}

export function everySurface(texts: SurfaceTexts = PLAIN_TEXTS): Surface[] {
  const fx = new DigestFixture({ name: texts.programName, objective: texts.objective });
  const pay = fx.workstream('pay', {
    name: texts.workstreamName,
    team: texts.team,
    targetDate: inDays(10),
  });
  const web = fx.workstream('web', { name: `${texts.workstreamName} web`, team: texts.team });
  const quiet = fx.workstream('quiet', { name: 'Quiet', state: 'active' });
  const platform = otherProgram();
  const auth = fx.workstream('auth', { name: 'Auth' }, platform);
  fx.previous(7);
  const latest = fx.update(pay, {
    health: 'at_risk',
    ago: 1,
    summary: texts.summary,
    nextSteps: texts.nextSteps,
    progress: 40,
    forecastDate: inDays(14),
  });
  fx.update(web, { health: 'off_track', ago: 2, summary: texts.summary });
  fx.update(quiet, { health: 'on_track', ago: 20 });
  const blocker = fx.blocker(pay, texts.blocker, { ago: 4 });
  const owed = fx.dependency(web, pay, inDays(5), texts.deliverable);
  fx.dependency(pay, auth, inDays(3), texts.deliverable);
  fx.milestone(texts.milestone, inDays(12), [pay, web]);

  const surfaces: Surface[] = [];
  const message = (name: string, m: { text?: string; blocks: readonly KnownBlock[] }) =>
    surfaces.push({ name, blocks: m.blocks, ...(m.text === undefined ? {} : { text: m.text }) });
  const view = (name: string, v: View) => surfaces.push({ name, blocks: v.blocks as KnownBlock[], view: v });

  for (const variant of ['team', 'leadership', 'client'] as const) {
    const digest = digestMessages(buildDigest(fx.data({ variant })), {
      appHomeUrl: 'slack://app?team=T0001&id=A0001&tab=home',
    });
    message(`digest (${variant})`, digest.main);
    digest.thread.forEach((m, i) => message(`digest thread ${i + 1} (${variant})`, m));
  }

  const card = {
    workstream: pay,
    program: fx.program,
    updates: fx.updates.filter((u) => sameId(u.workstreamId, pay._id)),
    blockers: [blocker],
    needs: [{ dependency: fx.dependencies[1]!, other: auth }],
    owes: [{ dependency: owed, other: web }],
    chains: fx.chainsOf(pay),
  };
  message('workstream card', workstreamCardView(card, NOW));
  message(
    'workstream card, at risk through what it waits on',
    workstreamCardView(
      {
        ...card,
        workstream: web,
        needs: [{ dependency: owed, other: pay }],
        owes: [],
        chains: fx.chainsOf(web),
      },
      NOW,
    ),
  );
  message('update recorded', updateRecordedView({ update: latest, workstream: pay, duplicate: false }, NOW));

  const home: HomeData = {
    userId: pay.leadId,
    workstreams: [pay, web],
    programs: [
      {
        program: fx.program,
        role: 'owner',
        counts: {
          workstreams: 3,
          byHealth: { on_track: 1, at_risk: 1, off_track: 1 },
          withoutUpdate: 0,
          atRiskThroughDependencies: 0,
          openBlockers: 1,
        },
      },
    ],
    blockers: [{ blocker, workstream: pay }],
    owes: [{ dependency: owed, provider: pay, consumer: web }],
    truncated: { workstreams: false, programs: false, blockers: false, owes: false },
    chains: new Map([
      [pay._id.toHexString(), fx.chainsOf(pay)],
      [web._id.toHexString(), fx.chainsOf(web)],
    ]),
  };
  view('Home tab', homeView(home, NOW));

  const schedule = (paused: boolean): DigestSchedule => ({
    _id: new Types.ObjectId(),
    teamId: fx.program.teamId,
    programId: fx.program._id,
    programKey: fx.program.key,
    channelId: 'C0001',
    days: ['mon', 'thu'],
    time: '09:00',
    timezone: 'Europe/Paris',
    variant: 'team',
    reminderLeadMinutes: 120,
    paused,
    createdBy: fx.program.ownerId,
    createdAt: NOW,
    lastSlotAt: NOW,
  });
  message('schedule list', scheduleListView(fx.program, [schedule(false), schedule(true)]));
  message(
    'portfolio schedule list',
    scheduleListView({ kind: 'portfolio', portfolio: { ...fx.program, programIds: [fx.program._id] } }, [
      {
        ...schedule(false),
        programId: undefined,
        programKey: undefined,
        portfolioId: fx.program._id,
        portfolioKey: 'emea',
        variant: 'leadership',
      },
    ]),
  );
  message(
    'reminder',
    reminderMessage(
      pay.leadId,
      { programName: texts.programName, since: fx.previousAt!, when: 'Thu 26 Nov, 09:00 CET' },
      [pay, quiet],
      NOW,
    ),
  );
  message('blocker escalation', blockerEscalationMessage(fx.program, pay, blocker, 4));
  message('dependency at risk', dependencyAtRiskMessage(owed, web, pay, fx.riskOf(owed), fx.named(), TODAY));
  // Issue 15: the providing lead's request DM, and the modal for another date.
  message('dependency request', dependencyRequestMessage(owed, web, pay, NOW));
  view('propose-date modal', proposeDateModal(owed, pay, TODAY, NOW));
  message(
    'program overview',
    programOverviewView(
      {
        program: fx.program,
        workstreams: [pay, web, quiet],
        blockers: [blocker],
        dependencies: fx.dependencies,
        otherWorkstreams: [auth],
        milestones: fx.milestones,
      },
      NOW,
    ),
  );

  view('update modal', updateModal({ workstreams: [pay, web], metadata: {} }));
  view(
    'update modal (editing)',
    updateModal({ workstreams: [pay], selected: pay, editing: latest, metadata: {} }),
  );
  view('new-program modal', newProgramModal('C0001'));
  view('schedule modal', scheduleModal(fx.program, 'Europe/Paris'));
  const portfolio = {
    _id: new Types.ObjectId(),
    teamId: fx.program.teamId,
    key: 'emea',
    name: texts.programName,
    ownerId: fx.program.ownerId,
    programIds: [fx.program._id],
    createdAt: NOW,
  };
  view('portfolio schedule modal', scheduleModal({ kind: 'portfolio', portfolio }, 'Europe/Paris'));
  view(
    'settings modal',
    settingsModal({
      ...DEFAULT_SETTINGS,
      programCreation: { creators: 'listed', creatorIds: [fx.program.ownerId] },
    }),
  );
  return surfaces;
}
