import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSafetensors } from '../core/format/build-safetensors';
import { DEFAULT_REPAIR_POLICY } from '../core/repair/repair-policy';
import type { PlannedFile } from './repair-file';
import { hashFile, planFile, writeFile } from './repair-file';

const OPTIONS = { chunkBytes: 5, showProgress: false };
let dir = '';
let input = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-file-'));
  input = join(dir, 'in.safetensors');
  writeFileSync(
    input,
    buildSafetensors([
      { name: 's', dtype: 'F8_E4M3', shape: [4], data: Uint8Array.of(0x7f, 0x38, 0xff, 0x7f) },
    ]),
  );
  writeFileSync(join(dir, 'bad.safetensors'), new Uint8Array(4));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function planned(): Promise<PlannedFile> {
  const r = await planFile({ input, output: null }, DEFAULT_REPAIR_POLICY, OPTIONS);
  if (!r.ok) {
    throw r.error;
  }
  return r.value;
}

const leftovers = (): string[] => readdirSync(dir).filter((n) => n.includes('.ckptscope-'));

describe('planFile', () => {
  it('plans a valid file and reports invalid or missing ones as CheckpointErrors', async () => {
    expect((await planned()).plan.patches.map((p) => p.new)).toEqual([0x7e, 0xfe, 0x7e]);
    const bad = await planFile(
      { input: join(dir, 'bad.safetensors'), output: null },
      DEFAULT_REPAIR_POLICY,
      OPTIONS,
    );
    expect(bad.ok ? null : bad.error.code).toBe('HeaderTooSmall');
    const missing = await planFile(
      { input: join(dir, 'nope'), output: null },
      DEFAULT_REPAIR_POLICY,
      OPTIONS,
    );
    expect(missing.ok ? null : missing.error.code).toBe('ReadFailed');
  });
});

describe('writeFile', () => {
  it('writes, verifies and hashes', async () => {
    const target = join(dir, 'out.safetensors');
    const r = await writeFile(await planned(), target, { ...OPTIONS, sha256: true });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.report).toEqual({
        differingBytes: 3,
        patchedTensorsClean: true,
        uncleanTensors: [],
      });
      expect(r.value.sha256In).toBe(await hashFile(input, OPTIONS));
      expect(r.value.sha256Out).toBe(await hashFile(target, OPTIONS));
    }
    expect(readFileSync(target).length).toBe(readFileSync(input).length);
  });

  it('refuses when the input changed after planning; nothing written', async () => {
    const p = await planned();
    utimesSync(input, new Date(), new Date(Date.now() + 5000));
    const target = join(dir, 'changed.safetensors');
    const r = await writeFile(p, target, { ...OPTIONS, sha256: false });
    expect(r.ok ? '' : r.error).toContain('changed since it was planned');
    expect(existsSync(target)).toBe(false);
  });

  it('deletes the output when verification fails (NaN left where the plan skipped a byte)', async () => {
    const p = await planned();
    const partial: PlannedFile = { ...p, plan: { ...p.plan, patches: p.plan.patches.slice(1) } };
    const target = join(dir, 'unverified.safetensors');
    const r = await writeFile(partial, target, { ...OPTIONS, sha256: false });
    expect(r.ok ? '' : r.error).toContain('verification failed, output deleted: NaN left');
    expect(existsSync(target)).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});
