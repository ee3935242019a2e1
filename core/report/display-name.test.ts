import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_DISPLAY_NAME_CHARS,
  displayName,
  escapedText,
  shortenMiddle,
  visibleName,
} from './display-name';

/** No lone surrogate (encodeURIComponent throws on one). */
function wellFormed(s: string): boolean {
  try {
    encodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
}

describe('display names', () => {
  it('shows controls, bidi, zero-width characters, the BOM and lone surrogates by code', () => {
    expect(escapedText('bidi\u202egnp.exe')).toBe('bidi\\u202egnp.exe');
    expect(escapedText('a\u001b[31mb\u0007')).toBe('a\\u001b[31mb\\u0007');
    expect(escapedText('zero\u200bwidth\ufeff\u2066x\u061c')).toBe(
      'zero\\u200bwidth\\ufeff\\u2066x\\u061c',
    );
    expect(escapedText('lone \ud800 and \udc00')).toBe('lone \\ud800 and \\udc00');
    expect(escapedText('emoji 😀 and é stay')).toBe('emoji 😀 and é stay');
    expect(visibleName('bidi\u202egnp.exe')).toBe('bidi⟨U+202E⟩gnp.exe');
  });

  it('leaves no invisible character in any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(escapedText(s)).not.toMatch(
          // eslint-disable-next-line no-control-regex -- looking for them is the point
          /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/,
        );
        expect(wellFormed(escapedText(s))).toBe(true);
      }),
    );
  });

  it('shortens long names in the middle, never splitting a surrogate pair', () => {
    const long = `model.${'x'.repeat(1000)}.weight_scale`;
    const short = shortenMiddle(long);
    expect(short).toHaveLength(MAX_DISPLAY_NAME_CHARS);
    expect(short.startsWith('model.xxx')).toBe(true);
    expect(short.endsWith('xxx.weight_scale')).toBe(true);
    expect(short).toContain('…');
    expect(shortenMiddle('short')).toBe('short');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 200, maxLength: 400 }), (s) => {
        const out = shortenMiddle(s, 100);
        expect(out.length).toBeLessThanOrEqual(100);
        expect(wellFormed(out)).toBe(true);
      }),
    );
    expect(displayName(`\u202e${'a'.repeat(300)}`)).toMatch(/^\\u202eaaa.*…a+$/);
  });
});
