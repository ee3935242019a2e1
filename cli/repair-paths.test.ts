import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRepairTargets } from './repair-paths';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-paths-'));
  writeFileSync(join(dir, 'a.safetensors'), 'x');
  linkSync(join(dir, 'a.safetensors'), join(dir, 'hard.safetensors'));
  symlinkSync(join(dir, 'a.safetensors'), join(dir, 'sym.safetensors'));
  mkdirSync(join(dir, 'ckpt'));
  writeFileSync(join(dir, 'ckpt', 'm-1.safetensors'), 'x');
  writeFileSync(join(dir, 'ckpt', 'm-2.safetensors'), 'x');
  writeFileSync(join(dir, 'ckpt', 'config.json'), '{}');
  symlinkSync(join(dir, 'ckpt'), join(dir, 'ckpt-link'));
  mkdirSync(join(dir, 'empty'));
  mkdirSync(join(dir, 'out'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function error(
  input: string,
  output: string | null,
  manifest: string | null = null,
): Promise<string> {
  const r = await resolveRepairTargets(input, output, manifest);
  return r.ok ? 'ok' : r.error;
}

describe('resolveRepairTargets', () => {
  it('file IN: OUT is the target file, or a folder that receives IN under its name', async () => {
    const a = join(dir, 'a.safetensors');
    expect(await resolveRepairTargets(a, join(dir, 'b.safetensors'), null)).toEqual({
      ok: true,
      value: {
        mode: 'file',
        jobs: [{ input: a, output: join(dir, 'b.safetensors') }],
        outFolder: null,
      },
    });
    expect(await resolveRepairTargets(a, join(dir, 'out'), null)).toMatchObject({
      ok: true,
      value: { jobs: [{ output: join(dir, 'out', 'a.safetensors') }] },
    });
    expect(await resolveRepairTargets(a, null, null)).toMatchObject({
      ok: true,
      value: { jobs: [{ output: null }] },
    });
  });

  it('refuses OUT that is the input file by any path', async () => {
    const a = join(dir, 'a.safetensors');
    for (const out of [
      a,
      `${dir}/./a.safetensors`,
      join(dir, 'hard.safetensors'),
      join(dir, 'sym.safetensors'),
      dir,
    ]) {
      expect(await error(a, out)).toContain('it is the input file');
    }
    expect(await error(join(dir, 'sym.safetensors'), a)).toContain('it is the input file');
  });

  it('folder IN: one job per .safetensors shard; OUT must be a folder other than IN', async () => {
    const r = await resolveRepairTargets(join(dir, 'ckpt'), join(dir, 'fixed'), null);
    expect(r).toEqual({
      ok: true,
      value: {
        mode: 'folder',
        jobs: [
          {
            input: join(dir, 'ckpt', 'm-1.safetensors'),
            output: join(dir, 'fixed', 'm-1.safetensors'),
          },
          {
            input: join(dir, 'ckpt', 'm-2.safetensors'),
            output: join(dir, 'fixed', 'm-2.safetensors'),
          },
        ],
        outFolder: join(dir, 'fixed'),
      },
    });
    for (const out of [
      join(dir, 'ckpt'),
      `${dir}/ckpt/`,
      `${dir}/ckpt/../ckpt`,
      join(dir, 'ckpt-link'),
    ]) {
      expect(await error(join(dir, 'ckpt'), out)).toContain('it is the input folder');
    }
    expect(await error(join(dir, 'ckpt'), join(dir, 'a.safetensors'))).toContain(
      'OUT must be a folder',
    );
    expect(await error(join(dir, 'empty'), join(dir, 'out'))).toContain('holds no .safetensors');
  });

  it('refuses a missing IN, a missing OUT folder and a manifest that is an input or output', async () => {
    const a = join(dir, 'a.safetensors');
    expect(await error(join(dir, 'nope'), join(dir, 'x'))).toContain('no such file or folder');
    expect(await error(a, join(dir, 'nope', 'x.safetensors'))).toContain('does not exist');
    expect(await error(a, join(dir, 'b.safetensors'), join(dir, 'hard.safetensors'))).toContain(
      'an input file',
    );
    expect(await error(a, join(dir, 'b.safetensors'), join(dir, 'b.safetensors'))).toContain(
      'an output file',
    );
    expect(await error(a, join(dir, 'b.safetensors'), join(dir, 'out'))).toContain(
      'not a regular file',
    );
    expect(await error(a, join(dir, 'b.safetensors'), join(dir, 'm.json'))).toBe('ok');
  });

  it('an existing OUT: refused without --force, replaced with it (outside the checkpoint)', async () => {
    const a = join(dir, 'a.safetensors');
    writeFileSync(join(dir, 'out', 'old.safetensors'), 'old');
    const old = join(dir, 'out', 'old.safetensors');
    expect(await error(a, old)).toBe(
      `refusing to replace ${old}: it exists (repair never replaces a file it did not create; add --force to replace it)`,
    );
    expect((await resolveRepairTargets(a, old, null, true)).ok).toBe(true);
    writeFileSync(join(dir, 'out', 'm-1.safetensors'), 'old');
    expect(await error(join(dir, 'ckpt'), join(dir, 'out'))).toContain(
      `refusing to replace ${join(dir, 'out', 'm-1.safetensors')}: it exists`,
    );
    expect((await resolveRepairTargets(join(dir, 'ckpt'), join(dir, 'out'), null, true)).ok).toBe(
      true,
    );
    writeFileSync(join(dir, 'out', 'm.json'), '{}');
    expect(
      await error(a, join(dir, 'out', 'new.safetensors'), join(dir, 'out', 'm.json')),
    ).toContain('add --force');
  });

  it('never, even with --force, a file of the checkpoint (any file in its folders) or a link', async () => {
    const shard = join(dir, 'ckpt', 'm-1.safetensors');
    for (const out of [join(dir, 'ckpt', 'm-2.safetensors'), join(dir, 'ckpt', 'config.json')]) {
      const r = await resolveRepairTargets(shard, out, null, true);
      expect(r.ok ? 'ok' : r.error).toBe(
        `refusing to replace ${out}: it is a file of the checkpoint being repaired (repair never replaces a checkpoint's files, even with --force)`,
      );
    }
    const manifest = await resolveRepairTargets(
      shard,
      join(dir, 'x.safetensors'),
      join(dir, 'ckpt', 'config.json'),
      true,
    );
    expect(manifest.ok ? 'ok' : manifest.error).toContain('it is a file of the checkpoint');
    // A symlink OUT (like /dev/stdout) is refused: replacing or writing through it are both wrong.
    writeFileSync(join(dir, 'elsewhere.bin'), 'x');
    symlinkSync(join(dir, 'elsewhere.bin'), join(dir, 'out', 'link.safetensors'));
    for (const force of [false, true]) {
      const r = await resolveRepairTargets(
        shard,
        join(dir, 'out', 'link.safetensors'),
        null,
        force,
      );
      expect(r.ok ? 'ok' : r.error).toContain('it is a symbolic link');
    }
  });

  it('a Hugging Face snapshot: the blob folder is the checkpoint too; links in OUT are refused', async () => {
    const repo = join(dir, 'hub', 'models--o--n');
    mkdirSync(join(repo, 'blobs'), { recursive: true });
    for (const snap of ['s1', 's2']) {
      mkdirSync(join(repo, 'snapshots', snap), { recursive: true });
    }
    writeFileSync(join(repo, 'blobs', 'b1'), 'x');
    writeFileSync(join(repo, 'blobs', 'b2'), 'y');
    symlinkSync('../../blobs/b1', join(repo, 'snapshots', 's1', 'model.safetensors'));
    symlinkSync('../../blobs/b2', join(repo, 'snapshots', 's2', 'model.safetensors'));
    const input = join(repo, 'snapshots', 's1');
    expect(await resolveRepairTargets(input, join(dir, 'fresh'), null)).toMatchObject({
      ok: true,
      value: { jobs: [{ output: join(dir, 'fresh', 'model.safetensors') }] },
    });
    expect(await error(input, join(repo, 'snapshots', 's2'))).toContain('it is a symbolic link');
    const inFile = join(input, 'model.safetensors');
    const blob = await resolveRepairTargets(inFile, join(repo, 'blobs', 'b2'), null, true);
    expect(blob.ok ? 'ok' : blob.error).toContain('it is a file of the checkpoint');
  });

  it('a missing folder for OUT (`-o newdir/`) or the manifest is refused before anything is written', async () => {
    const a = join(dir, 'a.safetensors');
    expect(await error(a, join(dir, 'newdir') + '/')).toBe(
      `cannot write into ${join(dir, 'newdir')}/: the folder does not exist`,
    );
    expect(await error(a, join(dir, 'x.safetensors'), join(dir, 'nope', 'm.json'))).toBe(
      `cannot write --manifest ${join(dir, 'nope', 'm.json')}: the folder ${join(dir, 'nope')} does not exist`,
    );
    // Folder mode creates OUT, so a manifest inside it is fine.
    expect(await error(join(dir, 'ckpt'), join(dir, 'made'), join(dir, 'made', 'm.json'))).toBe(
      'ok',
    );
  });

  it('folder IN: a shard that is a FIFO, a dangling link or not UTF-8 is refused, not left out', async () => {
    const cases: [string, (path: string) => void, string][] = [
      ['fifo', (p) => execFileSync('mkfifo', [p]), 'is a FIFO, not a regular file'],
      ['dangling', (p) => symlinkSync('nowhere', p), 'is a dangling symlink'],
    ];
    for (const [folder, make, message] of cases) {
      const input = join(dir, `bad-${folder}`);
      mkdirSync(input);
      writeFileSync(join(input, 'a.safetensors'), 'x');
      make(join(input, 'b.safetensors'));
      const problem = await error(input, join(dir, `fixed-${folder}`));
      expect(problem).toContain(`${join(input, 'b.safetensors')}: ${message}`);
    }
    const latin1 = join(dir, 'bad-latin1');
    mkdirSync(latin1);
    writeFileSync(
      Buffer.concat([Buffer.from(`${latin1}/caf`), Buffer.of(0xe9), Buffer.from('.safetensors')]),
      'x',
    );
    expect(await error(latin1, join(dir, 'fixed-latin1'))).toContain('is not valid UTF-8');
  });
});
