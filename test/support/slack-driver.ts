/** Slack's requests to the app, signed as Slack signs them: the local Slack peer's side (src/slack-peer/). */
export * from '../../src/slack-peer/slack-driver.js';
