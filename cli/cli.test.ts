import { mkdtempSync, writeFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './testing/run-cli';
import { assembleSafetensors, buildSafetensors } from '../core/format/build-safetensors';

/** F32 values with NaN at flat 1 and 5, +Inf at 2, -Inf at 7, in a [2, 4] tensor. */
const F32_VALUES = [
  0.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -2,
  0,
  Number.NaN,
  3,
  Number.NEGATIVE_INFINITY,
];
/** FP8 E4M3 scale bytes: NaN codes 0x7F (flat 3) and 0xFF (flat 6); 0x7E is the finite max 448. */
const SCALE_BYTES = [0x38, 0x40, 0x7e, 0x7f, 0x00, 0x30, 0xff, 0x38];

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-cli-'));
  writeFileSync(
    join(dir, 'clean.safetensors'),
    buildSafetensors([
      {
        name: 'w',
        dtype: 'F32',
        shape: [2, 2],
        data: new Uint8Array(Float32Array.of(1, -1, 0.25, 0).buffer),
      },
    ]),
  );
  writeFileSync(
    join(dir, 'bad.safetensors'),
    buildSafetensors([
      {
        name: 'layer.weight',
        dtype: 'F32',
        shape: [2, 4],
        data: new Uint8Array(Float32Array.from(F32_VALUES).buffer),
      },
      {
        name: 'layer.weight_scale',
        dtype: 'F8_E4M3',
        shape: [2, 4],
        data: Uint8Array.from(SCALE_BYTES),
      },
    ]),
  );
  // Trailing garbage after the last tensor: the reference says MetadataIncompleteBuffer.
  const header = new TextEncoder().encode('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}');
  writeFileSync(join(dir, 'broken.safetensors'), assembleSafetensors(header, [new Uint8Array(9)]));
  mkdirSync(join(dir, 'sharded'));
  writeFileSync(
    join(dir, 'sharded', 'model-00001-of-00002.safetensors'),
    buildSafetensors([{ name: 'a', dtype: 'BF16', shape: [2], data: new Uint8Array(4) }]),
  );
  writeFileSync(
    join(dir, 'sharded', 'model-00002-of-00002.safetensors'),
    buildSafetensors([{ name: 'b', dtype: 'BF16', shape: [2], data: new Uint8Array(4) }]),
  );
  writeFileSync(
    join(dir, 'sharded', 'model.safetensors.index.json'),
    JSON.stringify({
      metadata: { total_size: 8 },
      weight_map: { a: 'model-00001-of-00002.safetensors', b: 'model-00002-of-00002.safetensors' },
    }),
  );
  writeFileSync(join(dir, 'sharded', 'README.md'), 'not a checkpoint file');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ckptscope scan', () => {
  it('exits 0 on a clean file and says so', async () => {
    const r = await cli('scan', join(dir, 'clean.safetensors'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no NaN or Inf');
  });

  it('--json reports every contract field with the planted values, and exits 1 on NaN', async () => {
    const r = await cli('scan', '--json', join(dir, 'bad.safetensors'));
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      files: { path: string; size: number; tensors: Record<string, unknown>[] }[];
      errors: unknown[];
    };
    expect(doc.errors).toEqual([]);
    expect(doc.files).toHaveLength(1);
    const file = doc.files[0];
    expect(file.path).toBe(join(dir, 'bad.safetensors'));
    expect(file.size).toBe(readFileSync(join(dir, 'bad.safetensors')).length);
    const [weight, scale] = file.tensors;
    for (const field of [
      'name',
      'dtype',
      'shape',
      'offset',
      'nbytes',
      'nan',
      'posInf',
      'negInf',
      'zero',
      'saturated',
      'min',
      'max',
      'nanIndices',
    ]) {
      expect(weight).toHaveProperty(field);
    }
    // Independent expectations from the planted data.
    const headerLength = Number(readFileSync(join(dir, 'bad.safetensors')).readBigUInt64LE(0));
    expect(weight).toMatchObject({
      name: 'layer.weight',
      dtype: 'F32',
      shape: [2, 4],
      offset: 8 + headerLength,
      nbytes: 32,
      nan: 2,
      posInf: 1,
      negInf: 1,
      zero: 1,
      min: -2,
      max: 3,
      nanIndices: [1, 5],
    });
    expect(scale).toMatchObject({
      name: 'layer.weight_scale',
      dtype: 'F8_E4M3',
      offset: 8 + headerLength + 32,
      nbytes: 8,
      nan: 2,
      posInf: 0,
      negInf: 0,
      zero: 1,
      saturated: 1,
      max: 448,
      nanIndices: [3, 6],
    });
  });

  it('gives the same results whatever the chunk size', async () => {
    const a = JSON.parse(
      (await cli('scan', '--json', join(dir, 'bad.safetensors'))).stdout,
    ) as unknown;
    const b = JSON.parse(
      (await cli('scan', '--json', '--chunk-bytes', '3', join(dir, 'bad.safetensors'))).stdout,
    ) as unknown;
    expect(b).toEqual(a);
  });

  it('the readable report names the tensor, its NaN count and (row, col) positions', async () => {
    const r = await cli('scan', join(dir, 'bad.safetensors'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('layer.weight_scale');
    expect(r.stdout).toContain('NaN 2');
    expect(r.stdout).toContain('[0, 3] [1, 2]');
  });

  it('reports a malformed file with its rule, still scans the others, and exits 2', async () => {
    const r = await cli(
      'scan',
      '--json',
      join(dir, 'broken.safetensors'),
      join(dir, 'bad.safetensors'),
    );
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as {
      files: { path: string; tensors: { nan: number }[] }[];
      errors: { path: string; code: string; message: string }[];
    };
    expect(doc.errors).toHaveLength(1);
    expect(doc.errors[0]).toMatchObject({
      path: join(dir, 'broken.safetensors'),
      code: 'MetadataIncompleteBuffer',
    });
    expect(doc.errors[0].message).toContain('broken.safetensors');
    const good = doc.files.find((f) => f.path.endsWith('bad.safetensors'));
    expect(good?.tensors[0].nan).toBe(2);
  });

  it('scans a sharded folder with its index and ignores other files', async () => {
    const r = await cli('scan', '--json', join(dir, 'sharded'));
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { files: { path: string }[]; errors: unknown[] };
    expect(doc.files.map((f) => f.path).sort()).toEqual([
      join(dir, 'sharded', 'model-00001-of-00002.safetensors'),
      join(dir, 'sharded', 'model-00002-of-00002.safetensors'),
    ]);
    expect(doc.errors).toEqual([]);
  });

  it('scans through an index path and reports a shard the index names but is missing', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ckptscope-idx-'));
    writeFileSync(
      join(d, 'model-00001-of-00002.safetensors'),
      readFileSync(join(dir, 'sharded', 'model-00001-of-00002.safetensors')),
    );
    writeFileSync(
      join(d, 'model.safetensors.index.json'),
      readFileSync(join(dir, 'sharded', 'model.safetensors.index.json')),
    );
    const r = await cli('scan', '--json', join(d, 'model.safetensors.index.json'));
    rmSync(d, { recursive: true, force: true });
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { errors: { code: string; message: string }[] };
    expect(doc.errors.map((e) => e.code)).toContain('IndexShardMissing');
  });

  it('exits 2 on usage errors', async () => {
    expect((await cli()).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('scan')).code).toBe(2);
    expect((await cli('scan', '--chunk-bytes', '0', join(dir, 'clean.safetensors'))).code).toBe(2);
    const missing = await cli('scan', join(dir, 'nope.safetensors'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.safetensors');
  });

  it('never prints a stack trace on bad input', async () => {
    const r = await cli('scan', join(dir, 'broken.safetensors'));
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(r.stdout).toContain('MetadataIncompleteBuffer');
  });
});
