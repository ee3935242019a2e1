import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../format/build-safetensors';
import { refineLayout } from '../quant/analyze/refine-layout';
import type { Fp4Layout } from '../quant/quant-layout';
import type { QuantModule } from '../quant/quant-types';
import type { SourceMap } from '../quant/stream/read-exact';
import { randomMatrix } from '../quant/testing/modules-float';
import { comfyNvfp4 } from '../quant/testing/modules-float';
import { moduleFrom } from '../quant/testing/open-fixture';
import { lcgBytes } from '../testing/lcg-bytes';
import { decodedStream } from './decoded-stream';
import type { NibblePairs } from './decoded-stream';
import { bulkFp4Readable, fp4Stream } from './fp4-stream';
import { nibblePairsOf, otherScaleLayout } from './layout-check';
import type { ValueStream } from './value-stream';

interface Drained {
  readonly values: number[];
  readonly alt: number[];
}

/** Every block of a stream, checked contiguous, copied out. */
async function drain(stream: ValueStream): Promise<Drained> {
  const values: number[] = [];
  const alt: number[] = [];
  for (let block = await stream.next(); block !== null; block = await stream.next()) {
    expect(block.start).toBe(values.length);
    values.push(...Array.from(block.values));
    if (block.alt !== null) {
      alt.push(...Array.from(block.alt));
    }
  }
  await stream.close();
  return { values, alt };
}

/** Element by element with Object.is (NaN equals NaN, -0 is not +0); reports the first miss. */
function expectSame(actual: readonly number[], expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      expect([i, actual[i]]).toEqual([i, expected[i]]);
    }
  }
}

async function expectBulkMatchesReference(
  sources: SourceMap,
  module: QuantModule,
  chunkBytes: number,
  swap: NibblePairs | null,
): Promise<void> {
  const layout = module.layout;
  if (layout === null || layout.kind !== 'fp4') {
    throw new Error('an FP4 module was expected');
  }
  expect(bulkFp4Readable(layout)).toBe(true);
  const options = { chunkBytes };
  const bulk = await drain(fp4Stream(sources, module, layout, options, swap));
  const reference = await drain(decodedStream(sources, module, options, swap));
  expect(bulk.values.length).toBeGreaterThan(0);
  expectSame(bulk.values, reference.values);
  expectSame(bulk.alt, reference.alt);
}

const ROWS = 64;
const COLS = 96;
const PREFIX = 'model.layers.0.mlp.up_proj';

/**
 * A ModelOpt NVFP4 module [64, 96] with pseudo-random packed codes and E4M3 block scales (so
 * NaN scales, zero scales and every code occur) and the global scale 0.375.
 */
function modelOpt(seed: number): { module: QuantModule; sources: SourceMap } {
  const tensors: TensorSpec[] = [
    {
      name: `${PREFIX}.weight`,
      dtype: 'U8',
      shape: [ROWS, COLS / 2],
      data: lcgBytes(ROWS * 48, seed),
    },
    {
      name: `${PREFIX}.weight_scale`,
      dtype: 'F8_E4M3',
      shape: [ROWS, COLS / 16],
      data: lcgBytes(ROWS * 6, seed + 1),
    },
    {
      name: `${PREFIX}.weight_scale_2`,
      dtype: 'F32',
      shape: [],
      data: new Uint8Array(Float32Array.of(0.375).buffer),
    },
  ];
  return moduleFrom(tensors, PREFIX);
}

function withLayout(module: QuantModule, change: Partial<Fp4Layout>): QuantModule {
  const layout = module.layout;
  if (layout === null || layout.kind !== 'fp4') {
    throw new Error('an FP4 module was expected');
  }
  return { ...module, layout: { ...layout, ...change } };
}

describe('fp4Stream: the same values as core dequantizer, in bulk', () => {
  const variants: [string, Partial<Fp4Layout>][] = [
    ['as recognised (ModelOpt: low nibble first, global multiplies)', {}],
    ['high nibble first', { nibbleOrder: 'high-first' }],
    ['global divides (compressed-tensors)', { globalScale: 'divide' }],
    [
      'E8M0 scales, no global (MXFP4), blocks of 32',
      {
        globalScale: 'none',
        scaleEncoding: 'e8m0',
        blockSize: 32,
        scaleShape: [ROWS, COLS / 32],
      },
    ],
    [
      'blocks along the second-last axis',
      {
        packedAxis: 'second-last',
        scaleShape: [ROWS / 16, COLS],
      },
    ],
  ];
  for (const [what, change] of variants) {
    for (const chunkBytes of [48, 100, 1 << 20]) {
      it(`${what}, ${chunkBytes}-byte chunks, with and without the swapped reading`, async () => {
        const { module, sources } = modelOpt(3);
        const m = withLayout(module, change);
        const layout = m.layout;
        if (layout === null || layout.kind !== 'fp4') {
          throw new Error('an FP4 module was expected');
        }
        await expectBulkMatchesReference(sources, m, chunkBytes, null);
        await expectBulkMatchesReference(sources, m, chunkBytes, nibblePairsOf(layout));
      });
    }
  }

  it('ComfyUI swizzled scales, and the same module read with row-major scales', async () => {
    const prefix = 'blocks.0.self_attn.q';
    const built = comfyNvfp4(prefix, randomMatrix(256, 64, 5));
    // Random codes and scales over the fixture's tensors: NaN, zero and huge scales included.
    const tensors = built.tensors.map((t, i) =>
      t.name.endsWith('.weight') || t.name.endsWith('.weight_scale')
        ? { ...t, data: lcgBytes(t.data.length, 40 + i) }
        : t,
    );
    const { module, sources } = moduleFrom(tensors, prefix);
    const refined = await refineLayout(sources, module);
    const layout = refined.layout;
    if (layout === null || layout.kind !== 'fp4') {
      throw new Error('an FP4 module was expected');
    }
    expect(layout.scaleLayout).toBe('cublas-128x4');
    const other = otherScaleLayout(refined, layout);
    if (other === null) {
      throw new Error('the other scale layout was expected');
    }
    for (const chunkBytes of [32, 4096]) {
      await expectBulkMatchesReference(sources, refined, chunkBytes, nibblePairsOf(layout));
      await expectBulkMatchesReference(sources, other, chunkBytes, null);
    }
  });

  it('refuses a weight that is not whole packed rows, as the dequantizer does', () => {
    const { module, sources } = modelOpt(3);
    const m = withLayout(module, { elementShape: [ROWS, 100] });
    const layout = m.layout;
    if (layout === null || layout.kind !== 'fp4') {
      throw new Error('an FP4 module was expected');
    }
    expect(() => fp4Stream(sources, m, layout, {}, null)).toThrow(/not whole 50-byte rows/);
  });
});
