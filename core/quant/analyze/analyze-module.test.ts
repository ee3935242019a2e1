import { describe, expect, it } from 'vitest';
import { f32Bytes } from '../testing/encode';
import { moduleFrom } from '../testing/open-fixture';
import { analyzeModule } from './analyze-module';

function nvfp4(scales: number[], global: number) {
  return moduleFrom(
    [
      { name: 'a.weight', dtype: 'U8', shape: [2, 8], data: new Uint8Array(16).fill(0x11) },
      { name: 'a.weight_scale', dtype: 'F8_E4M3', shape: [2, 1], data: Uint8Array.from(scales) },
      { name: 'a.weight_scale_2', dtype: 'F32', shape: [], data: f32Bytes([global]) },
      { name: 'a.input_scale', dtype: 'F32', shape: [], data: f32Bytes([0.25]) },
    ],
    'a',
  );
}

describe('analyzeModule', () => {
  it('builds the effective scale (block x global) and summarizes every scale tensor', async () => {
    const { module, sources } = nvfp4([0x38, 0x40], 0.5);
    const a = await analyzeModule(sources, module, { weights: 'never' });
    expect(a.scale).toMatchObject({ elements: 2, min: 1, max: 2 });
    expect(a.globalScale).toMatchObject({ value: 0.5 });
    expect(a.inputScale).toMatchObject({ value: 0.25 });
    expect(a.effectiveScale).toMatchObject({
      min: 0.5,
      max: 1,
      histogram: { minExponent: -1, counts: [1, 1] },
    });
    expect(a.weight).toBeNull();
    expect(a.weightSkipped).toBeNull();
  });

  it('reads the weight always, only when a block scale is zero, or never', async () => {
    const clean = nvfp4([0x38, 0x40], 1);
    expect(
      (await analyzeModule(clean.sources, clean.module, { weights: 'if-zero-scales' })).weight,
    ).toBeNull();
    const full = await analyzeModule(clean.sources, clean.module);
    expect(full.weight).toMatchObject({ codeKind: 'e2m1', elements: 32, zeroScaleBlocks: 0 });
    expect(full.weight?.codes[1]).toBe(32);
    const zeroed = nvfp4([0x00, 0x40], 1);
    const z = await analyzeModule(zeroed.sources, zeroed.module, { weights: 'if-zero-scales' });
    expect(z.weight).toMatchObject({ zeroScaleBlocks: 1, zeroedCodes: 16 });
  });

  it('says why a wanted weight pass could not run', async () => {
    const { module, sources } = moduleFrom(
      [
        { name: 'a.weight', dtype: 'U8', shape: [2, 8], data: new Uint8Array(16) },
        { name: 'a.weight_scale', dtype: 'F8_E4M3', shape: [2, 1], data: new Uint8Array(2) },
      ],
      'a',
    );
    const a = await analyzeModule(sources, module, { weights: 'if-zero-scales' });
    expect(a.weight).toBeNull();
    expect(a.weightSkipped).toBe('missing globalScale');
  });
});
