/** A byte range of a file: `length` bytes from `offset`. */
export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

/** A run of a file fetched in one request: bytes [start, end). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Gaps up to this many bytes between two wanted ranges are fetched rather than paid for with
 * another request. Measured against the loopback test server (`npm run bench`, row "one request on
 * loopback"): a small ranged request cost 7.7–12 ms there (2.2 and 5 GB runs), the time to stream
 * 0.2–0.4 MiB of body, so on loopback the break-even gap is ~0.2–0.4 MiB. On the Hub a request adds TLS, a round trip (20–200 ms)
 * and a Resolver rate-limit slot (hub-access.md §7) at typically 20–100 MB/s, a break-even of 1 to
 * 10+ MiB; 1 MiB is the low end of that: fewer requests where they are expensive, while the bytes
 * stay within the budgets (reference-order scale runs have no gaps at all).
 */
export const COALESCE_GAP_BYTES = 1024 * 1024;

/**
 * Merges ranges (any order, overlaps allowed) into spans: sorted, and two ranges whose gap is at
 * most `gapBytes` share a span. Empty ranges are ignored. Linear after the sort.
 */
export function coalesceRanges(ranges: readonly ByteRange[], gapBytes: number): Span[] {
  const sorted = ranges.filter((r) => r.length > 0).sort((a, b) => a.offset - b.offset);
  const spans: Span[] = [];
  let start = -1;
  let end = -1;
  for (const r of sorted) {
    if (start >= 0 && r.offset - end <= gapBytes) {
      end = Math.max(end, r.offset + r.length);
      continue;
    }
    if (start >= 0) {
      spans.push({ start, end });
    }
    start = r.offset;
    end = r.offset + r.length;
  }
  if (start >= 0) {
    spans.push({ start, end });
  }
  return spans;
}

/** The span holding all of [offset, offset + length), by binary search over sorted spans, or null. */
export function spanHolding(spans: readonly Span[], offset: number, length: number): Span | null {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (spans[mid].start <= offset) {
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  const s = hi >= 0 ? spans[hi] : undefined;
  return s !== undefined && offset + length <= s.end ? s : null;
}
