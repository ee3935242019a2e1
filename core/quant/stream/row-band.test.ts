import { describe, expect, it } from 'vitest';
import type { ByteSource } from '../../io/byte-source';
import { memorySource } from '../../io/byte-source';
import { info } from '../testing/tensor-info';
import { RowBand } from './row-band';

function counting(bytes: Uint8Array): { source: ByteSource; reads: number[] } {
  const inner = memorySource('f', bytes);
  const reads: number[] = [];
  return { reads, source: { ...inner, read: (o, n) => (reads.push(n), inner.read(o, n)) } };
}

describe('RowBand', () => {
  const bytes = Uint8Array.from({ length: 12 }, (_, i) => i);
  const tensor = { ...info('s', 'U8', [6, 2]), nbytes: 12 };

  it('loads as many rows as fit the band and serves them by (row, col)', async () => {
    const { source, reads } = counting(bytes);
    const band = new RowBand(source, tensor, 2, 'float', 4);
    expect(band.rows).toBe(6);
    await band.ensure(0, 1);
    await band.ensure(1, 2);
    expect(reads).toEqual([4]);
    expect(band.at(1, 1)).toBe(3);
    await band.ensure(5, 6);
    expect(band.at(5, 0)).toBe(10);
    expect(reads).toEqual([4, 2]);
  });

  it('loads more than the band when asked for more rows', async () => {
    const { source, reads } = counting(bytes);
    const band = new RowBand(source, tensor, 2, 'e4m3', 1);
    await band.ensure(0, 6);
    expect(reads).toEqual([12]);
    expect(band.at(0, 0)).toBe(0);
  });
});
