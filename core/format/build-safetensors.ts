import type { Dtype } from '../dtype/dtype';
import { dtypeBits } from '../dtype/dtype';

export interface TensorSpec {
  readonly name: string;
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  /** Raw little-endian bytes; must be exactly the size the shape and dtype imply. */
  readonly data: Uint8Array;
}

/** Writers pad the header with spaces so the data region starts 8-byte aligned (reference serializer). */
export const HEADER_ALIGNMENT_BYTES = 8;

/** Bytes a tensor of this dtype and shape occupies. Throws on sub-byte sizes that do not fill a byte. */
export function tensorByteSize(dtype: Dtype, shape: readonly number[]): number {
  const bits = shape.reduce((n, d) => n * d, 1) * dtypeBits(dtype);
  if (bits % 8 !== 0) {
    throw new RangeError(`${dtype} ${JSON.stringify(shape)} does not fill whole bytes`);
  }
  return bits / 8;
}

/**
 * Serializes tensors into a valid safetensors file, laid out in the order given, header padded with
 * spaces as the reference writer does. Used by tests, fixture scripts and the bundled sample.
 */
export function buildSafetensors(
  tensors: readonly TensorSpec[],
  metadata: Readonly<Record<string, string>> | null = null,
): Uint8Array {
  const parts: string[] = [];
  if (metadata !== null) {
    parts.push(`"__metadata__":${JSON.stringify(metadata)}`);
  }
  let offset = 0;
  for (const t of tensors) {
    const size = tensorByteSize(t.dtype, t.shape);
    if (size !== t.data.length) {
      throw new RangeError(
        `${t.name}: ${t.dtype} ${JSON.stringify(t.shape)} needs ${size} bytes, got ${t.data.length}`,
      );
    }
    parts.push(
      `${JSON.stringify(t.name)}:{"dtype":"${t.dtype}","shape":${JSON.stringify(t.shape)},"data_offsets":[${offset},${offset + size}]}`,
    );
    offset += size;
  }
  let header = `{${parts.join(',')}}`;
  const headerBytesUnpadded = new TextEncoder().encode(header).length;
  const pad =
    (HEADER_ALIGNMENT_BYTES - (headerBytesUnpadded % HEADER_ALIGNMENT_BYTES)) %
    HEADER_ALIGNMENT_BYTES;
  header += ' '.repeat(pad);
  return assembleSafetensors(
    new TextEncoder().encode(header),
    tensors.map((t) => t.data),
  );
}

/** Joins an 8-byte length prefix, raw header bytes and data parts, exactly as given (malformed tests use this). */
export function assembleSafetensors(
  headerBytes: Uint8Array,
  dataParts: readonly Uint8Array[] = [],
): Uint8Array {
  const dataLength = dataParts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(8 + headerBytes.length + dataLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const p of dataParts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Little-endian bytes of typed values, for building fixtures. */
export function bytesOf(
  values: ArrayLike<number>,
  kind: 'f32' | 'f64' | 'f16bits' | 'u16' | 'i32' | 'u8',
): Uint8Array {
  switch (kind) {
    case 'f32':
      return new Uint8Array(Float32Array.from(values).buffer);
    case 'f64':
      return new Uint8Array(Float64Array.from(values).buffer);
    case 'f16bits':
    case 'u16':
      return new Uint8Array(Uint16Array.from(values).buffer);
    case 'i32':
      return new Uint8Array(Int32Array.from(values).buffer);
    case 'u8':
      return Uint8Array.from(values);
  }
}
