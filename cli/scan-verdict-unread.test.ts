import { describe, expect, it } from 'vitest';
import type { SafetensorsHeader, TensorInfo } from '../core/format/tensor-info';
import type { TensorStats } from '../core/scan/tensor-stats';
import type { FileResult } from '../core/report/json-report';
import { runVerdict, runVerdictModel } from './scan-verdict';
import { tensorsToRead } from './remote-run';

/** Tensors a default remote scan reads here: the scales (the test's choice of `toRead`). */
const scalesOnly = (t: TensorInfo): boolean => t.name.endsWith('_scales');

function file(path: string, names: string[], scanned: string[]): FileResult {
  const tensors: TensorInfo[] = names.map((name) => ({
    name,
    dtype: 'U8',
    shape: [4],
    offset: 0,
    nbytes: 4,
    elements: 4,
  }));
  const header: SafetensorsHeader = {
    fileName: path,
    fileSize: 100,
    headerLength: 10,
    dataStart: 18,
    metadata: null,
    tensors,
    byName: new Map(tensors.map((t) => [t.name, t])),
  };
  const stats = (name: string): TensorStats => ({
    name,
    dtype: 'F8_E8M0',
    elements: 4,
    floatLike: true,
    nan: 0,
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
  });
  return { path, size: 100, header, stats: new Map(scanned.map((n) => [n, stats(n)])) };
}

const NAMES = ['model.layers.0.a_scales', 'model.layers.0.a', 'model.layers.0.b', 'model.norm'];

describe('one verdict for local and remote runs', () => {
  it('counts tensors left unread by choice apart: not failed, never clean', () => {
    const files = [file('remote/model.safetensors', NAMES, ['model.layers.0.a_scales'])];
    const model = runVerdictModel({ files, errors: [], findings: [] }, scalesOnly);
    expect(model).toMatchObject({
      files: [{ valid: true, unreadable: false }],
      failedTensors: 0,
      unreadByChoice: 3,
      otherErrors: 0,
    });
    const v = runVerdict({ files, errors: [], findings: [] }, scalesOnly);
    expect(v).toMatchObject({ level: 'warning', invalid: false, badValues: false });
    expect(v.text).toBe(
      'Scan incomplete: no NaN or Inf in the 1 of 4 tensors scanned · 3 tensors not read (default remote mode: headers, scales and small tensors; --full reads everything)',
    );
  });

  it('the same unread tensors without the remote choice are a failed read (the local rule)', () => {
    const files = [file('local/model.safetensors', NAMES, ['model.layers.0.a_scales'])];
    const v = runVerdict({ files, errors: [], findings: [] });
    expect(v.level).toBe('error');
    expect(v.invalid).toBe(true);
    expect(v.text).toContain('3 tensors not scanned');
    expect(v.text).not.toContain('not read (default remote mode');
  });

  it('a remote file whose reads failed: every tensor it left unread is failed', () => {
    const files = [file('remote/model.safetensors', NAMES, ['model.layers.0.a_scales'])];
    const errors = [
      {
        file: 'remote/model.safetensors',
        code: 'ReadFailed' as const,
        tensor: null,
        message: 'gave up',
      },
    ];
    const model = runVerdictModel({ files, errors, findings: [] }, scalesOnly);
    expect(model).toMatchObject({ failedTensors: 3, unreadByChoice: 0, otherErrors: 0 });
    expect(runVerdict({ files, errors, findings: [] }, scalesOnly).level).toBe('error');
  });

  it('reads every tensor in a local or --full run, scales and small tensors by default remotely', () => {
    expect(tensorsToRead({ remote: false }, false)).toBeUndefined();
    expect(tensorsToRead({ remote: true }, true)).toBeUndefined();
    const remote = tensorsToRead({ remote: true }, false);
    const big: TensorInfo = {
      name: 'model.layers.0.mlp.up_proj.weight',
      dtype: 'U8',
      shape: [4096, 4096],
      offset: 0,
      nbytes: 4096 * 4096,
      elements: 4096 * 4096,
    };
    expect(remote?.(big)).toBe(false);
    expect(
      remote?.({ ...big, name: 'model.norm.weight', nbytes: 64, elements: 64, shape: [64] }),
    ).toBe(true);
  });
});
