import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8Strict, findInvalidUtf8 } from './utf8';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('decodeUtf8Strict', () => {
  it('decodes well-formed UTF-8, including 4-byte sequences and U+10FFFF', () => {
    const text = 'a\u00e9\u20ac\u{1f600}\u{10ffff}';
    const result = decodeUtf8Strict(new TextEncoder().encode(text));
    expect(result).toEqual({ ok: true, value: text });
  });

  it('keeps a BOM as U+FEFF instead of stripping it', () => {
    const result = decodeUtf8Strict(bytes(0xef, 0xbb, 0xbf, 0x7b, 0x7d));
    expect(result).toEqual({ ok: true, value: '\ufeff{}' });
  });

  it.each([
    ['lone continuation byte', bytes(0x61, 0x80), 1],
    ['0xFF', bytes(0xff), 0],
    ['overlong slash C0 AF', bytes(0xc0, 0xaf), 0],
    ['overlong 3-byte E0 80 AF', bytes(0xe0, 0x80, 0xaf), 0],
    ['overlong 4-byte F0 80 80 AF', bytes(0xf0, 0x80, 0x80, 0xaf), 0],
    ['surrogate ED A0 80', bytes(0x61, 0x62, 0xed, 0xa0, 0x80), 2],
    ['above U+10FFFF F4 90 80 80', bytes(0xf4, 0x90, 0x80, 0x80), 0],
    ['F5 lead byte', bytes(0xf5, 0x80, 0x80, 0x80), 0],
    ['truncated at the end', bytes(0x61, 0xe2, 0x82), 1],
    ['bad continuation', bytes(0xe2, 0x28, 0xa1), 0],
  ])('refuses %s and names the offset', (_label, input, offset) => {
    const result = decodeUtf8Strict(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.byteOffset).toBe(offset);
      expect(result.error.detail).toContain(`at byte ${offset}`);
    }
  });
});

describe('findInvalidUtf8', () => {
  it('agrees with the fatal TextDecoder on arbitrary bytes', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (input) => {
        let valid = true;
        try {
          decoder.decode(input);
        } catch {
          valid = false;
        }
        expect(findInvalidUtf8(input) < 0).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees on bytes biased towards multi-byte sequences', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const interesting = fc.constantFrom(
      0x00,
      0x41,
      0x7f,
      0x80,
      0x8f,
      0x90,
      0x9f,
      0xa0,
      0xbf,
      0xc0,
      0xc1,
      0xc2,
      0xdf,
      0xe0,
      0xed,
      0xef,
      0xf0,
      0xf4,
      0xf5,
      0xff,
    );
    fc.assert(
      fc.property(fc.array(interesting, { maxLength: 12 }), (list) => {
        const input = Uint8Array.from(list);
        let valid = true;
        try {
          decoder.decode(input);
        } catch {
          valid = false;
        }
        expect(findInvalidUtf8(input) < 0).toBe(valid);
      }),
      { numRuns: 3000 },
    );
  });

  it('returns -1 for valid text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(findInvalidUtf8(new TextEncoder().encode(text))).toBe(-1);
      }),
      { numRuns: 500 },
    );
  });
});
