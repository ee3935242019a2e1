import { describe, expect, it } from 'vitest';
import { packFp4, recordingSource } from '../../fixtures/repair-fixtures';
import { blockClass, CLASSIFY_READ_MAX_BYTES, classifyBlocks } from './block-class';
import { MXFP8_BLOCK_BYTES, NVFP4_BLOCK_BYTES } from './block-pairing';

const fp4Block = (codes: readonly number[]): Uint8Array => packFp4(codes);
const sixteen = (code: number): number[] => new Array<number>(16).fill(code);

describe('blockClass', () => {
  it('FP4: neutral when every code is ±0 (0x0 or 0x8)', () => {
    const zeros = fp4Block(Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 0 : 8)));
    expect(blockClass(zeros, 0, NVFP4_BLOCK_BYTES, 'fp4')).toBe('neutral');
    for (const code of [1, 7, 9, 15]) {
      const codes = sixteen(0);
      codes[13] = code;
      expect(blockClass(fp4Block(codes), 0, NVFP4_BLOCK_BYTES, 'fp4')).toBe('clamped');
    }
  });

  it('FP4: destroyed when all 16 codes are the same saturated ±6; any other mix is clamped', () => {
    expect(blockClass(fp4Block(sixteen(7)), 0, NVFP4_BLOCK_BYTES, 'fp4')).toBe('destroyed');
    expect(blockClass(fp4Block(sixteen(15)), 0, NVFP4_BLOCK_BYTES, 'fp4')).toBe('destroyed');
    // All the same but not saturated (+4), or saturated with one sign flipped: codes that a finite scale wrote.
    expect(blockClass(fp4Block(sixteen(6)), 0, NVFP4_BLOCK_BYTES, 'fp4')).toBe('clamped');
    const mixed = sixteen(7);
    mixed[3] = 15;
    expect(blockClass(fp4Block(mixed), 0, NVFP4_BLOCK_BYTES, 'fp4')).toBe('clamped');
    const oneOff = sixteen(7);
    oneOff[0] = 6;
    expect(blockClass(fp4Block(oneOff), 0, NVFP4_BLOCK_BYTES, 'fp4')).toBe('clamped');
  });

  it('reads the block at its offset only', () => {
    const bytes = new Uint8Array(24).fill(0x11);
    bytes.fill(0x77, 8, 16);
    expect(blockClass(bytes, 8, NVFP4_BLOCK_BYTES, 'fp4')).toBe('destroyed');
    expect(blockClass(bytes, 0, NVFP4_BLOCK_BYTES, 'fp4')).toBe('clamped');
  });

  it('FP8 (MXFP8): ±0 codes neutral, all NaN or all 448 destroyed, else clamped', () => {
    const block = (fill: number): Uint8Array => new Uint8Array(MXFP8_BLOCK_BYTES).fill(fill);
    expect(blockClass(block(0x00), 0, MXFP8_BLOCK_BYTES, 'fp8')).toBe('neutral');
    const signedZeros = block(0x80);
    signedZeros[5] = 0;
    expect(blockClass(signedZeros, 0, MXFP8_BLOCK_BYTES, 'fp8')).toBe('neutral');
    expect(blockClass(block(0x7f), 0, MXFP8_BLOCK_BYTES, 'fp8')).toBe('destroyed');
    expect(blockClass(block(0x7e), 0, MXFP8_BLOCK_BYTES, 'fp8')).toBe('destroyed');
    expect(blockClass(block(0x38), 0, MXFP8_BLOCK_BYTES, 'fp8')).toBe('clamped');
  });
});

describe('classifyBlocks', () => {
  /** A weight of `blocks` blocks: zero iff i % 3 === 0, all 0x77 iff i % 3 === 1, else varied. */
  function weightBytes(blocks: number): Uint8Array {
    const bytes = new Uint8Array(blocks * NVFP4_BLOCK_BYTES).fill(0x21);
    for (let i = 0; i < blocks; i++) {
      const at = i * NVFP4_BLOCK_BYTES;
      if (i % 3 === 0) {
        bytes.fill(i % 2 === 0 ? 0x00 : 0x88, at, at + NVFP4_BLOCK_BYTES);
      } else if (i % 3 === 1) {
        bytes.fill(0x77, at, at + NVFP4_BLOCK_BYTES);
      }
    }
    return bytes;
  }
  const expected = (i: number): string =>
    i % 3 === 0 ? 'neutral' : i % 3 === 1 ? 'destroyed' : 'clamped';

  for (const withReadInto of [false, true]) {
    it(`batches nearby blocks into bounded reads (readInto: ${withReadInto})`, async () => {
      const blocks = (3 * CLASSIFY_READ_MAX_BYTES) / NVFP4_BLOCK_BYTES;
      const data = weightBytes(blocks);
      const source = recordingSource('w', data, withReadInto);
      const weight = {
        name: 'w',
        dtype: 'U8' as const,
        shape: [blocks * 8],
        offset: 0,
        nbytes: data.length,
        elements: data.length,
      };
      const wanted = [0, 1, 2, 3, 4, 5000, 8191, 8192, 9000, blocks - 1];
      const buffer = withReadInto ? new Uint8Array(CLASSIFY_READ_MAX_BYTES) : null;
      const pairing = { weight, blockBytes: NVFP4_BLOCK_BYTES, codes: 'fp4' as const };
      const got = await classifyBlocks(source, pairing, wanted, buffer);
      expect(got).toEqual(wanted.map(expected));
      for (const r of source.reads) {
        expect(r.length).toBeLessThanOrEqual(CLASSIFY_READ_MAX_BYTES);
      }
      // [0..8191] fit one read, [8192, 9000] a second, the last block a third.
      expect(source.reads.map((r) => r.offset / NVFP4_BLOCK_BYTES)).toEqual([0, 8192, blocks - 1]);
    });
  }
});
