import { execFileSync } from 'node:child_process';
import {
  linkSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_OPEN_FILES_PER_THREAD } from './file-pool';
import { openDescriptorCount, openNodeFileSource } from './node-file-source';
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

  it('reads through a symlink, named by the link', async () => {
    const target = join(dir, `blob-${mode}`);
    writeFileSync(target, bytes);
    symlinkSync(target, join(dir, `link-${mode}.safetensors`));
    const source = await openNodeFileSource(join(dir, `link-${mode}.safetensors`), 'l', mode);
    expect(source.size).toBe(1000);
    expect(await source.read(998, 2)).toEqual(bytes.slice(998));
    await source.close();
  });

  it('refuses a FIFO at once (never opens it), a dangling symlink and a symlink loop', async () => {
    const fifo = join(dir, `fifo-${mode}.safetensors`);
    execFileSync('mkfifo', [fifo]);
    await expect(openNodeFileSource(fifo, 'fifo', mode)).rejects.toThrow(
      'is a FIFO, not a regular file',
    );
    symlinkSync(join(dir, 'nowhere'), join(dir, `dangling-${mode}`));
    await expect(openNodeFileSource(join(dir, `dangling-${mode}`), 'd', mode)).rejects.toThrow(
      'dangling symlink',
    );
    symlinkSync(join(dir, `loop-${mode}`), join(dir, `loop-${mode}`));
    await expect(openNodeFileSource(join(dir, `loop-${mode}`), 'l', mode)).rejects.toThrow(
      'symlink loop',
    );
  }, 10_000);

  it('a file replaced by another (a FIFO here) after the check fails its read, never blocks', async () => {
    const path = join(dir, `swapped-${mode}.safetensors`);
    writeFileSync(path, bytes);
    const source = await openNodeFileSource(path, 'swapped', mode);
    // A hard link keeps the original inode allocated, so no new file can reuse its number.
    linkSync(path, join(dir, `kept-${mode}`));
    rmSync(path);
    execFileSync('mkfifo', [path]);
    await expect(source.read(0, 8)).rejects.toThrow('is a FIFO, not a regular file');
    rmSync(path);
    writeFileSync(join(dir, `other-${mode}`), bytes);
    renameSync(join(dir, `other-${mode}`), path);
    await expect(source.read(0, 8)).rejects.toThrow('was replaced by another file');
    await source.close();
  }, 10_000);

  it('any number of sources: reads interleaved over 3x the pool, descriptors stay bounded', async () => {
    const n = MAX_OPEN_FILES_PER_THREAD * 3;
    const sources = [];
    for (let i = 0; i < n; i++) {
      const path = join(dir, `many-${mode}-${i}.bin`);
      writeFileSync(path, Uint8Array.of(i, i + 1, i + 2));
      sources.push(await openNodeFileSource(path, path, mode));
    }
    for (const round of [0, 1, 2]) {
      const read = await Promise.all(sources.map((s) => s.read(round, 1)));
      expect(read.map((b) => b[0])).toEqual(sources.map((_, i) => (i + round) & 0xff));
      expect(openDescriptorCount()).toBeLessThanOrEqual(MAX_OPEN_FILES_PER_THREAD);
    }
    await Promise.all(sources.map((s) => s.close()));
    expect(openDescriptorCount()).toBe(0);
  });
});
