import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dtype } from '../../dtype/dtype';
import type { ScaleEncoding } from '../quant-layout';
import type { TensorRef } from '../quant-types';
import { headerOf } from '../testing/open-fixture';
import type { KnownCodes, ScaleGeometry, ScaleValueSink } from './summarize-scale';
import { summarizeKnownScale, summarizeScale } from './summarize-scale';
import { summarizeInMemory } from './summarize-in-memory';

/** The tally limit summarizeScale uses (MAX_TALLY_CELLS). */
const TALLY_CELLS = 1 << 18;

/** Scale dtypes with their byte widths and the encodings they are read with. */
const CASES: readonly { dtype: Dtype; width: number; encodings: readonly ScaleEncoding[] }[] = [
  { dtype: 'U8', width: 1, encodings: ['e4m3', 'e8m0', 'float'] },
  { dtype: 'F8_E4M3', width: 1, encodings: ['e4m3'] },
  { dtype: 'F8_E8M0', width: 1, encodings: ['e8m0'] },
  { dtype: 'BF16', width: 2, encodings: ['float'] },
  { dtype: 'F16', width: 2, encodings: ['float'] },
  { dtype: 'F32', width: 4, encodings: ['float'] },
];

/** A sink that records every call, in order. */
function recorder(): { calls: number[][]; sink: ScaleValueSink } {
  const calls: number[][] = [];
  return { calls, sink: (v, slice, times) => calls.push([v, slice, times]) };
}

/** The byte histogram of a 1-byte tensor, as the scan makes it. */
function histogramOf(bytes: Uint8Array): number[] {
  const counts = new Array<number>(256).fill(0);
  for (const b of bytes) {
    counts[b]++;
  }
  return counts;
}

const caseArb = fc
  .constantFrom(...CASES)
  .chain((c) =>
    fc.record({
      dtype: fc.constant(c.dtype),
      encoding: fc.constantFrom(...c.encodings),
      elements: fc.integer({ min: 1, max: 12 }),
      sliceElements: fc.integer({ min: 1, max: 5 }),
      withSink: fc.boolean(),
      withCodes: fc.boolean(),
      seed: fc.uint8Array({ minLength: 48, maxLength: 48 }),
    }),
  )
  .map((c) => {
    const width = CASES.find((x) => x.dtype === c.dtype)?.width ?? 1;
    return { ...c, bytes: c.seed.slice(0, c.elements * width) };
  });

describe('summarizeInMemory', () => {
  it('gives the streamed summary and the same sink calls, for every scale dtype, slices and known codes', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const { header, sources } = headerOf([
          { name: 's', dtype: c.dtype, shape: [c.elements], data: c.bytes },
        ]);
        const ref: TensorRef = { file: header.fileName, info: header.tensors[0] };
        const geometry: ScaleGeometry = { sliceElements: c.sliceElements, swizzle: null };
        const codes = c.withCodes && c.bytes.length === c.elements ? histogramOf(c.bytes) : null;
        const knownCodes: KnownCodes | undefined =
          codes === null ? undefined : (_file, tensor) => (tensor === 's' ? codes : undefined);
        const a = recorder();
        const b = recorder();
        const streamed = await summarizeScale(
          sources,
          ref,
          c.encoding,
          geometry,
          { chunkBytes: 3 },
          c.withSink ? a.sink : undefined,
          knownCodes,
        );
        const direct = summarizeInMemory(
          ref,
          c.encoding,
          geometry,
          c.bytes,
          c.withSink ? b.sink : undefined,
          knownCodes,
          TALLY_CELLS,
        );
        const slices = c.withSink ? Math.ceil(c.elements / c.sliceElements) : 1;
        if (c.bytes.length === 2 * c.elements && slices * 65536 > TALLY_CELLS) {
          // Too many cells for a 2-byte tally: declined, summarizeKnownScale goes value by value.
          expect(direct).toBeUndefined();
          expect(summarizeKnownScale(ref, c.encoding, geometry, c.bytes)).toEqual(
            await summarizeScale(sources, ref, c.encoding, geometry, {}),
          );
          return;
        }
        expect(direct).toEqual(streamed);
        expect(b.calls).toEqual(a.calls);
      }),
    );
  });

  it('takes the known histogram as the codes without reading bytes, and copies one it cannot keep', () => {
    const { header } = headerOf([
      { name: 's', dtype: 'F8_E4M3', shape: [3], data: Uint8Array.from([0, 0x38, 0x38]) },
    ]);
    const ref: TensorRef = { file: header.fileName, info: header.tensors[0] };
    const geometry: ScaleGeometry = { sliceElements: 3, swizzle: null };
    const counts = histogramOf(Uint8Array.from([0, 0x38, 0x38]));
    const kept = summarizeInMemory(
      ref,
      'e4m3',
      geometry,
      undefined,
      undefined,
      () => counts,
      TALLY_CELLS,
    );
    expect(kept).toMatchObject({ elements: 3, zero: 1, min: 0, max: 1, value: null });
    expect(kept?.codes).toBe(counts);
    // A typed histogram, and one holding -0, are copied: the codes are a plain array of counts.
    const typed = Float64Array.from(counts);
    typed[7] = -0;
    const copied = summarizeInMemory(
      ref,
      'e4m3',
      geometry,
      undefined,
      undefined,
      () => typed,
      TALLY_CELLS,
    );
    expect(copied?.codes).toEqual(counts);
    expect(Object.is(copied?.codes?.[7], 0)).toBe(true);
  });

  it('declines swizzled scales, bytes that are not the whole tensor and tensors beyond its size', () => {
    const { header } = headerOf([
      { name: 's', dtype: 'F8_E4M3', shape: [4], data: Uint8Array.from([1, 2, 3, 4]) },
      { name: 'big', dtype: 'F32', shape: [5000], data: new Uint8Array(20000) },
    ]);
    const ref: TensorRef = { file: header.fileName, info: header.tensors[0] };
    const big: TensorRef = { file: header.fileName, info: header.tensors[1] };
    const plain: ScaleGeometry = { sliceElements: 4, swizzle: null };
    const swizzled: ScaleGeometry = { sliceElements: 4, swizzle: { rows: 2, cols: 2 } };
    const bytes = Uint8Array.from([1, 2, 3, 4]);
    expect(summarizeInMemory(ref, 'e4m3', swizzled, bytes, undefined, undefined, TALLY_CELLS)).toBe(
      undefined,
    );
    expect(
      summarizeInMemory(ref, 'e4m3', plain, bytes.subarray(1), undefined, undefined, TALLY_CELLS),
    ).toBe(undefined);
    const bigBytes = new Uint8Array(20000);
    expect(
      summarizeInMemory(big, 'float', plain, bigBytes, undefined, undefined, TALLY_CELLS),
    ).toBe(undefined);
    // summarizeKnownScale still answers for the large one, through the chunked path.
    expect(summarizeKnownScale(big, 'float', plain, bigBytes)).toMatchObject({
      elements: 5000,
      zero: 5000,
    });
  });
});
