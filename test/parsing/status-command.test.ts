import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { todayIn } from '../../src/parsing/dates.js';
import { describeHealthWords, HEALTH_WORDS, parseHealth } from '../../src/parsing/health-words.js';
import {
  FORECAST_EXAMPLE,
  INTERNAL_EXAMPLE,
  parseStatusCommand,
  type StatusRequest,
} from '../../src/parsing/status-command.js';

const ctx = { now: new Date('2026-11-25T20:00:00Z'), timezone: 'Pacific/Auckland' };
const payments = { workstreamKey: 'payments' };

function request(text: string): StatusRequest {
  const parsed = parseStatusCommand(text, ctx);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.problem}`);
  return parsed.request;
}

const EXAMPLE = '`/status payments green Card vault migrated, on to 3DS`';

function problem(text: string): string {
  const parsed = parseStatusCommand(text, ctx);
  if (parsed.ok) throw new Error(`${text}: expected a problem, got ${JSON.stringify(parsed.request)}`);
  expect(parsed.example).toBe(EXAMPLE);
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

// Quick forecasts. In Auckland at 2026-11-25T20:00Z it is already Thu 26 Nov (09:00), while in UTC it
// is still Wed 25 Nov: every relative date below is counted from the user's Thursday.
const forecastUpdate = (forecastDate: string, summary: string, progress?: number) => ({
  ...update('on_track', false, summary, progress),
  forecastDate,
});

describe('parseStatusCommand: forecast:<date>', () => {
  it.each<[string, unknown]>([
    ['payments green forecast:2026-12-15 shipped', forecastUpdate('2026-12-15', 'shipped')],
    ['payments green forecast:dec 15 shipped', forecastUpdate('2026-12-15', 'shipped')],
    ['payments green forecast:15 dec shipped', forecastUpdate('2026-12-15', 'shipped')],
    ['payments green forecast:Dec 15th, shipped', forecastUpdate('2026-12-15', 'shipped')],
    ['payments green forecast:dec 15 2027 shipped', forecastUpdate('2027-12-15', 'shipped')],
    ['payments green forecast:dec 15 15 tests left', forecastUpdate('2026-12-15', '15 tests left')],
    ['payments green forecast:today', forecastUpdate('2026-11-26', '')],
    [
      'payments green forecast:2026-11-26 today for the user, tomorrow in UTC',
      forecastUpdate('2026-11-26', 'today for the user, tomorrow in UTC'),
    ],
    ['payments green forecast:tomorrow', forecastUpdate('2026-11-27', '')],
    ['payments green forecast:fri', forecastUpdate('2026-11-27', '')],
    ['payments green forecast:wed (today in UTC)', forecastUpdate('2026-12-02', '(today in UTC)')],
    ['payments green forecast:next friday shipped', forecastUpdate('2026-12-04', 'shipped')],
    ['payments green forecast:in 2 weeks', forecastUpdate('2026-12-10', '')],
    ['payments green forecast:"dec 15" shipped', forecastUpdate('2026-12-15', 'shipped')],
    ['payments green forecast: dec 15 shipped', forecastUpdate('2026-12-15', 'shipped')],
    ['payments green FORECAST:DEC 15 shipped', forecastUpdate('2026-12-15', 'shipped')],
    ['payments green 40% forecast:dec 15 shipped', forecastUpdate('2026-12-15', 'shipped', 40)],
    ['payments green forecast:dec 15 40% shipped', forecastUpdate('2026-12-15', 'shipped', 40)],
    ['payments green forecast:dec 15 40% 50% of tests', forecastUpdate('2026-12-15', '50% of tests', 40)],
    // Not options: no colon, a space after `Internal:`, a key the command doesn't take.
    ['payments green Forecast holds', update('on_track', false, 'Forecast holds')],
    ['payments green Internal: tooling migrated', update('on_track', false, 'Internal: tooling migrated')],
    ['payments green Note: forecast holds', update('on_track', false, 'Note: forecast holds')],
    ['payments green 40% 50% of tests', update('on_track', false, '50% of tests', 40)],
  ])('%j', (text, expected) => {
    expect(request(text)).toEqual(expected);
  });

  function forecastProblem(text: string, example = FORECAST_EXAMPLE): string {
    const parsed = parseStatusCommand(text, ctx);
    if (parsed.ok) throw new Error(`${text}: expected a problem, got ${JSON.stringify(parsed.request)}`);
    expect(parsed.example).toBe(example);
    return parsed.problem;
  }

  it.each<[string, string]>([
    [
      'payments green forecast:someday shipped',
      "I couldn't read `someday` as a forecast date. Dates look like `2026-12-15`, `dec 15`, `fri`, `next monday`, `tomorrow` or `in 2 weeks`.",
    ],
    ['payments green forecast:dec 45 shipped', "I couldn't read `dec 45` as a forecast date."],
    ['payments green forecast:2026-02-30', "I couldn't read `2026-02-30` as a forecast date."],
    ['payments green forecast:<@U1|dana> shipped', 'as a forecast date.'],
    ['payments green forecast:', '`forecast:` needs a date, like `forecast:dec 15`.'],
    ['payments green forecast: "shipped"', '`forecast:` needs a date'],
    [
      'payments green forecast:2026-11-25 shipped',
      "Your forecast, Wed 25 Nov 2026, has passed (it's Thu 26 Nov 2026 for you); forecast the day you now expect to finish, today or later.",
    ],
    ['payments green forecast:dec 1 2025', 'Your forecast, Mon 1 Dec 2025, has passed'],
    ['payments green forecast:dec 15 forecast:dec 16 shipped', 'You gave `forecast:` twice; give it once.'],
    ['payments green 40% forecast:dec 15 forecast:dec 16', 'You gave `forecast:` twice'],
    [
      'payments green shipped the vault forecast:dec 15',
      'Put `forecast:dec` before the summary, right after the health word (and progress), so it is read as the forecast.',
    ],
  ])('%j', (text, part) => {
    expect(forecastProblem(text)).toContain(part);
  });

  it.each<[string, boolean, string]>([
    ['payments green internal:yes shipped', true, 'shipped'],
    ['payments green 40% forecast:dec 15 internal:no shipped', false, 'shipped'],
    ['payments green INTERNAL:Yes', true, ''],
    ['payments green internal: no, shipped', false, 'shipped'],
    ['payments green internal:yes 40% shipped', true, 'shipped'],
  ])('reads internal:yes|no among the options: %j', (text, internal, summary) => {
    const read = request(text);
    expect(read).toMatchObject({ kind: 'update', internal, summary });
  });

  it('leaves internal unset when not given, and reads `Internal: …` with a space as the summary', () => {
    expect(request('payments green shipped')).not.toHaveProperty('internal');
    expect(request('payments green Internal: the audit passed')).toEqual(
      update('on_track', false, 'Internal: the audit passed'),
    );
  });

  it.each<[string, string]>([
    [
      'payments green internal:perhaps shipped',
      '`internal:` is `yes` (its summary and next steps stay out of client digests) or `no`, not `perhaps`; nothing was recorded.',
    ],
    [
      'payments green internal:',
      '`internal:` needs `yes` (its summary and next steps stay out of client digests) or `no`',
    ],
    ['payments green internal:yes internal:no shipped', 'You gave `internal:` twice; give it once.'],
    [
      'payments green shipped, internal:yes',
      'Put `internal:yes` before the summary, right after the health word (and progress), so it is read as the option; nothing was recorded.',
    ],
  ])('refuses an unclear internal: rather than posting it as summary text: %j', (text, part) => {
    expect(forecastProblem(text, INTERNAL_EXAMPLE)).toContain(part);
  });

  it('refuses a bad progress after a forecast', () => {
    expect(forecastProblem('payments green forecast:dec 15 140%', EXAMPLE)).toBe(
      "Progress is a whole percentage from 0 to 100; `140%` isn't one.",
    );
  });

  const ZONES = [
    'UTC',
    'Pacific/Auckland',
    'Pacific/Kiritimati',
    'Pacific/Pago_Pago',
    'Pacific/Chatham',
    'America/New_York',
  ];
  const SUMMARY_WORDS = [
    'shipped',
    'the',
    'vault',
    '15',
    'dec',
    '2027',
    'next',
    'friday',
    'in',
    'weeks',
    'PCI',
    'done,',
    '🚀',
    'Note:',
    'today',
  ];

  it('reads any forecast:YYYY-MM-DD within two years wherever it sits among the options, and keeps it out of the summary', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2025-01-01T00:00:00Z'),
          max: new Date('2030-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 730 }),
        fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
        fc.boolean(),
        fc.array(fc.constantFrom(...SUMMARY_WORDS), { maxLength: 6 }),
        (now, timezone, days, percent, forecastFirst, words) => {
          const context = { now, timezone };
          const date = DateTime.fromISO(todayIn(context), { zone: 'utc' })
            .plus({ days })
            .toFormat('yyyy-MM-dd');
          const options = [`forecast:${date}`, ...(percent === undefined ? [] : [`${percent}%`])];
          if (!forecastFirst) options.reverse();
          const text = ['payments', 'amber', ...options, ...words].join(' ');
          const parsed = parseStatusCommand(text, context);
          expect(parsed.ok).toBe(true);
          if (!parsed.ok || parsed.request.kind !== 'update') return;
          expect(parsed.request.forecastDate).toBe(date);
          expect(parsed.request.progress).toBe(percent);
          expect(parsed.request.summary).toBe(words.join(' '));
          expect(parsed.request.summary).not.toContain('forecast:');
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('/status away until <date> and /status back', () => {
  // ctx: 2026-11-26 in Auckland.
  const awayProblem = (text: string) => {
    const parsed = parseStatusCommand(text, ctx);
    if (parsed.ok) throw new Error(`${text}: expected a problem, got ${JSON.stringify(parsed.request)}`);
    expect(parsed.example).toContain('/status away until');
    return parsed.problem;
  };

  it.each([
    ['away until 2026-12-10', { kind: 'away', until: '2026-12-10' }],
    ['AWAY until dec 10', { kind: 'away', until: '2026-12-10' }],
    ['away until today', { kind: 'away', until: '2026-11-26' }],
    ['away until tomorrow', { kind: 'away', until: '2026-11-27' }],
    ['back', { kind: 'back' }],
    ['  back  ', { kind: 'back' }],
  ])('%s', (text, expected) => {
    expect(request(text)).toEqual(expected);
  });

  it('leaves a workstream keyed away or back reachable: with a health word, or after `back`', () => {
    expect(request('away green fine')).toMatchObject({
      kind: 'update',
      workstream: { workstreamKey: 'away' },
    });
    expect(request('back history')).toEqual({ kind: 'history', workstream: { workstreamKey: 'back' } });
    expect(request('checkout/away')).toEqual({
      kind: 'card',
      workstream: { programKey: 'checkout', workstreamKey: 'away' },
    });
  });

  it('refuses no date, a date it cannot read, and a day that has passed for the user', () => {
    expect(awayProblem('away')).toContain('Say until when');
    expect(awayProblem('away on holiday')).toContain('Say until when');
    expect(awayProblem('away until the cows come home')).toContain("isn't a date I can read");
    // 2026-11-25 is yesterday in Auckland, though still today in UTC.
    expect(awayProblem('away until 2026-11-25')).toContain('has passed');
  });

  it('takes any day from the user’s today on, and none before it', () => {
    const today = DateTime.fromISO(todayIn(ctx), { zone: 'UTC' });
    fc.assert(
      fc.property(fc.integer({ min: -400, max: 400 }), (offset) => {
        const day = today.plus({ days: offset }).toISODate()!;
        const parsed = parseStatusCommand(`away until ${day}`, ctx);
        expect(parsed.ok).toBe(offset >= 0);
        if (parsed.ok) expect(parsed.request).toEqual({ kind: 'away', until: day });
      }),
    );
  });
});
