import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QuantModule, TensorRef } from '../quant-types';
import type { SourceMap } from '../stream/read-exact';
import { allQuantFixtures } from '../testing/make-quant-fixtures';
import { moduleFrom, openFixture } from '../testing/open-fixture';
import { f32Bytes } from '../testing/encode';
import type { AnalyzeOptions, KnownTensorBytes, ModuleAnalysis } from './analyze-module';
import { analyzeKnownModule, analyzeModule } from './analyze-module';
import { knownCodesOf } from './known-codes';

/** Every tensor's bytes, cut out of the sources' files (what the CLI keeps of tiny tensors). */
async function everyTensorKnown(sources: SourceMap): Promise<KnownTensorBytes> {
  const files = new Map<string, Uint8Array>();
  for (const [name, source] of sources) {
    files.set(name, await source.read(0, source.size));
  }
  return (ref: TensorRef) =>
    files.get(ref.file)?.slice(ref.info.offset, ref.info.offset + ref.info.nbytes);
}

/** A chunk size small enough that the streamed pass reads most tensors in several pieces. */
const SMALL_CHUNK_BYTES = 7;
const MODES = ['always', 'if-zero-scales', 'never'] as const;

/** The analyses of `module` by both paths (the sync one may decline: undefined). */
async function bothPaths(
  sources: SourceMap,
  known: KnownTensorBytes,
  module: QuantModule,
  options: AnalyzeOptions,
) {
  const streamed = await analyzeModule(sources, module, {
    ...options,
    chunkBytes: SMALL_CHUNK_BYTES,
  }).catch((e: unknown) => e);
  let quick: unknown;
  try {
    quick = analyzeKnownModule(module, known, options);
  } catch (e) {
    quick = e;
  }
  return { streamed, quick };
}

describe('analyzeKnownModule', () => {
  it('gives what analyzeModule gives, on every module of every quant fixture, or declines', async () => {
    let answered = 0;
    let withWeight = 0;
    for (const fixture of allQuantFixtures()) {
      const { sources, report } = await openFixture(fixture);
      const known = await everyTensorKnown(sources);
      for (const module of report.modules) {
        for (const weights of MODES) {
          const { streamed, quick } = await bothPaths(sources, known, module, { weights });
          if (quick !== undefined) {
            expect(quick, `${fixture.name} ${module.prefix} ${weights}`).toEqual(streamed);
            answered++;
            if (streamed !== null && typeof streamed === 'object' && 'weight' in streamed) {
              withWeight += streamed.weight === null ? 0 : 1;
            }
          }
        }
      }
    }
    // The fast path covers the FP4 and FP8 fixtures, weights decoded included.
    expect(answered).toBeGreaterThan(50);
    expect(withWeight).toBeGreaterThan(5);
  });

  it('declines when a tensor it needs is not known', async () => {
    const { module } = moduleFrom(nvfp4Tensors([0x38, 0x40, 0, 0x38], 0.5), 'a');
    expect(analyzeKnownModule(module, () => undefined, { weights: 'never' })).toBeUndefined();
  });

  it('equals the streamed analysis of random NVFP4 modules (zero, NaN and swizzle-free scales)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.constantFrom(0.5, 1, 3, Number.NaN, 0),
        fc.constantFrom(...MODES),
        async (scales, weight, global, weights) => {
          const { module, sources } = moduleFrom(nvfp4Tensors(scales, global, weight), 'a');
          const known = await everyTensorKnown(sources);
          const { streamed, quick } = await bothPaths(sources, known, module, { weights });
          expect(quick).toBeDefined();
          expect(quick).toEqual(streamed);
        },
      ),
    );
  });

  it("equals the streamed analysis when both take the scan's byte histograms of the scales", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }),
        fc.constantFrom(0.5, Number.NaN, 0),
        fc.constantFrom(...MODES),
        async (scales, global, weights) => {
          const { module, sources } = moduleFrom(nvfp4Tensors(scales, global), 'a');
          const counts = new Array<number>(256).fill(0);
          for (const code of scales) {
            counts[code]++;
          }
          const knownCodes = knownCodesOf([
            { file: 'model.safetensors', tensor: 'a.weight_scale', counts },
          ]);
          const known = await everyTensorKnown(sources);
          const { streamed, quick } = await bothPaths(sources, known, module, {
            weights,
            knownCodes,
          });
          expect(quick).toBeDefined();
          expect(quick).toEqual(streamed);
          // Four bytes are counted from memory: the codes are a shared histogram equal to the scan's.
          const codes = (quick as ModuleAnalysis).scale?.codes;
          expect(codes).toEqual(counts);
          expect(Object.isFrozen(codes)).toBe(true);
        },
      ),
    );
  });
});

/** A ModelOpt NVFP4 module `a`: weight [4, 16] (packed [4, 8]), E4M3 scales [4, 1]. */
function nvfp4Tensors(scales: number[], global: number, weight = new Uint8Array(32).fill(0x11)) {
  return [
    { name: 'a.weight', dtype: 'U8', shape: [4, 8], data: weight },
    { name: 'a.weight_scale', dtype: 'F8_E4M3', shape: [4, 1], data: Uint8Array.from(scales) },
    { name: 'a.weight_scale_2', dtype: 'F32', shape: [], data: f32Bytes([global]) },
    { name: 'a.input_scale', dtype: 'F32', shape: [], data: f32Bytes([0.25]) },
  ] as const;
}
