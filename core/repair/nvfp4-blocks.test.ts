import { describe, expect, it } from 'vitest';
import { buildSafetensors } from '../format/build-safetensors';
import {
  nvfp4Layer,
  openBytes,
  openSpecs,
  packFp4,
  recordingSource,
} from '../../fixtures/repair-fixtures';
import {
  CLASSIFY_READ_MAX_BYTES,
  classifyBlocks,
  isZeroBlock,
  NVFP4_BLOCK_BYTES,
  pairedNvfp4Weight,
} from './nvfp4-blocks';

describe('pairedNvfp4Weight', () => {
  it('pairs P.weight_scale with P.weight, or else P.weight_packed, by shape and dtype', async () => {
    const { header } = await openSpecs(nvfp4Layer('.weight'));
    const scale = header.byName.get('layer.weight_scale');
    expect(scale && pairedNvfp4Weight(header, scale)?.name).toBe('layer.weight');
    const packed = await openSpecs(nvfp4Layer('.weight_packed'));
    const s2 = packed.header.byName.get('layer.weight_scale');
    expect(s2 && pairedNvfp4Weight(packed.header, s2)?.name).toBe('layer.weight_packed');
  });

  it('pairs 3-D expert tensors with equal leading dims, and nothing else', async () => {
    const specs = [
      { name: 'e.weight', dtype: 'U8', shape: [2, 3, 8], data: new Uint8Array(48) },
      { name: 'e.weight_scale', dtype: 'F8_E4M3', shape: [2, 3, 1], data: new Uint8Array(6) },
      { name: 'x.weight', dtype: 'U8', shape: [3, 2, 8], data: new Uint8Array(48) },
      { name: 'x.weight_scale', dtype: 'F8_E4M3', shape: [2, 3, 1], data: new Uint8Array(6) },
      { name: 'v.weight', dtype: 'U8', shape: [16], data: new Uint8Array(16) },
      { name: 'v.weight_scale', dtype: 'F8_E4M3', shape: [2], data: new Uint8Array(2) },
      { name: 'f.weight', dtype: 'F8_E4M3', shape: [1, 16], data: new Uint8Array(16) },
      { name: 'f.weight_scale', dtype: 'F8_E4M3', shape: [1, 2], data: new Uint8Array(2) },
      { name: 'o.input_scale', dtype: 'F8_E4M3', shape: [1, 1], data: new Uint8Array(1) },
      { name: 'o.weight', dtype: 'U8', shape: [1, 8], data: new Uint8Array(8) },
    ] as const;
    const { header } = await openBytes(buildSafetensors(specs));
    const pair = (name: string): string | null => {
      const t = header.byName.get(name);
      return t === undefined ? 'missing' : (pairedNvfp4Weight(header, t)?.name ?? null);
    };
    expect(pair('e.weight_scale')).toBe('e.weight');
    expect(pair('x.weight_scale')).toBeNull(); // leading dims differ
    expect(pair('v.weight_scale')).toBeNull(); // 1-D: not the [.., R, S] layout
    expect(pair('f.weight_scale')).toBeNull(); // FP8 weight, not packed FP4
    expect(pair('o.input_scale')).toBeNull();
  });
});

describe('isZeroBlock', () => {
  it('is true when every nibble is 0x0 or 0x8 (±0)', () => {
    expect(
      isZeroBlock(packFp4(Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 0 : 8))), 0),
    ).toBe(true);
    for (const code of [1, 7, 9, 15]) {
      const codes = new Array<number>(16).fill(0);
      codes[13] = code;
      expect(isZeroBlock(packFp4(codes), 0)).toBe(false);
    }
  });
});

describe('classifyBlocks', () => {
  /** A weight of `blocks` blocks where block i is zero iff i % 3 === 0. */
  function weightBytes(blocks: number): Uint8Array {
    const bytes = new Uint8Array(blocks * NVFP4_BLOCK_BYTES).fill(0x11);
    for (let i = 0; i < blocks; i += 3) {
      bytes.fill(i % 2 === 0 ? 0x00 : 0x88, i * NVFP4_BLOCK_BYTES, (i + 1) * NVFP4_BLOCK_BYTES);
    }
    return bytes;
  }

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
      const got = await classifyBlocks(source, weight, wanted, buffer);
      expect(got).toEqual(wanted.map((i) => (i % 3 === 0 ? 'neutral' : 'lossy')));
      for (const r of source.reads) {
        expect(r.length).toBeLessThanOrEqual(CLASSIFY_READ_MAX_BYTES);
      }
      // [0..8191] fit one read, [8192, 9000] a second, the last block a third.
      expect(source.reads.map((r) => r.offset / NVFP4_BLOCK_BYTES)).toEqual([0, 8192, blocks - 1]);
    });
  }
});
