import { describe, expect, it } from 'vitest';
import { CheckpointError, isCheckpointError } from './errors';

describe('CheckpointError', () => {
  it('formats file, tensor and code around the detail', () => {
    const e = new CheckpointError(
      'InvalidOffset',
      'model.safetensors',
      'data_offsets [8, 0] end before they begin',
      'a',
    );
    expect(e.message).toBe(
      'model.safetensors: tensor "a": data_offsets [8, 0] end before they begin [InvalidOffset]',
    );
    expect(isCheckpointError(e)).toBe(true);
    expect(isCheckpointError(new Error('x'))).toBe(false);
  });

  it('quotes odd tensor names unambiguously', () => {
    const e = new CheckpointError('TensorInvalidInfo', 'f', 'x', 'a"\u0000\n');
    expect(e.message).toBe('f: tensor "a\\"\\u0000\\n": x [TensorInvalidInfo]');
  });
});
