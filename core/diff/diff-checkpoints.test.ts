import { describe, expect, it } from 'vitest';
import { F4_TABLE } from '../dtype/fp4';
import { F8_E4M3_TABLE } from '../dtype/fp8';
import { decodeBF16, decodeF16 } from '../dtype/half';
import { bf16Bits, E8M0_BIAS, f16Bits } from '../quant/testing/encode';
import type { QuantFixture } from '../quant/testing/fixture-kit';
import { openFixture } from '../quant/testing/open-fixture';
import type { Matrix } from '../quant/testing/quantize';
import { quantizeFp8, quantizeInt4, quantizeMxfp4, quantizeNvfp4 } from '../quant/testing/quantize';
import type { DiffInput } from './diff-side';
import { diffCheckpoints, diffVerdict } from './diff-checkpoints';
import type { DiffReport } from './diff-types';
import type { Variant } from './testing/diff-fixtures';
import {
  bf16Model,
  DIFF_GROUP,
  diffWeights,
  quantizedModel,
  VARIANTS,
} from './testing/diff-fixtures';

async function input(fixture: QuantFixture): Promise<DiffInput> {
  const opened = await openFixture(fixture);
  return {
    path: fixture.name,
    headers: opened.headers,
    report: opened.report,
    sources: opened.sources,
  };
}

const bf16 = (x: number): number => decodeBF16(bf16Bits(x));
const f16 = (x: number): number => decodeF16(f16Bits(x));

/**
 * Ŵ of a module written straight from the quantizers' unpacked codes and scales and the storage
 * rounding of each scale (F32, BF16, F16): no packing, no layout, none of core's decoders.
 */
function reference(variant: Variant, w: Matrix): Float64Array {
  const { rows, cols } = w;
  const out = new Float64Array(rows * cols);
  switch (variant) {
    case 'modelopt-nvfp4':
    case 'ct-nvfp4': {
      const q = quantizeNvfp4(w);
      const g =
        variant === 'modelopt-nvfp4' ? Math.fround(q.global) : 1 / Math.fround(1 / q.global);
      for (let i = 0; i < out.length; i++) {
        const r = Math.floor(i / cols);
        const s = F8_E4M3_TABLE[q.scales[r * (cols / 16) + Math.floor((i % cols) / 16)]];
        out[i] =
          variant === 'modelopt-nvfp4'
            ? F4_TABLE[q.codes[i]] * (s * g)
            : F4_TABLE[q.codes[i]] * (s / Math.fround(1 / q.global));
      }
      return out;
    }
    case 'ct-mxfp4': {
      const q = quantizeMxfp4(w);
      for (let i = 0; i < out.length; i++) {
        const r = Math.floor(i / cols);
        const e = q.scales[r * (cols / 32) + Math.floor((i % cols) / 32)];
        out[i] = F4_TABLE[q.codes[i]] * 2 ** (e - E8M0_BIAS);
      }
      return out;
    }
    case 'fp8-channel':
    case 'fp8-block': {
      const block = variant === 'fp8-block';
      const br = block ? 128 : 1;
      const bc = block ? 128 : cols;
      const q = quantizeFp8(w, br, bc);
      const sc = Math.ceil(cols / bc);
      for (let i = 0; i < out.length; i++) {
        const r = Math.floor(i / cols);
        const raw = q.scales[Math.floor(r / br) * sc + Math.floor((i % cols) / bc)];
        out[i] = F8_E4M3_TABLE[q.codes[i]] * (block ? bf16(raw) : Math.fround(raw));
      }
      return out;
    }
    case 'autoawq':
    case 'gptq': {
      const groups = cols / DIFF_GROUP;
      const q = quantizeInt4(
        w,
        groups,
        (c) => Math.floor(c / DIFF_GROUP),
        variant === 'gptq' ? 1 : 0,
      );
      for (let i = 0; i < out.length; i++) {
        const r = Math.floor(i / cols);
        const g = Math.floor((i % cols) / DIFF_GROUP);
        out[i] = (q.q[i] - q.zeros[r * groups + g]) * f16(q.scales[r * groups + g]);
      }
      return out;
    }
  }
}

/** 10·log10(ΣW² / Σ(W−Ŵ)²) in plain float64. */
function sqnr(w: Float64Array, hat: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < w.length; i++) {
    num += w[i] * w[i];
    den += (w[i] - hat[i]) ** 2;
  }
  return 10 * Math.log10(num / den);
}

function pairOf(report: DiffReport, name: string) {
  const p = report.pairs.find((x) => x.name === name);
  if (p === undefined) {
    throw new Error(`no pair ${name}`);
  }
  return p;
}

let original: Promise<DiffInput> | null = null;
/** The BF16 model, built once for the file (building it is most of a test's time). */
function bf16Input(): Promise<DiffInput> {
  original ??= input(bf16Model());
  return original;
}

const KEPT = ['model.embed_tokens.weight', 'model.norm.weight', 'lm_head.weight'];

describe('diffCheckpoints against a float64 reference', () => {
  const weights = diffWeights();
  for (const variant of VARIANTS) {
    it(`${variant}: every module's SQNR within 0.01 dB, nothing else differs`, async () => {
      const a = await bf16Input();
      const b = await input(quantizedModel(variant));
      // Small chunks: many blocks per module, never aligned between the two sides.
      const report = await diffCheckpoints(a, b, { chunkBytes: 1000 });
      expect(report.errors).toEqual([]);
      expect(report.onlyA).toEqual([]);
      expect(report.onlyB).toEqual([]);
      // The fixture quantizes q/k/v and gate/up each with its own NVFP4 global scale, as no real
      // exporter does: every such set is reported, and nothing else.
      const nvfp4 = variant === 'modelopt-nvfp4' || variant === 'ct-nvfp4';
      expect(report.findings.map((f) => f.rule)).toEqual(
        nvfp4 ? ['sibling-scales', 'sibling-scales', 'sibling-scales', 'sibling-scales'] : [],
      );
      expect(report.a.scheme).toBe('none');
      expect(report.pairs).toHaveLength(weights.size + KEPT.length);
      for (const [prefix, w] of weights) {
        const p = pairOf(report, `${prefix}.weight`);
        const expected = sqnr(w.values, reference(variant, w));
        expect(p.sqnrDb).not.toBeNull();
        expect(Math.abs((p.sqnrDb ?? NaN) - expected)).toBeLessThan(0.01);
        expect(p.identical).toBe(false);
        expect(p.b.scheme).not.toBeNull();
        expect(p.nanB).toBe(0);
        expect(p.cosine).toBeGreaterThan(0.9);
      }
      for (const name of KEPT) {
        expect(pairOf(report, name).identical).toBe(true);
      }
      expect(diffVerdict(report, null)).toBe(0);
      expect(diffVerdict(report, 100)).toBe(1);
    });
  }

  it('gives the same figures whatever the chunk size', async () => {
    const a = await bf16Input();
    const b = await input(quantizedModel('autoawq'));
    const small = await diffCheckpoints(a, b, { chunkBytes: 300 });
    const large = await diffCheckpoints(a, b, { chunkBytes: 1 << 20 });
    expect(small.pairs.map((p) => p.name)).toEqual(large.pairs.map((p) => p.name));
    small.pairs.forEach((p, i) => {
      const q = large.pairs[i];
      expect(p.elements).toBe(q.elements);
      expect(p.maxAbsError).toBe(q.maxAbsError);
      expect(p.bitIdentical).toBe(q.bitIdentical);
      // Sums in a different block order differ in the last bits only.
      expect(p.sqnrDb ?? 0).toBeCloseTo(q.sqnrDb ?? 0, 10);
      expect(p.cosine ?? 0).toBeCloseTo(q.cosine ?? 0, 12);
    });
  });
});

describe('layout check', () => {
  it('reports an NVFP4 module whose nibbles are packed the other way round', async () => {
    const victim = 'model.layers.1.mlp.up_proj';
    const a = await bf16Input();
    const b = await input(quantizedModel('modelopt-nvfp4', { swapNibblesOf: victim }));
    const report = await diffCheckpoints(a, b, { chunkBytes: 4096 });
    const mismatches = report.findings.filter((f) => f.rule === 'layout-mismatch');
    expect(mismatches.map((f) => f.name)).toEqual([victim]);
    expect(mismatches[0].message).toMatch(
      /FP4 nibbles look swapped: cosine 0\.\d\d as read \(low-first\), (0\.99|1\.00) swapped/,
    );
    // The worst pair comes first.
    expect(report.pairs[0].name).toBe(`${victim}.weight`);
    expect(report.pairs[0].cosine).toBeLessThan(0.3);
  });
});

describe('identical exports', () => {
  it('reports every tensor identical, with no metrics computed', async () => {
    const a = await input(quantizedModel('modelopt-nvfp4'));
    const b = await input(quantizedModel('modelopt-nvfp4'));
    const report = await diffCheckpoints(a, b);
    expect(report.pairs.length).toBeGreaterThan(0);
    for (const p of report.pairs) {
      expect(p.identical).toBe(true);
      expect(p.sqnrDb).toBeNull();
    }
    expect(report.onlyA).toEqual([]);
    expect(report.onlyB).toEqual([]);
    expect(report.a.scheme).toBe('nvfp4');
    expect(diffVerdict(report, 30)).toBe(0);
  });

  it('two BF16 copies in different shard layouts are identical tensor by tensor', async () => {
    const a = await bf16Input();
    const single = quantizedModel('modelopt-nvfp4');
    expect(single.files.length).toBeGreaterThan(0);
    const report = await diffCheckpoints(a, await input(bf16Model(1, 'copy')));
    expect(report.pairs.every((p) => p.identical === true)).toBe(true);
  });
});
