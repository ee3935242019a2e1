import { describe, expect, it } from 'vitest';
import { swizzleIndex } from '../swizzle';
import {
  packAwq,
  packCtWeight,
  packCtZeros,
  packGptqWeight,
  packGptqZeros,
  packModelOptAwq,
  packNibbles,
  swizzleBytes,
} from './pack';

describe('fixture packers follow formats.md', () => {
  it('packs nibbles low-first (ModelOpt / CT / gpt-oss) or high-first (ComfyUI / bnb)', () => {
    expect(Array.from(packNibbles([2, 5, 0xf], true))).toEqual([0x52, 0x0f]);
    expect(Array.from(packNibbles([2, 5], false))).toEqual([0x25]);
  });
  it('swizzles into the padded cuBLAS layout', () => {
    const out = swizzleBytes(Uint8Array.from([1, 2, 3, 4]), 2, 2, 9);
    expect(out.length).toBe(512);
    expect(out[swizzleIndex(1, 1, 2)]).toBe(4);
    expect(out[511]).toBe(9);
  });
  it('AWQ interleaves out columns [0,2,4,6,1,3,5,7] per word', () => {
    const v = Uint8Array.from({ length: 8 }, (_, r) => r); // v[r][0] = r, one column
    expect(packAwq(v, 8, 1)[0] >>> 0).toBe(0x75316420);
  });
  it('GPTQ packs along in-features and stores zeros minus one', () => {
    const q = Uint8Array.from({ length: 8 }, (_, c) => c); // one row, 8 columns
    expect(packGptqWeight(q, 1, 8)[0] >>> 0).toBe(0x76543210);
    expect(packGptqZeros(new Uint8Array(8).fill(8), 8, 1)[0] >>> 0).toBe(0x77777777);
  });
  it('compressed-tensors packs columns into words and zero points along rows', () => {
    expect(
      Array.from(
        packCtWeight(
          Uint8Array.from({ length: 9 }, (_, c) => c),
          1,
          9,
        ),
        (w) => w >>> 0,
      ),
    ).toEqual([0x76543210, 8]);
    expect(packCtZeros(Uint8Array.from([1, 2]), 2, 1)[0]).toBe(0x21);
  });
  it('ModelOpt AWQ puts row 2p low and 2p + 1 high, two-complement', () => {
    expect(Array.from(packModelOptAwq(Int8Array.from([-1, 1, -7, 7]), 2, 2))).toEqual([0x9f, 0x71]);
  });
});
