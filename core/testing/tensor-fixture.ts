import { buildSafetensors } from '../format/build-safetensors';
import type { TensorSpec } from '../format/build-safetensors';
import type { TensorInfo } from '../format/tensor-info';

/**
 * A safetensors file built from `specs` and the TensorInfo of each, in order (offsets from the
 * header length): for tests that scan tensors without parsing the header.
 */
export function tensorFixture(specs: readonly TensorSpec[]): {
  file: Uint8Array;
  infos: TensorInfo[];
} {
  const file = buildSafetensors(specs);
  let offset = 8 + Number(new DataView(file.buffer).getBigUint64(0, true));
  const infos = specs.map((s) => {
    const info: TensorInfo = {
      name: s.name,
      dtype: s.dtype,
      shape: s.shape,
      offset,
      nbytes: s.data.length,
      elements: s.shape.reduce((a, b) => a * b, 1),
    };
    offset += s.data.length;
    return info;
  });
  return { file, infos };
}
