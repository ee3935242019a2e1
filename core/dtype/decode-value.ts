import type { Dtype } from './dtype';
import { assertUnreachable, dtypeKind } from './dtype';
import { codeTable } from './code-table';
import { f4CodeAt } from './fp4';
import { f6CodeAt } from './fp6';
import { decodeBF16, decodeF16 } from './half';

/**
 * One decoded element. I64/U64 come back as exact bigints, C64 as a (re, im) pair, everything else
 * (BOOL as 0/1) as a number.
 */
export type ElementValue =
  | { readonly kind: 'real'; readonly value: number }
  | { readonly kind: 'bigint'; readonly value: bigint }
  | { readonly kind: 'complex'; readonly re: number; readonly im: number };

function tableOf(dtype: Dtype): Float64Array {
  const table = codeTable(dtype);
  if (table === null) {
    throw new Error(`${dtype} has no code table`);
  }
  return table;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The value of element `index` as a double, reading little-endian `bytes` that start at element 0.
 * I64/U64 round to the nearest double; for C64 this is component `index` (re = 2k, im = 2k+1).
 */
function readNumber(dtype: Dtype, bytes: Uint8Array, view: DataView, index: number): number {
  switch (dtype) {
    case 'F4':
      return tableOf(dtype)[f4CodeAt(bytes, index)];
    case 'F6_E2M3':
    case 'F6_E3M2':
      return tableOf(dtype)[f6CodeAt(bytes, index)];
    case 'BOOL':
    case 'U8':
    case 'I8':
    case 'F8_E5M2':
    case 'F8_E4M3':
    case 'F8_E8M0':
    case 'F8_E4M3FNUZ':
    case 'F8_E5M2FNUZ':
      return tableOf(dtype)[bytes[index]];
    case 'I16':
      return view.getInt16(index * 2, true);
    case 'U16':
      return view.getUint16(index * 2, true);
    case 'F16':
      return decodeF16(view.getUint16(index * 2, true));
    case 'BF16':
      return decodeBF16(view.getUint16(index * 2, true));
    case 'I32':
      return view.getInt32(index * 4, true);
    case 'U32':
      return view.getUint32(index * 4, true);
    case 'F32':
    case 'C64':
      return view.getFloat32(index * 4, true);
    case 'F64':
      return view.getFloat64(index * 8, true);
    case 'I64':
      return view.getInt32(index * 8 + 4, true) * 2 ** 32 + view.getUint32(index * 8, true);
    case 'U64':
      return view.getUint32(index * 8 + 4, true) * 2 ** 32 + view.getUint32(index * 8, true);
    default:
      return assertUnreachable(dtype);
  }
}

/** Element `index` of little-endian `bytes` that begin at element 0 of a tensor (or of any group). */
export function decodeElement(dtype: Dtype, bytes: Uint8Array, index: number): ElementValue {
  const view = viewOf(bytes);
  if (dtype === 'I64') {
    return { kind: 'bigint', value: view.getBigInt64(index * 8, true) };
  }
  if (dtype === 'U64') {
    return { kind: 'bigint', value: view.getBigUint64(index * 8, true) };
  }
  if (dtypeKind(dtype) === 'complex') {
    return {
      kind: 'complex',
      re: readNumber(dtype, bytes, view, 2 * index),
      im: readNumber(dtype, bytes, view, 2 * index + 1),
    };
  }
  return { kind: 'real', value: readNumber(dtype, bytes, view, index) };
}

/**
 * The first `count` elements as doubles: for small tensors (scales, biases) shown or checked whole.
 * C64 gives 2 * count values (re, im interleaved); I64/U64 round to the nearest double.
 */
export function decodeToFloat64(dtype: Dtype, bytes: Uint8Array, count: number): Float64Array {
  const view = viewOf(bytes);
  const n = dtypeKind(dtype) === 'complex' ? 2 * count : count;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = readNumber(dtype, bytes, view, i);
  }
  return out;
}
