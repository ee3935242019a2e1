import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSafetensors } from '../core/format/build-safetensors';
import { cli } from './testing/run-cli';

/** More names than a spread into call arguments survives ("Maximum call stack size exceeded"). */
const PHANTOM_TENSORS = 130_000;
const SHARD = 'model-00001-of-00001.safetensors';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-hostile-index-'));
  writeFileSync(
    join(dir, SHARD),
    buildSafetensors([
      {
        name: 'real.weight',
        dtype: 'F32',
        shape: [2],
        data: new Uint8Array(Float32Array.of(1, Number.NaN).buffer),
      },
    ]),
  );
  const weightMap: Record<string, string> = { 'real.weight': SHARD };
  for (let i = 0; i < PHANTOM_TENSORS; i++) {
    weightMap[`model.layers.${i}.phantom.weight`] = SHARD;
  }
  writeFileSync(
    join(dir, 'model.safetensors.index.json'),
    JSON.stringify({ metadata: { total_size: 8 }, weight_map: weightMap }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an index listing 130,000 tensors the shards do not hold', () => {
  it('is reported (with the shard NaN) instead of overflowing the stack (exit 70)', async () => {
    const r = await cli('scan', dir);
    expect(r.stderr).not.toContain('Maximum call stack');
    expect(r.code).toBe(2); // index errors outrank the NaN (exit 1)
    expect(r.stdout).toContain('FAIL');
    expect(r.stdout).toContain('real.weight');
    expect(r.stdout).toContain('model.layers.129999.phantom.weight');
  });

  it('writes the --json report with every index error', async () => {
    const r = await cli('scan', '--json', dir);
    expect(r.code).toBe(2); // index errors outrank the NaN (exit 1)
    const report = JSON.parse(r.stdout) as {
      errors: { tensor: string | null }[];
      files: { tensors: { name: string; nan: number }[] }[];
    };
    expect(report.files[0].tensors).toEqual([
      expect.objectContaining({ name: 'real.weight', nan: 1 }),
    ]);
    const named = new Set(report.errors.map((e) => e.tensor));
    expect(named.has('model.layers.0.phantom.weight')).toBe(true);
    expect(named.has('model.layers.129999.phantom.weight')).toBe(true);
  });
});

describe("an index's total_size", () => {
  let small = '';
  beforeAll(() => {
    small = mkdtempSync(join(tmpdir(), 'ckptscope-total-size-'));
    writeFileSync(
      join(small, SHARD),
      buildSafetensors([{ name: 'a', dtype: 'F32', shape: [1], data: new Uint8Array(4) }]),
    );
  });
  afterAll(() => rmSync(small, { recursive: true, force: true }));

  const withTotal = (total: string): void =>
    writeFileSync(
      join(small, 'model.safetensors.index.json'),
      `{"metadata":{"total_size":${total}},"weight_map":{"a":"${SHARD}"}}`,
    );

  it('is reported when it disagrees with the shards, as the app does', async () => {
    withTotal('99');
    const r = await cli('scan', small);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'WARN  ' +
        join(small, 'model.safetensors.index.json') +
        ': metadata.total_size says 99 bytes but the shards hold 4 bytes of tensor data',
    );
  });

  it('of 1e400 is one warning, not an invalid index', async () => {
    withTotal('1e400');
    const r = await cli('scan', small);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('IndexInvalid');
    expect(r.stdout).toContain('metadata.total_size 1e400 is not a non-negative whole number');
  });
});
