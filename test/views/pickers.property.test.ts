/**
 * Issue 15, item 7: a picker's option that names a workstream keeps its `program/key` whole. Slack
 * refuses an option text over 75 characters (counted in code points, as the local Slack peer's
 * block-kit-limits.ts counts them), so the name is what is cut, with "…": whatever the name (long,
 * emoji and other surrogate pairs, combining marks, spaces, line breaks), the text fits, ends with the
 * full `(program/key)`, and two different keys never read the same.
 */
import fc from 'fast-check';
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import type { Workstream } from '../../src/domain/entities.js';
import { OPTION_TEXT_LIMIT, workstreamOptionText } from '../../src/views/pickers.js';
import { updateModal } from '../../src/views/update-views.js';
import { LIMITS, validateView } from '../support/block-kit-limits.js';

/** How Slack (and the local peer's limits) count a text's length: code points. */
const slackLength = (text: string) => [...text].length;

/** Keys as `/program new` and `/program add` accept them. */
const key = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,31}$/);
const ref = fc.record({ programKey: key, key });
const name = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  // Long names of emoji (surrogate pairs, ZWJ sequences, flags) and spaces, cut somewhere inside.
  fc
    .array(fc.constantFrom('👩‍👩‍👧‍👦', '🇫🇷', '😀', 'é', 'e\u0301', ' ', '  ', 'a', 'Payments', '\n', '…'), {
      minLength: 30,
      maxLength: 120,
    })
    .map((parts) => parts.join('')),
);

function workstream(over: Pick<Workstream, 'name' | 'programKey' | 'key'>): Workstream {
  return {
    _id: new Types.ObjectId(),
    teamId: 'T0001',
    programId: new Types.ObjectId(),
    team: 'core',
    leadId: 'U0LEAD',
    state: 'active',
    createdAt: new Date('2026-11-01T00:00:00Z'),
    ...over,
  };
}

describe("a workstream's option text", () => {
  it('is our limit and Slack’s', () => {
    expect(OPTION_TEXT_LIMIT).toBe(LIMITS.optionText);
  });

  it('fits in 75 characters as Slack counts them and ends with the whole (program/key)', () => {
    fc.assert(
      fc.property(name, ref, (n, r) => {
        const text = workstreamOptionText({ name: n, ...r });
        expect(slackLength(text)).toBeLessThanOrEqual(LIMITS.optionText);
        expect(text.endsWith(`(${r.programKey}/${r.key})`)).toBe(true);
        expect(text).not.toMatch(/[\r\n]/);
      }),
      { numRuns: 500 },
    );
  });

  it('never reads the same for two different keys, whatever the names', () => {
    fc.assert(
      fc.property(name, name, ref, ref, (n1, n2, r1, r2) => {
        fc.pre(r1.programKey !== r2.programKey || r1.key !== r2.key);
        expect(workstreamOptionText({ name: n1, ...r1 })).not.toBe(workstreamOptionText({ name: n2, ...r2 }));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a name that fits whole, and cuts a long one with …', () => {
    expect(workstreamOptionText({ name: 'Payments API', programKey: 'checkout', key: 'payments' })).toBe(
      'Payments API (checkout/payments)',
    );
    const long = 'Migrate every legacy payment provider integration to the new orchestration layer';
    const text = workstreamOptionText({ name: long, programKey: 'checkout', key: 'payments-eu' });
    expect(text).toMatch(/^Migrate every legacy payment .*… \(checkout\/payments-eu\)$/u);
    expect(slackLength(text)).toBe(LIMITS.optionText);
    // Keys of the longest kind still leave the name a few characters.
    const widest = workstreamOptionText({ name: long, programKey: 'p'.repeat(32), key: 'k'.repeat(32) });
    expect(widest).toMatch(/^Mig.*… \(p{32}\/k{32}\)$/u);
  });
});

describe("the update modal's workstream picker", () => {
  it('shows two workstreams with the same long name apart, within Slack’s limits', () => {
    fc.assert(
      fc.property(name, ref, ref, (n, r1, r2) => {
        fc.pre(r1.programKey !== r2.programKey || r1.key !== r2.key);
        const modal = updateModal({
          workstreams: [workstream({ name: n, ...r1 }), workstream({ name: n, ...r2 })],
          metadata: {},
        });
        expect(validateView(modal)).toEqual([]);
        const picker = modal.blocks.find((b) => b.block_id === 'workstream') as {
          element: { options: Array<{ text: { text: string } }> };
        };
        const [first, second] = picker.element.options.map((o) => o.text.text);
        expect(first).not.toBe(second);
        expect(first!.endsWith(`(${r1.programKey}/${r1.key})`)).toBe(true);
        expect(second!.endsWith(`(${r2.programKey}/${r2.key})`)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
