import { describe, expect, it } from 'vitest';
import { f32Bytes } from '../testing/encode';
import { headerOf, moduleFrom } from '../testing/open-fixture';
import { recognizeScheme } from '../recognize-scheme';
import { Collector } from '../testing/collector';
import { combineScale } from './decode-types';
import { decodeBlocker, decodeWeights } from './decode-weights';

describe('decodeBlocker / decodeWeights', () => {
  it('says why a module cannot be dequantized, and refuses to', async () => {
    const { header, sources } = headerOf([
      { name: 'a.weight', dtype: 'U8', shape: [2, 8], data: new Uint8Array(16) },
      { name: 'a.weight_scale_2', dtype: 'F32', shape: [], data: f32Bytes([1]) },
      { name: 'b.weight', dtype: 'U8', shape: [2, 8], data: new Uint8Array(16) },
      { name: 'b.weight_scale', dtype: 'F8_E4M3', shape: [2, 2], data: new Uint8Array(4) },
      { name: 'b.weight_scale_2', dtype: 'F32', shape: [], data: f32Bytes([1]) },
      { name: 'c.weight', dtype: 'F32', shape: [2], data: new Uint8Array(8) },
      { name: 'c.weight_scale', dtype: 'F32', shape: [], data: new Uint8Array(4) },
    ]);
    const modules = recognizeScheme([header], null, null).modules;
    const blocker = (p: string): string | null =>
      decodeBlocker(modules.find((m) => m.prefix === p) ?? modules[0]);
    expect(blocker('a')).toBe('missing scale');
    expect(blocker('b')).toBe('its scale shape does not fit the weight');
    expect(blocker('c')).toBe('no decoder for scheme unknown');
    await expect(
      decodeWeights({ sources, module: modules[0], options: {} }, new Collector()),
    ).rejects.toThrow(/cannot be dequantized/);
  });

  it('needs a global scale for NVFP4, and no double-quantized bitsandbytes state', () => {
    const nv = moduleFrom(
      [
        { name: 'a.weight', dtype: 'U8', shape: [2, 8], data: new Uint8Array(16) },
        { name: 'a.weight_scale', dtype: 'F8_E4M3', shape: [2, 1], data: new Uint8Array(2) },
      ],
      'a',
    );
    expect(decodeBlocker(nv.module)).toBe('missing globalScale');
    const bnb = moduleFrom(
      [
        { name: 'n.weight', dtype: 'U8', shape: [32, 1], data: new Uint8Array(32) },
        { name: 'n.weight.absmax', dtype: 'U8', shape: [1], data: new Uint8Array(1) },
        { name: 'n.weight.quant_map', dtype: 'F32', shape: [16], data: new Uint8Array(64) },
      ],
      'n',
    );
    expect(decodeBlocker(bnb.module)).toBe('double-quantized absmax is not decoded');
  });

  it('combines block and global scales as the layout says', () => {
    expect(combineScale(2, 4, 'multiply')).toBe(8);
    expect(combineScale(2, 4, 'divide')).toBe(0.5);
    expect(combineScale(2, 4, 'none')).toBe(2);
  });
});
