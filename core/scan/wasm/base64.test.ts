import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64 } from './base64';

describe('decodeBase64', () => {
  it('decodes what Node encodes, for every length and byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = Buffer.from(bytes).toString('base64');
        expect(Array.from(decodeBase64(text))).toEqual(Array.from(bytes));
      }),
    );
  });

  it('rejects broken text', () => {
    expect(() => decodeBase64('abc')).toThrow(/multiple of 4/);
    expect(() => decodeBase64('ab!d')).toThrow(/invalid base64 character at 2/);
    expect(() => decodeBase64('a=bc')).toThrow(/invalid base64 character at 1/);
  });
});
