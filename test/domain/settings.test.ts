/** Workspace settings as data: what applies when none were stored, and what a save changes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applySettingsChange,
  changedSettings,
  DEFAULT_SETTINGS,
  settingsChange,
  settingsOf,
  type WorkspaceSettings,
} from '../../src/domain/settings.js';

const settings: fc.Arbitrary<WorkspaceSettings> = fc.record({
  defaultTimezone: fc.constantFrom('UTC', 'Europe/London', 'Asia/Kolkata'),
  staleAfterDays: fc.integer({ min: 1, max: 4 }),
  escalateBlockersAfterDays: fc.integer({ min: 1, max: 4 }),
  programCreation: fc.record({
    creators: fc.constantFrom('anyone' as const, 'listed' as const),
    creatorIds: fc.uniqueArray(fc.constantFrom('U1', 'U2', 'U3', 'U4', 'U5'), { maxLength: 5 }),
  }),
});

describe('settingsOf', () => {
  it('fills in the defaults for a workspace never stored, or stored before who may create programs was a setting', () => {
    expect(settingsOf(null)).toEqual(DEFAULT_SETTINGS);
    expect(
      settingsOf({
        settings: { defaultTimezone: 'Asia/Tokyo', staleAfterDays: 3, escalateBlockersAfterDays: 9 },
      }),
    ).toEqual({
      defaultTimezone: 'Asia/Tokyo',
      staleAfterDays: 3,
      escalateBlockersAfterDays: 9,
      programCreation: { creators: 'anyone', creatorIds: [] },
    });
  });
});

describe('settingsChange', () => {
  it('names only what differs, and applied to where it started from gives where it went', () => {
    fc.assert(
      fc.property(settings, settings, (from, to) => {
        const change = settingsChange(from, to);
        const after = applySettingsChange(from, change);
        expect({ ...after, programCreation: { ...after.programCreation, creatorIds: [] } }).toEqual({
          ...to,
          programCreation: { ...to.programCreation, creatorIds: [] },
        });
        expect(new Set(after.programCreation.creatorIds)).toEqual(new Set(to.programCreation.creatorIds));
        const same = (s: WorkspaceSettings) =>
          JSON.stringify({
            ...s,
            programCreation: { ...s.programCreation, creatorIds: [...s.programCreation.creatorIds].sort() },
          });
        expect(changedSettings(change).length === 0).toBe(same(from) === same(to));
      }),
    );
  });

  it('keeps what one admin changed when another, who opened the form on the same settings, saves after', () => {
    fc.assert(
      fc.property(settings, settings, settings, (base, first, second) => {
        const after = applySettingsChange(
          applySettingsChange(base, settingsChange(base, first)),
          settingsChange(base, second),
        );
        const scalar = ['defaultTimezone', 'staleAfterDays', 'escalateBlockersAfterDays'] as const;
        for (const field of scalar)
          expect(after[field]).toBe(second[field] !== base[field] ? second[field] : first[field]);
        // A person is listed when either admin added them, or they were listed and neither took them off.
        const listed = (s: WorkspaceSettings, id: string) => s.programCreation.creatorIds.includes(id);
        for (const id of ['U1', 'U2', 'U3', 'U4', 'U5']) {
          const added = (!listed(base, id) && listed(first, id)) || (!listed(base, id) && listed(second, id));
          const kept = listed(base, id) && listed(first, id) && listed(second, id);
          expect(listed(after, id), id).toBe(added || kept);
        }
      }),
    );
  });
});
