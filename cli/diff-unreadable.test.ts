import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSafetensors } from '../core/format/build-safetensors';
import { CLI_BIN } from './testing/run-cli';
import type { CliResult } from './testing/run-cli';

/**
 * `diff` of a sharded checkpoint whose second shard cannot be opened (permission denied, as the
 * user `nobody`: the tests run as root, for whom every file is readable). The shard is reported
 * once, as unreadable, and not also as missing from the index (as `scan` does).
 */
const SHARDS = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];

function shard(name: string): Uint8Array {
  return buildSafetensors([
    { name, dtype: 'F32', shape: [2], data: new Uint8Array(new Float32Array([1, 2]).buffer) },
  ]);
}

function writeCheckpoint(folder: string, unreadableSecond: boolean): void {
  mkdirSync(folder);
  chmodSync(folder, 0o755);
  SHARDS.forEach((s, i) => {
    writeFileSync(join(folder, s), shard(`layers.${i}.weight`));
    chmodSync(join(folder, s), unreadableSecond && i === 1 ? 0o000 : 0o644);
  });
  const weightMap = Object.fromEntries(SHARDS.map((s, i) => [`layers.${i}.weight`, s]));
  writeFileSync(
    join(folder, 'model.safetensors.index.json'),
    JSON.stringify({ metadata: {}, weight_map: weightMap }),
  );
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-diff-unreadable-'));
  chmodSync(dir, 0o755);
  writeCheckpoint(join(dir, 'a'), false);
  writeCheckpoint(join(dir, 'b'), true);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function asNobody(...args: string[]): Promise<CliResult> {
  const argv = ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, CLI_BIN];
  try {
    const { stdout, stderr } = await promisify(execFile)('setpriv', argv.concat(args));
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

let canSetpriv = true;
try {
  execFileSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'true']);
} catch {
  canSetpriv = false;
}

describe('diff: a shard that cannot be opened', () => {
  it.runIf(canSetpriv)(
    'is one ReadFailed error naming it, not also "not among the files" (exit 2)',
    async () => {
      const b = join(dir, 'b');
      const r = await asNobody('diff', '--json', join(dir, 'a'), b);
      expect(r.code).toBe(2);
      const doc = JSON.parse(r.stdout) as { errors: { path: string; code: string }[] };
      expect(doc.errors.map((e) => [e.path, e.code])).toEqual([[join(b, SHARDS[1]), 'ReadFailed']]);
    },
  );
});
