import type { App, BlockButtonAction, BlockOverflowAction } from '@slack/bolt';
import { ACTION, type ButtonActionId, type OverflowActionId } from '../../src/views/ids.js';
import type { ButtonListener, CairnContext, OverflowListener } from '../types.js';
import { escalateBlockerClicked, resolveBlockerClicked } from './blocker-buttons.js';
import {
  dependencyCommitClicked,
  dependencyDeclineClicked,
  dependencyProposeClicked,
} from './commitment-buttons.js';
import { dependencyBrokenClicked, dependencyMetClicked } from './dependency-buttons.js';
import { nudgeClicked, openHomeClicked, postUpdateClicked } from './digest-buttons.js';
import { digestLineChosen } from './digest-menu.js';
import { postDigestClicked, previewClicked } from './home-buttons.js';
import {
  editScheduleClicked,
  pauseScheduleClicked,
  removeScheduleClicked,
  resumeScheduleClicked,
} from './schedule-buttons.js';
import { editUpdateClicked, openUpdateClicked } from './update-buttons.js';
import { carryForwardClicked, detailsClicked, noChangeClicked } from './workstream-buttons.js';

/** Every button Cairn renders, by action id; the type makes a button without a listener a compile error. */
export const buttonListeners: Record<ButtonActionId, ButtonListener> = {
  [ACTION.updateOpen]: openUpdateClicked,
  [ACTION.updateCarryForward]: carryForwardClicked,
  [ACTION.updateNoChange]: noChangeClicked,
  [ACTION.workstreamDetails]: detailsClicked,
  [ACTION.updateEdit]: editUpdateClicked,
  [ACTION.blockerResolve]: resolveBlockerClicked,
  [ACTION.blockerEscalate]: escalateBlockerClicked,
  [ACTION.dependencyMet]: dependencyMetClicked,
  [ACTION.dependencyBroken]: dependencyBrokenClicked,
  [ACTION.dependencyCommit]: dependencyCommitClicked,
  [ACTION.dependencyPropose]: dependencyProposeClicked,
  [ACTION.dependencyDecline]: dependencyDeclineClicked,
  [ACTION.digestPostUpdate]: postUpdateClicked,
  [ACTION.digestNudge]: nudgeClicked,
  [ACTION.digestOpenHome]: openHomeClicked,
  [ACTION.homePreview]: previewClicked,
  [ACTION.homePostDigest]: postDigestClicked,
  [ACTION.scheduleEdit]: editScheduleClicked,
  [ACTION.schedulePause]: pauseScheduleClicked,
  [ACTION.scheduleResume]: resumeScheduleClicked,
  [ACTION.scheduleRemove]: removeScheduleClicked,
};

/** Every overflow menu Cairn renders, by action id: Slack sends the option chosen, not a button's value. */
export const overflowListeners: Record<OverflowActionId, OverflowListener> = {
  [ACTION.digestLineMenu]: digestLineChosen,
};

export function register(app: App): void {
  for (const [actionId, listener] of Object.entries(buttonListeners))
    app.action<BlockButtonAction, CairnContext>(actionId, listener);
  for (const [actionId, listener] of Object.entries(overflowListeners))
    app.action<BlockOverflowAction, CairnContext>(actionId, listener);
}
