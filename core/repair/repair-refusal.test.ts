import { describe, expect, it } from 'vitest';
import { memorySource } from '../io/byte-source';
import { openSpecs } from '../../fixtures/repair-fixtures';
import { repairRefusal } from './repair-refusal';

describe('repairRefusal', () => {
  it('accepts a checked header of this source', async () => {
    const { source, header } = await openSpecs([
      { name: 'a', dtype: 'U8', shape: [1], data: new Uint8Array(1) },
    ]);
    expect(repairRefusal(source, header)).toBeNull();
  });

  it('refuses duplicates, unchecked headers and a different file size, as RepairRefused', async () => {
    const { bytes, source, header } = await openSpecs([
      { name: 'a', dtype: 'U8', shape: [1], data: new Uint8Array(1) },
    ]);
    const names = Array.from({ length: 7 }, (_, i) => `t${i}`);
    const cases = [
      repairRefusal(source, { ...header, duplicateTensorNames: names }),
      repairRefusal(source, { ...header, duplicateMetadataKeys: ['k'] }),
      repairRefusal(source, { ...header, duplicateMetadataKeys: undefined }),
      repairRefusal(memorySource('x', new Uint8Array(bytes.length + 8)), header),
    ];
    expect(cases.map((e) => e?.code)).toEqual([
      'RepairRefused',
      'RepairRefused',
      'RepairRefused',
      'RepairRefused',
    ]);
    expect(cases[0]?.message).toContain('"t0", "t1", "t2", "t3", "t4" and 2 more');
    expect(cases[1]?.message).toContain('"k"');
    expect(cases[2]?.message).toContain('not checked');
    expect(cases[3]?.message).toContain('did it change');
  });
});
