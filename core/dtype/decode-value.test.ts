import { describe, expect, it } from 'vitest';
import { decodeElement, decodeToFloat64 } from './decode-value';

function le(...words: [number, 'u8' | 'u16' | 'i32' | 'f32' | 'f64' | 'u32'][]): Uint8Array {
  const parts: number[] = [];
  for (const [v, kind] of words) {
    const size = { u8: 1, u16: 2, i32: 4, u32: 4, f32: 4, f64: 8 }[kind];
    const view = new DataView(new ArrayBuffer(size));
    if (kind === 'u8') {
      view.setUint8(0, v);
    }
    if (kind === 'u16') {
      view.setUint16(0, v, true);
    }
    if (kind === 'i32') {
      view.setInt32(0, v, true);
    }
    if (kind === 'u32') {
      view.setUint32(0, v, true);
    }
    if (kind === 'f32') {
      view.setFloat32(0, v, true);
    }
    if (kind === 'f64') {
      view.setFloat64(0, v, true);
    }
    parts.push(...new Uint8Array(view.buffer));
  }
  return Uint8Array.from(parts);
}

describe('decodeElement', () => {
  it('decodes reals of every width', () => {
    expect(decodeElement('F8_E4M3', new Uint8Array([0x38, 0x7e]), 1)).toEqual({
      kind: 'real',
      value: 448,
    });
    expect(decodeElement('F4', new Uint8Array([0x71]), 1)).toEqual({ kind: 'real', value: 6 });
    expect(decodeElement('F6_E3M2', new Uint8Array([0x00, 0xf0, 0x01]), 2)).toEqual({
      kind: 'real',
      value: 28,
    });
    expect(decodeElement('BF16', le([0x3f80, 'u16'], [0xc040, 'u16']), 1)).toEqual({
      kind: 'real',
      value: -3,
    });
    expect(decodeElement('F16', le([0x7bff, 'u16']), 0)).toEqual({ kind: 'real', value: 65504 });
    expect(decodeElement('I16', le([0x8000, 'u16']), 0)).toEqual({ kind: 'real', value: -32768 });
    expect(decodeElement('U16', le([0x8000, 'u16']), 0)).toEqual({ kind: 'real', value: 32768 });
    expect(decodeElement('I32', le([-5, 'i32']), 0)).toEqual({ kind: 'real', value: -5 });
    expect(decodeElement('U32', le([0xffffffff, 'u32']), 0)).toEqual({
      kind: 'real',
      value: 4294967295,
    });
    expect(decodeElement('F32', le([1.5, 'f32']), 0)).toEqual({ kind: 'real', value: 1.5 });
    expect(decodeElement('F64', le([0.1, 'f64']), 0)).toEqual({ kind: 'real', value: 0.1 });
    expect(decodeElement('BOOL', new Uint8Array([0, 7]), 1)).toEqual({ kind: 'real', value: 1 });
    expect(decodeElement('I8', new Uint8Array([0x80]), 0)).toEqual({ kind: 'real', value: -128 });
  });

  it('decodes 64-bit integers exactly and C64 as pairs', () => {
    const i64 = le([0, 'u32'], [0x80000000, 'u32'], [0xffffffff, 'u32'], [0x7fffffff, 'u32']);
    expect(decodeElement('I64', i64, 0)).toEqual({ kind: 'bigint', value: -(2n ** 63n) });
    expect(decodeElement('I64', i64, 1)).toEqual({ kind: 'bigint', value: 2n ** 63n - 1n });
    const u64 = le([0xffffffff, 'u32'], [0xffffffff, 'u32']);
    expect(decodeElement('U64', u64, 0)).toEqual({ kind: 'bigint', value: 2n ** 64n - 1n });
    const c64 = le([1, 'f32'], [-2, 'f32'], [0.5, 'f32'], [Infinity, 'f32']);
    expect(decodeElement('C64', c64, 1)).toEqual({ kind: 'complex', re: 0.5, im: Infinity });
  });
});

describe('decodeToFloat64', () => {
  it('decodes the first elements; C64 interleaved, I64 as doubles', () => {
    expect(Array.from(decodeToFloat64('F4', new Uint8Array([0x71, 0xf8]), 4))).toEqual([
      0.5, 6, -0, -6,
    ]);
    const c64 = le([1, 'f32'], [-2, 'f32']);
    expect(Array.from(decodeToFloat64('C64', c64, 1))).toEqual([1, -2]);
    const i64 = le([3, 'u32'], [1, 'u32'], [0xfffffffe, 'u32'], [0xffffffff, 'u32']);
    expect(Array.from(decodeToFloat64('I64', i64, 2))).toEqual([2 ** 32 + 3, -2]);
  });
});
