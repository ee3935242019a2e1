import { describe, expect, it } from 'vitest';
import type { RawHeader, RawTensorEntry } from './header-schema';
import { validateHeader } from './header-validate';

const N = 16;

function raw(...tensors: RawTensorEntry[]): RawHeader {
  return { metadata: null, tensors, duplicateTensorNames: [], duplicateMetadataKeys: [] };
}

const t = (
  name: string,
  begin: bigint,
  end: bigint,
  shape: bigint[] = [end - begin],
): RawTensorEntry => ({
  name,
  dtype: 'U8',
  shape,
  begin,
  end,
});

describe('validateHeader', () => {
  it('sorts by (BEGIN, END) and converts to absolute offsets', () => {
    const result = validateHeader(
      'f.safetensors',
      8 + N + 5,
      N,
      raw(t('late', 2n, 5n), t('early', 0n, 2n), t('empty', 2n, 2n, [0n])),
    );
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.tensors.map((x) => [x.name, x.offset, x.nbytes])).toEqual([
        ['early', 24, 2],
        ['empty', 26, 0],
        ['late', 26, 3],
      ]);
    }
  });

  it('checks offsets before sizes: an overlap wins over a wrong size', () => {
    const result = validateHeader(
      'f.safetensors',
      8 + N + 8,
      N,
      raw(t('a', 0n, 4n), t('b', 2n, 8n, [1n])),
    );
    expect(!result.ok && [result.error.code, result.error.tensor]).toEqual(['InvalidOffset', 'b']);
  });

  it('checks a tensor fully before moving to the next', () => {
    const result = validateHeader(
      'f.safetensors',
      8 + N + 8,
      N,
      raw(t('a', 0n, 4n, [3n]), t('b', 5n, 8n)),
    );
    expect(!result.ok && [result.error.code, result.error.tensor]).toEqual([
      'TensorInvalidInfo',
      'a',
    ]);
  });

  it('keeps huge dimensions of zero-element tensors as the nearest double', () => {
    const result = validateHeader('f.safetensors', 8 + N, N, raw(t('z', 0n, 0n, [0n, 2n ** 63n])));
    expect(result.ok && result.value.tensors[0].shape).toEqual([0, 2 ** 63]);
  });
});
