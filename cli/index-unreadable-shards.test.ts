import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSafetensors } from '../core/format/build-safetensors';
import { cli } from './testing/run-cli';

/**
 * An index that names shards the input collection could not open (a FIFO, a dangling link, a link
 * loop): each is one `ReadFailed` error naming its path, never also "not among the files".
 */
const SHARDS = [
  'model-00001-of-00004.safetensors', // a valid shard
  'model-00002-of-00004.safetensors', // a FIFO
  'model-00003-of-00004.safetensors', // a dangling symlink
  'model-00004-of-00004.safetensors', // a symlink loop
];

function shard(name: string): Uint8Array {
  return buildSafetensors([
    { name, dtype: 'F32', shape: [2], data: new Uint8Array(new Float32Array([1, 2]).buffer) },
  ]);
}

function index(shards: readonly string[]): string {
  const weightMap = Object.fromEntries(shards.map((s, i) => [`layers.${i}.weight`, s]));
  return JSON.stringify({ metadata: { total_size: 8 * shards.length }, weight_map: weightMap });
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-index-unreadable-'));
  const ckpt = join(dir, 'ckpt');
  mkdirSync(ckpt);
  writeFileSync(join(ckpt, SHARDS[0]), shard('layers.0.weight'));
  execFileSync('mkfifo', [join(ckpt, SHARDS[1])]);
  symlinkSync('nowhere.safetensors', join(ckpt, SHARDS[2]));
  symlinkSync(SHARDS[3], join(ckpt, SHARDS[3]));
  writeFileSync(join(ckpt, 'model.safetensors.index.json'), index(SHARDS));
  // The same index with one more shard that is really absent: that one is still missing.
  const absent = join(dir, 'absent');
  mkdirSync(absent);
  writeFileSync(join(absent, SHARDS[0]), shard('layers.0.weight'));
  execFileSync('mkfifo', [join(absent, SHARDS[1])]);
  writeFileSync(join(absent, 'model.safetensors.index.json'), index(SHARDS.slice(0, 3)));
}, 30_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Doc {
  errors: { path: string; code: string; message: string }[];
}

describe('scan: an index naming shards that could not be opened', () => {
  it('reports each once as ReadFailed, not also as missing from the files (exit 2)', async () => {
    const ckpt = join(dir, 'ckpt');
    const r = await cli('scan', '--json', ckpt);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.errors.map((e) => [e.code, e.path]).sort()).toEqual(
      SHARDS.slice(1)
        .map((s) => ['ReadFailed', join(ckpt, s)])
        .sort(),
    );
    expect(doc.errors.filter((e) => e.message.includes('not among the files'))).toEqual([]);
    expect(r.code).toBe(2);
    const text = await cli('scan', '--no-progress', ckpt);
    expect(text.stdout).not.toContain('IndexShardMissing');
    expect(text.code).toBe(2);
  });

  it('still reports a shard that is absent as not among the files', async () => {
    const absent = join(dir, 'absent');
    const r = await cli('scan', '--json', absent);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.errors.map((e) => [e.code, e.path]).sort()).toEqual(
      [
        ['IndexShardMissing', join(absent, 'model.safetensors.index.json')],
        ['ReadFailed', join(absent, SHARDS[1])],
      ].sort(),
    );
    expect(doc.errors.find((e) => e.code === 'IndexShardMissing')?.message).toContain(
      JSON.stringify(SHARDS[2]),
    );
    expect(r.code).toBe(2);
  });
});
