import { describe, expect, it } from 'vitest';
import {
  assembleSafetensors,
  buildSafetensors,
  bytesOf,
  tensorByteSize,
} from './build-safetensors';

describe('buildSafetensors', () => {
  it('writes the reference serializer bytes (tensor.rs test_serialization)', () => {
    const out = buildSafetensors([
      { name: 'attn.0', dtype: 'F32', shape: [1, 2, 3], data: bytesOf([0, 1, 2, 3, 4, 5], 'f32') },
    ]);
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(header.length).toBe(64);
    expect([...out.subarray(0, 8)]).toEqual([64, 0, 0, 0, 0, 0, 0, 0]);
    expect(new TextDecoder().decode(out.subarray(8, 72))).toBe(header);
    expect([...out.subarray(72)]).toEqual([
      0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
    ]);
  });

  it('pads with spaces to 8 bytes like the reference (tensor.rs test_empty)', () => {
    expect([...buildSafetensors([])]).toEqual([
      8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32,
    ]);
    const withMetadata = buildSafetensors([], { framework: 'pt' });
    expect(withMetadata[0]).toBe(40);
    expect(new TextDecoder().decode(withMetadata.subarray(8))).toBe(
      '{"__metadata__":{"framework":"pt"}}     ',
    );
  });

  it('refuses data of the wrong size', () => {
    expect(() =>
      buildSafetensors([{ name: 'x', dtype: 'F32', shape: [2], data: new Uint8Array(4) }]),
    ).toThrow(RangeError);
  });
});

describe('tensorByteSize', () => {
  it('handles sub-byte dtypes', () => {
    expect(tensorByteSize('F4', [1, 2])).toBe(1);
    expect(tensorByteSize('F6_E2M3', [4])).toBe(3);
    expect(() => tensorByteSize('F4', [3])).toThrow(RangeError);
  });
});

describe('assembleSafetensors', () => {
  it('joins prefix, header and data as given', () => {
    expect([
      ...assembleSafetensors(Uint8Array.of(0x7b, 0x7d), [Uint8Array.of(1), Uint8Array.of(2, 3)]),
    ]).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d, 1, 2, 3]);
  });
});
