import { describe, expect, it } from 'vitest';
import { plural } from '../../src/views/plural.js';

describe('plural', () => {
  it('uses the singular for exactly one, the plural otherwise', () => {
    expect(plural(1, 'program')).toBe('1 program');
    expect(plural(0, 'program')).toBe('0 programs');
    expect(plural(3, 'digest schedule')).toBe('3 digest schedules');
    expect(plural(1.5, 'unit')).toBe('1.5 units');
    expect(plural(1, 'more section')).toBe('1 more section');
  });

  it('takes an irregular plural', () => {
    expect(plural(2, 'person', 'people')).toBe('2 people');
    expect(plural(1, 'person', 'people')).toBe('1 person');
  });
});
