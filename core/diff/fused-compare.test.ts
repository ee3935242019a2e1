import { describe, expect, it } from 'vitest';
import type { QuantFixture } from '../quant/testing/fixture-kit';
import { openFixture } from '../quant/testing/open-fixture';
import type { DiffInput } from './diff-side';
import { diffCheckpoints } from './diff-checkpoints';
import type { DiffReport } from './diff-types';
import { bf16Model, quantizedModel } from './testing/diff-fixtures';
import type { Variant } from './testing/diff-fixtures';

async function input(fixture: QuantFixture): Promise<DiffInput> {
  const opened = await openFixture(fixture);
  return {
    path: fixture.name,
    headers: opened.headers,
    report: opened.report,
    sources: opened.sources,
  };
}

/**
 * The fused WASM report against the value streams' (JS) one: same pairs, figures and findings.
 * `f32`: the FP4 kernel's vector path works in f32 (see diff-kernels.wat): max |A−B| is then its
 * f32 rounding and the sums agree to ~1e-6 relative; the FP8 and plain kernels are float64.
 */
function expectSameReport(fused: DiffReport, js: DiffReport, f32 = false): void {
  expect(fused.pairs.map((p) => p.name)).toEqual(js.pairs.map((p) => p.name));
  expect(fused.findings).toEqual(js.findings);
  expect(fused.errors).toEqual(js.errors);
  fused.pairs.forEach((p, i) => {
    const q = js.pairs[i];
    const { sqnrDb, relL2, cosine, maxAbsError, ...exact } = p;
    const { sqnrDb: qs, relL2: qr, cosine: qc, maxAbsError: qm, ...qExact } = q;
    // Element counts, NaN/Inf and equal elements do not depend on the summation order.
    expect(exact).toEqual(qExact);
    if (f32 && maxAbsError !== null && qm !== null) {
      expect(Math.abs(maxAbsError - qm)).toBeLessThanOrEqual(1e-6 * qm);
    } else {
      expect(maxAbsError).toBe(qm);
    }
    expect(sqnrDb ?? 0).toBeCloseTo(qs ?? 0, f32 ? 4 : 9);
    expect(relL2 ?? 0).toBeCloseTo(qr ?? 0, f32 ? 6 : 12);
    expect(cosine ?? 0).toBeCloseTo(qc ?? 0, f32 ? 6 : 12);
  });
}

const FUSED: readonly Variant[] = [
  'modelopt-nvfp4',
  'ct-nvfp4',
  'ct-mxfp4',
  'fp8-channel',
  'fp8-block',
];

describe('the fused comparisons (WASM) against the value streams (JS)', () => {
  const original = input(bf16Model());
  for (const variant of FUSED) {
    it(`${variant}: the same report, quantized side as B and as A, any chunk size`, async () => {
      const a = await original;
      const b = await input(quantizedModel(variant));
      const f32 = variant.endsWith('fp4');
      for (const chunkBytes of [300, 4096, 1 << 20]) {
        expectSameReport(
          await diffCheckpoints(a, b, { chunkBytes }),
          await diffCheckpoints(a, b, { chunkBytes, wasm: false }),
          f32,
        );
      }
      expectSameReport(
        await diffCheckpoints(b, a, { chunkBytes: 4096 }),
        await diffCheckpoints(b, a, { chunkBytes: 4096, wasm: false }),
        f32,
      );
    });
  }

  it('reports swapped nibbles as the JS layout check does', async () => {
    const victim = 'model.layers.1.mlp.up_proj';
    const a = await original;
    const b = await input(quantizedModel('modelopt-nvfp4', { swapNibblesOf: victim }));
    const fused = await diffCheckpoints(a, b, { chunkBytes: 4096 });
    expectSameReport(fused, await diffCheckpoints(a, b, { chunkBytes: 4096, wasm: false }), true);
    expect(fused.findings.filter((f) => f.rule === 'layout-mismatch').map((f) => f.name)).toEqual([
      victim,
    ]);
  });

  it('two BF16 models: the same report as the value streams, any chunk size', async () => {
    const a = await original;
    const b = await input(bf16Model(2, 'bf16-other'));
    for (const chunkBytes of [300, 4096, 1 << 20]) {
      expectSameReport(
        await diffCheckpoints(a, b, { chunkBytes }),
        await diffCheckpoints(a, b, { chunkBytes, wasm: false }),
      );
    }
  });
});
