import { describe, expect, it } from 'vitest';
import type { TensorRef } from '../core/quant/quant-types';
import { knownTensorBytes } from './known-tensor-bytes';

function ref(file: string, offset: number, nbytes: number): TensorRef {
  return {
    file,
    info: { name: 't', dtype: 'U8', shape: [nbytes], offset, nbytes, elements: nbytes },
  };
}

describe('knownTensorBytes', () => {
  const a = Uint8Array.of(1, 2, 3, 4);
  const b = Uint8Array.of(9);
  const known = knownTensorBytes(
    new Map([
      ['x.safetensors', [{ offset: 100, bytes: a }]],
      ['y.safetensors', [{ offset: 100, bytes: b }]],
    ]),
  );

  it('finds a tensor by its file and start offset', () => {
    expect(known(ref('x.safetensors', 100, 4))).toBe(a);
    expect(known(ref('y.safetensors', 100, 1))).toBe(b);
  });

  it('gives nothing for another offset, file or length', () => {
    expect(known(ref('x.safetensors', 101, 3))).toBeUndefined();
    expect(known(ref('z.safetensors', 100, 4))).toBeUndefined();
    expect(known(ref('x.safetensors', 100, 2))).toBeUndefined();
  });
});
