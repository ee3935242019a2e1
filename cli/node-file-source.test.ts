import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openNodeFileSource } from './node-file-source';
import type { ReadMode } from './node-file-source';

const dir = mkdtempSync(join(tmpdir(), 'ckptscope-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each<ReadMode>(['async', 'sync'])('openNodeFileSource (%s reads)', (mode) => {
  const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);

  it('reads exact ranges, into fresh and reused buffers', async () => {
    const path = join(dir, `ok-${mode}.bin`);
    writeFileSync(path, bytes);
    const source = await openNodeFileSource(path, 'ok.bin', mode);
    expect(source.size).toBe(1000);
    expect(await source.read(10, 5)).toEqual(bytes.slice(10, 15));
    const target = new Uint8Array(100);
    expect(await source.readInto?.(900, target)).toBe(100);
    expect(target).toEqual(bytes.slice(900));
    await source.close();
  });

  it('rejects (does not throw) when the file shrank, naming the file and the byte', async () => {
    const path = join(dir, `shrinks-${mode}.bin`);
    writeFileSync(path, bytes);
    const source = await openNodeFileSource(path, 'shrinks.bin', mode);
    truncateSync(path, 500);
    const pending = source.read(400, 200);
    await expect(pending).rejects.toThrow('shrinks.bin: unexpected end of file at byte 500');
    await source.close();
  });

  it('rejects opening a missing file', async () => {
    await expect(openNodeFileSource(join(dir, 'missing.bin'), 'missing.bin', mode)).rejects.toThrow(
      /ENOENT/,
    );
  });
});
