/**
 * The `rel="next"` target of an RFC 8288 `Link` header (the Hub's tree API paginates with it), or
 * null. Handles several comma-separated links and parameters in any order.
 */
export function nextLink(value: string | null): string | null {
  if (value === null) {
    return null;
  }
  const link = /<([^>]*)>((?:\s*;\s*[^,;]+)*)/g;
  for (let m = link.exec(value); m !== null; m = link.exec(value)) {
    const params = m[2].split(';').map((p) => p.trim().toLowerCase());
    if (params.some((p) => /^rel\s*=\s*"?([^"]*)"?$/.exec(p)?.[1].split(/\s+/).includes('next'))) {
      return m[1];
    }
  }
  return null;
}
