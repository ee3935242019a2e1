/**
 * The values of a typed array as a plain array of exactly its length. `Array.from` walks a typed
 * array through its iterator and grows the array as it goes (several times slower for a 256-bin
 * histogram); growing one by `push` kept ~800 more bytes per 256 counts (measured), and stats keep
 * their histograms.
 */
export function plainArray(values: Float64Array): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    out[i] = values[i];
  }
  return out;
}
