/** The program manager's vocabulary (SPEC §1), shared by the domain, the data layer and the views. */

/** Stated health of a workstream in an update. `blocked` on the way in is off track with a blocker. */
export type Health = 'on_track' | 'at_risk' | 'off_track';

export type WorkstreamState = 'not_started' | 'active' | 'paused' | 'done' | 'cancelled';

export type UpdateSource = 'command' | 'modal' | 'button' | 'carried_forward';

/** A calendar date as the user meant it, in their timezone: `YYYY-MM-DD`. */
export type CalendarDate = string;

/** How a user names a workstream: `payments`, or `checkout/payments` where ambiguous. */
export interface WorkstreamRef {
  programKey?: string;
  workstreamKey: string;
}
