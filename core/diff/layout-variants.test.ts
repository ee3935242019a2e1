import { describe, expect, it } from 'vitest';
import { F4_TABLE } from '../dtype/fp4';
import { F8_E4M3_TABLE } from '../dtype/fp8';
import { decodeBF16 } from '../dtype/half';
import { bf16Bits, E8M0_BIAS } from '../quant/testing/encode';
import { singleFile } from '../quant/testing/fixture-kit';
import type { QuantFixture } from '../quant/testing/fixture-kit';
import { hfConfig } from '../quant/testing/fixture-configs';
import { comfyNvfp4, gptOssExperts, randomMatrix } from '../quant/testing/modules-float';
import type { BuiltModule } from '../quant/testing/modules-float';
import { plainBf16 } from '../quant/testing/modules-int';
import { openFixture } from '../quant/testing/open-fixture';
import type { Matrix } from '../quant/testing/quantize';
import { quantizeMxfp4, quantizeNvfp4 } from '../quant/testing/quantize';
import { diffCheckpoints } from './diff-checkpoints';
import type { DiffInput } from './diff-side';

const NONE = { scheme: 'none', producer: null, source: null, findings: [] } as const;

async function input(fixture: QuantFixture): Promise<DiffInput> {
  const o = await openFixture(fixture);
  return { path: fixture.name, headers: o.headers, report: o.report, sources: o.sources };
}

function bf16Matrix(rows: number, cols: number, seed: number): Matrix {
  const m = randomMatrix(rows, cols, seed);
  return { rows, cols, values: m.values.map((v) => decodeBF16(bf16Bits(v))) };
}

function sqnr(w: ArrayLike<number>, hat: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < w.length; i++) {
    num += w[i] * w[i];
    den += (w[i] - hat[i]) ** 2;
  }
  return 10 * Math.log10(num / den);
}

describe('gpt-oss MXFP4 experts (`_blocks` / `_scales`) against the fused BF16 weight', () => {
  const experts = [0, 1].map((e) => bf16Matrix(64, 96, 10 + e));
  const prefix = 'model.layers.0.mlp.experts.gate_up_proj';
  /** W^ of every expert from the quantizer's codes and E8M0 exponents, [E, R, C] order. */
  const reference = (): Float64Array => {
    const out: number[] = [];
    for (const w of experts) {
      const q = quantizeMxfp4(w);
      for (let i = 0; i < w.values.length; i++) {
        const r = Math.floor(i / w.cols);
        const e = q.scales[r * (w.cols / 32) + Math.floor((i % w.cols) / 32)];
        out.push(F4_TABLE[q.codes[i]] * 2 ** (e - E8M0_BIAS));
      }
    }
    return Float64Array.from(out);
  };
  const original = Float64Array.from(experts.flatMap((w) => Array.from(w.values)));
  const quantized = (): QuantFixture =>
    singleFile('gptoss', {
      modules: { [prefix]: gptOssExperts(prefix, experts) },
      config: hfConfig({ quant_method: 'mxfp4' }),
      expected: NONE,
    });

  it('pairs `P_blocks` with the bare `P` [E, out, in] and matches the float64 reference', async () => {
    const bf16: QuantFixture = singleFile('bf16', {
      extra: [
        {
          name: prefix,
          dtype: 'BF16',
          shape: [2, 64, 96],
          data: plainBf16('x', { rows: 1, cols: original.length, values: original }).data,
        },
      ],
      expected: NONE,
    });
    const report = await diffCheckpoints(await input(bf16), await input(quantized()), {
      chunkBytes: 700,
    });
    expect(report.onlyA).toEqual([]);
    expect(report.onlyB).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.pairs).toHaveLength(1);
    const [p] = report.pairs;
    expect(p).toMatchObject({ name: prefix, module: 'mlp.experts.gate_up_proj', layer: 0 });
    expect(p.b.scheme).toBe('mxfp4');
    expect(Math.abs((p.sqnrDb ?? NaN) - sqnr(original, reference()))).toBeLessThan(0.01);
    expect(report.findings).toEqual([]);
  });

  it('reads a BF16 original kept as [E, in, out] transposed', async () => {
    // gpt-oss's BF16 release keeps each expert as [in, out]: the same values, transposed.
    const t = new Float64Array(original.length);
    for (let e = 0; e < 2; e++) {
      for (let r = 0; r < 64; r++) {
        for (let c = 0; c < 96; c++) {
          t[e * 64 * 96 + c * 64 + r] = original[e * 64 * 96 + r * 96 + c];
        }
      }
    }
    const bf16: QuantFixture = singleFile('bf16-t', {
      extra: [
        {
          name: prefix,
          dtype: 'BF16',
          shape: [2, 96, 64],
          data: plainBf16('x', { rows: 1, cols: t.length, values: t }).data,
        },
      ],
      expected: NONE,
    });
    const report = await diffCheckpoints(await input(bf16), await input(quantized()), {
      chunkBytes: 500,
    });
    const [p] = report.pairs;
    expect(Math.abs((p.sqnrDb ?? NaN) - sqnr(original, reference()))).toBeLessThan(0.01);
  });
});

describe('ComfyUI NVFP4 scale layout check', () => {
  const prefix = 'blocks.0.self_attn.q';
  const w = bf16Matrix(128, 64, 30);
  const original = (): QuantFixture =>
    singleFile('bf16', { extra: [plainBf16(`${prefix}.weight`, w)], expected: NONE });
  const comfy = (rowMajorScales: boolean): QuantFixture => {
    const built = comfyNvfp4(prefix, w);
    const q = quantizeNvfp4(w);
    const module: BuiltModule = {
      source: built.source,
      tensors: built.tensors.map((t) =>
        // [128, 4] scales: the swizzled shape needs no padding, so row-major bytes fit it too.
        t.name === `${prefix}.weight_scale` && rowMajorScales ? { ...t, data: q.scales } : t,
      ),
    };
    return singleFile('comfy', { modules: { [prefix]: module }, expected: NONE });
  };

  it('a right swizzled layout: no finding, SQNR as the reference', async () => {
    const report = await diffCheckpoints(await input(original()), await input(comfy(false)));
    expect(report.findings).toEqual([]);
    const q = quantizeNvfp4(w);
    const g = Math.fround(q.global);
    const hat = Array.from(w.values, (_, i) => {
      const s = F8_E4M3_TABLE[q.scales[Math.floor(i / 64) * 4 + Math.floor((i % 64) / 16)]];
      return F4_TABLE[q.codes[i]] * (s * g);
    });
    const p = report.pairs.find((x) => x.name === `${prefix}.weight`);
    expect(Math.abs((p?.sqnrDb ?? NaN) - sqnr(w.values, hat))).toBeLessThan(0.01);
  });

  it('scales written row-major under a swizzled scheme: layout-mismatch', async () => {
    const report = await diffCheckpoints(await input(original()), await input(comfy(true)));
    const found = report.findings.filter((f) => f.rule === 'layout-mismatch');
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/FP4 block scales look row-major, not cublas-128x4/);
  });
});
