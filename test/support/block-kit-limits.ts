/** Slack's Block Kit limits, as the local Slack peer enforces them (src/slack-peer/). */
export * from '../../src/slack-peer/block-kit-limits.js';
