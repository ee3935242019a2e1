import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSafetensors } from '../core/format/build-safetensors';
import { cli } from './testing/run-cli';

/** A shard with one NaN FP8 scale byte (0x7F): something for repair to write. */
const nanShard = (name: string): Uint8Array =>
  buildSafetensors([
    { name, dtype: 'F8_E4M3', shape: [4], data: Uint8Array.of(0x38, 0x7f, 0x30, 0x38) },
  ]);

const hash = (path: string): string =>
  createHash('sha256').update(readFileSync(path)).digest('hex');

let dir = '';
let ckpt = '';
const shard1 = (): string => join(ckpt, 'model-00001-of-00002.safetensors');
const shard2 = (): string => join(ckpt, 'model-00002-of-00002.safetensors');
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-repair-safety-'));
  ckpt = join(dir, 'ckpt');
  mkdirSync(ckpt);
  writeFileSync(shard1(), nanShard('a.weight_scale'));
  writeFileSync(shard2(), nanShard('b.weight_scale'));
  writeFileSync(join(ckpt, 'config.json'), '{"model_type":"llama"}');
  writeFileSync(
    join(ckpt, 'model.safetensors.index.json'),
    JSON.stringify({
      metadata: {},
      weight_map: {
        'a.weight_scale': 'model-00001-of-00002.safetensors',
        'b.weight_scale': 'model-00002-of-00002.safetensors',
      },
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every file of `folder` with its hash: to prove nothing in it changed. */
function snapshotOf(folder: string): Record<string, string> {
  return Object.fromEntries(readdirSync(folder).map((n) => [n, hash(join(folder, n))]));
}

describe('repair never replaces what it did not create', () => {
  it('another file of the checkpoint is refused, with or without --force', async () => {
    const before = snapshotOf(ckpt);
    for (const out of [
      shard2(),
      join(ckpt, 'config.json'),
      join(ckpt, 'model.safetensors.index.json'),
    ]) {
      for (const force of [[], ['--force']]) {
        const r = await cli('repair', shard1(), '-o', out, '--no-progress', ...force);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`refusing to replace ${out}`);
      }
    }
    expect(snapshotOf(ckpt)).toEqual(before);
  });

  it('an existing OUT elsewhere: refused (naming it) unless --force', async () => {
    const out = join(dir, 'existing.safetensors');
    writeFileSync(out, 'mine');
    const refused = await cli('repair', shard1(), '-o', out, '--no-progress');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`refusing to replace ${out}: it exists`);
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(out, 'utf8')).toBe('mine');
    const forced = await cli('repair', shard1(), '-o', out, '--no-progress', '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(out)[8 + Number(readFileSync(out).readBigUInt64LE(0)) + 1]).toBe(0x7e);
  });

  it('an OUT that is a symlink (like /dev/stdout) is refused, even with --force; the link stays', async () => {
    const target = join(dir, 'link-target.txt');
    writeFileSync(target, 'untouched');
    const link = join(dir, 'stdout-like');
    symlinkSync(target, link);
    for (const force of [[], ['--force']]) {
      const r = await cli('repair', shard1(), '-o', link, '--no-progress', ...force);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('it is a symbolic link');
    }
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe('untouched');
  });

  it('-o newdir/ and --manifest into a missing folder fail before anything is written', async () => {
    const newdir = join(dir, 'newdir');
    const r = await cli('repair', shard1(), '-o', `${newdir}/`, '--no-progress');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot write into ${newdir}/: the folder does not exist`);
    const out = join(dir, 'with-manifest.safetensors');
    const m = await cli(
      'repair',
      shard1(),
      '-o',
      out,
      '--manifest',
      join(dir, 'missing', 'm.json'),
      '--no-progress',
    );
    expect(m.code).toBe(2);
    expect(m.stderr).toContain(`the folder ${join(dir, 'missing')} does not exist`);
    expect(existsSync(newdir)).toBe(false);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes('.ckptscope-'))).toEqual([]);
  });

  it('a Hugging Face snapshot: real files written into OUT, the blobs untouched', async () => {
    const repo = join(dir, 'hub', 'models--org--name');
    mkdirSync(join(repo, 'blobs'), { recursive: true });
    const snap = join(repo, 'snapshots', 'abc123');
    mkdirSync(snap, { recursive: true });
    writeFileSync(join(repo, 'blobs', 'b1'), nanShard('a.weight_scale'));
    symlinkSync('../../blobs/b1', join(snap, 'model.safetensors'));
    const blobBefore = hash(join(repo, 'blobs', 'b1'));
    const out = join(dir, 'fixed-snapshot');
    const r = await cli('repair', snap, '-o', out, '--no-progress');
    expect(r.code).toBe(0);
    expect(lstatSync(join(out, 'model.safetensors')).isFile()).toBe(true);
    expect(hash(join(repo, 'blobs', 'b1'))).toBe(blobBefore);
    // Repairing into another snapshot (whose files are links into the blobs) is refused.
    const other = join(repo, 'snapshots', 'def456');
    mkdirSync(other);
    writeFileSync(join(repo, 'blobs', 'b2'), nanShard('a.weight_scale'));
    symlinkSync('../../blobs/b2', join(other, 'model.safetensors'));
    const into = await cli('repair', snap, '-o', other, '--no-progress', '--force');
    expect(into.code).toBe(2);
    expect(into.stderr).toContain('it is a symbolic link');
    expect(readFileSync(join(repo, 'blobs', 'b2'))).toEqual(
      Buffer.from(nanShard('a.weight_scale')),
    );
  });
});
