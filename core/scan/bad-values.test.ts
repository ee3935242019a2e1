import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { densityCellCounts } from './density-map';
import { BadValueTracker, densityGrid } from './bad-values';
import { MAX_BAD_INDICES } from './tensor-stats';

describe('densityGrid', () => {
  it('folds leading dims into rows', () => {
    expect(densityGrid([])).toEqual({ rows: 1, cols: 1 });
    expect(densityGrid([7])).toEqual({ rows: 1, cols: 7 });
    expect(densityGrid([3, 5])).toEqual({ rows: 3, cols: 5 });
    expect(densityGrid([2, 3, 5])).toEqual({ rows: 6, cols: 5 });
  });
});

describe('BadValueTracker', () => {
  it('is null-mapped until something bad is seen', () => {
    const t = new BadValueTracker([4, 4]);
    expect(t.densityMap()).toBeNull();
    expect(t.nanIndices).toEqual([]);
  });

  it('bins positions into at most 256 x 256 cells', () => {
    const t = new BadValueTracker([512, 1000]);
    t.addNan(0); // (0, 0)
    t.addNan(511 * 1000 + 999); // (511, 999) -> last cell
    t.addInf(2 * 1000 + 4); // (2, 4) -> cell (1, 1): floor(2*256/512)=1, floor(4*256/1000)=1
    const map = t.densityMap();
    expect(map).toMatchObject({ rows: 512, cols: 1000, cellRows: 256, cellCols: 256 });
    expect(map?.cells).toEqual([0, 1 * 256 + 1, 256 * 256 - 1]);
    expect(map?.nan).toEqual([1, 0, 1]);
    expect(map?.inf).toEqual([0, 1, 0]);
    expect(map === null || map === undefined ? null : densityCellCounts(map, 257)).toEqual({
      nan: 0,
      inf: 1,
    });
    expect(map === null || map === undefined ? null : densityCellCounts(map, 2)).toEqual({
      nan: 0,
      inf: 0,
    });
  });

  it('keeps the first MAX_BAD_INDICES indices, once each, but counts every report', () => {
    const t = new BadValueTracker([3000]);
    for (let i = 0; i < 1500; i++) {
      t.addNan(2 * i);
      t.addNan(2 * i); // both parts of a C64 element
    }
    expect(t.nanIndices).toHaveLength(MAX_BAD_INDICES);
    expect(t.nanIndices[999]).toBe(1998);
    expect(t.densityMap()?.nan.reduce((a, b) => a + b, 0)).toBe(3000);
  });
});

describe('BadValueTracker runs', () => {
  /** The map as one cell update per element (the tracker before runs), computed independently. */
  function naive(
    shape: number[],
    nan: number[],
    inf: number[],
  ): { cells: number[]; nan: number[]; inf: number[] } | null {
    if (nan.length + inf.length === 0) {
      return null;
    }
    const cols = shape.length === 0 ? 1 : shape[shape.length - 1];
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const cr = Math.min(rows, 256);
    const cc = Math.min(cols, 256);
    const cell = (k: number): number =>
      Math.floor((Math.floor(k / cols) * cr) / rows) * cc + Math.floor(((k % cols) * cc) / cols);
    const n = new Map<number, number>();
    const f = new Map<number, number>();
    for (const k of nan) {
      n.set(cell(k), (n.get(cell(k)) ?? 0) + 1);
    }
    for (const k of inf) {
      f.set(cell(k), (f.get(cell(k)) ?? 0) + 1);
    }
    const cells = [...new Set([...n.keys(), ...f.keys()])].sort((a, b) => a - b);
    return { cells, nan: cells.map((c) => n.get(c) ?? 0), inf: cells.map((c) => f.get(c) ?? 0) };
  }

  it('bins runs, element calls and C64 repeats exactly as one update per element would', () => {
    const shape = fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: 700 }), fc.integer({ min: 1, max: 700 })),
      fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 })),
    );
    fc.assert(
      fc.property(
        shape,
        fc.array(
          fc.record({
            gap: fc.nat({ max: 2000 }),
            length: fc.integer({ min: 1, max: 5000 }),
            kind: fc.constantFrom('nan', 'inf'),
            how: fc.constantFrom('run', 'each', 'twice'),
          }),
          { maxLength: 12 },
        ),
        ([rows, cols], runs) => {
          const total = rows * cols;
          const t = new BadValueTracker([rows, cols]);
          const nan: number[] = [];
          const inf: number[] = [];
          const listed = { nan: [] as number[], inf: [] as number[] };
          let at = 0;
          for (const r of runs) {
            const start = at + r.gap;
            const end = Math.min(total, start + r.length);
            if (start >= end) {
              break;
            }
            const list = r.kind === 'nan' ? nan : inf;
            for (let k = start; k < end; k++) {
              list.push(k);
              listed[r.kind].push(k);
              if (r.how === 'twice') {
                list.push(k);
              }
            }
            if (r.how === 'run') {
              (r.kind === 'nan' ? t.addNanRun : t.addInfRun).call(t, start, end - start);
            } else {
              for (let k = start; k < end; k++) {
                const add = r.kind === 'nan' ? t.addNan : t.addInf;
                add.call(t, k);
                if (r.how === 'twice') {
                  add.call(t, k);
                }
              }
            }
            at = end;
          }
          const map = t.densityMap();
          const expected = naive([rows, cols], nan, inf);
          expect(map === null ? null : { cells: map.cells, nan: map.nan, inf: map.inf }).toEqual(
            expected,
          );
          expect(t.nanIndices).toEqual(listed.nan.slice(0, MAX_BAD_INDICES));
          expect(t.infIndices).toEqual(listed.inf.slice(0, MAX_BAD_INDICES));
        },
      ),
      { numRuns: 200 },
    );
  });
});
