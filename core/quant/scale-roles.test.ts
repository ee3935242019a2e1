import { describe, expect, it } from 'vitest';
import { recognizeScheme } from './recognize-scheme';
import { scaleRoles } from './scale-roles';
import { headerOf } from './testing/open-fixture';

describe('scaleRoles', () => {
  it('maps U8-stored scales to their FP8 role, per file', () => {
    const comfy = headerOf(
      [
        { name: 'c.comfy_quant', dtype: 'U8', shape: [2], data: new Uint8Array(2) },
        { name: 'c.weight', dtype: 'U8', shape: [2, 8], data: new Uint8Array(16) },
        { name: 'c.weight_scale', dtype: 'U8', shape: [128, 4], data: new Uint8Array(512) },
        { name: 'c.weight_scale_2', dtype: 'F32', shape: [], data: new Uint8Array(4) },
      ],
      'comfy.safetensors',
    ).header;
    const oss = headerOf(
      [
        { name: 'x_blocks', dtype: 'U8', shape: [1, 16], data: new Uint8Array(16) },
        { name: 'x_scales', dtype: 'U8', shape: [1], data: new Uint8Array(1) },
      ],
      'oss.safetensors',
    ).header;
    const modelopt = headerOf(
      [
        { name: 'm.weight', dtype: 'U8', shape: [2, 8], data: new Uint8Array(16) },
        { name: 'm.weight_scale', dtype: 'F8_E4M3', shape: [2, 1], data: new Uint8Array(2) },
        { name: 'm.weight_scale_2', dtype: 'F32', shape: [], data: new Uint8Array(4) },
      ],
      'mo.safetensors',
    ).header;
    const roles = scaleRoles(recognizeScheme([comfy, oss, modelopt], null, null));
    expect(Object.fromEntries([...roles].map(([f, m]) => [f, Object.fromEntries(m)]))).toEqual({
      'comfy.safetensors': { 'c.weight_scale': 'f8_e4m3' },
      'oss.safetensors': { x_scales: 'f8_e8m0' },
    });
  });
});
