import { describe, expect, it } from 'vitest';
import { f32Bytes } from '../testing/encode';
import { headerOf } from '../testing/open-fixture';
import { globalFor, MAX_GLOBAL_SCALE_ELEMENTS, readGlobalValues } from './global-values';

describe('global scale values', () => {
  it('reads small per-tensor / per-expert scales and picks one per slice', async () => {
    const { header, sources } = headerOf([
      { name: 'g', dtype: 'F32', shape: [3], data: f32Bytes([1, 2, 3]) },
    ]);
    const ref = { file: header.fileName, info: header.tensors[0] };
    const values = await readGlobalValues(sources, ref);
    expect(values === null ? null : Array.from(values)).toEqual([1, 2, 3]);
    expect(values === null ? null : globalFor(values, 2)).toBe(3);
    expect(globalFor(Float64Array.of(5), 7)).toBe(5);
    expect(await readGlobalValues(sources, undefined)).toBeNull();
    expect(
      await readGlobalValues(sources, {
        ...ref,
        info: { ...ref.info, elements: MAX_GLOBAL_SCALE_ELEMENTS + 1 },
      }),
    ).toBeNull();
  });
});
