/**
 * The 22 dtype names the reference safetensors implementation accepts, verbatim and case-sensitive
 * (huggingface/safetensors `tensor.rs`). Aliases such as `E8M0`, `FP4` or `UE8` are rejected there,
 * so they are not dtypes here either.
 */
export const DTYPES = [
  'BOOL',
  'F4',
  'F6_E2M3',
  'F6_E3M2',
  'U8',
  'I8',
  'F8_E5M2',
  'F8_E4M3',
  'F8_E8M0',
  'F8_E4M3FNUZ',
  'F8_E5M2FNUZ',
  'I16',
  'U16',
  'F16',
  'BF16',
  'I32',
  'U32',
  'F32',
  'C64',
  'F64',
  'I64',
  'U64',
] as const;

export type Dtype = (typeof DTYPES)[number];

const DTYPE_SET: ReadonlySet<string> = new Set(DTYPES);

export function isDtype(name: string): name is Dtype {
  return DTYPE_SET.has(name);
}

/** Bits per element. F4 packs two elements per byte; F6 packs four elements into three bytes. */
export function dtypeBits(dtype: Dtype): number {
  switch (dtype) {
    case 'F4':
      return 4;
    case 'F6_E2M3':
    case 'F6_E3M2':
      return 6;
    case 'BOOL':
    case 'U8':
    case 'I8':
    case 'F8_E5M2':
    case 'F8_E4M3':
    case 'F8_E8M0':
    case 'F8_E4M3FNUZ':
    case 'F8_E5M2FNUZ':
      return 8;
    case 'I16':
    case 'U16':
    case 'F16':
    case 'BF16':
      return 16;
    case 'I32':
    case 'U32':
    case 'F32':
      return 32;
    case 'C64':
    case 'F64':
    case 'I64':
    case 'U64':
      return 64;
    default:
      return assertUnreachable(dtype);
  }
}

/**
 * The smallest whole group of elements that starts on a byte boundary: chunked reads are cut on
 * multiples of `groupBytes` so that no element straddles two chunks.
 */
export function dtypeGroup(dtype: Dtype): { elements: number; bytes: number } {
  const bits = dtypeBits(dtype);
  switch (bits) {
    case 4:
      return { elements: 2, bytes: 1 };
    case 6:
      return { elements: 4, bytes: 3 };
    default:
      return { elements: 1, bytes: bits / 8 };
  }
}

export type DtypeKind = 'float' | 'int' | 'bool' | 'complex';

export function dtypeKind(dtype: Dtype): DtypeKind {
  switch (dtype) {
    case 'BOOL':
      return 'bool';
    case 'U8':
    case 'I8':
    case 'I16':
    case 'U16':
    case 'I32':
    case 'U32':
    case 'I64':
    case 'U64':
      return 'int';
    case 'C64':
      return 'complex';
    case 'F4':
    case 'F6_E2M3':
    case 'F6_E3M2':
    case 'F8_E5M2':
    case 'F8_E4M3':
    case 'F8_E8M0':
    case 'F8_E4M3FNUZ':
    case 'F8_E5M2FNUZ':
    case 'F16':
    case 'BF16':
    case 'F32':
    case 'F64':
      return 'float';
    default:
      return assertUnreachable(dtype);
  }
}

/** Closes exhaustive switches: a new union member without a case is a compile error. */
export function assertUnreachable(value: never): never {
  throw new Error(`unreachable: ${String(value)}`);
}
