import { execFile, execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSafetensors } from '../core/format/build-safetensors';
import { cli, CLI_BIN } from './testing/run-cli';
import type { CliResult } from './testing/run-cli';

interface Doc {
  files: { path: string; tensors: { name: string; nan: number }[] }[];
  errors: { path: string; code: string; message: string }[];
}

const shard = (name: string, nanAt: number | null = null): Uint8Array => {
  const values = Float32Array.of(1, 2, 3, 4);
  if (nanAt !== null) {
    values[nanAt] = Number.NaN;
  }
  return buildSafetensors([
    { name, dtype: 'F32', shape: [4], data: new Uint8Array(values.buffer) },
  ]);
};

let dir = '';
let snapshot = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-inputs-'));
  // Readable (and listable) by `nobody`, for the tests that run the CLI as that user.
  chmodSync(dir, 0o755);
  // A Hugging Face hub cache entry: the snapshot holds only relative symlinks into ../../blobs/.
  const repo = join(dir, 'hub', 'models--org--name');
  mkdirSync(join(repo, 'blobs'), { recursive: true });
  snapshot = join(repo, 'snapshots', '5f1a0c');
  mkdirSync(snapshot, { recursive: true });
  const files: [string, string, Uint8Array | string][] = [
    ['model-00001-of-00002.safetensors', '9a1b', shard('a')],
    ['model-00002-of-00002.safetensors', '3c4d', shard('b', 2)],
    [
      'model.safetensors.index.json',
      '7e8f',
      JSON.stringify({
        metadata: {},
        weight_map: {
          a: 'model-00001-of-00002.safetensors',
          b: 'model-00002-of-00002.safetensors',
        },
      }),
    ],
  ];
  for (const [name, blob, bytes] of files) {
    writeFileSync(join(repo, 'blobs', blob), bytes);
    symlinkSync(join('..', '..', 'blobs', blob), join(snapshot, name));
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const doc = (r: CliResult): Doc => JSON.parse(r.stdout) as Doc;

/** Runs `file args...` and returns its exit status and output, whatever the status. */
async function run(file: string, args: readonly string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, {
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('scan: symlinks (the Hugging Face cache)', () => {
  it('scans a snapshot folder: every shard through its link, named by the link path', async () => {
    const r = await cli('scan', '--json', snapshot);
    expect(r.stderr).not.toContain('no .safetensors');
    const d = doc(r);
    expect(d.errors).toEqual([]);
    expect(d.files.map((f) => f.path)).toEqual([
      join(snapshot, 'model-00001-of-00002.safetensors'),
      join(snapshot, 'model-00002-of-00002.safetensors'),
    ]);
    expect(d.files[1].tensors[0]).toMatchObject({ name: 'b', nan: 1 });
    expect(r.code).toBe(1);
  });

  it("scans a snapshot's index: no shard is missing", async () => {
    const r = await cli('scan', '--json', join(snapshot, 'model.safetensors.index.json'));
    expect(doc(r).errors).toEqual([]);
    expect(doc(r).files).toHaveLength(2);
    expect(r.code).toBe(1);
  });

  it('the same file given twice, or through a link and its target, is scanned once', async () => {
    const link = join(snapshot, 'model-00001-of-00002.safetensors');
    const blob = join(dir, 'hub', 'models--org--name', 'blobs', '9a1b');
    const r = await cli('scan', '--json', link, link, snapshot);
    expect(doc(r).files.map((f) => f.path)).toEqual([
      join(snapshot, 'model-00001-of-00002.safetensors'),
      join(snapshot, 'model-00002-of-00002.safetensors'),
    ]);
    copyFileSync(blob, join(dir, 'copy.safetensors'));
    const twice = await cli(
      'scan',
      '--json',
      join(dir, 'copy.safetensors'),
      `${dir}/./copy.safetensors`,
    );
    expect(doc(twice).files).toHaveLength(1);
    expect(twice.code).toBe(0);
  });

  it('a dangling link and a symlink loop are reported as such; the rest is scanned', async () => {
    const odd = join(dir, 'odd');
    mkdirSync(odd);
    writeFileSync(join(odd, 'ok.safetensors'), shard('ok'));
    symlinkSync('gone.safetensors', join(odd, 'dangling.safetensors'));
    symlinkSync('loop.safetensors', join(odd, 'loop.safetensors'));
    const r = await cli('scan', '--json', odd);
    expect(r.code).toBe(2);
    const d = doc(r);
    expect(d.files.map((f) => f.path)).toEqual([join(odd, 'ok.safetensors')]);
    expect(d.errors.map((e) => [e.path, e.code])).toEqual([
      [join(odd, 'dangling.safetensors'), 'ReadFailed'],
      [join(odd, 'loop.safetensors'), 'ReadFailed'],
    ]);
    expect(d.errors[0].message).toContain('dangling symlink');
    expect(d.errors[1].message).toContain('symlink loop');
  });
});

describe('scan: files that are not regular files, unreadable folders and shards', () => {
  it('a FIFO named *.safetensors or config.json never blocks the scan; it is reported by kind', async () => {
    const folder = join(dir, 'fifos');
    mkdirSync(folder);
    writeFileSync(join(folder, 'model.safetensors'), shard('w'));
    execFileSync('mkfifo', [join(folder, 'config.json')]);
    execFileSync('mkfifo', [join(folder, 'extra.safetensors')]);
    const r = await cli('scan', '--json', folder, join(folder, 'extra.safetensors'));
    expect(r.code).toBe(2);
    const d = doc(r);
    expect(d.files.map((f) => f.path)).toEqual([join(folder, 'model.safetensors')]);
    // Sorted as in the folder; named twice (alone and in its folder), reported once.
    expect(d.errors.map((e) => e.path)).toEqual([
      join(folder, 'config.json'),
      join(folder, 'extra.safetensors'),
    ]);
    for (const e of d.errors) {
      expect(e.message).toContain('is a FIFO, not a regular file');
    }
  }, 20_000);

  it('a file name that is not UTF-8 is scanned, named lossily', async () => {
    const folder = join(dir, 'latin1');
    mkdirSync(folder);
    const raw = Buffer.concat([
      Buffer.from(`${folder}/caf`),
      Buffer.of(0xe9),
      Buffer.from('.safetensors'),
    ]);
    writeFileSync(raw, shard('w', 0));
    // In-process, and on scan threads (which get the raw bytes of the name with each job).
    for (const threads of ['1', '2']) {
      const r = await cli('scan', '--json', '--threads', threads, folder);
      const d = doc(r);
      expect(d.errors).toEqual([]);
      expect(d.files.map((f) => f.path)).toEqual([join(folder, 'caf\uFFFD.safetensors')]);
      expect(d.files[0].tensors[0].nan).toBe(1);
      expect(r.code).toBe(1);
    }
  });

  // Run as `nobody` (the tests run as root, for whom every folder is readable): setpriv drops
  // to that user, so the CLI meets a real EACCES from the file system.
  const asNobody = (...args: string[]): Promise<CliResult> =>
    run('setpriv', [
      '--reuid=nobody',
      '--regid=nogroup',
      '--clear-groups',
      process.execPath,
      CLI_BIN,
      ...args,
    ]);
  let canSetpriv = true;
  try {
    execFileSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'true']);
  } catch {
    canSetpriv = false;
  }

  it.runIf(canSetpriv)(
    'an unreadable folder (EACCES, as nobody) is an error entry; the other PATHs are scanned (exit 2, not 70)',
    async () => {
      const denied = join(dir, 'denied');
      mkdirSync(denied);
      writeFileSync(join(denied, 'model.safetensors'), shard('w'));
      chmodSync(denied, 0o000);
      const ok = join(dir, 'readable.safetensors');
      writeFileSync(ok, shard('w', 1));
      chmodSync(ok, 0o644);
      const r = await asNobody('scan', '--json', denied, ok);
      expect(r.stderr).not.toContain('internal error');
      expect(r.code).toBe(2);
      const d = doc(r);
      expect(d.errors).toHaveLength(1);
      expect(d.errors[0]).toMatchObject({ path: denied, code: 'ReadFailed' });
      expect(d.errors[0].message).toContain('cannot list the folder');
      expect(d.files.map((f) => [f.path, f.tensors[0]?.nan])).toEqual([[ok, 1]]);
    },
  );

  it.runIf(canSetpriv)(
    'an unreadable shard (as nobody) is reported as unreadable, not also as missing from the index',
    async () => {
      const folder = join(dir, 'one-unreadable');
      mkdirSync(folder);
      chmodSync(folder, 0o755);
      for (const [name, mode] of [
        ['model-00001-of-00002.safetensors', 0o644],
        ['model-00002-of-00002.safetensors', 0o000],
      ] as const) {
        writeFileSync(join(folder, name), shard(name.slice(6, 11)));
        chmodSync(join(folder, name), mode);
      }
      writeFileSync(
        join(folder, 'model.safetensors.index.json'),
        JSON.stringify({
          metadata: {},
          weight_map: {
            '00001': 'model-00001-of-00002.safetensors',
            '00002': 'model-00002-of-00002.safetensors',
          },
        }),
      );
      const r = await asNobody('scan', '--json', folder);
      expect(r.code).toBe(2);
      const d = doc(r);
      expect(d.errors.map((e) => [e.path, e.code])).toEqual([
        [join(folder, 'model-00002-of-00002.safetensors'), 'ReadFailed'],
      ]);
      expect(d.errors[0].message).toContain('permission denied');
    },
  );
});

describe('scan: bounded file descriptors', () => {
  it('1,000 shards under `ulimit -n 256`: every shard scanned, no EMFILE', async () => {
    const folder = join(dir, 'many');
    mkdirSync(folder);
    const n = 1000;
    const bytes = shard('w');
    for (let i = 0; i < n; i++) {
      writeFileSync(
        join(folder, `model-${String(i + 1).padStart(5, '0')}-of-01000.safetensors`),
        bytes,
      );
    }
    for (const threads of ['1', '4']) {
      const command = `ulimit -n 256 && exec "$0" "$1" scan --json --threads ${threads} "$2"`;
      const { stdout, stderr, code } = await run('bash', [
        '-c',
        command,
        process.execPath,
        CLI_BIN,
        folder,
      ]);
      expect(stderr + stdout).not.toContain('EMFILE');
      const d = JSON.parse(stdout) as Doc;
      expect(d.errors).toEqual([]);
      expect(d.files).toHaveLength(n);
      expect(code).toBe(0);
    }
  }, 120_000);
});
