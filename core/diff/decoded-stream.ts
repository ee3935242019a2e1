import { CheckpointError } from '../format/errors';
import type { ByteSource } from '../io/byte-source';
import { decodeWeights } from '../quant/decode/decode-weights';
import type { QuantModule } from '../quant/quant-types';
import type { SourceMap, StreamOptions } from '../quant/stream/read-exact';
import type { ValueBlock, ValueStream } from './value-stream';

/**
 * Past this many buffered values between two reads of the decoder, the module is refused rather
 * than the buffer grown: the decoders read at most one chunk (≤ 2 values per byte) between reads,
 * so only a decoder change could get here, and memory must stay bounded whatever happens.
 */
const MAX_BUFFERED_VALUES = 64 * 1024 * 1024;

/** Which values trade places when a packed byte's two FP4 nibbles are read the other way round. */
export type NibblePairs =
  | { readonly axis: 'last' }
  | { readonly axis: 'second-last'; readonly rows: number; readonly cols: number };

interface Waiter {
  resolve(block: ValueBlock | null): void;
  reject(error: unknown): void;
}

/**
 * Turns core's push-style dequantizer (`decodeWeights` calls a visitor for every element) into a
 * pull-style `ValueStream` without forking it: the decoder reads its bytes through wrapped sources,
 * and every read first hands the values decoded since the previous read to the consumer and waits
 * until the consumer asks for more. Memory: the values of one chunk (the decoder's own bound).
 * Every decoder emits a chunk's elements as one contiguous index range, starting at its lowest;
 * a block that is not contiguous is refused (an Error naming the module), never paired wrongly.
 */
export function decodedStream(
  sources: SourceMap,
  module: QuantModule,
  options: StreamOptions,
  swap: NibblePairs | null,
): ValueStream {
  const firstChunk = Math.max(1024, 2 * (options.chunkBytes ?? 1024 * 1024));
  let buf = new Float64Array(firstChunk);
  let alt: Float64Array | null = swap === null ? null : new Float64Array(firstChunk);
  let base = -1;
  let count = 0;
  let highest = -1;
  let nextStart = 0;
  let waiter: Waiter | null = null;
  let resume: (() => void) | null = null;
  let started = false;
  let finished = false;
  let failure: unknown = null;
  let closed = false;

  const fail = (why: string): Error => new Error(`${module.prefix}: ${why}`);

  const takeBlock = (): ValueBlock => {
    if (highest + 1 !== count || base !== nextStart) {
      throw fail(
        `the dequantizer produced elements out of order (block at ${base}, expected ${nextStart})`,
      );
    }
    const values = buf.subarray(0, count);
    let swapped: Float64Array | null = null;
    if (swap !== null && alt !== null) {
      swapped = alt.subarray(0, count);
      fillSwapped(values, swapped, base, swap);
    }
    nextStart = base + count;
    return { start: base, values, alt: swapped };
  };

  const deliver = (block: ValueBlock | null): void => {
    const w = waiter;
    waiter = null;
    w?.resolve(block);
  };

  const publish = async (): Promise<void> => {
    deliver(takeBlock());
    await new Promise<void>((r) => {
      resume = r;
    });
    count = 0;
    base = -1;
    highest = -1;
  };

  const wrap = (source: ByteSource): ByteSource => ({
    name: source.name,
    size: source.size,
    async read(offset, length) {
      if (count > 0) {
        await publish();
      }
      if (closed) {
        throw new CheckpointError('Cancelled', source.name, 'comparison stopped', module.prefix);
      }
      return source.read(offset, length);
    },
  });

  const start = (): void => {
    started = true;
    const wrapped = new Map<string, ByteSource>();
    for (const [name, source] of sources) {
      wrapped.set(name, wrap(source));
    }
    decodeWeights(
      { sources: wrapped, module, options },
      {
        element(index, _code, _level, value) {
          if (count === 0) {
            base = index;
          }
          const at = index - base;
          if (at < 0 || at >= MAX_BUFFERED_VALUES) {
            throw fail(`element ${index} falls outside the block that starts at ${base}`);
          }
          if (at >= buf.length) {
            const grown = new Float64Array(
              Math.min(MAX_BUFFERED_VALUES, 2 * Math.max(at, buf.length)),
            );
            grown.set(buf);
            buf = grown;
            alt = alt === null ? null : new Float64Array(grown.length);
          }
          buf[at] = value;
          count++;
          if (at > highest) {
            highest = at;
          }
        },
        zeroed() {},
      },
    ).then(
      () => {
        finished = true;
        try {
          deliver(count > 0 ? takeBlock() : null);
          count = 0;
        } catch (e) {
          failure = e;
          waiter?.reject(e);
          waiter = null;
        }
      },
      (e: unknown) => {
        finished = true;
        failure = e;
        waiter?.reject(e);
        waiter = null;
      },
    );
  };

  return {
    next() {
      return new Promise<ValueBlock | null>((resolve, reject) => {
        if (failure !== null) {
          reject(failure);
          return;
        }
        if (finished) {
          resolve(null);
          return;
        }
        waiter = { resolve, reject };
        if (!started) {
          start();
        } else if (resume !== null) {
          const r = resume;
          resume = null;
          r();
        }
      });
    },
    async close() {
      closed = true;
      if (resume !== null) {
        const r = resume;
        resume = null;
        r();
      }
    },
  };
}

/** alt[i] = values[partner(i)]: the reading with each byte's two nibbles exchanged (same block scale). */
function fillSwapped(
  values: Float64Array,
  alt: Float64Array,
  base: number,
  swap: NibblePairs,
): void {
  const n = values.length;
  if (swap.axis === 'last') {
    if (base % 2 !== 0 || n % 2 !== 0) {
      throw new Error(`a block of ${n} FP4 values at ${base} splits a byte`);
    }
    for (let k = 0; k < n; k += 2) {
      alt[k] = values[k + 1];
      alt[k + 1] = values[k];
    }
    return;
  }
  const { rows, cols } = swap;
  const stride = 2 * cols;
  if (base % stride !== 0 || n % stride !== 0 || rows % 2 !== 0) {
    throw new Error(`a block of ${n} FP4 values at ${base} splits a pair of packed rows`);
  }
  for (let k = 0; k < n; k += stride) {
    for (let o = 0; o < cols; o++) {
      alt[k + o] = values[k + cols + o];
      alt[k + cols + o] = values[k + o];
    }
  }
}
