import type { ByteSource } from './byte-source';

/** Bytes of a file already in memory, from byte `offset` on. */
export interface KnownBytes {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/**
 * `source`, but reads that fall wholly inside one of the `known` ranges are answered from memory.
 * A browser read costs milliseconds of IPC however small it is, and the quantization analysis
 * reads thousands of tiny tensors (global and input scales) that the scan has just read.
 */
export function withKnownBytes(source: ByteSource, known: readonly KnownBytes[]): ByteSource {
  if (known.length === 0) {
    return source;
  }
  // Sorted when first needed: the CLI wraps every file, and where the analyses take the tiny
  // tensors' bytes straight from the scan (analyzeKnownModule) nothing reads through here, and a
  // sort of 400,000 ranges (a layer of 100,000 experts) was work for nothing.
  let sorted: KnownBytes[] | null = null;
  /** The known range holding [offset, offset + length), or undefined. */
  const find = (offset: number, length: number): KnownBytes | undefined => {
    const ranges = (sorted ??= Array.from(known).sort((a, b) => a.offset - b.offset));
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (ranges[mid].offset <= offset) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    const r = hi >= 0 ? ranges[hi] : undefined;
    return r !== undefined && offset + length <= r.offset + r.bytes.length ? r : undefined;
  };
  const readInto = source.readInto;
  return {
    name: source.name,
    size: source.size,
    read(offset: number, length: number): Promise<Uint8Array> {
      const r = find(offset, length);
      return r === undefined
        ? source.read(offset, length)
        : Promise.resolve(r.bytes.slice(offset - r.offset, offset - r.offset + length));
    },
    ...(readInto === undefined
      ? {}
      : {
          readInto(offset: number, target: Uint8Array): Promise<number> {
            const r = find(offset, target.length);
            if (r === undefined) {
              return readInto.call(source, offset, target);
            }
            target.set(r.bytes.subarray(offset - r.offset, offset - r.offset + target.length));
            return Promise.resolve(target.length);
          },
        }),
  };
}
