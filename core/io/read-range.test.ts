import { describe, expect, it } from 'vitest';
import { memorySource } from './byte-source';
import { recordingSource } from '../../fixtures/repair-fixtures';
import { readBuffer, readRange } from './read-range';

describe('readRange', () => {
  const bytes = Uint8Array.from({ length: 32 }, (_, i) => i);

  it('reads into the reused buffer when the source supports it', async () => {
    const source = recordingSource('f', bytes, true);
    const buffer = readBuffer(source, 8);
    expect(buffer?.length).toBe(8);
    const got = await readRange(source, 4, 6, buffer);
    expect([...got]).toEqual([4, 5, 6, 7, 8, 9]);
    expect(got.buffer).toBe(buffer?.buffer);
  });

  it('falls back to read() without readInto or when the buffer is too small', async () => {
    expect(readBuffer(memorySource('f', bytes), 8)).toBeNull();
    const source = recordingSource('f', bytes, true);
    const got = await readRange(source, 0, 16, new Uint8Array(4));
    expect(got.length).toBe(16);
  });

  it('turns failures and short reads into ReadFailed errors naming file and tensor', async () => {
    const failing = { name: 'f', size: 32, read: () => Promise.reject(new Error('EIO')) };
    await expect(readRange(failing, 0, 4, null, 't')).rejects.toMatchObject({
      code: 'ReadFailed',
      tensor: 't',
    });
    const short = { name: 'f', size: 32, read: () => Promise.resolve(new Uint8Array(2)) };
    await expect(readRange(short, 0, 4, null)).rejects.toMatchObject({ code: 'ReadFailed' });
    const shortInto = { ...short, readInto: () => Promise.resolve(1) };
    await expect(readRange(shortInto, 0, 4, new Uint8Array(4))).rejects.toThrow(/got 1 bytes/);
  });
});
