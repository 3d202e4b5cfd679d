import { describe, expect, it } from 'vitest';
import { describeHealthWords, HEALTH_WORDS, parseHealth } from '../../src/parsing/health-words.js';
import { parseStatusCommand, type StatusRequest } from '../../src/parsing/status-command.js';

const ctx = { now: new Date('2026-11-25T20:00:00Z'), timezone: 'Pacific/Auckland' };
const payments = { workstreamKey: 'payments' };

function request(text: string): StatusRequest {
  const parsed = parseStatusCommand(text, ctx);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.problem}`);
  return parsed.request;
}

function problem(text: string): string {
  const parsed = parseStatusCommand(text, ctx);
  if (parsed.ok) throw new Error(`${text}: expected a problem, got ${JSON.stringify(parsed.request)}`);
  expect(parsed.example).toBe('`/status payments green Card vault migrated, on to 3DS`');
  return parsed.problem;
}

const update = (health: string, blocked: boolean, summary: string, progress?: number) => ({
  kind: 'update',
  workstream: payments,
  health,
  blocked,
  summary,
  ...(progress === undefined ? {} : { progress }),
});

describe('parseHealth', () => {
  it.each([
    ['green', 'on_track', false],
    ['GREEN', 'on_track', false],
    ['on-track', 'on_track', false],
    ['ontrack', 'on_track', false],
    ['🟢', 'on_track', false],
    [':large_green_circle:', 'on_track', false],
    ['amber', 'at_risk', false],
    ['Yellow', 'at_risk', false],
    ['at-risk', 'at_risk', false],
    ['atrisk', 'at_risk', false],
    ['🟡', 'at_risk', false],
    [':large_yellow_circle:', 'at_risk', false],
    ['red', 'off_track', false],
    ['off-track', 'off_track', false],
    ['offtrack', 'off_track', false],
    ['🔴', 'off_track', false],
    ['🔴\uFE0F', 'off_track', false],
    [':red_circle:', 'off_track', false],
    ['blocked', 'off_track', true],
    ['BLOCKED', 'off_track', true],
  ])('%j → %s', (word, health, blocked) => {
    expect(parseHealth(word)).toEqual({ health, blocked });
  });

  it.each(['g', 'on', 'track', 'done', 'greenish', '', ':green_circle:', '⚪'])('refuses %j', (word) => {
    expect(parseHealth(word)).toBeUndefined();
  });

  it('lists the words for help text', () => {
    expect(describeHealthWords()).toBe(
      '`green`/`on-track`, `amber`/`yellow`/`at-risk`, `red`/`off-track` or `blocked`',
    );
    expect(HEALTH_WORDS.map((h) => h.word)).toContain(':red_circle:');
  });
});

describe('parseStatusCommand: requests', () => {
  it.each<[string, unknown]>([
    ['', { kind: 'modal' }],
    ['  \n ', { kind: 'modal' }],
    ['help', { kind: 'help' }],
    [' HELP ', { kind: 'help' }],
    ['payments', { kind: 'card', workstream: payments }],
    ['Payments ', { kind: 'card', workstream: payments }],
    [
      'checkout/payments',
      { kind: 'card', workstream: { programKey: 'checkout', workstreamKey: 'payments' } },
    ],
    ['payments green', update('on_track', false, '')],
    [
      'payments green Card vault migrated, on to 3DS',
      update('on_track', false, 'Card vault migrated, on to 3DS'),
    ],
    ['payments amber   waiting\n\non   PCI ', update('at_risk', false, 'waiting on PCI')],
    ['payments red 40%', update('off_track', false, '', 40)],
    ['payments blocked 0% not started', update('off_track', true, 'not started', 0)],
    ['payments at-risk 100% done, pending sign-off', update('at_risk', false, 'done, pending sign-off', 100)],
    ['payments green: all good', update('on_track', false, 'all good')],
    ['payments 🟡 slipping', update('at_risk', false, 'slipping')],
    ['payments :red_circle: down', update('off_track', false, 'down')],
    ['payments green 40 % of tests', update('on_track', false, '40 % of tests')],
    ['payments green R&amp;D &lt;3', update('on_track', false, 'R&D <3')],
    [
      'payments green "unbalanced quote and key:value',
      update('on_track', false, '"unbalanced quote and key:value'),
    ],
    [
      'payments green paired with <@U123ABC|dana> and <@U456>',
      update('on_track', false, 'paired with <@U123ABC> and <@U456>'),
    ],
    [
      'payments red <!channel> <!here> <!everyone> help',
      update('off_track', false, '@channel @here @everyone help'),
    ],
    ['payments red cc <!subteam^S1|@sre>', update('off_track', false, 'cc @sre')],
    ['payments red typed &lt;!channel&gt;', update('off_track', false, 'typed @channel')],
    ['payments green see <https://x.example/pr/1>', update('on_track', false, 'see https://x.example/pr/1')],
    ['payments green in <#C1|general>', update('on_track', false, 'in <#C1>')],
    ['payments green 🚀 שוחרר الإصدار', update('on_track', false, '🚀 שוחרר الإصدار')],
  ])('%j', (text, expected) => {
    expect(request(text)).toEqual(expected);
  });

  it('keeps a summary of exactly 2,000 characters', () => {
    const summary = 'x'.repeat(2_000);
    expect(request(`payments green ${summary}`)).toEqual(update('on_track', false, summary));
  });
});

describe('parseStatusCommand: problems name the bad part', () => {
  it.each<[string, string]>([
    [
      'payments done',
      "`done` isn't a health word; use `green`/`on-track`, `amber`/`yellow`/`at-risk`, `red`/`off-track` or `blocked`.",
    ],
    ['payments on track', "`on` isn't a health word"],
    ['payments <!channel>', "`&lt;!channel&gt;` isn't a health word"],
    ['payments green 140%', "Progress is a whole percentage from 0 to 100; `140%` isn't one."],
    ['payments green -5%', "`-5%` isn't one"],
    ['payments green 12.5%', "`12.5%` isn't one"],
    ['{"$gt": ""} green', '`{"$gt":` isn\'t a workstream'],
    ['pay_ments green', "`pay_ments` isn't a workstream"],
    ['💳 green', "`💳` isn't a workstream"],
    ['مدفوعات green', "`مدفوعات` isn't a workstream"],
    ['a/b/c green', "`a/b/c` isn't a workstream"],
    [':large_green_circle: payments', "`:large_green_circle:` isn't a workstream"],
    ['<@U1|dana> green', "`@dana` isn't a workstream"],
    ['<!here> green', "`&lt;!here&gt;` isn't a workstream"],
    ['"payments green', 'The quote at character 1'],
    [`payments green ${'x'.repeat(2_001)}`, 'The summary is 2,001 characters; keep it to 2,000.'],
    [`payments green ${'x'.repeat(5_000)}`, "That's 5,015 characters; commands are limited to 3,000."],
    ['payments green a\u0000b', 'control character (U+0000)'],
  ])('%j', (text, part) => {
    expect(problem(text)).toContain(part);
  });
});
