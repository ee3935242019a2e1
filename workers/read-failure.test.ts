import { describe, expect, it } from 'vitest';
import { CheckpointError } from '../core/format/errors';
import { localReadFailure } from './read-failure';

describe('localReadFailure', () => {
  it('says the file changed, not "network error", and keeps the browser words as detail', () => {
    const cause = new CheckpointError(
      'ReadFailed',
      'a.safetensors',
      'could not read bytes [8, 16): network error',
      'w',
    );
    const e = localReadFailure(cause, 'a.safetensors', 'w');
    expect(e.code).toBe('ReadFailed');
    expect(e.message).toContain('a.safetensors: tensor "w": the file changed or became unreadable');
    expect(e.message).not.toContain('network');
    expect(e.detail).not.toContain('network');
    expect(e.detail).toContain('no longer readable');
    const dom = localReadFailure(
      new Error('The requested file could not be read'),
      'b.safetensors',
      null,
    );
    expect(dom.message).toMatch(/^b\.safetensors: the file changed or became unreadable/);
  });

  it('leaves other checkpoint errors as they are', () => {
    const cancelled = new CheckpointError('Cancelled', 'a.safetensors', 'scan cancelled', 'w');
    expect(localReadFailure(cancelled, 'a.safetensors', 'w').message).toBe(cancelled.message);
  });
});
