import type { BigIntStats } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RepairPlan } from '../core/repair/plan-types';
import { DEFAULT_REPAIR_POLICY } from '../core/repair/repair-policy';
import type { PlannedFile } from './repair-file';
import { manifestDocument } from './repair-manifest';

function planned(input: string, patches: number, destroyed = 0): PlannedFile {
  const plan: RepairPlan = {
    file: input,
    fileSize: 100,
    headerLength: 16,
    patches: Array.from({ length: patches }, (_, i) => ({
      tensor: 's',
      flatIndex: i,
      row: 0,
      col: i,
      offset: 50 + i,
      old: 0x7f,
      new: 0x7e,
      classification: i < destroyed ? 'lossy' : null,
      class: i < destroyed ? 'destroyed' : null,
    })),
    tensors:
      patches === 0
        ? []
        : [
            {
              name: 's',
              dtype: 'F8_E4M3',
              treatedAs: 'F8_E4M3',
              role: 'fp4-block-scale',
              patches,
              neutral: 0,
              clamped: 0,
              destroyed,
              lossy: destroyed,
            },
          ],
  };
  return { job: { input, output: null }, plan, identity: {} as BigIntStats };
}

const ctx = { input: 'ckpt', output: 'fixed', policy: DEFAULT_REPAIR_POLICY, version: '9.9.9' };

describe('manifestDocument', () => {
  it('a file IN gives that file manifest, with digests when known', () => {
    const doc = manifestDocument(
      { ...ctx, mode: 'file' },
      [planned('a.safetensors', 1)],
      new Map([['a.safetensors', { input: 'aa', output: 'bb' }]]),
    );
    expect(doc).toMatchObject({
      tool: { version: '9.9.9' },
      file: 'a.safetensors',
      sha256: { input: 'aa', output: 'bb' },
    });
  });

  it('a folder IN lists the patched shards and names the unchanged ones', () => {
    const doc = manifestDocument(
      { ...ctx, mode: 'folder' },
      [
        planned('ckpt/m-1.safetensors', 2, 1),
        planned('ckpt/m-2.safetensors', 0),
        planned('ckpt/m-3.safetensors', 3, 2),
      ],
      new Map(),
    );
    expect(doc).toMatchObject({
      tool: { name: 'ckptscope', version: '9.9.9' },
      policy: { text: 'max' },
      input: 'ckpt',
      output: 'fixed',
      files: [
        { file: 'ckpt/m-1.safetensors', summary: { patches: 2, destroyed: 1 }, sha256: null },
        { file: 'ckpt/m-3.safetensors', summary: { patches: 3, destroyed: 2 }, sha256: null },
      ],
      unchanged: ['m-2.safetensors'],
      summary: { patches: 5, neutral: 0, clamped: 0, destroyed: 3, lossy: 3 },
    });
    const notes = 'notes' in doc ? doc.notes : [];
    expect(notes[0]).toMatch(/^3 destroyed FP4 blocks:/);
    expect(notes[1]).toMatch(/^2 FP4 block scales without a readable paired weight/);
  });
});
