import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSafetensors } from '../core/format/build-safetensors';
import { CLEANUP_SIGNALS, SIGNAL_EXIT_STATUS } from './temp-files';
import { CLI_BIN } from './testing/run-cli';
import { TEST_WRITE_PAUSE_ENV } from './write-repaired';

let dir = '';
let input = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-signals-'));
  input = join(dir, 'in.safetensors');
  // A NaN FP8 scale to patch, and 64 KiB of other data: ~1,000 windows of 64 bytes to write.
  writeFileSync(
    input,
    buildSafetensors([
      { name: 'w.weight_scale', dtype: 'F8_E4M3', shape: [4], data: Uint8Array.of(1, 0x7f, 2, 3) },
      { name: 'w.bulk', dtype: 'BF16', shape: [32768], data: new Uint8Array(65536) },
    ]),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const temps = (): string[] => readdirSync(dir).filter((n) => n.includes('.ckptscope-'));

/** Resolves once `check` holds, polling (the child writes slowly, so there is ample time). */
async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('a signal during repair', () => {
  it.each(CLEANUP_SIGNALS)(
    '%s removes the half-written temporary file and exits 2, writing nothing',
    async (signal) => {
      const out = join(dir, `out-${signal}.safetensors`);
      const child = spawn(
        process.execPath,
        [CLI_BIN, 'repair', input, '-o', out, '--chunk-bytes', '64', '--no-progress'],
        {
          env: { ...process.env, [TEST_WRITE_PAUSE_ENV]: '20' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      await waitFor(() => temps().length > 0);
      expect(child.kill(signal)).toBe(true);
      expect(await exited).toBe(SIGNAL_EXIT_STATUS);
      expect(temps()).toEqual([]);
      expect(existsSync(out)).toBe(false);
      expect(stderr).toContain(`stopped by ${signal}: removed the unfinished`);
    },
    20_000,
  );
});
