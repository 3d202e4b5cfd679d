/**
 * Edit, Pause, Resume and Remove on `/program schedules` (and a portfolio's): checked on the server,
 * then the list redrawn in place; Edit opens the schedule's form filled in (checked again on submit).
 */
import {
  changeSchedule,
  listSchedules,
  refOfSubject,
  scheduleForChange,
  type ScheduleChange,
} from '../../src/use-cases/schedules.js';
import { scheduleListView, scheduleModal } from '../../src/views/schedule-views.js';
import type { ButtonListener } from '../types.js';
import { readClick, refuse } from './click.js';
import { openModal } from './open-modal.js';

export const editScheduleClicked: ButtonListener = async (args) => {
  const { ack, body, context } = args;
  await ack();
  const { services } = context;
  const click = readClick(body);
  if (!click.id) return refuse(args, { kind: 'missing', what: 'schedule' });
  const actor = await context.actor();
  const found = await scheduleForChange(services.stores, actor, click.id);
  if (!found.ok) return refuse(args, found.problem);
  const { subject, schedule } = found.value;
  await openModal(args, scheduleModal(subject, actor.timezone, schedule), 'the schedule form');
};

const PAST: Record<ScheduleChange, string> = { pause: 'paused', resume: 'resumed', remove: 'removed' };

const change =
  (what: ScheduleChange): ButtonListener =>
  async (args) => {
    const { ack, body, respond, context } = args;
    await ack();
    const { services } = context;
    const click = readClick(body);
    if (!click.id) return refuse(args, { kind: 'missing', what: 'schedule' });
    const actor = await context.actor();
    const changed = await changeSchedule(services.stores, actor, click.id, what, services.now());
    if (!changed.ok) return refuse(args, changed.problem);
    context.saved(`The schedule is ${PAST[what]}`);
    const list = await listSchedules(services.stores, actor, refOfSubject(changed.value.subject));
    if (list.ok)
      await respond({
        ...scheduleListView(list.value.subject, list.value.schedules),
        replace_original: true,
      });
  };

export const pauseScheduleClicked = change('pause');
export const resumeScheduleClicked = change('resume');
export const removeScheduleClicked = change('remove');
