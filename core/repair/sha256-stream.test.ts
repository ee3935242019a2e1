import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { memorySource } from '../io/byte-source';
import { recordingSource } from '../../fixtures/repair-fixtures';
import { sha256OfSource } from './sha256-stream';

function nodeSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('sha256OfSource', () => {
  const bytes = Uint8Array.from({ length: 10_007 }, (_, i) => (i * 31 + 7) & 0xff);

  it('matches node:crypto for every chunk size, with and without readInto', async () => {
    const want = nodeSha256(bytes);
    for (const chunkBytes of [1, 63, 64, 65, 4096, 1 << 20]) {
      for (const withReadInto of [false, true]) {
        expect(
          await sha256OfSource(recordingSource('f', bytes, withReadInto), { chunkBytes }),
        ).toBe(want);
      }
    }
  });

  it('hashes the empty file and reports progress chunk by chunk', async () => {
    expect(await sha256OfSource(memorySource('e', new Uint8Array(0)))).toBe(
      nodeSha256(new Uint8Array(0)),
    );
    const seen: number[] = [];
    const source = recordingSource('f', bytes, true);
    await sha256OfSource(source, {
      chunkBytes: 4096,
      onProgress: (done, total) => {
        seen.push(done);
        expect(total).toBe(10_007);
      },
    });
    expect(seen).toEqual([4096, 8192, 10_007]);
    expect(source.reads.every((r) => r.length <= 4096)).toBe(true);
  });

  it('rejects on cancellation and read failure with CheckpointErrors', async () => {
    await expect(
      sha256OfSource(memorySource('f', bytes), { signal: { aborted: true } }),
    ).rejects.toMatchObject({ code: 'Cancelled' });
    const failing = { name: 'f', size: 4, read: () => Promise.reject(new Error('EIO')) };
    await expect(sha256OfSource(failing)).rejects.toMatchObject({ code: 'ReadFailed' });
  });
});
