import type { ValueBlock, ValueStream } from './value-stream';

/** What a lockstep walk hands on: the same `n` elements of every stream, at `at[i]` in `blocks[i]`. */
export type SegmentVisitor = (
  blocks: readonly ValueBlock[],
  at: readonly number[],
  n: number,
) => void;

/**
 * Walks several value streams over the same element order in lockstep: each keeps at most one
 * block, whatever its own block boundaries (one side's shard chunks against the other's decoder
 * chunks), and `visit` sees every element of every stream exactly once. Rejects when the streams
 * disagree on where an element is or how many there are. Every stream is closed at the end.
 */
export async function lockstep(
  streams: readonly ValueStream[],
  visit: SegmentVisitor,
  onProgress?: (elements: number) => void,
): Promise<number> {
  const blocks: (ValueBlock | null)[] = streams.map(() => null);
  const at: number[] = streams.map(() => 0);
  let done = 0;
  try {
    for (;;) {
      let ended = 0;
      for (let i = 0; i < streams.length; i++) {
        let block = blocks[i];
        while (block === null || at[i] >= block.values.length) {
          block = await streams[i].next();
          at[i] = 0;
          if (block === null) {
            break;
          }
        }
        blocks[i] = block;
        if (block === null) {
          ended++;
        }
      }
      if (ended === streams.length) {
        return done;
      }
      if (ended > 0) {
        throw new Error(`one side ends after ${done} elements and the other goes on`);
      }
      const live: ValueBlock[] = [];
      let n = Infinity;
      for (let i = 0; i < streams.length; i++) {
        const block = blocks[i];
        if (block === null) {
          continue;
        }
        if (block.start + at[i] !== done) {
          throw new Error(`element ${block.start + at[i]} arrived where ${done} was expected`);
        }
        live.push(block);
        n = Math.min(n, block.values.length - at[i]);
      }
      visit(live, at, n);
      for (let i = 0; i < at.length; i++) {
        at[i] += n;
      }
      done += n;
      onProgress?.(done);
    }
  } finally {
    await Promise.all(streams.map((s) => s.close()));
  }
}
