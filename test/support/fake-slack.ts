/** The tests' fake Slack is the local Slack peer that ships with Cairn (src/slack-peer/). */
export * from '../../src/slack-peer/slack-peer.js';
