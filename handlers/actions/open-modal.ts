import type { View } from '@slack/types';
import { problemAnswer } from '../../src/views/answer.js';
import { tell, type Clicked } from './click.js';

/**
 * Opens a modal from a click. Slack's trigger id lives 3 seconds: a click that reached Cairn too late
 * is told to click again; any other failure says what could not be opened.
 */
export async function openModal(args: Clicked, view: View, what: string): Promise<void> {
  try {
    await args.client.views.open({ trigger_id: args.body.trigger_id, view });
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code === 'expired_trigger_id' || code === 'exchanged_trigger_id')
      return tell(
        args,
        problemAnswer(`That click reached me too late for Slack to open ${what}. Please click again.`),
      );
    args.context.services.log.error({ err: error }, `could not open ${what}`);
    return tell(args, problemAnswer(`I could not open ${what} just now. Please try again in a minute.`));
  }
}
