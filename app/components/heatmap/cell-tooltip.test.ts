import { describe, expect, it } from 'vitest';
import { describeCell, formatAbsmax, formatMetricValue } from './cell-tooltip';
import { summarizeRows } from './cell-summary';
import { allIndices, makeRow } from './test-rows';
import { REMOTE_UNREAD_WORDING } from '../../remote/unread-wording';
import type { TensorRow } from '../../model/tensor-row';

const summarize = (rows: readonly TensorRow[]) => summarizeRows(rows, allIndices(rows));

describe('describeCell', () => {
  const place = { row: 'layer 3', module: 'mlp.experts.down_proj', expert: 17, drillExperts: 0 };

  it('gives exact counts, progress and the click action', () => {
    const summary = summarize([
      makeRow('a', { nan: 12345, posInf: 1, saturated: 2, zero: 3, absmax: 448 }),
      makeRow('b', null),
    ]);
    expect(describeCell(place, summary)).toBe(
      [
        'layer 3 · mlp.experts.down_proj · expert 17',
        'NaN 12,345 · Inf 1 · saturated 2 · zero 3 · absmax 448',
        '2 tensors: 1 scanned, 1 pending',
        'Click to open the worst tensor',
      ].join('\n'),
    );
  });

  it('says when nothing is scanned and when a click drills down', () => {
    const text = describeCell(
      { ...place, expert: null, drillExperts: 256 },
      summarize([makeRow('a', null)]),
    );
    expect(text).toContain('not scanned yet');
    expect(text).toContain('1 tensor: 0 scanned, 1 pending');
    expect(text).toContain('Click to open the 256 experts');
  });

  it('says when tensors are unread by choice (a default remote scan is over)', () => {
    const text = describeCell(
      { ...place, expert: null, drillExperts: 0 },
      summarize([makeRow('a', null), makeRow('b', {})]),
      REMOTE_UNREAD_WORDING,
    );
    expect(text).toContain('2 tensors: 1 scanned, 1 not read (remote default)');
    expect(text).not.toContain('pending');
    const none = describeCell(place, summarize([makeRow('a', null)]), REMOTE_UNREAD_WORDING);
    expect(none).toContain('\nnot read (remote default)\n');
    expect(none).not.toContain('not scanned yet');
  });

  it('says when all are scanned', () => {
    expect(describeCell(place, summarize([makeRow('a', {})]))).toContain('1 tensor, all scanned');
  });
});

describe('formatting', () => {
  it('formats absmax compactly', () => {
    expect(formatAbsmax(null)).toBe('—');
    expect(formatAbsmax(0)).toBe('0');
    expect(formatAbsmax(448)).toBe('448');
    expect(formatAbsmax(0.0123456)).toBe('0.01235');
    expect(formatAbsmax(0.000321)).toBe('3.210e-4');
    expect(formatAbsmax(65504000)).toBe('6.550e+7');
  });

  it('formats counts exactly', () => {
    expect(formatMetricValue('zero', 1234567)).toBe('1,234,567');
    expect(formatMetricValue('absmax', 1.5)).toBe('1.5');
    expect(formatMetricValue('nan', 0)).toBe('0');
    expect(formatMetricValue('nan', 999)).toBe('999');
    expect(formatMetricValue('nan', 1000)).toBe('1,000');
    expect(formatMetricValue('nan', 2 ** 53)).toBe('9,007,199,254,740,992');
  });
});
