/**
 * scanTensors scans the tensors of a read that has arrived one after another, tiny ones without a
 * kernel (`scanTinyTensor`): whatever tensor a read starts or ends at, and whatever the chunk size,
 * every tensor's stats equal a fresh kernel's, and `onTinyTensor` / `onTensor` see each tensor
 * once, in order, with its own bytes.
 */
import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../format/build-safetensors';
import type { TensorInfo } from '../format/tensor-info';
import { memorySource } from '../io/byte-source';
import { feedInCuts } from '../testing/feed-kernel';
import { createKernel } from './create-kernel';
import { scanTensors } from './scan-tensor';
import type { TensorStats } from './tensor-stats';
import { tensorFixture } from '../testing/tensor-fixture';

const f32 = (...values: number[]): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);

/** Tiny tensors of every path (with NaN/Inf and clean), a zero-byte one and some that need a kernel. */
const SPECS: TensorSpec[] = [
  { name: 'scale.nan', dtype: 'F8_E4M3', shape: [2, 2], data: Uint8Array.of(0x7f, 0x38, 0xff, 0) },
  { name: 'scale', dtype: 'F8_E4M3', shape: [2, 1], data: Uint8Array.of(0x38, 0x40) },
  { name: 'g.nan', dtype: 'F32', shape: [], data: f32(NaN) },
  { name: 'g', dtype: 'F32', shape: [], data: f32(0.25) },
  {
    name: 'w',
    dtype: 'U8',
    shape: [2, 8],
    data: Uint8Array.from({ length: 16 }, (_, i) => i * 17),
  },
  { name: 'i8', dtype: 'I8', shape: [3], data: Uint8Array.of(0x80, 0x7f, 1) },
  { name: 'empty', dtype: 'F32', shape: [0], data: new Uint8Array(0) },
  { name: 'f4', dtype: 'F4', shape: [2, 4], data: Uint8Array.of(0x17, 0xf0, 0x88, 0x21) },
  { name: 'c64', dtype: 'C64', shape: [2], data: f32(1, Infinity, -0, 2 ** -140) },
  { name: 'bf16', dtype: 'BF16', shape: [2], data: Uint8Array.of(0x80, 0x3f, 0xc0, 0x7f) },
  {
    name: 'f32.long',
    dtype: 'F32',
    shape: [4, 5],
    data: f32(...Array.from({ length: 20 }, (_, i) => i - 7.5)),
  },
  {
    name: 'u8.long',
    dtype: 'U8',
    shape: [100],
    data: Uint8Array.from({ length: 100 }, (_, i) => i),
  },
  { name: 'e5m2', dtype: 'F8_E5M2', shape: [3], data: Uint8Array.of(0x7c, 0xfc, 0x7e) },
];

function checkpoint(): { file: Uint8Array; infos: TensorInfo[] } {
  return tensorFixture(SPECS);
}

/** A fresh kernel's stats, as scanTensors reports them (no histogram when not wanted). */
function reference(t: TensorInfo, data: Uint8Array, histogram: boolean): TensorStats {
  const stats = feedInCuts(createKernel(t, { wasm: false, histogram }), t.dtype, data, []);
  return histogram || stats.histogram === null ? stats : { ...stats, histogram: null };
}

describe('scanTensors over read groups', () => {
  it('equals fresh kernels wherever a read starts or ends, for any chunk size', async () => {
    const { file, infos } = checkpoint();
    const dataOf = new Map(SPECS.map((s) => [s.name, s.data]));
    for (const chunkBytes of [4, 8, 1024]) {
      for (let split = 0; split < infos.length; split++) {
        // Rotated: the tensors before `split` come last, so a read ends before `split` (and
        // another starts there), and the first tensor of the file starts a read of its own.
        const order = [...infos.slice(split), ...infos.slice(0, split)];
        const histogram = (t: TensorInfo): boolean => order.indexOf(t) % 3 !== 1;
        const seen: string[] = [];
        const tinyBytes = new Map<string, Uint8Array>();
        const stats = await scanTensors(memorySource('f', file), order, {
          chunkBytes,
          histograms: histogram,
          onTinyTensor: (bytes, index) => {
            tinyBytes.set(order[index].name, bytes);
          },
          onTensor: (s, index) => seen.push(`${index} ${s.name}`),
        });
        expect(seen).toEqual(order.map((t, i) => `${i} ${t.name}`));
        const expected = order.map((t) =>
          reference(t, dataOf.get(t.name) ?? new Uint8Array(0), histogram(t)),
        );
        expect(stats).toEqual(expected);
        expect([...tinyBytes.keys()]).toEqual(order.map((t) => t.name));
        for (const t of order) {
          expect(tinyBytes.get(t.name)).toEqual(dataOf.get(t.name));
        }
      }
    }
  });

  it('stops inside a read when cancelled, naming the next tensor', async () => {
    const { file, infos } = checkpoint();
    const signal = { aborted: false };
    const seen: string[] = [];
    const error = await scanTensors(memorySource('f', file), infos, {
      signal,
      onTensor: (s) => {
        seen.push(s.name);
        signal.aborted = seen.length === 2;
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'Cancelled', tensor: infos[2].name });
    expect(seen).toEqual([infos[0].name, infos[1].name]);
  });
});
