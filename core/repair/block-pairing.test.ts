import { describe, expect, it } from 'vitest';
import { buildSafetensors } from '../format/build-safetensors';
import type { TensorSpec } from '../format/build-safetensors';
import { nvfp4Layer, openBytes, openSpecs } from '../../fixtures/repair-fixtures';
import { pairedBlocks } from './block-pairing';

async function pairs(
  specs: readonly TensorSpec[],
  treatedAs: 'F8_E4M3' | 'F8_E8M0',
): Promise<(name: string) => string | null> {
  const { header } = await openBytes(buildSafetensors(specs));
  return (name) => {
    const t = header.byName.get(name);
    if (t === undefined) {
      return 'missing';
    }
    const p = pairedBlocks(header, t, treatedAs);
    return p === null ? null : `${p.weight.name} ${p.blockBytes} ${p.codes}`;
  };
}

describe('pairedBlocks: NVFP4', () => {
  it('pairs P.weight_scale with P.weight, or else P.weight_packed, by shape and dtype', async () => {
    const { header } = await openSpecs(nvfp4Layer('.weight'));
    const scale = header.byName.get('layer.weight_scale');
    expect(scale && pairedBlocks(header, scale, 'F8_E4M3')?.weight.name).toBe('layer.weight');
    const packed = await openSpecs(nvfp4Layer('.weight_packed'));
    const s2 = packed.header.byName.get('layer.weight_scale');
    expect(s2 && pairedBlocks(packed.header, s2, 'F8_E4M3')?.weight.name).toBe(
      'layer.weight_packed',
    );
  });

  it('pairs 3-D expert tensors with equal leading dims, and nothing else', async () => {
    const pair = await pairs(
      [
        { name: 'e.weight', dtype: 'U8', shape: [2, 3, 8], data: new Uint8Array(48) },
        { name: 'e.weight_scale', dtype: 'F8_E4M3', shape: [2, 3, 1], data: new Uint8Array(6) },
        { name: 'x.weight', dtype: 'U8', shape: [3, 2, 8], data: new Uint8Array(48) },
        { name: 'x.weight_scale', dtype: 'F8_E4M3', shape: [2, 3, 1], data: new Uint8Array(6) },
        { name: 'v.weight', dtype: 'U8', shape: [16], data: new Uint8Array(16) },
        { name: 'v.weight_scale', dtype: 'F8_E4M3', shape: [2], data: new Uint8Array(2) },
        { name: 'f.weight', dtype: 'F8_E4M3', shape: [1, 16], data: new Uint8Array(16) },
        { name: 'f.weight_scale', dtype: 'F8_E4M3', shape: [1, 2], data: new Uint8Array(2) },
        { name: 'o.input_scale', dtype: 'F8_E4M3', shape: [1, 1], data: new Uint8Array(1) },
        { name: 'o.weight', dtype: 'U8', shape: [1, 8], data: new Uint8Array(8) },
        // U8-stored E4M3 scales are ComfyUI's (swizzled): never paired.
        { name: 'u.weight', dtype: 'U8', shape: [1, 8], data: new Uint8Array(8) },
        { name: 'u.weight_scale', dtype: 'U8', shape: [1, 1], data: new Uint8Array(1) },
      ],
      'F8_E4M3',
    );
    expect(pair('e.weight_scale')).toBe('e.weight 8 fp4');
    expect(pair('x.weight_scale')).toBeNull(); // leading dims differ
    expect(pair('v.weight_scale')).toBeNull(); // 1-D: not the [.., R, S] layout
    expect(pair('f.weight_scale')).toBeNull(); // FP8 weight, not packed FP4
    expect(pair('o.input_scale')).toBeNull();
    expect(pair('u.weight_scale')).toBeNull();
  });

  it('never pairs a ComfyUI layer (comfy_quant beside it: swizzled scales)', async () => {
    const [weight, scale] = nvfp4Layer();
    const pair = await pairs(
      [
        weight,
        scale,
        { name: 'layer.comfy_quant', dtype: 'U8', shape: [2], data: Uint8Array.of(0x7b, 0x7d) },
      ],
      'F8_E4M3',
    );
    expect(pair('layer.weight_scale')).toBeNull();
  });
});

describe('pairedBlocks: MX (E8M0 scales)', () => {
  it('pairs MXFP4 (packed U8, 16 bytes a block), MXFP8 (F8_E4M3, 32) and gpt-oss _blocks', async () => {
    const pair = await pairs(
      [
        { name: 'a.weight_packed', dtype: 'U8', shape: [2, 32], data: new Uint8Array(64) },
        { name: 'a.weight_scale', dtype: 'U8', shape: [2, 2], data: new Uint8Array(4) },
        { name: 'b.weight', dtype: 'F8_E4M3', shape: [1, 64], data: new Uint8Array(64) },
        { name: 'b.weight_scale', dtype: 'F8_E8M0', shape: [1, 2], data: new Uint8Array(2) },
        {
          name: 'm.experts.down_proj_blocks',
          dtype: 'U8',
          shape: [2, 3, 1, 16],
          data: new Uint8Array(96),
        },
        {
          name: 'm.experts.down_proj_scales',
          dtype: 'U8',
          shape: [2, 3, 1],
          data: new Uint8Array(6),
        },
        {
          name: 'block.0.mlp1_weight.blocks',
          dtype: 'U8',
          shape: [1, 16],
          data: new Uint8Array(16),
        },
        { name: 'block.0.mlp1_weight.scales', dtype: 'U8', shape: [1], data: new Uint8Array(1) },
        { name: 'w.weight', dtype: 'U8', shape: [1, 8], data: new Uint8Array(8) },
        { name: 'w.weight_scale', dtype: 'U8', shape: [1, 1], data: new Uint8Array(1) },
        { name: 'g.gate_up_proj_blocks', dtype: 'U8', shape: [1, 2, 8], data: new Uint8Array(16) },
        { name: 'g.gate_up_proj_scales', dtype: 'U8', shape: [1, 2], data: new Uint8Array(2) },
      ],
      'F8_E8M0',
    );
    expect(pair('a.weight_scale')).toBe('a.weight_packed 16 fp4');
    expect(pair('b.weight_scale')).toBe('b.weight 32 fp8');
    expect(pair('m.experts.down_proj_scales')).toBe('m.experts.down_proj_blocks 16 fp4');
    expect(pair('block.0.mlp1_weight.scales')).toBe('block.0.mlp1_weight.blocks 16 fp4');
    expect(pair('w.weight_scale')).toBeNull(); // 8 bytes a scale: NVFP4's layout, not MX
    expect(pair('g.gate_up_proj_scales')).toBeNull(); // last dim 8, not 16
  });
});
