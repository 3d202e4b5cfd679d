import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chartFonts, measureChartText, textWidth } from '../../src/charts/fonts.js';
import { boundedList, chartText, dayLabel, fitWidth, shorten } from '../../src/charts/text.js';
import { graphemes } from '../../src/text/escape.js';

describe('the font', () => {
  it('comes from the dejavu-fonts-ttf package, not the system', () => {
    const { files } = chartFonts();
    expect(files.map((f) => f.replace(/.*node_modules\//, ''))).toEqual([
      'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
      'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
    ]);
  });

  it('measures DejaVu Sans advances (bold wider, invisible characters nothing)', () => {
    // DejaVu Sans: 'a' advances 1255 of 2048 units, 'W' 2025.
    expect(textWidth('a', 2048)).toBe(1255);
    expect(textWidth('W', 2048)).toBe(2025);
    expect(textWidth('Checkout', 16, true)).toBeGreaterThan(textWidth('Checkout', 16));
    expect(textWidth('a\u200d\ufe0f\u202e', 12)).toBe(textWidth('a', 12));
    expect(measureChartText('ab', 'bold 16px DejaVu Sans').width).toBe(textWidth('ab', 16, true));
    expect(measureChartText('ab', '12px DejaVu Sans').width).toBe(textWidth('ab', 12));
    // zrender's line height: a browser's 1 em, not DejaVu's missing-glyph box.
    expect(measureChartText('国', '12px DejaVu Sans').width).toBe(12);
  });
});

describe('chartText', () => {
  it('keeps ordinary text, joins lines, removes what XML forbids and bidi controls', () => {
    expect(chartText('Checkout re-platform')).toBe('Checkout re-platform');
    expect(chartText('  a\nb\r\nc\u2028d\te  ')).toBe('a b c d e');
    expect(chartText('a\u0000b\u0007c\u001bd\u007fe\u0085f')).toBe('abcdef');
    expect(chartText('x \ud83d y \ude00 z 🚀')).toBe('x y z 🚀');
    expect(chartText('abc \u202edef\u202c \u2067ghi\u2069')).toBe('abc def ghi');
    expect(chartText('<b>&amp;</b>')).toBe('<b>&amp;</b>');
  });

  it('keeps a name from being taken for a member of Object.prototype (the chart library caches by text)', () => {
    for (const name of Object.getOwnPropertyNames(Object.prototype)) {
      const shown = chartText(name);
      expect(shown in Object.prototype, name).toBe(false);
      expect(textWidth(shown, 12)).toBe(textWidth(name, 12));
    }
    expect(chartText('constructor of things')).toBe('constructor of things');
  });

  it('writes a user mention as @user', () => {
    expect(chartText('ask <@U0123ABCD> or <@W0999|pat>')).toBe('ask @user or @user');
  });
});

describe('fitWidth', () => {
  it('leaves text that fits, cuts the rest between graphemes with …', () => {
    expect(fitWidth('Beta', 200, 12)).toBe('Beta');
    const cut = fitWidth('Launch '.repeat(40), 200, 12);
    expect(cut).toMatch(/^Launch Launch .*…$/);
    expect(textWidth(cut, 12)).toBeLessThanOrEqual(200);
    expect(fitWidth('👩‍👩‍👧👩‍👩‍👧👩‍👩‍👧👩‍👩‍👧', 60, 12)).toMatch(/^(👩‍👩‍👧)+…$/u);
  });

  it('never draws wider than asked, and keeps graphemes whole', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.integer({ min: 20, max: 400 }),
        (s, max) => {
          const text = chartText(s);
          const fitted = fitWidth(text, max, 12);
          expect(textWidth(fitted, 12)).toBeLessThanOrEqual(Math.max(max, textWidth('…', 12)));
          const kept = fitted.endsWith('…') && fitted !== text ? fitted.slice(0, -1) : fitted;
          expect(text.startsWith(kept)).toBe(true);
          const parts = graphemes(kept);
          expect(parts).toEqual(graphemes(text).slice(0, parts.length));
        },
      ),
    );
  });
});

describe('shorten and boundedList', () => {
  it('shortens to a number of graphemes', () => {
    expect(shorten('abcdef', 10)).toBe('abcdef');
    expect(shorten('abcdef', 4)).toBe('abc…');
    expect(shorten('🇫🇷🇫🇷🇫🇷', 2)).toBe('🇫🇷…');
  });

  it('lists what fits and says how many more', () => {
    expect(boundedList('Items: ', ['a', 'b', 'c'], 100)).toBe('Items: a; b; c.');
    const long = boundedList('Items: ', ['x'.repeat(30), 'y'.repeat(30), 'z'.repeat(30)], 60);
    expect(long).toBe(`Items: ${'x'.repeat(30)}; and 2 more.`);
    expect(long.length).toBeLessThanOrEqual(60);
    expect(boundedList('Items: ', ['x'.repeat(80)], 60)).toBe('Items: and 1 more.');
  });
});

describe('dayLabel', () => {
  it('says a calendar date the way the digest does, with no timezone involved', () => {
    expect(dayLabel('2026-11-25')).toBe('25 Nov');
    expect(dayLabel('2027-01-05', true)).toBe('5 Jan 2027');
  });
});
