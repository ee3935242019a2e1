import { describe, expect, it } from 'vitest';
import { checkpointVerdict } from './verdict';
import type { VerdictInput, VerdictModel } from './verdict';

const clean = (name: string): VerdictInput => ({
  name,
  dtype: 'BF16',
  stats: { nan: 0, posInf: 0, negInf: 0 },
});

function model(parts: Partial<VerdictModel>): VerdictModel {
  return {
    tensors: [clean('model.layers.0.mlp.up_proj.weight')],
    files: [{ valid: true, unreadable: false }],
    failedTensors: 0,
    indexErrors: 0,
    configErrors: 0,
    otherErrors: 0,
    findings: [],
    state: 'complete',
    ...parts,
  };
}

describe('checkpointVerdict', () => {
  it('is ok only when everything was read and is clean', () => {
    expect(checkpointVerdict(model({}))).toMatchObject({
      level: 'ok',
      text: 'No NaN or Inf in 1 tensor',
      invalid: false,
      badValues: false,
    });
  });

  it('leads with invalid files: 13 of 14 files are not valid safetensors', () => {
    const files = Array.from({ length: 14 }, (_, i) => ({ valid: i === 0, unreadable: false }));
    const v = checkpointVerdict(model({ files, tensors: [clean('a'), clean('b')] }));
    expect(v.level).toBe('error');
    expect(v.text).toBe('13 of 14 files are not valid safetensors');
    expect(v.invalid).toBe(true);
    const one = checkpointVerdict(
      model({ files: [{ valid: false, unreadable: false }], tensors: [] }),
    );
    expect(one).toMatchObject({ level: 'error', text: '1 of 1 file is not valid safetensors' });
  });

  it('names NaN bytes of FP8 scales by layer, decoded dtype and all', () => {
    const tensors: VerdictInput[] = [
      {
        name: 'model.layers.3.self_attn.o_proj.weight_scale',
        dtype: 'F8_E4M3',
        stats: { nan: 2, posInf: 0, negInf: 0 },
      },
      {
        name: 'model.layers.6.mlp.down_proj.weight_scale',
        dtype: 'F8_E4M3',
        stats: { nan: 3, posInf: 0, negInf: 0 },
      },
      clean('model.layers.6.mlp.down_proj.weight'),
    ];
    const v = checkpointVerdict(model({ tensors }));
    expect(v).toMatchObject({
      level: 'error',
      text: '5 NaN bytes in 2 FP8 scale tensors — layers 3, 6',
      badValues: true,
      invalid: false,
    });
    const e8m0 = checkpointVerdict(
      model({
        tensors: [
          {
            name: 'model.layers.1.mlp.experts.down_proj_scales',
            dtype: 'F8_E8M0',
            stats: { nan: 1, posInf: 0, negInf: 0 },
          },
        ],
      }),
    );
    expect(e8m0.text).toBe('1 NaN byte in 1 FP8 scale tensor — layer 1');
  });

  it('puts invalid files before NaN, and says when the scan is still running', () => {
    const v = checkpointVerdict(
      model({
        files: [
          { valid: true, unreadable: false },
          { valid: false, unreadable: false },
        ],
        tensors: [{ name: 'x.weight', dtype: 'F32', stats: { nan: 0, posInf: 1, negInf: 1 } }],
        state: 'running',
      }),
    );
    expect(v.level).toBe('error');
    expect(v.text).toBe(
      '1 of 2 files is not valid safetensors · 2 Inf values in 1 F32 tensor — outside layers (scan running)',
    );
  });

  it('is pending while scanning with nothing bad, warning on warnings or a cancelled scan', () => {
    expect(
      checkpointVerdict(
        model({
          state: 'running',
          tensors: [clean('a'), { name: 'b', dtype: 'F32', stats: null }],
        }),
      ),
    ).toMatchObject({ level: 'pending', text: 'No NaN or Inf so far (1 of 2 tensors scanned)' });
    expect(
      checkpointVerdict(model({ findings: [{ rule: 'subnormal-scale', severity: 'warning' }] })),
    ).toMatchObject({ level: 'warning', text: '1 quantization warning' });
    expect(
      checkpointVerdict(
        model({
          state: 'cancelled',
          tensors: [clean('a'), { name: 'b', dtype: 'F32', stats: null }],
        }),
      ),
    ).toMatchObject({
      level: 'warning',
      text: 'Scan cancelled: no NaN or Inf in the 1 of 2 tensors scanned',
    });
  });

  it('a failed read is an error, never clean', () => {
    const v = checkpointVerdict(
      model({
        files: [{ valid: true, unreadable: true }],
        failedTensors: 4,
        tensors: [1, 2, 3, 4].map((i) => ({ name: `t${i}`, dtype: 'F32' as const, stats: null })),
      }),
    );
    expect(v).toMatchObject({
      level: 'error',
      text: '1 file changed or became unreadable during the scan: 4 tensors not scanned',
      invalid: true,
    });
  });

  it('index, config and error findings are errors; NaN findings count only through the stats', () => {
    const v = checkpointVerdict(
      model({
        indexErrors: 1,
        configErrors: 2,
        findings: [
          { rule: 'missing-scale', severity: 'error' },
          { rule: 'nan-scale', severity: 'error' },
        ],
      }),
    );
    expect(v.level).toBe('error');
    expect(v.text).toBe(
      'NaN/Inf in scales decoded by their role (see findings) · 1 index error · 2 config errors · 1 quantization error',
    );
    expect(v.badValues).toBe(true);
  });
});
