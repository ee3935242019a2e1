import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER, effectiveDtype, filterRows, presentDtypes } from './tensor-filter';
import { makeRow } from './test-rows';

const rows = [
  makeRow('model.layers.0.mlp.weight', { dtype: 'F8_E4M3' }),
  makeRow('model.layers.0.mlp.weight_scale', { dtype: 'F32', stats: { nan: 3 } }),
  makeRow('model.layers.1.mlp.WEIGHT', { dtype: 'F8_E4M3', stats: { negInf: 1 } }),
  makeRow('lm_head.weight', { dtype: 'BF16', stats: null }),
];

const names = (list: readonly { info: { name: string } }[]): string[] =>
  list.map((r) => r.info.name);

describe('filterRows', () => {
  it('keeps every row when nothing filters', () => {
    expect(filterRows(rows, EMPTY_FILTER)).toBe(rows);
    expect(filterRows(rows, { ...EMPTY_FILTER, text: '   ' })).toEqual(rows);
  });
  it('matches name substrings case-insensitively', () => {
    expect(names(filterRows(rows, { ...EMPTY_FILTER, text: 'Weight' }))).toEqual([
      'model.layers.0.mlp.weight',
      'model.layers.0.mlp.weight_scale',
      'model.layers.1.mlp.WEIGHT',
      'lm_head.weight',
    ]);
    expect(names(filterRows(rows, { ...EMPTY_FILTER, text: '_scale' }))).toEqual([
      'model.layers.0.mlp.weight_scale',
    ]);
  });
  it('filters by dtype', () => {
    expect(names(filterRows(rows, { ...EMPTY_FILTER, dtype: 'F8_E4M3' }))).toEqual([
      'model.layers.0.mlp.weight',
      'model.layers.1.mlp.WEIGHT',
    ]);
  });
  it('keeps only NaN/Inf tensors, dropping unscanned ones', () => {
    expect(names(filterRows(rows, { ...EMPTY_FILTER, onlyProblems: true }))).toEqual([
      'model.layers.0.mlp.weight_scale',
      'model.layers.1.mlp.WEIGHT',
    ]);
  });
  it('combines all filters', () => {
    const filter = { text: 'layers.1', dtype: 'F8_E4M3' as const, onlyProblems: true };
    expect(names(filterRows(rows, filter))).toEqual(['model.layers.1.mlp.WEIGHT']);
  });
});

describe('presentDtypes and effectiveDtype', () => {
  it('lists the dtypes present in canonical order', () => {
    expect(presentDtypes(rows)).toEqual(['F8_E4M3', 'BF16', 'F32']);
    expect(presentDtypes([])).toEqual([]);
  });
  it('falls back to all when the chosen dtype is gone', () => {
    expect(effectiveDtype('F16', presentDtypes(rows))).toBe('all');
    expect(effectiveDtype('BF16', presentDtypes(rows))).toBe('BF16');
    expect(effectiveDtype('all', [])).toBe('all');
  });
});
