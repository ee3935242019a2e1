import type { TensorInfo } from '../../format/tensor-info';
import type { ByteSource } from '../../io/byte-source';
import { readRange } from '../../io/read-range';
import type { DiffInstance } from './diff-instance';

/** Read buffers start on this boundary (v128 loads, and any typed view of them). */
export const READ_ALIGN = 16;

/** `n` rounded up to READ_ALIGN. */
export function aligned(n: number): number {
  return Math.ceil(n / READ_ALIGN) * READ_ALIGN;
}

/**
 * Reads bytes [start, start + length) of a tensor into the instance's memory at `at`: in place
 * where the source has `readInto` (Node files), else read and copied in.
 */
export async function readTo(
  wasm: DiffInstance,
  source: ByteSource,
  tensor: TensorInfo,
  start: number,
  length: number,
  at: number,
): Promise<void> {
  const target = wasm.bytes.subarray(at, at + length);
  const bytes = await readRange(source, tensor.offset + start, length, target, tensor.name);
  if (bytes.buffer !== target.buffer || bytes.byteOffset !== target.byteOffset) {
    wasm.bytes.set(bytes, at);
  }
}

/**
 * Goes through `chunks` chunks with two read slots: chunk c + 1 is read into slot (c + 1) % 2
 * while `use` works on chunk c in slot c % 2, so file reads (off the JS thread in Node) overlap
 * the kernel. Settles only once no read is in flight (the slots may then be reused), also when a
 * read or `use` throws.
 */
export async function pipelineChunks(
  chunks: number,
  read: (chunk: number, slot: number) => Promise<unknown>,
  use: (chunk: number, slot: number) => Promise<void> | void,
): Promise<void> {
  let next: Promise<unknown> | null = chunks > 0 ? read(0, 0) : null;
  let pending = next;
  try {
    for (let c = 0; c < chunks; c++) {
      await next;
      next = c + 1 < chunks ? read(c + 1, (c + 1) % 2) : null;
      // A read ahead that is never awaited (`use` threw) must not reject unhandled.
      next?.catch(() => undefined);
      pending = next;
      await use(c, c % 2);
    }
  } finally {
    await pending?.catch(() => undefined);
  }
}
