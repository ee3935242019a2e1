import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../format/build-safetensors';
import { ModuleLookup } from './module-lookup';
import { recognizeScheme } from './recognize-scheme';
import { headerOf } from './testing/open-fixture';

function spec(
  name: string,
  dtype: TensorSpec['dtype'],
  shape: number[],
  bytes: number,
): TensorSpec {
  return { name, dtype, shape, data: new Uint8Array(shape.reduce((a, b) => a * b, 1) * bytes) };
}

/** ModelOpt NVFP4 tensors of a [2, 16] Linear. */
function nvfp4(p: string): TensorSpec[] {
  return [
    spec(`${p}.weight`, 'U8', [2, 8], 1),
    spec(`${p}.weight_scale`, 'F8_E4M3', [2, 1], 1),
    spec(`${p}.weight_scale_2`, 'F32', [], 4),
    spec(`${p}.input_scale`, 'F32', [], 4),
  ];
}

const FILE = 'model.safetensors';

describe('ModuleLookup', () => {
  const { header } = headerOf(
    [
      ...nvfp4('model.layers.0.mlp.down_proj'),
      ...nvfp4('model.layers.1.mlp.down_proj'),
      spec('model.norm.weight', 'BF16', [4], 2),
    ],
    FILE,
  );
  const { modules } = recognizeScheme([header], null, null);
  const lookup = new ModuleLookup(modules);
  const prefixOf = (file: string, tensor: string): string | null => {
    const i = lookup.indexOf(file, tensor);
    return i === null ? null : (modules[i]?.prefix ?? null);
  };

  it('finds the module of every role tensor', () => {
    expect(modules).toHaveLength(2);
    for (const layer of [0, 1]) {
      const p = `model.layers.${layer}.mlp.down_proj`;
      for (const suffix of ['weight', 'weight_scale', 'weight_scale_2', 'input_scale']) {
        expect(prefixOf(FILE, `${p}.${suffix}`)).toBe(p);
      }
    }
  });

  it('answers null for tensors outside any module and for other files', () => {
    expect(prefixOf(FILE, 'model.norm.weight')).toBeNull();
    expect(prefixOf('other.safetensors', 'model.layers.0.mlp.down_proj.weight')).toBeNull();
  });
});
