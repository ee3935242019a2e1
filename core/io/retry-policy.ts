/** How transient failures (429, 5xx, connection resets, stalls) are retried. */
export interface RetryPolicy {
  /** Attempts per request, the first included. */
  readonly attempts: number;
  /** Wait before the first retry; doubled each time up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A `Retry-After` longer than this gives up instead of waiting (bounded total time). */
  readonly maxRetryAfterMs: number;
}

/**
 * Five attempts, 0.5 s doubling to 8 s: a retried request waits at most ~15 s of backoff in all, or
 * the server's `Retry-After` up to 60 s (the Hub's rate-limit windows are 5 minutes; waiting
 * longer than a minute is better reported than hidden in a spinner).
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 60_000,
};

/** Statuses worth another try: rate limiting and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** The `Retry-After` delay in ms (delta-seconds or an HTTP date), or null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) {
    return null;
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    return Number(text) * 1000;
  }
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/**
 * How long to wait before attempt `attempt` (1 = the first retry), or null to give up: attempts
 * exhausted, or a `Retry-After` beyond the policy's bound.
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | null,
): number | null {
  if (attempt >= policy.attempts) {
    return null;
  }
  if (retryAfterMs !== null) {
    return retryAfterMs > policy.maxRetryAfterMs ? null : retryAfterMs;
  }
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}
