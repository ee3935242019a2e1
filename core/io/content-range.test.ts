import { describe, expect, it } from 'vitest';
import { parseContentRange, rangeHeader } from './content-range';

describe('Content-Range and Range', () => {
  it('parses one satisfied range and refuses the rest', () => {
    expect(parseContentRange('bytes 0-99/1000')).toEqual({ first: 0, last: 99, total: 1000 });
    expect(parseContentRange('bytes 5-9/*')).toEqual({ first: 5, last: 9, total: null });
    expect(parseContentRange('bytes */1000')).toBeNull();
    expect(parseContentRange('bytes 9-5/1000')).toBeNull();
    expect(parseContentRange('bytes 0-1000/1000')).toBeNull();
    expect(parseContentRange(null)).toBeNull();
  });

  it('asks for one closed range, never a suffix', () => {
    expect(rangeHeader(0, 8)).toBe('bytes=0-7');
    expect(rangeHeader(100, 101)).toBe('bytes=100-100');
  });
});
