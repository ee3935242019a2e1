import type { Dtype } from '../../dtype/dtype';
import type { ScaleEncoding } from '../quant-layout';
import { decodeByRole, elementBytes } from '../stream/decode-values';

/** Widest storage whose every code gets a table entry: 2 bytes is 65,536 doubles (512 KiB). */
export const MAX_TABLE_ELEMENT_BYTES = 2;

const cache = new Map<string, Float64Array>();

/**
 * The value of every code of a 1- or 2-byte dtype read by role (`values[code]`, codes little-endian),
 * so a histogram of codes can stand for the values. Built once per (dtype, encoding).
 */
export function codeValues(dtype: Dtype, encoding: ScaleEncoding): Float64Array {
  const key = `${dtype}/${encoding}`;
  const known = cache.get(key);
  if (known !== undefined) {
    return known;
  }
  const eb = elementBytes(dtype);
  if (eb > MAX_TABLE_ELEMENT_BYTES) {
    throw new RangeError(`${dtype} has too many codes for a table`);
  }
  const count = 1 << (8 * eb);
  const bytes = new Uint8Array(count * eb);
  for (let code = 0; code < count; code++) {
    bytes[code * eb] = code & 0xff;
    if (eb === 2) {
      bytes[code * eb + 1] = code >>> 8;
    }
  }
  const values = decodeByRole(bytes, dtype, encoding, count);
  cache.set(key, values);
  return values;
}
