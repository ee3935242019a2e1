import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pathKind, unusableReason } from './path-kind';

const dir = mkdtempSync(join(tmpdir(), 'ckptscope-kind-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const reason = async (path: string): Promise<string> => unusableReason(await pathKind(path));

describe('pathKind', () => {
  it('files and folders, through links too', async () => {
    writeFileSync(join(dir, 'f'), 'x');
    symlinkSync('f', join(dir, 'to-f'));
    symlinkSync('.', join(dir, 'to-dir'));
    expect((await pathKind(join(dir, 'to-f'))).kind).toBe('file');
    expect((await pathKind(join(dir, 'to-dir'))).kind).toBe('folder');
  });

  it('says what a path that cannot be read is, without opening it', async () => {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    expect(await reason(join(dir, 'fifo'))).toBe(
      'is a FIFO, not a regular file (only regular files are read)',
    );
    expect(await reason('/dev/null')).toContain('is a character device');
    const socket = join(dir, 'sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    expect(await reason(socket)).toContain('is a socket');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    symlinkSync('gone', join(dir, 'dangling'));
    expect(await reason(join(dir, 'dangling'))).toBe(
      'is a dangling symlink: its target "gone" does not exist',
    );
    symlinkSync('b', join(dir, 'a'));
    symlinkSync('a', join(dir, 'b'));
    expect(await reason(join(dir, 'a'))).toContain('is a symlink loop');
    expect(await pathKind(join(dir, 'nope'))).toEqual({ kind: 'missing' });
    expect(await pathKind(join(dir, 'f', 'below-a-file'))).toEqual({ kind: 'missing' });
  }, 10_000);
});
