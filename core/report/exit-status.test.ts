import { describe, expect, it } from 'vitest';
import {
  EXIT_CLEAN,
  EXIT_FAILED,
  EXIT_INVALID,
  failsCheckpoint,
  scanExitStatus,
} from './exit-status';

const clean = { invalid: false, badValues: false, findings: [] };

describe('scanExitStatus', () => {
  it('is 0 for a valid, clean checkpoint and with warnings or infos only', () => {
    expect(scanExitStatus(clean)).toBe(EXIT_CLEAN);
    expect(
      scanExitStatus({ ...clean, findings: [{ severity: 'warning' }, { severity: 'info' }] }),
    ).toBe(0);
  });

  it('is 1 for NaN/Inf values and for every error-severity finding, NaN or not', () => {
    expect(scanExitStatus({ ...clean, badValues: true })).toBe(EXIT_FAILED);
    const findings = ['zero-point-format', 'non-pow2-scale', 'bad-global-scale', 'scale-shape'].map(
      (rule) => ({ rule, severity: 'error' }),
    );
    for (const f of findings) {
      expect(scanExitStatus({ ...clean, findings: [f] })).toBe(1);
    }
  });

  it('is 2 for invalid input, whatever else was found', () => {
    expect(
      scanExitStatus({ invalid: true, badValues: true, findings: [{ severity: 'error' }] }),
    ).toBe(EXIT_INVALID);
  });

  it('fails a checkpoint on error findings only', () => {
    expect(failsCheckpoint({ severity: 'error' })).toBe(true);
    expect(failsCheckpoint({ severity: 'warning' })).toBe(false);
    expect(failsCheckpoint({ severity: 'info' })).toBe(false);
  });
});
