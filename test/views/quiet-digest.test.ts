/** The one-line digest of a quiet schedule (issue 15, point 2). */
import { describe, expect, it } from 'vitest';
import type { DigestCounts } from '../../src/domain/digest.js';
import type { QuietDigest } from '../../src/domain/digest/quiet.js';
import { quietDigestMessages, quietLine } from '../../src/views/quiet-digest.js';
import { validateMessageBlocks } from '../support/block-kit-limits.js';

const counts = (c: Partial<DigestCounts> = {}): DigestCounts => ({
  onTrack: 12,
  atRisk: 2,
  offTrack: 0,
  notStarted: 0,
  noUpdate: 0,
  done: 0,
  atRiskThroughDependencies: 0,
  noUpdateSince: { previousDigest: '2026-12-07' },
  ...c,
});
const quiet = (q: Partial<QuietDigest> = {}): QuietDigest => ({
  programKey: 'checkout',
  programName: 'Checkout revamp',
  since: '2026-12-07',
  today: '2026-12-08',
  counts: counts(),
  blocked: 0,
  ...q,
});

describe('quietLine', () => {
  it('says since when, with on track and at risk always', () => {
    expect(quietLine(quiet())).toBe('No change since Mon 7 Dec — 12 on track, 2 at risk');
    expect(quietLine(quiet({ counts: counts({ onTrack: 0, atRisk: 0, noUpdate: 3, done: 4 }) }))).toBe(
      'No change since Mon 7 Dec — 0 on track, 0 at risk',
    );
  });

  it('adds off track, blocked and not started when there are any', () => {
    expect(quietLine(quiet({ counts: counts({ offTrack: 1, notStarted: 3 }), blocked: 2 }))).toBe(
      'No change since Mon 7 Dec — 12 on track, 2 at risk, 1 off track, 2 blocked, 3 not started',
    );
  });

  it('gives the year of a previous digest in another year', () => {
    expect(quietLine(quiet({ since: '2026-12-28', today: '2027-01-04' }))).toBe(
      'No change since Mon 28 Dec 2026 — 12 on track, 2 at risk',
    );
  });
});

describe('quietDigestMessages', () => {
  it('is one section naming the program, with no thread; its text and fallback say the same', () => {
    const messages = quietDigestMessages(quiet());
    expect(messages.main.blocks).toHaveLength(1);
    expect(messages.main.blocks[0]).toMatchObject({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*Checkout revamp* (`checkout`) — No change since Mon 7 Dec — 12 on track, 2 at risk',
      },
    });
    expect(messages.main.text).toBe('Checkout revamp — No change since Mon 7 Dec — 12 on track, 2 at risk');
    expect(messages.thread).toEqual([]);
    expect(messages.fallback.text).toBe(messages.main.text);
    expect(validateMessageBlocks(messages.main.blocks)).toEqual([]);
  });

  it("escapes the program's name: no formatting, no mention", () => {
    const messages = quietDigestMessages(quiet({ programName: '*Big* <!channel> _launch_' }));
    const text = (messages.main.blocks[0] as { text: { text: string } }).text.text;
    expect(text).not.toContain('<!channel>');
    expect(text).not.toMatch(/\*Big\*|_launch_/);
    expect(messages.main.text).not.toContain('<!channel>');
  });
});
