import type { Dtype } from '../../../core/dtype/dtype';
import type { TensorStats } from '../../../core/scan/tensor-stats';
import type { TensorRow } from '../../model/tensor-row';

/** Test helper: scan statistics with every count zero, overridable per field. */
export function makeStats(overrides: Partial<TensorStats> = {}): TensorStats {
  return {
    name: 't',
    dtype: 'F32',
    elements: 4,
    floatLike: true,
    nan: 0,
    posInf: 0,
    negInf: 0,
    zero: 0,
    subnormal: 0,
    saturated: 0,
    negative: 0,
    min: 0,
    max: 1,
    absmax: 1,
    mean: 0.5,
    std: 0.5,
    histogram: {
      kind: 'exponent',
      minExponent: 0,
      positive: [],
      negative: [],
      zero: 0,
      nan: 0,
      posInf: 0,
      negInf: 0,
    },
    nanIndices: [],
    infIndices: [],
    densityMap: null,
    ...overrides,
  };
}

/** Test helper: a table row; `stats: null` means not scanned yet. */
export function makeRow(
  name: string,
  options: {
    dtype?: Dtype;
    shape?: readonly number[];
    nbytes?: number;
    stats?: Partial<TensorStats> | null;
  } = {},
): TensorRow {
  const dtype = options.dtype ?? 'F32';
  const shape = options.shape ?? [2, 2];
  const elements = shape.reduce((a, b) => a * b, 1);
  return {
    key: `0:${name}`,
    fileId: 0,
    fileName: 'model.safetensors',
    info: { name, dtype, shape, offset: 8, nbytes: options.nbytes ?? elements * 4, elements },
    stats:
      options.stats === null
        ? null
        : makeStats({ name, dtype, elements, ...(options.stats ?? {}) }),
  };
}
