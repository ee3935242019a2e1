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
});
