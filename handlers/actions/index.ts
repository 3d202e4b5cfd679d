import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTION, type ActionId } from '../../src/views/ids.js';
import type { ButtonListener, CairnContext } from '../types.js';
import { escalateBlockerClicked, resolveBlockerClicked } from './blocker-buttons.js';
import { dependencyBrokenClicked, dependencyMetClicked } from './dependency-buttons.js';
import { nudgeClicked, openHomeClicked, postUpdateClicked } from './digest-buttons.js';
import { postDigestClicked, previewClicked } from './home-buttons.js';
import { pauseScheduleClicked, removeScheduleClicked, resumeScheduleClicked } from './schedule-buttons.js';
import { editUpdateClicked, openUpdateClicked } from './update-buttons.js';
import { carryForwardClicked, detailsClicked } from './workstream-buttons.js';

/** Every button Cairn renders, by action id; the type makes a button without a listener a compile error. */
export const buttonListeners: Record<ActionId, ButtonListener> = {
  [ACTION.updateOpen]: openUpdateClicked,
  [ACTION.updateCarryForward]: carryForwardClicked,
  [ACTION.workstreamDetails]: detailsClicked,
  [ACTION.updateEdit]: editUpdateClicked,
  [ACTION.blockerResolve]: resolveBlockerClicked,
  [ACTION.blockerEscalate]: escalateBlockerClicked,
  [ACTION.dependencyMet]: dependencyMetClicked,
  [ACTION.dependencyBroken]: dependencyBrokenClicked,
  [ACTION.digestPostUpdate]: postUpdateClicked,
  [ACTION.digestNudge]: nudgeClicked,
  [ACTION.digestOpenHome]: openHomeClicked,
  [ACTION.homePreview]: previewClicked,
  [ACTION.homePostDigest]: postDigestClicked,
  [ACTION.schedulePause]: pauseScheduleClicked,
  [ACTION.scheduleResume]: resumeScheduleClicked,
  [ACTION.scheduleRemove]: removeScheduleClicked,
};

export function register(app: App): void {
  for (const [actionId, listener] of Object.entries(buttonListeners))
    app.action<BlockButtonAction, CairnContext>(actionId, listener);
}
