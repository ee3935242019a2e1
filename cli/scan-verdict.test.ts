import { describe, expect, it } from 'vitest';
import type { SafetensorsHeader, TensorInfo } from '../core/format/tensor-info';
import type { TensorStats } from '../core/scan/tensor-stats';
import type { FileResult, ReportableError } from '../core/report/json-report';
import { runVerdict, runVerdictModel } from './scan-verdict';

function info(name: string): TensorInfo {
  return { name, dtype: 'U8', shape: [4], offset: 0, nbytes: 4, elements: 4 };
}

function header(names: string[]): SafetensorsHeader {
  const tensors = names.map(info);
  return {
    fileName: 'x',
    fileSize: 100,
    headerLength: 10,
    dataStart: 18,
    metadata: null,
    tensors,
    byName: new Map(tensors.map((t) => [t.name, t])),
  };
}

function stats(name: string, dtype: TensorStats['dtype'], nan: number): TensorStats {
  return {
    name,
    dtype,
    elements: 4,
    floatLike: true,
    nan,
    posInf: 0,
    negInf: 0,
    zero: 0,
    subnormal: 0,
    saturated: 0,
    negative: 0,
    min: 1,
    max: 1,
    absmax: 1,
    mean: 1,
    std: 0,
    histogram: null,
    nanIndices: [],
    infIndices: [],
    densityMap: null,
  };
}

const error = (path: string, code: ReportableError['code']): ReportableError => ({
  file: path,
  code,
  tensor: null,
  message: `${path}: ${code}`,
});

describe('runVerdictModel', () => {
  it('counts invalid files once, a stopped scan as unreadable with its unscanned tensors, errors by kind', () => {
    const files: FileResult[] = [
      { path: 'bad.safetensors', size: 3, header: null, stats: new Map() },
      {
        path: 'cut.safetensors',
        size: 100,
        header: header(['model.layers.0.a_scales', 'model.layers.0.b']),
        stats: new Map([
          ['model.layers.0.a_scales', stats('model.layers.0.a_scales', 'F8_E8M0', 0)],
        ]),
      },
    ];
    const errors = [
      error('bad.safetensors', 'MetadataIncompleteBuffer'),
      error('cut.safetensors', 'ReadFailed'),
      error('model.safetensors.index.json', 'IndexShardMissing'),
      error('config.json', 'ConfigInvalid'),
      error('gone.safetensors', 'ReadFailed'),
    ];
    const model = runVerdictModel({ files, errors, findings: [] });
    expect(model).toMatchObject({
      files: [
        { valid: false, unreadable: false },
        { valid: true, unreadable: true },
      ],
      failedTensors: 1,
      indexErrors: 1,
      configErrors: 1,
      otherErrors: 1,
      state: 'complete',
    });
    const v = runVerdict({ files, errors, findings: [] });
    expect(v.level).toBe('error');
    expect(v.invalid).toBe(true);
    expect(v.text.startsWith('1 of 2 files is not valid safetensors · 1 file changed')).toBe(true);
  });

  it('a U8 scale decoded as E8M0 with a NaN: bad values, not invalid (exit 1)', () => {
    const files: FileResult[] = [
      {
        path: 'm.safetensors',
        size: 100,
        header: header(['model.layers.1.mlp.experts.down_proj_scales']),
        stats: new Map([
          [
            'model.layers.1.mlp.experts.down_proj_scales',
            stats('model.layers.1.mlp.experts.down_proj_scales', 'F8_E8M0', 1),
          ],
        ]),
      },
    ];
    const v = runVerdict({ files, errors: [], findings: [] });
    expect(v).toMatchObject({
      level: 'error',
      invalid: false,
      badValues: true,
      text: '1 NaN byte in 1 FP8 scale tensor — layer 1',
    });
  });
});
