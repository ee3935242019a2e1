import { describe, expect, it } from 'vitest';
import { nextLink } from './link-header';

describe('nextLink', () => {
  it('finds rel="next" among several links and parameters', () => {
    expect(nextLink('<https://h/api?cursor=2>; rel="next"')).toBe('https://h/api?cursor=2');
    expect(nextLink('<https://h/p1>; rel="prev", <https://h/p3>; title="x"; rel=next')).toBe(
      'https://h/p3',
    );
    expect(nextLink('<https://h/p1>; rel="prev"')).toBeNull();
    expect(nextLink(null)).toBeNull();
  });
});
