import type { App, ViewSubmitAction } from '@slack/bolt';
import { MODAL, type ModalId } from '../../src/views/ids.js';
import type { CairnContext, ModalListener } from '../types.js';
import { newProgramSubmitted } from './program-new.js';
import { proposeDateSubmitted } from './propose-date.js';
import { newScheduleSubmitted } from './schedule-new.js';
import { updateSubmitted } from './status-update.js';
import { settingsSubmitted } from './workspace-settings.js';

/** Every modal Cairn opens, by callback id. */
export const modalListeners: Record<ModalId, ModalListener> = {
  [MODAL.update]: updateSubmitted,
  [MODAL.newProgram]: newProgramSubmitted,
  [MODAL.newSchedule]: newScheduleSubmitted,
  [MODAL.settings]: settingsSubmitted,
  [MODAL.proposeDate]: proposeDateSubmitted,
};

export function register(app: App): void {
  for (const [callbackId, listener] of Object.entries(modalListeners))
    app.view<ViewSubmitAction, CairnContext>(callbackId, listener);
}
