import { describe, expect, it } from 'vitest';
import { memorySource } from '../../io/byte-source';
import { swizzleIndex } from '../swizzle';
import { info } from '../testing/tensor-info';
import { SwizzledBand } from './swizzled-band';

describe('SwizzledBand', () => {
  it('reads logical (row, col) of a padded swizzled matrix, band by band, lead slices included', async () => {
    // Two slices of logical [130, 2] scales: padded [256, 4] each (two 128-row bands).
    const perSlice = 256 * 4;
    const bytes = new Uint8Array(2 * perSlice);
    bytes[swizzleIndex(0, 1, 2)] = 0x38; // slice 0 (0, 1) = 1
    bytes[swizzleIndex(129, 0, 2)] = 0x40; // slice 0 (129, 0) = 2
    bytes[perSlice + swizzleIndex(3, 1, 2)] = 0x7e; // slice 1 (3, 1) = 448
    const band = new SwizzledBand(
      memorySource('f', bytes),
      { ...info('s', 'U8', [512, 4]), nbytes: bytes.length },
      130,
      2,
      2,
      'e4m3',
    );
    expect(band.rows).toBe(260);
    await band.ensure(0, 1);
    expect(band.at(0, 1)).toBe(1);
    await band.ensure(129, 130);
    expect(band.at(129, 0)).toBe(2);
    await band.ensure(133, 134);
    expect(band.at(133, 1)).toBe(448);
    await expect(band.ensure(120, 130)).rejects.toThrow(/128-row band/);
  });
});
