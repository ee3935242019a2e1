import { describe, expect, it } from 'vitest';
import { ReadFailures } from './read-failures';
import type { PlainError } from '../../workers/plain-error';

const readFailed = (tensor: string): PlainError => ({
  code: 'ReadFailed',
  file: 'a.safetensors',
  tensor,
  message: `a.safetensors: tensor "${tensor}": the file changed`,
  detail: 'network error',
});

describe('ReadFailures', () => {
  it('puts the file in error at its first failed read, listed with the file only', () => {
    const f = new ReadFailures();
    expect(f.errorOf(0)).toBeNull();
    expect(f.record(0, readFailed('x'))).toBe(false);
    expect(f.record(0, readFailed('y'))).toBe(false);
    expect(f.record(1, readFailed('z'))).toBe(false);
    expect(f.errorOf(0)?.tensor).toBe('x');
    expect(f.tensors).toBe(3);
  });

  it('lists every error that is not a failed read', () => {
    const f = new ReadFailures();
    const other: PlainError = { ...readFailed('x'), code: 'Cancelled' };
    expect(f.record(0, other)).toBe(true);
    expect(f.record(0, other)).toBe(true);
    expect(f.errorOf(0)).toBeNull();
  });
});
