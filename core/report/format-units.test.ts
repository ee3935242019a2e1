import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from './format-units';

describe('formatBytes / formatDuration', () => {
  it('uses decimal units', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1.00 KB');
    expect(formatBytes(5_368_709_120)).toBe('5.37 GB');
    expect(formatBytes(123_400_000)).toBe('123.4 MB');
  });
  it('formats durations and unknowns', () => {
    expect(formatDuration(4.25)).toBe('4.3 s');
    expect(formatDuration(12.4)).toBe('12 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('--');
  });
});
