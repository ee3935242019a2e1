/**
 * Deterministic pseudo-random bytes: a fixed LCG (x = x * 1103515245 + 12345 mod 2^32, top byte),
 * so every run, thread count and chunk size sees the same data.
 */
export function lcgBytes(n: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
