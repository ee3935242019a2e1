import type { Dtype } from '../../dtype/dtype';
import { dtypeBits } from '../../dtype/dtype';
import { decodeToFloat64 } from '../../dtype/decode-value';
import { F8_E4M3_TABLE, F8_E8M0_TABLE } from '../../dtype/fp8';
import type { ScaleEncoding } from '../quant-layout';

/** Bytes per element of a dtype that is at least one byte wide. */
export function elementBytes(dtype: Dtype): number {
  const bits = dtypeBits(dtype);
  if (bits < 8) {
    throw new RangeError(`${dtype} elements are narrower than a byte`);
  }
  return bits / 8;
}

/**
 * The table `decodeByRole` reads 1-byte elements through (E4M3 / E8M0 by role, whatever the
 * storage dtype), or null when it decodes them otherwise (by their own dtype, or wider elements).
 */
export function byteRoleTable(dtype: Dtype, encoding: ScaleEncoding): Float64Array | null {
  if (encoding === 'float' || elementBytes(dtype) !== 1) {
    return null;
  }
  return encoding === 'e4m3' ? F8_E4M3_TABLE : F8_E8M0_TABLE;
}

/**
 * Values of `count` elements of little-endian `bytes`, read by role: E4M3 / E8M0 bytes through
 * their tables whatever the storage dtype (U8 included), anything else as its own dtype.
 */
export function decodeByRole(
  bytes: Uint8Array,
  dtype: Dtype,
  encoding: ScaleEncoding,
  count: number,
): Float64Array {
  const table = byteRoleTable(dtype, encoding);
  if (table === null) {
    return decodeToFloat64(dtype, bytes, count);
  }
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = table[bytes[i]];
  }
  return out;
}
