import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeTrackedTempFiles, trackTempFile, untrackTempFile } from './temp-files';

describe('temp file tracking', () => {
  it('removes tracked files, skips untracked and missing ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckptscope-temp-'));
    const tracked = join(dir, 'a.tmp');
    const released = join(dir, 'b.tmp');
    writeFileSync(tracked, 'x');
    writeFileSync(released, 'x');
    trackTempFile(tracked);
    trackTempFile(released);
    trackTempFile(join(dir, 'never-created.tmp'));
    untrackTempFile(released);
    removeTrackedTempFiles();
    expect(existsSync(tracked)).toBe(false);
    expect(existsSync(released)).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });
});
