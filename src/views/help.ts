import type { KnownBlock } from '@slack/types';
import { section } from './blocks.js';

export interface HelpMessage {
  response_type: 'ephemeral';
  text: string;
  blocks: KnownBlock[];
}

const PROGRAM_USAGE = [
  '*Programs*',
  '`/program new checkout "Checkout revamp" objective:"Cut cart abandonment" channel:#checkout`',
  '`/program list` · `/program show checkout` · `/program archive checkout` · `/program unarchive checkout`',
  '`/program export checkout since:2026-11-01` sends you a CSV of its status updates by DM; `as:client` leaves internal ones and Slack ids out',
  '`/program set checkout name:"Checkout 2.0" objective:"…" channel:#checkout audience:client` (`audience:client`: it then has a client digest)',
  '`/program owner checkout @dana` hands it over · `/program admins checkout add @lee` (or `remove`)',
  '`/program settings` (workspace admins): default timezone, when work is stale and blockers escalate, who may create programs',
  '`/program sample remove` deletes the sample portfolio: its `sample-…` programs and everything of theirs',
  '*Workstreams, dependencies, blockers, milestones*',
  '`/program add checkout payments "Payments API" team:payments lead:@dana due:2026-12-15`',
  '`/program depend checkout/web on checkout/payments by dec 15 "Tokenised card API"`',
  '`/program blocker payments "Waiting on PCI sign-off"` (internal unless `internal:no`: client digests leave its text out)',
  '`/program set checkout payments state:done` (`active`, `paused`, `done`, `cancelled`) · `… due:jan 15 lead:@lee team:payments name:"…" phase:"Beta"`',
  '`/program milestone checkout "Beta launch" 2027-01-20 needs:payments,web` (`internal:yes` keeps it out of client digests)',
  '`/program milestone checkout "Beta launch" done` · `… moved:2027-02-03` · `/program milestones checkout`',
  '*Shared capacity*',
  '`/program resource "SRE team" capacity:10` · `/program allocate "SRE team" payments 4 from:mon to:in 3 weeks`',
  '*Risks*',
  '`/program risks checkout` (or `risks portfolio:emea`): at-risk chains, cycles, broken dependencies, milestone forecasts, the critical path, bottlenecks, capacity conflicts',
  '*Portfolios*',
  '`/program portfolio new emea "EMEA launches"` · `/program portfolio add emea checkout payments` · `/program portfolio preview emea` · `/program portfolio digest emea` (posts here) · `/program portfolio schedule emea`',
  '*Digests*',
  '`/program schedule checkout` · `/program schedules checkout` · `/program digest checkout` · `/program preview checkout`',
  '`/program preview checkout as:client` (or `as:leadership`); `/program digest checkout as:client` posts it',
  '`/program follow checkout` sends you its scheduled digests by DM · `/program unfollow checkout` stops them',
  'Dates: `2026-12-15`, `dec 15`, `fri`, `next monday`, `tomorrow` (your Slack timezone). Name a workstream `program/workstream` where it is ambiguous.',
].join('\n');

const STATUS_USAGE = [
  '*Report status*',
  '`/status` opens the update form for your workstreams.',
  '`/status payments green Card vault migrated, on to 3DS` records a quick update.',
  '`/status payments amber 60% forecast:dec 15 PCI review slipped a week` adds progress and a forecast date (your Slack timezone).',
  '`/status payments amber internal:yes Vendor contract under review` keeps its words out of client digests.',
  '`/status payments` shows the payments card: latest update, health trend, blockers, dependencies.',
  '`/status payments history` shows its last 20 updates: when, health, progress, forecast, summary, who and how.',
  '`/status away until dec 10` stops reminders and escalations to you through that day; your workstreams show “lead away”. `/status back` ends it early.',
  'Health: `green`/`on-track` 🟢 · `amber`/`yellow`/`at-risk` 🟡 · `red`/`off-track` 🔴 · `blocked` (off track with a blocker).',
].join('\n');

/** Usage for /program; `problem` (already worded for the user) explains why they are seeing it. */
export function programHelp(problem?: string): HelpMessage {
  return helpMessage('/program', PROGRAM_USAGE, problem);
}

export function statusHelp(problem?: string): HelpMessage {
  return helpMessage('/status', STATUS_USAGE, problem);
}

function helpMessage(command: string, usage: string, problem: string | undefined): HelpMessage {
  const blocks: KnownBlock[] = [];
  // section() keeps each text within Slack's 3,000 characters, however long the problem.
  if (problem) blocks.push(section(`:warning: ${problem}`));
  blocks.push(section(usage));
  const text = problem ? `${problem} — see \`${command} help\`` : `How to use ${command}`;
  return { response_type: 'ephemeral', text, blocks };
}
