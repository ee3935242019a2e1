import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSafetensors } from '../core/format/build-safetensors';
import { CLI_BIN } from './testing/run-cli';

/** Enough tensors that the --json report (~300 bytes each) is far past a pipe's 64 KiB buffer. */
const TENSORS = 4000;

let dir = '';
let file = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-stdout-'));
  file = join(dir, 'many.safetensors');
  const nan = new Uint8Array(Float32Array.of(Number.NaN).buffer);
  writeFileSync(
    file,
    buildSafetensors(
      Array.from({ length: TENSORS }, (_, i) => ({
        name: `t.${i}`,
        dtype: 'F32' as const,
        shape: [1],
        data: i === 0 ? nan : new Uint8Array(4),
      })),
    ),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stdout closed or failing while the report is written', () => {
  it('a reader that stops early (`| head -c 100`): no EPIPE stack, the scan’s own status (1: a NaN)', async () => {
    const child = spawn(process.execPath, [CLI_BIN, 'scan', '--json', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let first = '';
    child.stdout.once('data', (d: Buffer) => {
      first = d.toString().slice(0, 100);
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(first.startsWith('{"tool":{"name":"ckptscope"')).toBe(true);
    expect(stderr).toBe('');
    expect(code).toBe(1);
  });

  it.runIf(existsSync('/dev/full'))(
    'a full disk behind `> report.json` fails the run (2) and says so, without a stack',
    () => {
      const r = spawnSync(
        'sh',
        ['-c', `"${process.execPath}" "${CLI_BIN}" scan --json "${file}" > /dev/full`],
        { encoding: 'utf8' },
      );
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^ckptscope: cannot write the report to stdout: .*ENOSPC/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    },
  );
});
