import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectInputs } from './collect-inputs';

let dir = '';
/** A Hugging Face hub cache entry: every snapshot file a relative symlink into ../../blobs/. */
let snapshot = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-collect-'));
  const repo = join(dir, 'hub', 'models--org--name');
  mkdirSync(join(repo, 'blobs'), { recursive: true });
  snapshot = join(repo, 'snapshots', '0123abcd');
  mkdirSync(snapshot, { recursive: true });
  for (const [name, blob] of [
    ['model-00001-of-00002.safetensors', 'aaaa'],
    ['model-00002-of-00002.safetensors', 'bbbb'],
    ['model.safetensors.index.json', 'cccc'],
    ['config.json', 'dddd'],
    ['tokenizer.json', 'eeee'],
  ]) {
    writeFileSync(join(repo, 'blobs', blob), name);
    symlinkSync(join('..', '..', 'blobs', blob), join(snapshot, name));
  }
  mkdirSync(join(dir, 'odd'));
  writeFileSync(join(dir, 'odd', 'a.safetensors'), 'x');
  symlinkSync('nowhere.safetensors', join(dir, 'odd', 'dangling.safetensors'));
  symlinkSync('loop.safetensors', join(dir, 'odd', 'loop.safetensors'));
  execFileSync('mkfifo', [join(dir, 'odd', 'fifo.safetensors')]);
  execFileSync('mkfifo', [join(dir, 'odd', 'config.json')]);
  symlinkSync('a.safetensors', join(dir, 'odd', 'same-as-a.safetensors'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const paths = (files: readonly { path: string }[]): string[] => files.map((f) => f.path);

describe('collectInputs', () => {
  it('a Hugging Face cache snapshot: links followed, named by the link path', async () => {
    const { groups, problems, errors } = await collectInputs([snapshot]);
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
    expect(groups).toHaveLength(1);
    expect(paths(groups[0].files)).toEqual([
      join(snapshot, 'config.json'),
      join(snapshot, 'model-00001-of-00002.safetensors'),
      join(snapshot, 'model-00002-of-00002.safetensors'),
      join(snapshot, 'model.safetensors.index.json'),
    ]);
    const viaIndex = await collectInputs([join(snapshot, 'model.safetensors.index.json')]);
    expect(paths(viaIndex.groups[0].files)).toEqual([
      join(snapshot, 'model.safetensors.index.json'),
      join(snapshot, 'config.json'),
      join(snapshot, 'model-00001-of-00002.safetensors'),
      join(snapshot, 'model-00002-of-00002.safetensors'),
    ]);
  });

  it('dangling links, loops and FIFOs are errors by kind; the readable files are still taken', async () => {
    const { groups, problems, errors } = await collectInputs([join(dir, 'odd')]);
    expect(problems).toEqual([]);
    expect(paths(groups[0].files)).toEqual([join(dir, 'odd', 'a.safetensors')]);
    expect(errors.map((e) => e.message)).toEqual([
      `${join(dir, 'odd', 'config.json')}: is a FIFO, not a regular file (only regular files are read) [ReadFailed]`,
      `${join(dir, 'odd', 'dangling.safetensors')}: is a dangling symlink: its target "nowhere.safetensors" does not exist [ReadFailed]`,
      `${join(dir, 'odd', 'fifo.safetensors')}: is a FIFO, not a regular file (only regular files are read) [ReadFailed]`,
      `${join(dir, 'odd', 'loop.safetensors')}: is a symlink loop (too many levels of symbolic links) [ReadFailed]`,
    ]);
    const direct = await collectInputs([
      join(dir, 'odd', 'fifo.safetensors'),
      join(dir, 'odd', 'loop.safetensors'),
      join(dir, 'nope.safetensors'),
    ]);
    expect(direct.groups).toEqual([]);
    expect(direct.errors.map((e) => e.detail)).toEqual([
      'is a FIFO, not a regular file (only regular files are read)',
      'is a symlink loop (too many levels of symbolic links)',
    ]);
    expect(direct.problems.map((p) => p.message)).toEqual([
      `${join(dir, 'nope.safetensors')}: no such file or folder`,
    ]);
  });

  it('an unlistable folder is an error for that path; the other paths are still collected', async () => {
    const denied = join(dir, 'odd');
    const { groups, errors } = await collectInputs([denied, snapshot], async (folder) => {
      if (folder === denied) {
        throw Object.assign(new Error(`EACCES: permission denied, scandir '${folder}'`), {
          code: 'EACCES',
        });
      }
      return readdir(folder, { encoding: 'buffer' });
    });
    expect(errors.map((e) => e.message)).toEqual([
      `${denied}: cannot list the folder: EACCES: permission denied, scandir '${denied}' [ReadFailed]`,
    ]);
    expect(groups.map((g) => g.label)).toEqual([snapshot]);
  });

  it('the same file is collected once: twice, through a link, or also in its folder', async () => {
    const a = join(dir, 'odd', 'a.safetensors');
    const link = join(dir, 'odd', 'same-as-a.safetensors');
    const twice = await collectInputs([a, a, link]);
    expect(twice.groups).toEqual([{ label: a, files: [{ path: a, location: a }] }]);
    const folderTwice = await collectInputs([snapshot, `${snapshot}/`, a, snapshot]);
    expect(folderTwice.groups.map((g) => g.label)).toEqual([snapshot, a]);
    const alsoInFolder = await collectInputs([a, join(dir, 'odd')]);
    expect(alsoInFolder.groups.map((g) => paths(g.files))).toEqual([[a]]);
  });

  it('a file name that is not UTF-8 is collected, named lossily and opened by its bytes', async () => {
    const folder = join(dir, 'latin1');
    mkdirSync(folder);
    const raw = Buffer.concat([
      Buffer.from(join(folder, 'caf'), 'utf8'),
      Buffer.of(0xe9),
      Buffer.from('.safetensors', 'utf8'),
    ]);
    writeFileSync(raw, 'x');
    const { groups, errors } = await collectInputs([folder]);
    expect(errors).toEqual([]);
    expect(groups[0].files).toEqual([
      { path: join(folder, 'caf\uFFFD.safetensors'), location: raw },
    ]);
  });
});
