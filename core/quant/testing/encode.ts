/**
 * Encoders for building quantized fixtures from the formulas of formats.md: value -> code, the
 * inverse of core/dtype's decoders. Pure functions; tests check them against the decoders.
 */
import { F4_TABLE } from '../../dtype/fp4';
import { F8_E4M3_TABLE } from '../../dtype/fp8';

/** The largest finite E4M3 code (0x7E = 448). */
export const E4M3_MAX_CODE = 0x7e;
/** E4M3 NaN codes (0x7F / 0xFF), the ModelOpt 0.44 fault bytes. */
export const E4M3_NAN = 0x7f;
export const E4M3_NEG_NAN = 0xff;
/** E8M0 NaN (the only one) and bias. */
export const E8M0_NAN = 0xff;
export const E8M0_BIAS = 127;

/** Nearest finite E4M3 code of x ≥ 0, saturating at 448 (a clamped cast, as ModelOpt 0.45 does). */
export function encodeE4M3(x: number): number {
  let best = 0;
  for (let c = 0; c <= E4M3_MAX_CODE; c++) {
    if (Math.abs(F8_E4M3_TABLE[c] - x) < Math.abs(F8_E4M3_TABLE[best] - x)) {
      best = c;
    }
  }
  return best;
}

/** Signed E4M3 code: nearest finite, saturating at ±448. */
export function encodeE4M3Signed(x: number): number {
  const c = encodeE4M3(Math.abs(x));
  return x < 0 && c !== 0 ? c | 0x80 : c;
}

/** Nearest E2M1 code (0..15, sign in bit 3; -0 written as +0). */
export function encodeE2M1(x: number): number {
  let best = 0;
  for (let c = 0; c < 8; c++) {
    if (Math.abs(F4_TABLE[c] - Math.abs(x)) < Math.abs(F4_TABLE[best] - Math.abs(x))) {
      best = c;
    }
  }
  return best === 0 ? 0 : best | (x < 0 ? 8 : 0);
}

/** The E8M0 code of the smallest power of two ≥ x > 0 (the OCP MX shared exponent, rounded up). */
export function encodeE8M0Ceil(x: number): number {
  if (!(x > 0)) {
    return 0;
  }
  const e = Math.ceil(Math.log2(x));
  return Math.max(0, Math.min(254, e + E8M0_BIAS));
}

/** IEEE binary16 bits of x (round to nearest even; no subnormal inputs are needed by the fixtures). */
export function f16Bits(x: number): number {
  const f32 = new Float32Array([x]);
  const u = new Uint32Array(f32.buffer)[0];
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 127 + 15;
  const mant = u & 0x7fffff;
  if (((u >>> 23) & 0xff) === 0xff) {
    return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  }
  if (exp >= 31) {
    return sign | 0x7c00;
  }
  if (exp <= 0) {
    // Subnormal or zero: shift the implicit bit in.
    if (exp < -10) {
      return sign;
    }
    const m = (mant | 0x800000) >>> (14 - exp);
    const rest = (mant | 0x800000) & ((1 << (14 - exp)) - 1);
    const half = 1 << (13 - exp);
    return sign | (m + (rest > half || (rest === half && (m & 1) === 1) ? 1 : 0));
  }
  let h = sign | (exp << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) {
    h++;
  }
  return h;
}

/** bfloat16 bits of x (round to nearest even). */
export function bf16Bits(x: number): number {
  const u = new Uint32Array(new Float32Array([x]).buffer)[0];
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

/** Deterministic PRNG (mulberry32) so fixtures are the same bytes on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A [rows · cols] matrix of normal values with standard deviation `std` (Box-Muller). */
export function gaussianMatrix(random: () => number, count: number, std: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const u = Math.max(random(), 1e-12);
    out[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random()) * std;
  }
  return out;
}

/** Little-endian bytes helpers. */
export function f32Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

export function f16Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Uint16Array.from(Array.from(values, f16Bits)).buffer);
}

export function bf16Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Uint16Array.from(Array.from(values, bf16Bits)).buffer);
}

export function i32Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Int32Array.from(values).buffer);
}

export function i64Bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(BigInt64Array.from(values.map((v) => BigInt(v))).buffer);
}
