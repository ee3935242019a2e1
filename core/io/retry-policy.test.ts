import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
} from './retry-policy';

describe('retry policy', () => {
  it('retries 429 and 5xx only', () => {
    expect([429, 500, 502, 503, 599].every(isRetryableStatus)).toBe(true);
    expect([200, 206, 301, 401, 403, 404, 416].some(isRetryableStatus)).toBe(false);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:10 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('backs off exponentially to a cap, honours Retry-After within its bound, and stops', () => {
    const p = DEFAULT_RETRY_POLICY;
    expect(retryDelay(p, 1, null)).toBe(500);
    expect(retryDelay(p, 2, null)).toBe(1000);
    expect(retryDelay(p, 4, null)).toBe(4000);
    expect(retryDelay(p, 5, null)).toBeNull();
    expect(retryDelay(p, 1, 2000)).toBe(2000);
    expect(retryDelay(p, 1, p.maxRetryAfterMs + 1)).toBeNull();
    expect(retryDelay({ ...p, attempts: 10 }, 9, null)).toBe(p.maxDelayMs);
  });
});
