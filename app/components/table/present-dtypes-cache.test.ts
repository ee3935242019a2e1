import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { TensorRow } from '../../model/tensor-row';
import { createDtypesCache } from './present-dtypes-cache';
import { presentDtypes } from './tensor-filter';
import { makeRow } from './test-rows';

const dtypeArb = fc.constantFrom('F32', 'BF16', 'F8_E4M3', 'U8', 'I32' as const);

/** One step of a page's life: stats arrive for a row (same header entry), or other tensors load. */
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('stats' as const), at: fc.nat(), nan: fc.nat(5) }),
  fc.record({
    kind: fc.constant('load' as const),
    dtypes: fc.array(dtypeArb, { maxLength: 12 }),
  }),
);

describe('createDtypesCache', () => {
  it('equals presentDtypes after any sequence of stats updates and loads', () => {
    fc.assert(
      fc.property(fc.array(dtypeArb, { maxLength: 12 }), fc.array(stepArb), (start, steps) => {
        const cache = createDtypesCache();
        let rows: readonly TensorRow[] = start.map((dtype, i) => makeRow(`t${i}`, { dtype }));
        expect(cache.dtypesOf(rows)).toEqual(presentDtypes(rows));
        for (const step of steps) {
          if (step.kind === 'stats') {
            if (rows.length > 0) {
              const at = step.at % rows.length;
              const next = rows.slice();
              const fresh = makeRow(rows[at].info.name, {
                dtype: rows[at].info.dtype,
                stats: { nan: step.nan },
              });
              next[at] = { ...fresh, info: rows[at].info };
              rows = next;
            }
          } else {
            rows = step.dtypes.map((dtype, i) => makeRow(`u${i}`, { dtype }));
          }
          expect(cache.dtypesOf(rows)).toEqual(presentDtypes(rows));
        }
      }),
    );
  });

  it('keeps its answer while only stats change', () => {
    const cache = createDtypesCache();
    const rows = [makeRow('a', { dtype: 'BF16' })];
    const first = cache.dtypesOf(rows);
    expect(cache.dtypesOf([{ ...rows[0], stats: null }])).toBe(first);
  });
});
