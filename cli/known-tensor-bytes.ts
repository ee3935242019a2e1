import type { KnownBytes } from '../core/io/known-bytes-source';
import type { KnownTensorBytes } from '../core/quant/analyze/analyze-module';

/**
 * The tiny tensors' bytes a scan kept, per file name, as a lookup by tensor (file and start
 * offset): what `analyzeKnownModule` reads instead of the file. A tensor whose bytes were not kept
 * (or of another length: never the case for the tensor the bytes came from) is undefined.
 */
export function knownTensorBytes(
  tiny: ReadonlyMap<string, readonly KnownBytes[]>,
): KnownTensorBytes {
  const byFile = new Map<string, Map<number, Uint8Array>>();
  for (const [file, known] of tiny) {
    const byOffset = new Map<number, Uint8Array>();
    for (const k of known) {
      byOffset.set(k.offset, k.bytes);
    }
    byFile.set(file, byOffset);
  }
  return (ref) => {
    const bytes = byFile.get(ref.file)?.get(ref.info.offset);
    return bytes !== undefined && bytes.length === ref.info.nbytes ? bytes : undefined;
  };
}
