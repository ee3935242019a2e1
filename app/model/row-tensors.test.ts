import { describe, expect, it } from 'vitest';
import { makeRow } from '../components/table/test-rows';
import { sameTensors } from '../components/heatmap/row-grid';
import { carryTensors, knownSameTensors, markTensors, sameRowTensors } from './row-tensors';

describe('row-tensors marks', () => {
  const rows = [makeRow('a'), makeRow('b')];

  it('knows arrays of one load hold the same tensors, of two loads not, of unmarked nothing', () => {
    const load = {};
    const first = rows.slice();
    const later = rows.map((r) => ({ ...r, stats: null }));
    markTensors(first, load);
    markTensors(later, load);
    expect(knownSameTensors(first, later)).toBe(true);
    const reloaded = rows.slice();
    markTensors(reloaded, {});
    expect(knownSameTensors(first, reloaded)).toBe(false);
    expect(knownSameTensors(first, rows.slice())).toBeNull();
    const derived = first.map((r) => ({ ...r, findings: 1 }));
    carryTensors(derived, first);
    expect(knownSameTensors(derived, later)).toBe(true);
  });

  it('lets sameTensors answer from the marks, and compare unmarked arrays entry by entry', () => {
    const a = rows.slice();
    const b = rows.slice();
    expect(sameTensors(a, b)).toBe(true);
    expect(sameTensors(a, [rows[1], rows[0]])).toBe(false);
    markTensors(a, {});
    markTensors(b, {});
    // Two loads of the same names: not the same tensors (the grid is built again).
    expect(sameTensors(a, b)).toBe(false);
  });
});

describe('sameRowTensors', () => {
  it('compares unmarked arrays with the given test, and lengths first', () => {
    const rows = [makeRow('a'), makeRow('b')];
    const byInfo = (x: (typeof rows)[number], y: (typeof rows)[number]) => x.info === y.info;
    expect(sameRowTensors(rows, rows.slice(), byInfo)).toBe(true);
    // Same names, other header entries (a reload): different for an info test.
    const reread = rows.map((r) => ({ ...r, info: { ...r.info } }));
    expect(sameRowTensors(rows, reread, byInfo)).toBe(false);
    expect(sameRowTensors(rows, reread, (x, y) => x.key === y.key)).toBe(true);
    expect(sameRowTensors(rows, rows.slice(0, 1), () => true)).toBe(false);
  });
});
