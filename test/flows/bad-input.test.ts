/**
 * Bad input through the real receiver: each gets a specific ephemeral answer within Slack's
 * 3 seconds, and none writes anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockFrom } from '../../src/clock.js';
import { startCairn, type RunningCairn } from '../support/cairn-harness.js';
import { ask, countWrites } from '../support/conversation.js';
import { testDatabase } from '../support/database.js';

const PM = 'U0PM';
/** Wednesday 25 November 2026, 10:00 in New York (the PM's zone): `dec 1` is Tue 1 Dec 2026. */
const NOW = new Date('2026-11-25T15:00:00Z');
const OTHER_TEAM = 'TOTHER';
let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

beforeAll(async () => {
  db = await testDatabase('bad-input');
  running = await startCairn(db.connection, { now: clockFrom(NOW) });
  running.slack.setRateLimiting(false);
  running.slack.setUser({ id: PM, tz: 'America/New_York' });
  const setup: Array<[string, string, string?]> = [
    ['/program', 'new checkout "Checkout"'],
    ['/program', 'new billing "Billing"'],
    ['/program', `add checkout payments "Payments" team:payments lead:<@${PM}>`],
    ['/program', `add billing payments "Billing payments" team:payments lead:<@${PM}>`],
    ['/program', `add checkout web "Web" team:web lead:<@${PM}>`],
    ['/program', 'new secret "Another workspace\'s program"', OTHER_TEAM],
    ['/program', `add secret vault "Vault" team:x lead:<@${PM}>`, OTHER_TEAM],
  ];
  for (const [command, text, teamId] of setup) {
    const answer = await ask(running, command as '/program', text, {
      userId: PM,
      ...(teamId ? { teamId } : {}),
    });
    expect(answer.all).toMatch(/^(Created|Added)/);
  }
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

const KEY_RULE = 'keys are 1–32 lower-case letters, digits and dashes';
const DATE_HELP = 'Dates look like `2026-12-15`';
const cases: Array<[string, '/program' | '/status', string, string | RegExp]> = [
  ['unknown subcommand', '/program', 'frobnicate', "I don't know the subcommand `frobnicate`."],
  [
    'unknown subcommand, with usage',
    '/program',
    'delete checkout',
    /I don't know the subcommand `delete`\.[\s\S]*\/program new checkout/,
  ],
  ['a mention as subcommand', '/program', '<!channel>', "I don't know the subcommand `&lt;!channel&gt;`."],
  ['@here as subcommand', '/program', '<!here> hello', "I don't know the subcommand `&lt;!here&gt;`."],
  ['show without a key', '/program', 'show', '`/program show` needs a program key.'],
  ['unknown program', '/program', 'show nope', 'There is no program `nope` here.'],
  ["another workspace's program", '/program', 'show secret', 'There is no program `secret` here.'],
  [
    "archiving another workspace's program",
    '/program',
    'archive secret',
    'There is no program `secret` here.',
  ],
  [
    'a key with punctuation',
    '/program',
    'show Checkout!',
    `\`Checkout!\` isn't a valid program key: ${KEY_RULE}`,
  ],
  ['an operator object as key', '/program', 'show {"$gt": ""}', `\`{"$gt":\` isn't a valid program key`],
  ['an emoji key', '/program', 'new 🚀 "Rocket"', `\`🚀\` isn't a valid program key`],
  ['a right-to-left key', '/program', 'new مرحبا "Hello"', `\`مرحبا\` isn't a valid program key`],
  [
    'a name without quotes',
    '/program',
    'new launch Launch',
    'Put the program name in double quotes, like `"Launch"`.',
  ],
  [
    'a missing closing quote',
    '/program',
    'new launch "Launch day',
    'The quote at character 12 (`"Launch day`) is never closed',
  ],
  ['an empty name', '/program', 'new launch ""', "The program name can't be empty."],
  [
    'an unknown option',
    '/program',
    'new launch "Launch" colour:red',
    "`/program new` doesn't take `colour:`; it takes `objective:` and `channel:`.",
  ],
  [
    'a repeated option',
    '/program',
    'new launch "L" objective:"a" objective:"b"',
    'You gave `objective:` twice; give it once.',
  ],
  [
    'a taken program key',
    '/program',
    'new checkout "Checkout again"',
    'A program `checkout` exists already. Pick another key.',
  ],
  [
    'add without lead',
    '/program',
    'add checkout api "API" team:api',
    '`/program add` needs `lead:`; see the example.',
  ],
  [
    'add without team',
    '/program',
    `add checkout api "API" lead:<@${PM}>`,
    '`/program add` needs `team:`; see the example.',
  ],
  [
    'a lead typed as plain text',
    '/program',
    'add checkout api "API" team:api lead:@dana',
    'Pick the person from the @ autocomplete',
  ],
  [
    'a channel as lead',
    '/program',
    'add checkout api "API" team:api lead:<#C1|general>',
    '`lead:` must be a person mention, not `#general`.',
  ],
  [
    'an impossible date',
    '/program',
    `add checkout api "API" team:api lead:<@${PM}> due:2026-02-30`,
    `I couldn't read \`2026-02-30\` as a date. ${DATE_HELP}`,
  ],
  [
    'a nonsense date',
    '/program',
    `add checkout api "API" team:api lead:<@${PM}> due:dec 45`,
    "I couldn't read `dec 45` as a date.",
  ],
  [
    'a taken workstream key',
    '/program',
    `add checkout web "Web 2" team:web lead:<@${PM}>`,
    '`checkout` has a workstream `web` already.',
  ],
  [
    'depend without "on"',
    '/program',
    'depend web payments by dec 1 "x"',
    'I expected the word `on` after the first workstream, not `payments`.',
  ],
  ['depend on itself', '/program', 'depend web on web by dec 1 "x"', "A workstream can't depend on itself."],
  [
    'depend without deliverable',
    '/program',
    'depend web on checkout/payments by dec 1',
    '`/program depend` needs a deliverable in double quotes.',
  ],
  [
    'an ambiguous workstream',
    '/program',
    'depend web on payments by dec 1 "API"',
    'More than one program has a workstream `payments`: say which, e.g. `checkout/payments`, `billing/payments`.',
  ],
  [
    'an unknown workstream',
    '/program',
    'depend web on nope by dec 1 "API"',
    'There is no workstream `nope` here.',
  ],
  [
    'a blocker without quotes',
    '/program',
    'blocker web waiting on legal',
    'Put the blocker text in double quotes, like `"waiting on legal"`.',
  ],
  [
    "another workspace's workstream",
    '/program',
    'blocker vault "sabotage"',
    'There is no workstream `vault` here.',
  ],
  [
    'a milestone without date',
    '/program',
    'milestone checkout "Beta"',
    '`/program milestone` needs a date for the milestone (or `done`, or `moved:<date>`).',
  ],
  [
    'a milestone needing an unknown workstream',
    '/program',
    'milestone checkout "Beta" 2027-01-20 needs:nope',
    'There is no workstream `checkout/nope` here.',
  ],
  ['a zero capacity', '/program', 'resource "SRE" capacity:0', "`0` isn't a valid capacity"],
  [
    'allocating an unknown resource',
    '/program',
    'allocate "Test lab" web 2 from:dec 1 to:dec 10',
    'There is no shared resource `Test lab`.',
  ],
  [
    'an allocation ending before it starts',
    '/program',
    'allocate "SRE" web 2 from:dec 10 to:dec 1',
    'The allocation ends (Tue 1 Dec 2026) before it starts (Thu 10 Dec 2026).',
  ],
  [
    '5,000 characters',
    '/program',
    `show ${'x'.repeat(4995)}`,
    "That's 5,000 characters; commands are limited to 3,000.",
  ],
  [
    'a control character',
    '/program',
    'show checkout\u0007',
    'Your command has an invisible control character (U+0007) at character 14; please retype it.',
  ],
  [
    'trailing words',
    '/program',
    'show checkout please now',
    "I don't know what to do with `please now` in `/program show`.",
  ],
  [
    'a bad health word',
    '/status',
    'web purple all fine',
    "`purple` isn't a health word; use `green`/`on-track`",
  ],
  [
    'progress over 100',
    '/status',
    'web green 140% done twice',
    "Progress is a whole percentage from 0 to 100; `140%` isn't one.",
  ],
  [
    'an ambiguous workstream in /status',
    '/status',
    'payments green',
    'More than one program has a workstream `payments`',
  ],
  ['an unknown workstream in /status', '/status', 'nope green', 'There is no workstream `nope` here.'],
  [
    "another workspace's workstream in /status",
    '/status',
    'secret/vault red',
    'There is no workstream `secret/vault` here.',
  ],
  ['an operator string as workstream', '/status', '{"$ne":null} green', '`{"$ne":null}` isn\'t a workstream'],
  ['@here as workstream', '/status', '<!here> green', "`&lt;!here&gt;` isn't a workstream"],
  [
    'a huge summary',
    '/status',
    `web green ${'y'.repeat(2100)}`,
    'The summary is 2,100 characters; keep it to 2,000.',
  ],
  [
    'a huge /status text',
    '/status',
    `web green ${'z'.repeat(5000)}`,
    "That's 5,010 characters; commands are limited to 3,000.",
  ],
];

describe('bad input', () => {
  it(`has at least 40 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)(
    'answers %s with a specific ephemeral message within 3 s, writing nothing',
    async (_case, command, text, expected) => {
      const before = await countWrites(db.connection);
      const answer = await ask(running, command, text, { userId: PM });
      expect(answer.response_type).toBe('ephemeral');
      expect(answer.elapsedMs).toBeLessThan(3_000);
      if (typeof expected === 'string') expect(answer.all).toContain(expected);
      else expect(answer.all).toMatch(expected);
      // Nothing the user typed can ping anyone from the answer.
      expect(answer.all).not.toMatch(/<!(channel|here|everyone)/);
      expect(await countWrites(db.connection)).toEqual(before);
    },
  );
});
