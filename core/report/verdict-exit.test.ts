import { describe, expect, it } from 'vitest';
import { checkpointVerdict } from './verdict';
import type { VerdictModel } from './verdict';
import { scanExitStatus } from './exit-status';

const base: VerdictModel = {
  tensors: [{ name: 'model.norm.weight', dtype: 'BF16', stats: { nan: 0, posInf: 0, negInf: 0 } }],
  files: [{ valid: true, unreadable: false }],
  failedTensors: 0,
  indexErrors: 0,
  configErrors: 0,
  otherErrors: 0,
  findings: [],
  state: 'complete',
};

/** The CLI's exit status, decided from the verdict and the findings as `exitStatusOf` does. */
function exitOf(model: VerdictModel): number {
  const v = checkpointVerdict(model);
  return scanExitStatus({ invalid: v.invalid, badValues: v.badValues, findings: model.findings });
}

describe('the verdict and the exit status use one rule', () => {
  const cases: [string, VerdictModel, 'ok' | 'warning' | 'error', number][] = [
    ['clean', base, 'ok', 0],
    [
      'a warning only',
      { ...base, findings: [{ rule: 'orphan-scale', severity: 'warning' }] },
      'warning',
      0,
    ],
    ['an info only', { ...base, findings: [{ rule: 'scale-drift', severity: 'info' }] }, 'ok', 0],
    [
      'zero-point-format',
      { ...base, findings: [{ rule: 'zero-point-format', severity: 'error' }] },
      'error',
      1,
    ],
    [
      'non-pow2-scale',
      { ...base, findings: [{ rule: 'non-pow2-scale', severity: 'error' }] },
      'error',
      1,
    ],
    [
      'a NaN weight',
      {
        ...base,
        tensors: [
          { name: 'model.norm.weight', dtype: 'BF16', stats: { nan: 1, posInf: 0, negInf: 0 } },
        ],
        findings: [{ rule: 'nan-value', severity: 'error' }],
      },
      'error',
      1,
    ],
    ['an invalid file', { ...base, files: [{ valid: false, unreadable: false }] }, 'error', 2],
  ];
  for (const [what, model, level, status] of cases) {
    it(`${what}: ${level}, exit ${status}`, () => {
      expect(checkpointVerdict(model).level).toBe(level);
      expect(exitOf(model)).toBe(status);
    });
  }

  it('names a nan-value finding by its NaN count, not again as a quantization error', () => {
    const v = checkpointVerdict(cases[5][1]);
    expect(v.text).toBe('1 NaN value in 1 BF16 tensor — outside layers');
  });
});
