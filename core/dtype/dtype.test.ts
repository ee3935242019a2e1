import { describe, expect, it } from 'vitest';
import { DTYPES, dtypeBits, dtypeGroup, dtypeKind, isDtype } from './dtype';

describe('dtype', () => {
  it('accepts exactly the reference names', () => {
    expect(DTYPES).toHaveLength(22);
    expect(isDtype('F8_E4M3')).toBe(true);
    for (const alias of ['E8M0', 'FP4', 'UE8', 'f32', 'F8_E4M3FN']) {
      expect(isDtype(alias)).toBe(false);
    }
  });

  it('groups elements on byte boundaries', () => {
    expect(dtypeGroup('F4')).toEqual({ elements: 2, bytes: 1 });
    expect(dtypeGroup('F6_E3M2')).toEqual({ elements: 4, bytes: 3 });
    expect(dtypeGroup('C64')).toEqual({ elements: 1, bytes: 8 });
    for (const d of DTYPES) {
      const g = dtypeGroup(d);
      expect(g.bytes * 8, d).toBe(g.elements * dtypeBits(d));
    }
  });

  it('classifies kinds', () => {
    expect(['BOOL', 'U8', 'C64', 'BF16'].map((d) => dtypeKind(d as 'BOOL'))).toEqual([
      'bool',
      'int',
      'complex',
      'float',
    ]);
  });
});
