import {
  existsSync,
  lstatSync,
  symlinkSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySource } from '../core/io/byte-source';
import type { RepairPart } from '../core/repair/repair-parts';
import { openNodeFileSource } from './node-file-source';
import { tempPathFor, writeRepaired, writeTextFileAtomic } from './write-repaired';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-write-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const input = Uint8Array.from({ length: 100 }, (_, i) => i);
const parts: RepairPart[] = [
  { kind: 'source', start: 0, end: 40 },
  { kind: 'bytes', offset: 40, bytes: Uint8Array.of(0xaa, 0xbb) },
  { kind: 'source', start: 42, end: 100 },
];
const expected = input.slice();
expected[40] = 0xaa;
expected[41] = 0xbb;

const leftovers = (): string[] => readdirSync(dir).filter((n) => n.includes('.ckptscope-'));

describe('writeRepaired', () => {
  it('streams the parts into a temp file, checks it, renames it over the target', async () => {
    const inPath = join(dir, 'in.bin');
    writeFileSync(inPath, input);
    const target = join(dir, 'out.bin');
    writeFileSync(target, 'old contents');
    const source = await openNodeFileSource(inPath);
    const seen: string[] = [];
    let written = 0;
    const r = await writeRepaired(source, parts, target, {
      chunkBytes: 7,
      mode: 0o600,
      force: true,
      onBytes: (n) => (written += n),
      check: (temp) => {
        seen.push(temp);
        expect(readFileSync(temp).equals(Buffer.from(expected))).toBe(true);
        expect(readFileSync(target, 'utf8')).toBe('old contents');
        return Promise.resolve(null);
      },
    });
    await source.close();
    expect(r).toEqual({ ok: true, value: undefined });
    expect(readFileSync(target).equals(Buffer.from(expected))).toBe(true);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(written).toBe(100);
    expect(seen[0]).toMatch(/\/\.out\.bin\.ckptscope-\d+-[0-9a-f]{12}\.tmp$/);
    expect(leftovers()).toEqual([]);
  });

  it('works from a source without readInto', async () => {
    const target = join(dir, 'mem.bin');
    const r = await writeRepaired(memorySource('m', input), parts, target, {
      chunkBytes: 1 << 20,
      mode: 0o644,
      check: () => Promise.resolve(null),
    });
    expect(r.ok).toBe(true);
    expect(readFileSync(target).equals(Buffer.from(expected))).toBe(true);
  });

  it('writes any tiling of source ranges and patched bytes exactly, at any chunk size (property)', async () => {
    const inPath = join(dir, 'tiles-in.bin');
    const big = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff);
    writeFileSync(inPath, big);
    const fileSource = await openNodeFileSource(inPath);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.integer({ min: 1, max: 299 }), { maxLength: 40 }),
          fc.array(fc.boolean(), { minLength: 41, maxLength: 41 }),
          fc.integer({ min: 1, max: 64 }),
          fc.boolean(),
          async (cuts, patched, chunkBytes, fromFile) => {
            const bounds = [0, ...[...cuts].sort((a, b) => a - b), big.length];
            const tiles: RepairPart[] = [];
            const want = big.slice();
            for (let i = 0; i + 1 < bounds.length; i++) {
              const [start, end] = [bounds[i], bounds[i + 1]];
              if (patched[i] === true) {
                const bytes = Uint8Array.from(
                  { length: end - start },
                  (_, k) => (start + k) ^ 0x5a,
                );
                want.set(bytes, start);
                tiles.push({ kind: 'bytes', offset: start, bytes });
              } else {
                tiles.push({ kind: 'source', start, end });
              }
            }
            const target = join(dir, 'tiles-out.bin');
            const r = await writeRepaired(
              fromFile ? fileSource : memorySource('m', big),
              tiles,
              target,
              { chunkBytes, mode: 0o644, check: () => Promise.resolve(null), force: true },
            );
            expect(r.ok).toBe(true);
            expect(readFileSync(target).equals(Buffer.from(want))).toBe(true);
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      await fileSource.close();
    }
  });

  it('a failed check, a throwing check or a failed read leave no target and no temp file', async () => {
    const target = join(dir, 'never.bin');
    const failed = await writeRepaired(memorySource('m', input), parts, target, {
      chunkBytes: 16,
      mode: 0o644,
      check: () => Promise.resolve('verification failed'),
    });
    expect(failed).toEqual({ ok: false, error: 'verification failed' });
    const threw = await writeRepaired(memorySource('m', input), parts, target, {
      chunkBytes: 16,
      mode: 0o644,
      check: () => Promise.reject(new Error('boom')),
    });
    expect(threw.ok ? '' : threw.error).toContain('boom');
    const broken = { name: 'b', size: 100, read: () => Promise.reject(new Error('EIO')) };
    const unreadable = await writeRepaired(broken, parts, target, {
      chunkBytes: 16,
      mode: 0o644,
      check: () => Promise.resolve(null),
    });
    expect(unreadable.ok ? '' : unreadable.error).toContain('EIO');
    expect(existsSync(target)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('never replaces a file that appeared meanwhile (without force) nor a symlink (even with it)', async () => {
    const appeared = join(dir, 'appeared.bin');
    const planted = join(dir, 'planted-target.bin');
    writeFileSync(planted, 'keep me');
    const link = join(dir, 'link.bin');
    for (const [target, force, message] of [
      [appeared, false, 'appeared while the repair was written'],
      [link, true, 'is now a symbolic link'],
    ] as const) {
      const r = await writeRepaired(memorySource('m', input), parts, target, {
        chunkBytes: 16,
        mode: 0o644,
        force,
        // The file (or link) shows up after the plan, while the temporary file is written.
        check: () => {
          if (target === appeared) {
            writeFileSync(appeared, 'not ours');
          } else {
            symlinkSync(planted, link);
          }
          return Promise.resolve(null);
        },
      });
      expect(r.ok ? '' : r.error).toContain(message);
    }
    expect(readFileSync(appeared, 'utf8')).toBe('not ours');
    expect(readFileSync(planted, 'utf8')).toBe('keep me');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('fails cleanly when the target folder does not exist', async () => {
    const r = await writeRepaired(memorySource('m', input), parts, join(dir, 'missing', 'x.bin'), {
      chunkBytes: 16,
      mode: 0o644,
      check: () => Promise.resolve(null),
    });
    expect(r.ok).toBe(false);
  });
});

describe('writeTextFileAtomic and tempPathFor', () => {
  it('writes text through a temp sibling', async () => {
    const target = join(dir, 'm.json');
    expect(await writeTextFileAtomic(target, '{"a":1}\n')).toEqual({ ok: true, value: undefined });
    expect(readFileSync(target, 'utf8')).toBe('{"a":1}\n');
    expect(leftovers()).toEqual([]);
  });

  it('names temp files beside the target, hidden and unique', () => {
    const a = tempPathFor('/x/y/model.safetensors');
    expect(a.startsWith('/x/y/.model.safetensors.ckptscope-')).toBe(true);
    expect(tempPathFor('/x/y/model.safetensors')).not.toBe(a);
  });
});
