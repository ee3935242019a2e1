import { describe, expect, it } from 'vitest';
import { memorySource } from '../io/byte-source';
import { buildSafetensors } from '../format/build-safetensors';
import { parseHeaderBytes } from '../format/parse-header';
import { sourceMap } from '../quant/stream/read-exact';
import { parseLayerKey } from '../layout/layer-key';
import { pairHistograms, PAIR_HISTOGRAM_BINS } from './pair-histograms';
import type { PlannedPair } from './pairing';

function f32(values: number[]) {
  const bytes = buildSafetensors([
    {
      name: 'w',
      dtype: 'F32',
      shape: [values.length],
      data: new Uint8Array(Float32Array.from(values).buffer),
    },
  ]);
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const header = parseHeaderBytes('m.safetensors', bytes.length, bytes.subarray(8, 8 + n));
  if (!header.ok) {
    throw new Error(header.error.message);
  }
  const info = header.value.tensors[0];
  return {
    ref: { file: 'm.safetensors', info },
    sources: sourceMap([memorySource('m.safetensors', bytes)]),
  };
}

describe('pairHistograms', () => {
  it('bins A, B and A − B over their own finite ranges', async () => {
    const a = f32([0, 1, 2, 3, NaN]);
    const b = f32([0, 1, 2, 4, 1]);
    const pair: PlannedPair = {
      name: 'w',
      key: parseLayerKey('w'),
      a: { kind: 'tensor', ref: a.ref },
      b: { kind: 'tensor', ref: b.ref },
    };
    const h = await pairHistograms(pair, a.sources, b.sources);
    expect([h.a.lo, h.a.hi]).toEqual([0, 3]);
    expect([h.b.lo, h.b.hi]).toEqual([0, 4]);
    expect([h.error.lo, h.error.hi]).toEqual([-1, 0]);
    expect(h.a.counts).toHaveLength(PAIR_HISTOGRAM_BINS);
    expect(h.a.counts.reduce((s, c) => s + c, 0)).toBe(4);
    expect(h.b.counts.reduce((s, c) => s + c, 0)).toBe(5);
    // Errors: 0, 0, 0, -1 (the NaN pair has none): three at the top bin, one at the bottom.
    expect(h.error.counts[0]).toBe(1);
    expect(h.error.counts[PAIR_HISTOGRAM_BINS - 1]).toBe(3);
  });
});
