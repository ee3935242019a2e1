import { describe, expect, it } from 'vitest';
import { readFailed } from './read-failed';

describe('readFailed', () => {
  it('names the file and the cause', () => {
    expect(readFailed('a.safetensors', new Error('EIO')).message).toBe(
      'a.safetensors: could not be read: EIO [ReadFailed]',
    );
    expect(readFailed('a.safetensors', 'gone').detail).toBe('could not be read: gone');
  });
});
