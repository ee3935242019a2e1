import { describe, expect, it } from 'vitest';
import { CheckpointError } from '../../format/errors';
import type { ByteSource } from '../../io/byte-source';
import { memorySource } from '../../io/byte-source';
import { info } from '../testing/tensor-info';
import { readTensorBytes, sourceFor, sourceMap, throwIfCancelled } from './read-exact';

describe('read-exact', () => {
  const bytes = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
  const tensor = { ...info('t', 'U8', [4]), offset: 4, nbytes: 4 };

  it('reads ranges relative to the tensor', async () => {
    expect(Array.from(await readTensorBytes(memorySource('f', bytes), tensor, 1, 2))).toEqual([
      5, 6,
    ]);
  });

  it('turns failures into ReadFailed naming the tensor', async () => {
    await expect(readTensorBytes(memorySource('f', bytes), tensor, 3, 2)).rejects.toMatchObject({
      code: 'ReadFailed',
      tensor: 't',
    });
    const broken: ByteSource = {
      name: 'b',
      size: 8,
      read: () => Promise.reject(new Error('disk gone')),
    };
    await expect(readTensorBytes(broken, tensor, 0, 1)).rejects.toThrow(/disk gone/);
    const short: ByteSource = {
      name: 's',
      size: 8,
      read: () => Promise.resolve(new Uint8Array(0)),
    };
    await expect(readTensorBytes(short, tensor, 0, 1)).rejects.toBeInstanceOf(CheckpointError);
  });

  it('finds sources by file name and honours cancellation', () => {
    const map = sourceMap([memorySource('a', bytes)]);
    expect(sourceFor(map, 'a', 't').name).toBe('a');
    expect(() => sourceFor(map, 'b', 't')).toThrow(/no source/);
    expect(() => throwIfCancelled({ signal: { aborted: true } }, 'a', 't')).toThrow(/cancelled/);
    expect(() => throwIfCancelled({}, 'a', 't')).not.toThrow();
  });
});
