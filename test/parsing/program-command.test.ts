import { describe, expect, it } from 'vitest';
import { parseProgramCommand, type ProgramRequest } from '../../src/parsing/program-command.js';

// Thursday 26 Nov 2026 in Auckland (still Wednesday in UTC).
const ctx = { now: new Date('2026-11-25T20:00:00Z'), timezone: 'Pacific/Auckland' };

function request(text: string): ProgramRequest {
  const parsed = parseProgramCommand(text, ctx);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.problem}`);
  return parsed.request;
}

function refusal(text: string): { problem: string; example: string } {
  const parsed = parseProgramCommand(text, ctx);
  if (parsed.ok) throw new Error(`${text}: expected a problem, got ${JSON.stringify(parsed.request)}`);
  return parsed;
}

const ADD = 'add checkout payments "Payments API" team:payments lead:<@U123ABC|dana>';

describe('parseProgramCommand: requests', () => {
  it.each<[string, ProgramRequest]>([
    ['', { kind: 'help' }],
    ['   ', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['  HELP  ', { kind: 'help' }],
    ['help add', { kind: 'help' }],
    ['new', { kind: 'new-modal' }],
    ['NEW  ', { kind: 'new-modal' }],
    ['new checkout "Checkout revamp"', { kind: 'new', programKey: 'checkout', name: 'Checkout revamp' }],
    ['new Checkout “Checkout revamp”', { kind: 'new', programKey: 'checkout', name: 'Checkout revamp' }],
    [
      'new checkout "Checkout revamp" objective:"Cut cart abandonment" channel:<#C123ABC|checkout>',
      {
        kind: 'new',
        programKey: 'checkout',
        name: 'Checkout revamp',
        objective: 'Cut cart abandonment',
        channelId: 'C123ABC',
      },
    ],
    [
      'new q4-launch "Q4 launch" channel:<#C9|> objective:growth',
      { kind: 'new', programKey: 'q4-launch', name: 'Q4 launch', objective: 'growth', channelId: 'C9' },
    ],
    ['new checkout "Checkout" objective:""', { kind: 'new', programKey: 'checkout', name: 'Checkout' }],
    [
      'new checkout "  Checkout \n  revamp "',
      { kind: 'new', programKey: 'checkout', name: 'Checkout revamp' },
    ],
    [
      'new checkout "Launch <!channel> now"',
      { kind: 'new', programKey: 'checkout', name: 'Launch @channel now' },
    ],
    ['new checkout "<!here> R&amp;D"', { kind: 'new', programKey: 'checkout', name: '@here R&D' }],
    ['new checkout "🚀 إطلاق الدفع"', { kind: 'new', programKey: 'checkout', name: '🚀 إطلاق الدفع' }],
    ['new checkout "תשלומים 💳"', { kind: 'new', programKey: 'checkout', name: 'תשלומים 💳' }],
    ['list', { kind: 'list', includeArchived: false }],
    ['List ALL', { kind: 'list', includeArchived: true }],
    ['show checkout', { kind: 'show', programKey: 'checkout' }],
    ['archive Checkout', { kind: 'archive', programKey: 'checkout' }],
    ['schedule checkout', { kind: 'schedule', programKey: 'checkout' }],
    ['schedules checkout', { kind: 'schedules', programKey: 'checkout' }],
    ['risks checkout', { kind: 'risks', programKey: 'checkout' }],
    ['sample remove', { kind: 'sample', action: 'remove' }],
    ['Sample  REMOVE ', { kind: 'sample', action: 'remove' }],
    ['risks portfolio:EMEA', { kind: 'risks-portfolio', portfolioKey: 'emea' }],
    ['risks portfolio: emea', { kind: 'risks-portfolio', portfolioKey: 'emea' }],
    ['digest checkout', { kind: 'digest', programKey: 'checkout', variant: 'team' }],
    ['preview 2027-plan', { kind: 'preview', programKey: '2027-plan', variant: 'team' }],
    ['digest checkout as:client', { kind: 'digest', programKey: 'checkout', variant: 'client' }],
    ['preview checkout AS:Leadership', { kind: 'preview', programKey: 'checkout', variant: 'leadership' }],
    [
      'set checkout audience:client',
      { kind: 'set', programKey: 'checkout', changes: { audience: 'external' } },
    ],
    [
      'set checkout audience: internal',
      { kind: 'set', programKey: 'checkout', changes: { audience: 'internal' } },
    ],
    [
      ADD,
      {
        kind: 'add',
        programKey: 'checkout',
        workstreamKey: 'payments',
        name: 'Payments API',
        team: 'payments',
        leadUserId: 'U123ABC',
      },
    ],
    [
      'ADD checkout payments “Payments API” lead:<@U123ABC> team: Payments due:dec 15',
      {
        kind: 'add',
        programKey: 'checkout',
        workstreamKey: 'payments',
        name: 'Payments API',
        team: 'payments',
        leadUserId: 'U123ABC',
        due: '2026-12-15',
      },
    ],
    [`${ADD} due:next monday`, expect.objectContaining({ kind: 'add', due: '2026-11-30' }) as ProgramRequest],
    [`${ADD} due:in 2 weeks`, expect.objectContaining({ due: '2026-12-10' }) as ProgramRequest],
    [`${ADD} due:2026-12-15`, expect.objectContaining({ due: '2026-12-15' }) as ProgramRequest],
    [`${ADD} due: fri`, expect.objectContaining({ due: '2026-11-27' }) as ProgramRequest],
    [`${ADD} due:"dec 15th"`, expect.objectContaining({ due: '2026-12-15' }) as ProgramRequest],
    [
      'depend checkout/web on checkout/payments by dec 15 "Tokenised card API"',
      {
        kind: 'depend',
        consumer: { programKey: 'checkout', workstreamKey: 'web' },
        provider: { programKey: 'checkout', workstreamKey: 'payments' },
        by: '2026-12-15',
        deliverable: 'Tokenised card API',
      },
    ],
    [
      'depend web ON Payments BY next monday “Card API”',
      {
        kind: 'depend',
        consumer: { workstreamKey: 'web' },
        provider: { workstreamKey: 'payments' },
        by: '2026-11-30',
        deliverable: 'Card API',
      },
    ],
    [
      'blocker payments "Waiting on PCI sign-off from <@U9|sam> <!channel>"',
      {
        kind: 'blocker',
        workstream: { workstreamKey: 'payments' },
        text: 'Waiting on PCI sign-off from <@U9> @channel',
      },
    ],
    [
      'milestone checkout "Beta launch" 2027-01-20 needs:payments,checkout/web',
      {
        kind: 'milestone',
        programKey: 'checkout',
        name: 'Beta launch',
        date: '2027-01-20',
        needs: [{ workstreamKey: 'payments' }, { programKey: 'checkout', workstreamKey: 'web' }],
      },
    ],
    [
      'milestone checkout "Beta launch" jan 20 needs:payments, web,payments',
      {
        kind: 'milestone',
        programKey: 'checkout',
        name: 'Beta launch',
        date: '2027-01-20',
        needs: [{ workstreamKey: 'payments' }, { workstreamKey: 'web' }],
      },
    ],
    [
      'milestone checkout "GA" in 3 weeks',
      { kind: 'milestone', programKey: 'checkout', name: 'GA', date: '2026-12-17', needs: [] },
    ],
    ['resource "SRE team" capacity:10', { kind: 'resource', name: 'SRE team', capacityPerWeek: 10 }],
    ['resource staging capacity:2.5', { kind: 'resource', name: 'staging', capacityPerWeek: 2.5 }],
    ['resource lab capacity:10000', { kind: 'resource', name: 'lab', capacityPerWeek: 10_000 }],
    [
      'allocate "SRE team" payments 4 from:dec 1 to:dec 19',
      {
        kind: 'allocate',
        resource: 'SRE team',
        workstream: { workstreamKey: 'payments' },
        units: 4,
        from: '2026-12-01',
        to: '2026-12-19',
      },
    ],
    [
      'allocate sre checkout/payments 0.5 to:2027-01-15 from:today',
      {
        kind: 'allocate',
        resource: 'sre',
        workstream: { programKey: 'checkout', workstreamKey: 'payments' },
        units: 0.5,
        from: '2026-11-26',
        to: '2027-01-15',
      },
    ],
  ])('%j', (text, expected) => {
    expect(request(text)).toEqual(expected);
  });

  it('reads the date in the user’s timezone, and in UTC when that is unknown', () => {
    const due = (timezone: string) => {
      const parsed = parseProgramCommand(`${ADD} due:tomorrow`, { ...ctx, timezone });
      return parsed.ok && parsed.request.kind === 'add' ? parsed.request.due : undefined;
    };
    expect(due('Pacific/Auckland')).toBe('2026-11-27');
    expect(due('America/Los_Angeles')).toBe('2026-11-26');
    expect(due('Not/AZone')).toBe('2026-11-26');
  });
});

describe('parseProgramCommand: problems name the bad part', () => {
  it.each<[string, string]>([
    // unknown subcommands, quoted back inert
    ['frobnicate everything', "I don't know the subcommand `frobnicate`."],
    ['<!channel> hi', "I don't know the subcommand `&lt;!channel&gt;`."],
    ['team:payments', "I don't know the subcommand `team:payments`."],
    ['"new" checkout', 'I don\'t know the subcommand `"new"`.'],
    // keys
    ['show {"$gt": ""}', '`{"$gt":` isn\'t a valid program key'],
    ['new {"$gt":""} "Name"', '`{"$gt":""}` isn\'t a valid program key'],
    ['show check_out', "`check_out` isn't a valid program key"],
    ['show 🚀launch', "`🚀launch` isn't a valid program key"],
    ['show مشروع', "`مشروع` isn't a valid program key"],
    ['show תשלומים', "`תשלומים` isn't a valid program key"],
    ['show -checkout', "`-checkout` isn't a valid program key"],
    [
      `show ${'a'.repeat(33)}`,
      "isn't a valid program key: keys are 1–32 lower-case letters, digits and dashes",
    ],
    ['show <@U1|dana>', "`@dana` isn't a valid program key"],
    ['risks portfolio:bad!key', "`portfolio:bad!key` isn't a portfolio key"],
    ['risks portfolio:emea checkout', "I don't know what to do with `checkout`"],
    ['risks checkout as:client', "`/program risks` doesn't take `as:`"],
    ['sample', '`/program sample` needs the word `remove` after `sample`.'],
    ['sample delete', 'I expected the word `remove` after `sample`, not `delete`.'],
    ['sample remove all', "I don't know what to do with `all` in `/program sample`."],
    ['sample remove force:yes', "`/program sample` doesn't take `force:`; it takes no options."],
    ['show <!here>', "`&lt;!here&gt;` isn't a valid program key"],
    [
      'add checkout "Payments API" team:payments lead:<@U1>',
      'I expected a workstream key (like `payments`) where you wrote `"Payments API"`',
    ],
    ['add checkout pay$ments "P" team:payments lead:<@U1>', "`pay$ments` isn't a valid workstream key"],
    ['blocker a/b/c "x"', "`a/b/c` isn't a workstream"],
    ['blocker checkout/ "x"', "`checkout/` isn't a workstream"],
    ['blocker 💳 "x"', "`💳` isn't a workstream"],
    // missing arguments
    ['show', '`/program show` needs a program key.'],
    ['new checkout', '`/program new` needs a program name in double quotes.'],
    ['add checkout', '`/program add` needs a workstream key.'],
    ['add checkout payments "Payments API" lead:<@U1>', '`/program add` needs `team:`'],
    ['add checkout payments "Payments API" team:payments', '`/program add` needs `lead:`'],
    ['depend web on payments by dec 15', '`/program depend` needs a deliverable in double quotes.'],
    ['depend web on payments', '`/program depend` needs the word `by`'],
    ['depend web', '`/program depend` needs the word `on`'],
    ['blocker payments', '`/program blocker` needs a blocker text in double quotes.'],
    [
      'milestone checkout "Beta"',
      '`/program milestone` needs a date for the milestone (or `done`, or `moved:<date>`).',
    ],
    ['resource "SRE team"', '`/program resource` needs `capacity:`'],
    ['allocate sre payments 4 from:dec 1', '`/program allocate` needs `to:`'],
    ['allocate sre payments from:dec 1 to:dec 2', '`/program allocate` needs the number of units.'],
    ['add checkout payments "P" team: lead:<@U1>', '`team:` needs a value'],
    // unquoted names and text
    ['new checkout Checkout revamp', 'Put the program name in double quotes, like `"Checkout revamp"`.'],
    ['blocker payments Waiting on PCI', 'Put the blocker text in double quotes, like `"Waiting on PCI"`.'],
    // empty and long text
    ['new checkout ""', "The program name can't be empty."],
    ['blocker payments "   "', "The blocker text can't be empty."],
    [`new checkout "${'n'.repeat(81)}"`, 'is 81 characters; keep it to 80.'],
    [`new checkout "Name" objective:"${'o'.repeat(301)}"`, 'is 301 characters; keep it to 300.'],
    [`blocker payments "${'b'.repeat(501)}"`, 'is 501 characters; keep it to 500.'],
    [`depend a on b by fri "${'d'.repeat(201)}"`, 'is 201 characters; keep it to 200.'],
    [`resource "${'r'.repeat(61)}" capacity:1`, 'is 61 characters; keep it to 60.'],
    ['x'.repeat(5_000), "That's 5,000 characters; commands are limited to 3,000."],
    [`new checkout "${'n'.repeat(3_000)}"`, "That's 3,015 characters; commands are limited to 3,000."],
    // quotes and control characters
    ['new checkout "Checkout revamp', 'The quote at character 14 (`"Checkout revamp`) is never closed'],
    ['new checkout “Checkout revamp', 'The quote at character 14 (`“Checkout revamp`) is never closed'],
    ['new checkout "Check\u0007out"', 'control character (U+0007)'],
    // dates
    [`${ADD} due:dec 45`, "I couldn't read `dec 45` as a date."],
    [`${ADD} due:2026-02-30`, "I couldn't read `2026-02-30` as a date."],
    [`${ADD} due:feb 30`, "I couldn't read `feb 30` as a date."],
    [`${ADD} due:1999-01-01`, "I couldn't read `1999-01-01` as a date."],
    [`${ADD} due:someday soon`, "I couldn't read `someday` as a date."],
    [`${ADD} due:<!here>`, "I couldn't read `@here` as a date."],
    ['depend web on payments by whenever "Card API"', "I couldn't read `whenever` as a date."],
    [
      'depend web on payments "Card API"',
      'I expected the word `by` after the second workstream, not `"Card API"`.',
    ],
    ['depend web for payments by fri "x"', 'I expected the word `on` after the first workstream, not `for`.'],
    ['depend web on web by fri "x"', "A workstream can't depend on itself."],
    [
      'allocate sre payments 4 from:dec 19 to:dec 1',
      'The allocation ends (Tue 1 Dec 2026) before it starts (Sat 19 Dec 2026).',
    ],
    // mentions
    [`add checkout payments "P" team:payments lead:@dana`, 'Slack sent `@dana` as plain text'],
    [`add checkout payments "P" team:payments lead:@dana`, 'Pick the person from the @ autocomplete'],
    [`add checkout payments "P" team:payments lead:dana`, '`lead:` must be a person mention, not `dana`'],
    [`add checkout payments "P" team:payments lead:<!channel>`, 'not `&lt;!channel&gt;`'],
    [`add checkout payments "P" team:payments lead:<@U1|dana>x`, "I couldn't read `lead:&lt;@U1|dana&gt;x`"],
    ['new checkout "C" channel:#checkout', 'Slack sent `#checkout` as plain text'],
    ['new checkout "C" channel:<@U1|dana>', '`channel:` must be a channel mention, not `@dana`'],
    [`add checkout payments "P" team:"pay ments" lead:<@U1>`, '`"pay ments"` isn\'t a team name'],
    [`add checkout payments "P" team:${'t'.repeat(41)} lead:<@U1>`, "isn't a team name"],
    // options
    [`${ADD} team:web`, 'You gave `team:` twice; give it once.'],
    [`${ADD} owner:<@U2>`, "`/program add` doesn't take `owner:`; it takes `team:`, `lead:` and `due:`."],
    ['show checkout team:payments', "`/program show` doesn't take `team:`; it takes no options."],
    ['new checkout "C" due:fri', "`/program new` doesn't take `due:`; it takes `objective:` and `channel:`."],
    // numbers
    ['resource sre capacity:0', "`0` isn't a valid capacity"],
    ['resource sre capacity:-4', "`-4` isn't a valid capacity"],
    ['resource sre capacity:10001', "`10001` isn't a valid capacity"],
    ['resource sre capacity:2.25', "`2.25` isn't a valid capacity"],
    ['resource sre capacity:ten', "`ten` isn't a valid capacity"],
    ['allocate sre payments lots from:dec 1 to:dec 2', "`lots` isn't a valid number of units"],
    // extra words
    ['list archived', "I don't know what to do with `archived` in `/program list`."],
    ['show checkout now please', "I don't know what to do with `now please` in `/program show`."],
    [`${ADD} extra`, "I don't know what to do with `extra` in `/program add`."],
    ['show checkout <!channel>', "I don't know what to do with `&lt;!channel&gt;`"],
  ])('%j', (text, part) => {
    expect(refusal(text).problem).toContain(part);
  });

  it('never echoes text that could ping or format', () => {
    for (const text of ['<!channel>', 'show <!everyone>', 'new <!here> "x"', 'show `code`*bold*']) {
      const { problem } = refusal(text);
      expect(problem).not.toMatch(/<!/);
    }
  });

  it('gives an example of the right command for the subcommand', () => {
    expect(refusal(`${ADD} due:dec 45`).example).toBe(
      '`/program add checkout payments "Payments API" team:payments lead:@dana due:2026-12-15`',
    );
    expect(refusal('depend web').example).toContain('`/program depend');
    expect(refusal('frobnicate').example).toBe('`/program help`');
    expect(refusal('x'.repeat(5_000)).problem.length).toBeLessThan(200);
  });

  it('never hands on a key that is not a plain string slug', () => {
    for (const text of [
      'show {"$gt": ""}',
      'show {$ne:null}',
      'show __proto__',
      'show constructor.prototype',
    ]) {
      expect(parseProgramCommand(text, ctx).ok).toBe(false);
    }
  });
});

describe('parseProgramCommand: follow and unfollow (issue 15)', () => {
  it.each<[string, ProgramRequest]>([
    ['follow checkout', { kind: 'follow', programKey: 'checkout' }],
    ['FOLLOW  Checkout ', { kind: 'follow', programKey: 'checkout' }],
    ['follow 2027-plan', { kind: 'follow', programKey: '2027-plan' }],
    ['unfollow checkout', { kind: 'unfollow', programKey: 'checkout' }],
    ['Unfollow CHECKOUT', { kind: 'unfollow', programKey: 'checkout' }],
  ])('%j', (text, expected) => {
    expect(request(text)).toEqual(expected);
  });

  it.each<[string, string, string]>([
    ['follow', '`/program follow` needs a program key.', '`/program follow checkout`'],
    ['unfollow', '`/program unfollow` needs a program key.', '`/program unfollow checkout`'],
    [
      'follow checkout payments',
      "I don't know what to do with `payments` in `/program follow`.",
      '`/program follow checkout`',
    ],
    ['follow checkout <@U123ABC|dana>', "I don't know what to do with", '`/program follow checkout`'],
    ['follow check_out', "`check_out` isn't a valid program key", '`/program follow checkout`'],
    [
      'unfollow checkout as:client',
      "`/program unfollow` doesn't take `as:`; it takes no options.",
      '`/program unfollow checkout`',
    ],
    ['follow <!channel>', "isn't a valid program key", '`/program follow checkout`'],
  ])('%j is refused, saying why', (text, problem, example) => {
    const refused = refusal(text);
    expect(refused.problem).toContain(problem);
    expect(refused.problem).not.toMatch(/<!|<@/);
    expect(refused.example).toBe(example);
  });
});
