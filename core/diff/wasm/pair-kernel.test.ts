import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { F4_TABLE } from '../../dtype/fp4';
import { F8_E4M3_TABLE, F8_E5M2_TABLE } from '../../dtype/fp8';
import { decodeFloats } from '../fast-decode';
import { CosineAccumulator, PairMetrics } from '../pair-metrics';
import type { MetricsSummary } from '../pair-metrics';
import { acquireDiffInstance, releaseDiffInstance } from './diff-instance';
import type { FloatRole, Fp8Format } from './pair-kernel';
import { PairKernel } from './pair-kernel';

/** A small deterministic generator (mulberry32): the data of one case from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Scale values a table may hold: exporters' ones, powers of two, and the edge cases. */
function scaleValue(r: () => number): number {
  const u = r();
  if (u < 0.04) {
    return NaN;
  }
  if (u < 0.07) {
    return r() < 0.5 ? Infinity : -Infinity;
  }
  if (u < 0.1) {
    return (1 + Math.floor(r() * 8)) * 5e-324; // float64 subnormal
  }
  if (u < 0.13) {
    return r() < 0.5 ? 0 : -0;
  }
  if (u < 0.16) {
    return 2 ** (501 + Math.floor(r() * 15)); // past the vector path's range; squares may overflow
  }
  if (u < 0.5) {
    return 2 ** Math.floor(r() * 40 - 30);
  }
  // As exporters write them: an E4M3 block scale times an f32 global scale (at most 28
  // significant bits, which the f32 vector path splits exactly), either sign.
  const block = F8_E4M3_TABLE[Math.floor(r() * 0x7f)];
  return (r() < 0.2 ? -1 : 1) * block * Math.fround(10 ** (r() * 8 - 6));
}

interface Case {
  readonly blocks: number;
  readonly blockSize: number;
  readonly bf16: boolean;
  readonly highFirst: boolean;
  readonly floatIs: FloatRole;
  readonly seed: number;
  /** Where the blocks are cut into separate runs (the kernel keeps its sums between them). */
  readonly cuts: readonly number[];
}

/** Encodes v as BF16 (round to nearest even) or F32 bytes at `at`. */
function putFloat(view: DataView, at: number, v: number, bf16: boolean): void {
  if (!bf16) {
    view.setFloat32(at, v, true);
    return;
  }
  const f = new DataView(new ArrayBuffer(4));
  f.setFloat32(0, v, true);
  const bits = f.getUint32(0, true);
  const isNaN = Number.isNaN(v);
  const rounded = isNaN ? 0x7fc0 : (bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16;
  view.setUint16(at, rounded & 0xffff, true);
}

function run(c: Case): {
  wasm: ReturnType<PairKernel['result']>;
  js: ReturnType<typeof jsFigures>;
} {
  const r = rng(c.seed);
  const n = c.blocks * c.blockSize;
  const xBytes = c.bf16 ? 2 : 4;
  const table = Float64Array.from({ length: 256 }, () => scaleValue(r));
  const q = Uint8Array.from({ length: n / 2 }, () => Math.floor(r() * 256));
  const sc = Uint8Array.from({ length: c.blocks }, () => Math.floor(r() * 256));
  const y = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const byte = q[k >>> 1];
    const lowNibble = ((k & 1) === 0) !== c.highFirst;
    y[k] = F4_TABLE[lowNibble ? byte & 0xf : byte >>> 4] * table[sc[Math.floor(k / c.blockSize)]];
  }
  const xRaw = new Uint8Array(n * xBytes);
  const view = new DataView(xRaw.buffer);
  for (let k = 0; k < n; k++) {
    const u = r();
    const v =
      u < 0.01
        ? NaN
        : u < 0.02
          ? (r() < 0.5 ? 1 : -1) * Infinity
          : u < 0.04
            ? (r() - 0.5) * 1e-39 // subnormal in both BF16 and F32
            : u < 0.3
              ? y[k] // equal where the format holds y exactly
              : y[k] * (1 + (r() - 0.5) * 0.2) + (r() - 0.5) * 1e-3;
    putFloat(view, k * xBytes, v, c.bf16);
  }
  const x = new Float64Array(n);
  decodeFloats(c.bf16 ? 'BF16' : 'F32', xRaw, n, x);
  return { wasm: wasmFigures(c, xRaw, q, sc, table), js: jsFigures(x, y, c.floatIs) };
}

function wasmFigures(
  c: Case,
  xRaw: Uint8Array,
  q: Uint8Array,
  sc: Uint8Array,
  table: Float64Array,
): ReturnType<PairKernel['result']> {
  const wasm = acquireDiffInstance();
  if (wasm === null) {
    throw new Error('WebAssembly SIMD is not available');
  }
  try {
    const xAt = wasm.slotBytes;
    const qAt = xAt + Math.ceil(xRaw.length / 16) * 16;
    const sAt = qAt + Math.ceil(q.length / 16) * 16;
    wasm.ensureBytes(sAt + sc.length + 16);
    wasm.bytes.set(xRaw, xAt);
    wasm.bytes.set(q, qAt);
    wasm.bytes.set(sc, sAt);
    const kernel = new PairKernel(wasm);
    kernel.setScales(table);
    const xb = xRaw.length / (c.blocks * c.blockSize);
    const edges = [
      0,
      ...c.cuts.filter((b) => b > 0 && b < c.blocks).sort((a, b) => a - b),
      c.blocks,
    ];
    for (let i = 0; i + 1 < edges.length; i++) {
      const b = edges[i];
      const e = b * c.blockSize;
      kernel.run(
        xAt + e * xb,
        c.bf16,
        qAt + e / 2,
        sAt + b,
        edges[i + 1] - b,
        c.blockSize,
        c.highFirst,
      );
    }
    return kernel.result(c.floatIs);
  } finally {
    releaseDiffInstance(wasm);
  }
}

/** The JS reference: PairMetrics over (x, y) and the nibble-swapped CosineAccumulator. */
function jsFigures(x: Float64Array, y: Float64Array, floatIs: FloatRole) {
  const metrics = new PairMetrics();
  if (floatIs === 'A') {
    metrics.add(x, 0, y, 0, x.length);
  } else {
    metrics.add(y, 0, x, 0, x.length);
  }
  const alt = new Float64Array(y.length);
  for (let k = 0; k < y.length; k++) {
    alt[k] = y[k ^ 1];
  }
  const swapped = new CosineAccumulator();
  swapped.add(x, 0, alt, 0, x.length);
  return { metrics: metrics.summary(), nibblesSwapped: swapped.cosine() };
}

/** Sums in another order: equal within a few ulps of the largest terms. */
function close(a: number | null, b: number | null, tolerance: number): void {
  if (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b)) {
    expect(a).toBe(b);
    return;
  }
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(b)));
}

function expectSame(w: MetricsSummary, j: MetricsSummary): void {
  expect({
    maxAbsError: w.maxAbsError,
    bitIdentical: w.bitIdentical,
    nanA: w.nanA,
    nanB: w.nanB,
    infA: w.infA,
    infB: w.infB,
    newNonFiniteB: w.newNonFiniteB,
    elements: w.elements,
  }).toEqual({
    maxAbsError: j.maxAbsError,
    bitIdentical: j.bitIdentical,
    nanA: j.nanA,
    nanB: j.nanB,
    infA: j.infA,
    infB: j.infB,
    newNonFiniteB: j.newNonFiniteB,
    elements: j.elements,
  });
  close(w.sqnrDb, j.sqnrDb, 1e-9);
  close(w.relL2, j.relL2, 1e-12);
  close(w.cosine, j.cosine, 1e-12);
}

/**
 * fp4pair's vector path works in f32 (diff-kernels.wat): counts and equal elements stay exact,
 * max |A−B| is its f32 rounding, the sums agree to ~1e-6 relative (SQNR to ~1e-5 dB).
 */
function expectClose(w: MetricsSummary, j: MetricsSummary): void {
  expect({
    bitIdentical: w.bitIdentical,
    nanA: w.nanA,
    nanB: w.nanB,
    infA: w.infA,
    infB: w.infB,
    newNonFiniteB: w.newNonFiniteB,
    elements: w.elements,
  }).toEqual({
    bitIdentical: j.bitIdentical,
    nanA: j.nanA,
    nanB: j.nanB,
    infA: j.infA,
    infB: j.infB,
    newNonFiniteB: j.newNonFiniteB,
    elements: j.elements,
  });
  if (w.maxAbsError === null || j.maxAbsError === null) {
    expect(w.maxAbsError).toBe(j.maxAbsError);
  } else {
    expect(Math.abs(w.maxAbsError - j.maxAbsError)).toBeLessThanOrEqual(1e-6 * j.maxAbsError);
  }
  close(w.sqnrDb, j.sqnrDb, 1e-4);
  close(w.relL2, j.relL2, 1e-6);
  close(w.cosine, j.cosine, 1e-6);
}

const cases: fc.Arbitrary<Case> = fc.record({
  blocks: fc.integer({ min: 1, max: 700 }),
  blockSize: fc.constantFrom(16, 32),
  bf16: fc.boolean(),
  highFirst: fc.boolean(),
  floatIs: fc.constantFrom<FloatRole>('A', 'B'),
  seed: fc.integer(),
  cuts: fc.array(fc.integer({ min: 0, max: 700 }), { maxLength: 4 }),
});

describe('PairKernel (WASM) against PairMetrics and CosineAccumulator (JS)', () => {
  it('gives the same figures (within f32 rounding) on random blocks with NaN, Inf, subnormal and huge scales', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const { wasm, js } = run(c);
        expectClose(wasm.metrics, js.metrics);
        close(wasm.nibblesSwapped, js.nibblesSwapped, 1e-6);
      }),
      { numRuns: 150 },
    );
  });

  it('crosses many 4096-element groups and reads F32 and BF16 alike', () => {
    for (const bf16 of [true, false]) {
      const { wasm, js } = run({
        blocks: 2000,
        blockSize: 16,
        bf16,
        highFirst: false,
        floatIs: 'A',
        seed: 7,
        cuts: [333, 1024],
      });
      expectClose(wasm.metrics, js.metrics);
      close(wasm.nibblesSwapped, js.nibblesSwapped, 1e-6);
    }
  });

  it('rejects blocks that are not whole 16-element sub-blocks', () => {
    const wasm = acquireDiffInstance();
    if (wasm === null) {
      throw new Error('WebAssembly SIMD is not available');
    }
    try {
      const kernel = new PairKernel(wasm);
      expect(() =>
        kernel.run(wasm.slotBytes, true, wasm.slotBytes, wasm.slotBytes, 1, 24, false),
      ).toThrow(RangeError);
    } finally {
      releaseDiffInstance(wasm);
    }
  });
});

interface PlainCase {
  readonly n: number;
  readonly xBf16: boolean;
  readonly yBf16: boolean;
  readonly seed: number;
  /** Run boundaries, in sub-blocks (every run but the last brings whole sub-blocks). */
  readonly cuts: readonly number[];
}

/** Random float values of x and y with NaN, Inf, subnormals and equal pairs sprinkled in. */
function plainData(c: PlainCase): { xRaw: Uint8Array; yRaw: Uint8Array } {
  const r = rng(c.seed);
  const xRaw = new Uint8Array(c.n * (c.xBf16 ? 2 : 4));
  const yRaw = new Uint8Array(c.n * (c.yBf16 ? 2 : 4));
  const xv = new DataView(xRaw.buffer);
  const yv = new DataView(yRaw.buffer);
  const special = (u: number, v: number): number =>
    u < 0.01 ? NaN : u < 0.02 ? Infinity : u < 0.03 ? -Infinity : u < 0.05 ? v * 1e-40 : v;
  for (let k = 0; k < c.n; k++) {
    const base = (r() - 0.5) * 10 ** Math.floor(r() * 6 - 3);
    const x = special(r(), base);
    const y = r() < 0.3 ? x : special(r(), base * (1 + (r() - 0.5) * 0.1));
    putFloat(xv, k * (c.xBf16 ? 2 : 4), x, c.xBf16);
    putFloat(yv, k * (c.yBf16 ? 2 : 4), y, c.yBf16);
  }
  return { xRaw, yRaw };
}

function plainRun(c: PlainCase): { wasm: MetricsSummary; js: MetricsSummary } {
  const { xRaw, yRaw } = plainData(c);
  const x = new Float64Array(c.n);
  const y = new Float64Array(c.n);
  decodeFloats(c.xBf16 ? 'BF16' : 'F32', xRaw, c.n, x);
  decodeFloats(c.yBf16 ? 'BF16' : 'F32', yRaw, c.n, y);
  const js = new PairMetrics();
  js.add(x, 0, y, 0, c.n);
  const wasm = acquireDiffInstance();
  if (wasm === null) {
    throw new Error('WebAssembly SIMD is not available');
  }
  try {
    const xAt = wasm.slotBytes;
    const yAt = xAt + Math.ceil(xRaw.length / 16) * 16;
    wasm.ensureBytes(yAt + yRaw.length + 16);
    wasm.bytes.set(xRaw, xAt);
    wasm.bytes.set(yRaw, yAt);
    const kernel = new PairKernel(wasm);
    const subs = Math.floor(c.n / 16);
    const edges = [
      0,
      ...c.cuts
        .filter((s) => s > 0 && s < subs)
        .sort((p, q) => p - q)
        .map((s) => s * 16),
      c.n,
    ];
    const xb = c.xBf16 ? 2 : 4;
    const yb = c.yBf16 ? 2 : 4;
    for (let i = 0; i + 1 < edges.length; i++) {
      const e = edges[i];
      kernel.runPlain(xAt + e * xb, c.xBf16, yAt + e * yb, c.yBf16, edges[i + 1] - e);
    }
    return { wasm: kernel.result('A').metrics, js: js.summary() };
  } finally {
    releaseDiffInstance(wasm);
  }
}

describe('PairKernel.runPlain (WASM) against PairMetrics (JS)', () => {
  it('gives the same figures on random BF16/F32 tensors of any length', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 0, max: 12000 }),
          xBf16: fc.boolean(),
          yBf16: fc.boolean(),
          seed: fc.integer(),
          cuts: fc.array(fc.integer({ min: 0, max: 750 }), { maxLength: 4 }),
        }),
        (c) => {
          const { wasm, js } = plainRun(c);
          expectSame(wasm, js);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses a run after one that ended inside a sub-block', () => {
    const wasm = acquireDiffInstance();
    if (wasm === null) {
      throw new Error('WebAssembly SIMD is not available');
    }
    try {
      wasm.ensureBytes(wasm.slotBytes + 1024);
      wasm.bytes.fill(0, wasm.slotBytes, wasm.slotBytes + 1024);
      const kernel = new PairKernel(wasm);
      kernel.runPlain(wasm.slotBytes, true, wasm.slotBytes + 512, true, 20);
      expect(() => kernel.runPlain(wasm.slotBytes, true, wasm.slotBytes + 512, true, 16)).toThrow(
        RangeError,
      );
    } finally {
      releaseDiffInstance(wasm);
    }
  });
});

interface Fp8Case {
  readonly subs: number;
  readonly bf16: boolean;
  readonly format: Fp8Format;
  readonly floatIs: FloatRole;
  readonly seed: number;
  readonly cuts: readonly number[];
}

describe('PairKernel.runFp8 (WASM) against PairMetrics (JS)', () => {
  it('gives the same figures on random FP8 bytes (every code) and scales', () => {
    fc.assert(
      fc.property(
        fc.record({
          subs: fc.integer({ min: 1, max: 700 }),
          bf16: fc.boolean(),
          format: fc.constantFrom<Fp8Format>('F8_E4M3', 'F8_E5M2'),
          floatIs: fc.constantFrom<FloatRole>('A', 'B'),
          seed: fc.integer(),
          cuts: fc.array(fc.integer({ min: 0, max: 700 }), { maxLength: 4 }),
        }),
        (c: Fp8Case) => {
          const r = rng(c.seed);
          const n = c.subs * 16;
          const levels = c.format === 'F8_E4M3' ? F8_E4M3_TABLE : F8_E5M2_TABLE;
          const q = Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
          const scales = Float64Array.from({ length: c.subs }, () => scaleValue(r));
          const y = Float64Array.from(q, (b, k) => levels[b] * scales[Math.floor(k / 16)]);
          const xb = c.bf16 ? 2 : 4;
          const xRaw = new Uint8Array(n * xb);
          const view = new DataView(xRaw.buffer);
          for (let k = 0; k < n; k++) {
            const u = r();
            const v =
              u < 0.01
                ? NaN
                : u < 0.02
                  ? -Infinity
                  : u < 0.3
                    ? y[k]
                    : y[k] * (1 + (r() - 0.5) * 0.2) + (r() - 0.5) * 1e-3;
            putFloat(view, k * xb, v, c.bf16);
          }
          const x = new Float64Array(n);
          decodeFloats(c.bf16 ? 'BF16' : 'F32', xRaw, n, x);
          const js = jsFigures(x, y, c.floatIs).metrics;
          const wasm = acquireDiffInstance();
          if (wasm === null) {
            throw new Error('WebAssembly SIMD is not available');
          }
          try {
            const xAt = wasm.slotBytes;
            const qAt = xAt + Math.ceil(xRaw.length / 16) * 16;
            const sAt = qAt + Math.ceil(n / 16) * 16;
            wasm.ensureBytes(sAt + 8 * c.subs);
            wasm.bytes.set(xRaw, xAt);
            wasm.bytes.set(q, qAt);
            wasm.f64.set(scales, sAt / 8);
            const kernel = new PairKernel(wasm);
            kernel.setLevels(levels);
            const edges = [
              0,
              ...c.cuts.filter((s) => s > 0 && s < c.subs).sort((p, q2) => p - q2),
              c.subs,
            ];
            for (let i = 0; i + 1 < edges.length; i++) {
              const b = edges[i];
              kernel.runFp8(
                xAt + b * 16 * xb,
                c.bf16,
                qAt + b * 16,
                sAt + 8 * b,
                edges[i + 1] - b,
                c.format,
              );
            }
            expectSame(kernel.result(c.floatIs).metrics, js);
          } finally {
            releaseDiffInstance(wasm);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
