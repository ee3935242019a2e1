import { describe, expect, it } from 'vitest';
import type { Dtype } from '../dtype/dtype';
import type { TensorSpec } from '../format/build-safetensors';
import { CheckpointError } from '../format/errors';
import type { TensorInfo } from '../format/tensor-info';
import type { ByteSource } from '../io/byte-source';
import { memorySource } from '../io/byte-source';
import { denseDensity } from './density-map';
import {
  DEFAULT_CHUNK_BYTES,
  effectiveChunkBytes,
  scanTensor,
  scanTensors,
  TINY_TENSOR_BYTES,
} from './scan-tensor';
import { MAX_BAD_INDICES, MAX_DENSITY_CELLS_PER_SIDE } from './tensor-stats';
import { tensorFixture } from '../testing/tensor-fixture';

function single(
  dtype: Dtype,
  shape: number[],
  data: Uint8Array,
): { file: Uint8Array; info: TensorInfo } {
  const { file, infos } = tensorFixture([{ name: 'w', dtype, shape, data }]);
  return { file, info: infos[0] };
}

/** Records every read; optionally provides readInto. */
function recordingSource(
  bytes: Uint8Array,
  withReadInto: boolean,
): { source: ByteSource; reads: { offset: number; length: number; target?: Uint8Array }[] } {
  const reads: { offset: number; length: number; target?: Uint8Array }[] = [];
  const base = memorySource('rec.safetensors', bytes);
  const source: ByteSource = {
    name: base.name,
    size: base.size,
    read(offset, length) {
      reads.push({ offset, length });
      return base.read(offset, length);
    },
  };
  if (withReadInto) {
    return {
      reads,
      source: {
        ...source,
        readInto(offset, target) {
          reads.push({ offset, length: target.length, target });
          target.set(bytes.subarray(offset, offset + target.length));
          return Promise.resolve(target.length);
        },
      },
    };
  }
  return { source, reads };
}

const f32 = (values: number[]): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);

describe('scanTensor I/O', () => {
  it('reads in chunks, never the whole tensor, and reports progress after each', async () => {
    const { file, info } = single('F32', [250], f32(Array.from({ length: 250 }, (_, i) => i)));
    const { source, reads } = recordingSource(file, false);
    const progress: number[] = [];
    const stats = await scanTensor(source, info, {
      chunkBytes: 256,
      onProgress: (d) => progress.push(d),
    });
    expect(reads.map((r) => r.length)).toEqual([256, 256, 256, 232]);
    expect(reads[0].offset).toBe(info.offset);
    expect(progress).toEqual([256, 512, 768, 1000]);
    expect(stats).toMatchObject({ min: 0, max: 249, zero: 1, mean: 124.5 });
  });

  it('rounds chunks down to whole element groups, at least one group', async () => {
    const f6 = single('F6_E2M3', [16], new Uint8Array(12));
    const a = recordingSource(f6.file, false);
    await scanTensor(a.source, f6.info, { chunkBytes: 5 });
    expect(a.reads.map((r) => r.length)).toEqual([3, 3, 3, 3]);
    const c64 = single('C64', [3], f32([1, 2, 3, 4, 5, 6]));
    const b = recordingSource(c64.file, false);
    await scanTensor(b.source, c64.info, { chunkBytes: 1 });
    expect(b.reads.map((r) => r.length)).toEqual([8, 8, 8]);
    expect(effectiveChunkBytes(c64.info, 20)).toBe(16);
    expect(effectiveChunkBytes(c64.info, DEFAULT_CHUNK_BYTES)).toBe(8 * 1024 * 1024);
  });

  it('rejects a non-positive chunk size', async () => {
    const { file, info } = single('U8', [1], new Uint8Array(1));
    for (const chunkBytes of [0, -8, NaN]) {
      await expect(scanTensor(memorySource('f', file), info, { chunkBytes })).rejects.toThrow(
        RangeError,
      );
    }
  });

  it('reuses two buffers through readInto (one read ahead) and gives the same stats as read', async () => {
    const values = Array.from({ length: 100 }, (_, i) => Math.sin(i) * 10);
    const { file, info } = single('F32', [10, 10], f32(values));
    const viaRead = await scanTensor(memorySource('f', file), info, { chunkBytes: 48 });
    const { source, reads } = recordingSource(file, true);
    const viaInto = await scanTensor(source, info, { chunkBytes: 48 });
    expect(viaInto).toEqual(viaRead);
    // Two buffers (possibly views of one WASM memory), told apart by memory and offset.
    const memories = new Map<ArrayBufferLike, number>();
    const where = (r: { target?: Uint8Array }): string => {
      if (r.target === undefined) {
        return 'none';
      }
      const id = memories.get(r.target.buffer) ?? memories.size;
      memories.set(r.target.buffer, id);
      return `${id}:${r.target.byteOffset}`;
    };
    const buffers = reads.map(where);
    expect(new Set(buffers).size).toBe(2);
    expect(buffers[2]).toBe(buffers[0]);
    expect(reads.every((r) => r.target !== undefined)).toBe(true);
    // The next scan takes the same buffers again instead of allocating.
    const again = recordingSource(file, true);
    await scanTensor(again.source, info, { chunkBytes: 48 });
    expect(new Set(again.reads.map(where))).toEqual(new Set(buffers));
  });

  it('reads the next chunk while the kernel scans this one', async () => {
    const { file, info } = single('U8', [40], new Uint8Array(40));
    const events: string[] = [];
    const base = memorySource('f', file);
    const source: ByteSource = {
      ...base,
      read(offset, length) {
        events.push(`read ${offset - info.offset}`);
        return base.read(offset, length);
      },
    };
    await scanTensor(source, info, {
      chunkBytes: 10,
      onProgress: (done) => events.push(`done ${done}`),
    });
    expect(events).toEqual([
      'read 0',
      'read 10',
      'done 10',
      'read 20',
      'done 20',
      'read 30',
      'done 30',
      'done 40',
    ]);
  });

  it('scans nothing for an empty tensor', async () => {
    const { file, info } = single('BF16', [0], new Uint8Array(0));
    const { source, reads } = recordingSource(file, true);
    const progress: number[] = [];
    const stats = await scanTensor(source, info, { onProgress: (d) => progress.push(d) });
    expect(reads).toEqual([]);
    expect(progress).toEqual([]);
    expect(stats.elements).toBe(0);
  });
});

describe('scanTensor failures', () => {
  it('stops between chunks when cancelled', async () => {
    const { file, info } = single('U8', [100], new Uint8Array(100));
    const signal = { aborted: false };
    const { source, reads } = recordingSource(file, false);
    const error = await scanTensor(source, info, {
      chunkBytes: 10,
      signal,
      onProgress: (done) => {
        if (done === 30) {
          signal.aborted = true;
        }
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect(error).toMatchObject({ code: 'Cancelled', file: 'rec.safetensors', tensor: 'w' });
    // Three chunks scanned; the fourth was already being read (one read ahead), no more.
    expect(reads).toHaveLength(4);
  });

  it('leaves no unhandled rejection when a read ahead fails after the scan stopped', async () => {
    const { file, info } = single('U8', [30], new Uint8Array(30));
    const base = memorySource('f', file);
    let calls = 0;
    const source: ByteSource = {
      ...base,
      read(offset, length) {
        calls++;
        return calls === 2 ? Promise.reject(new Error('EIO')) : base.read(offset, length);
      },
    };
    const signal = { aborted: false };
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => {
      unhandled.push(e);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const error = await scanTensor(source, info, {
        chunkBytes: 10,
        signal,
        onProgress: () => {
          signal.aborted = true;
        },
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'Cancelled' });
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('does not read at all when already cancelled', async () => {
    const { file, info } = single('U8', [4], new Uint8Array(4));
    const { source, reads } = recordingSource(file, false);
    await expect(scanTensor(source, info, { signal: { aborted: true } })).rejects.toMatchObject({
      code: 'Cancelled',
    });
    expect(reads).toEqual([]);
  });

  it('turns a failed read into ReadFailed naming file and tensor', async () => {
    const { info } = single('F32', [4], f32([1, 2, 3, 4]));
    const broken: ByteSource = {
      name: 'shard-2.safetensors',
      size: 1000,
      read: () => Promise.reject(new Error('EIO: disk went away')),
    };
    const error = await scanTensor(broken, info).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect(error).toMatchObject({ code: 'ReadFailed', file: 'shard-2.safetensors', tensor: 'w' });
    expect((error as Error).message).toMatch(/EIO: disk went away/);
    expect((error as Error).message).toMatch(/shard-2\.safetensors/);
  });

  it('treats short reads as ReadFailed, through read and readInto', async () => {
    const { file, info } = single('U8', [8], new Uint8Array(8));
    const shortRead: ByteSource = {
      name: 'f',
      size: file.length,
      read: (o, n) => Promise.resolve(file.slice(o, o + n - 1)),
    };
    await expect(scanTensor(shortRead, info)).rejects.toMatchObject({ code: 'ReadFailed' });
    const shortInto: ByteSource = { ...shortRead, readInto: () => Promise.resolve(3) };
    await expect(scanTensor(shortInto, info)).rejects.toMatchObject({ code: 'ReadFailed' });
    const beyond = { ...info, offset: file.length - 2 };
    await expect(scanTensor(memorySource('f', file), beyond)).rejects.toMatchObject({
      code: 'ReadFailed',
    });
  });
});

describe('where NaN and Inf sit', () => {
  it('2-D: indices ascending and density cells per the definition', async () => {
    const rows = 300;
    const cols = 520;
    const values = new Float32Array(rows * cols).fill(0.5);
    const nanAt: [number, number][] = [
      [0, 0],
      [0, 519],
      [150, 260],
      [299, 519],
      [299, 518],
    ];
    const infAt: [number, number, number][] = [
      [1, 2, Infinity],
      [298, 3, -Infinity],
    ];
    for (const [r, c] of nanAt) {
      values[r * cols + c] = NaN;
    }
    for (const [r, c, v] of infAt) {
      values[r * cols + c] = v;
    }
    const { file, info } = single('F32', [rows, cols], new Uint8Array(values.buffer));
    const stats = await scanTensor(memorySource('f', file), info, { chunkBytes: 4096 });
    const flat = (rc: [number, number]): number => rc[0] * cols + rc[1];
    expect(stats.nan).toBe(5);
    expect(stats.nanIndices).toEqual(nanAt.map(flat).sort((a, b) => a - b));
    expect(stats.infIndices).toEqual([flat([1, 2]), flat([298, 3])]);
    const map = stats.densityMap;
    expect(map).toMatchObject({ rows, cols, cellRows: 256, cellCols: 256 });
    const cell = (r: number, c: number): number =>
      Math.floor((r * 256) / rows) * 256 + Math.floor((c * 256) / cols);
    const expectedNan = new Array<number>(256 * 256).fill(0);
    for (const [r, c] of nanAt) {
      expectedNan[cell(r, c)]++;
    }
    const nanCells = map === null ? [] : denseDensity(map, 'nan');
    const infCells = map === null ? [] : denseDensity(map, 'inf');
    expect(nanCells).toEqual(expectedNan);
    // (299, 519) and (299, 518) share the last cell.
    expect(nanCells[256 * 256 - 1]).toBe(2);
    expect(infCells[cell(1, 2)]).toBe(1);
    expect(infCells[cell(298, 3)]).toBe(1);
    // Only the cells holding something are listed.
    expect(map?.cells.length).toBe(expectedNan.filter((n, k) => n + infCells[k] > 0).length);
  });

  it('3-D: leading dims fold into rows', async () => {
    const shape = [4, 50, 600]; // rows = 200, cols = 600
    const bits = new Uint16Array(4 * 50 * 600).fill(0x3f80);
    const at = (a: number, b: number, c: number): number => (a * 50 + b) * 600 + c;
    const nans = [at(0, 0, 599), at(2, 10, 300), at(3, 49, 0)];
    for (const i of nans) {
      bits[i] = 0xffc0;
    }
    bits[at(1, 5, 7)] = 0xff80;
    const { file, info } = single('BF16', shape, new Uint8Array(bits.buffer));
    const stats = await scanTensor(memorySource('f', file), info, { chunkBytes: 1000 });
    expect(stats.nanIndices).toEqual(nans);
    expect(stats.infIndices).toEqual([at(1, 5, 7)]);
    expect(stats).toMatchObject({ nan: 3, negInf: 1, posInf: 0 });
    const map = stats.densityMap;
    expect(map).toMatchObject({ rows: 200, cols: 600, cellRows: 200, cellCols: 256 });
    const cellOf = (i: number): number => {
      const r = Math.floor(i / 600);
      const c = i % 600;
      return r * 256 + Math.floor((c * 256) / 600);
    };
    const nanCells = map === null ? [] : denseDensity(map, 'nan');
    for (const i of nans) {
      expect(nanCells[cellOf(i)]).toBe(1);
    }
    expect(map === null ? [] : denseDensity(map, 'inf')[cellOf(at(1, 5, 7))]).toBe(1);
    expect(map?.nan.reduce((a, b) => a + b, 0)).toBe(3);
    expect(map?.cells).toHaveLength(4);
  });

  it('keeps only the first MAX_BAD_INDICES positions but counts them all', async () => {
    const n = 5000;
    const codes = new Uint8Array(n).fill(0x38);
    const bad: number[] = [];
    for (let i = 1; i < n; i += 3) {
      codes[i] = i % 2 === 0 ? 0x7f : 0xff;
      bad.push(i);
    }
    const { file, info } = single('F8_E4M3', [50, 100], codes);
    const stats = await scanTensor(memorySource('f', file), info, { chunkBytes: 333 });
    expect(stats.nan).toBe(bad.length);
    expect(stats.nanIndices).toEqual(bad.slice(0, MAX_BAD_INDICES));
    expect(stats.densityMap?.nan.reduce((a, b) => a + b, 0)).toBe(bad.length);
    expect(MAX_DENSITY_CELLS_PER_SIDE).toBe(256);
  });
});

describe('scanTensors', () => {
  it('scans the list in order and reports each tensor', async () => {
    const { file, infos } = tensorFixture([
      { name: 'a', dtype: 'F32', shape: [2], data: f32([1, NaN]) },
      { name: 'b', dtype: 'U8', shape: [3], data: Uint8Array.from([1, 2, 3]) },
    ]);
    const seen: [string, number][] = [];
    const stats = await scanTensors(memorySource('f', file), [infos[1], infos[0]], {
      onTensor: (s, i) => seen.push([s.name, i]),
    });
    expect(stats.map((s) => s.name)).toEqual(['b', 'a']);
    expect(seen).toEqual([
      ['b', 0],
      ['a', 1],
    ]);
    expect(stats[1].nan).toBe(1);
  });

  it('reads the next tensor while the last chunk of this one is scanned, same stats', async () => {
    const { file, infos } = tensorFixture([
      { name: 'a', dtype: 'U8', shape: [20], data: new Uint8Array(20).fill(3) },
      { name: 'e', dtype: 'U8', shape: [0], data: new Uint8Array(0) },
      { name: 'b', dtype: 'F32', shape: [3], data: f32([1, NaN, 2]) },
    ]);
    const events: string[] = [];
    const base = memorySource('f', file);
    const source: ByteSource = {
      ...base,
      read(offset, length) {
        events.push(`read ${offset}+${length}`);
        return base.read(offset, length);
      },
    };
    const stats = await scanTensors(source, infos, {
      chunkBytes: 12,
      onTensor: (s) => events.push(`done ${s.name}`),
    });
    const [a, , b] = infos;
    expect(events).toEqual([
      `read ${a.offset}+12`,
      `read ${a.offset + 12}+8`,
      `read ${b.offset}+12`,
      'done a',
      'done e',
      'done b',
    ]);
    const one = await Promise.all(infos.map((t) => scanTensor(memorySource('f', file), t)));
    expect(stats).toEqual(one);
  });
});

describe('scanTensors histograms option', () => {
  it('gives unwanted tensors no histogram, whatever the kernel, and every other figure unchanged', async () => {
    const bf16 = new Uint8Array(new Uint16Array([0x3f80, 0xc000, 0x7fc0, 0x0000]).buffer);
    const { file, infos } = tensorFixture([
      { name: 'f', dtype: 'F32', shape: [3], data: f32([1.5, -2, NaN]) },
      { name: 'b', dtype: 'BF16', shape: [4], data: bf16 },
      { name: 'e', dtype: 'F8_E4M3', shape: [3], data: Uint8Array.from([0x38, 0x7f, 0]) },
      { name: 'u', dtype: 'U8', shape: [3], data: Uint8Array.from([0, 7, 255]) },
    ]);
    const source = memorySource('f', file);
    const full = await scanTensors(source, infos);
    const wanted = new Set(['e']);
    const some = await scanTensors(source, infos, { histograms: (t) => wanted.has(t.name) });
    expect(full.every((s) => s.histogram !== null)).toBe(true);
    expect(some.map((s) => s.histogram === null)).toEqual([true, true, false, true]);
    expect(some).toEqual(full.map((s) => (wanted.has(s.name) ? s : { ...s, histogram: null })));
  });
});

describe('scanTensors onTinyTensor', () => {
  it('hands over the exact bytes of every tensor of at most TINY_TENSOR_BYTES, whatever the chunking', async () => {
    const specs: TensorSpec[] = [
      { name: 'g', dtype: 'F32', shape: [], data: Uint8Array.from([1, 2, 3, 4]) },
      { name: 'big', dtype: 'U8', shape: [5000], data: new Uint8Array(5000).fill(7) },
      {
        name: 'edge',
        dtype: 'U8',
        shape: [TINY_TENSOR_BYTES],
        data: Uint8Array.from({ length: TINY_TENSOR_BYTES }, (_, i) => i & 0xff),
      },
    ];
    const { file, infos } = tensorFixture(specs);
    for (const chunkBytes of [3, 1000, DEFAULT_CHUNK_BYTES]) {
      const got = new Map<string, Uint8Array>();
      await scanTensors(memorySource('f', file), infos, {
        chunkBytes,
        onTinyTensor: (bytes, index) => got.set(infos[index].name, bytes),
      });
      expect([...got.keys()].sort()).toEqual(['edge', 'g']);
      expect(got.get('g')).toEqual(specs[0].data);
      expect(got.get('edge')).toEqual(specs[2].data);
    }
  });
});
