/** A parsed `Content-Range: bytes first-last/total` (total null for `*`). */
export interface ContentRange {
  readonly first: number;
  readonly last: number;
  readonly total: number | null;
}

const CONTENT_RANGE = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i;

/** The header's range, or null when it is absent or not a single satisfied byte range. */
export function parseContentRange(value: string | null): ContentRange | null {
  const m = value === null ? null : CONTENT_RANGE.exec(value);
  if (m === null) {
    return null;
  }
  const first = Number(m[1]);
  const last = Number(m[2]);
  const total = m[3] === '*' ? null : Number(m[3]);
  if (
    !Number.isSafeInteger(first) ||
    !Number.isSafeInteger(last) ||
    last < first ||
    (total !== null && (!Number.isSafeInteger(total) || last >= total))
  ) {
    return null;
  }
  return { first, last, total };
}

/** The `Range` header for bytes [start, end): one closed range, never a suffix or multi-range. */
export function rangeHeader(start: number, end: number): string {
  return `bytes=${start}-${end - 1}`;
}
