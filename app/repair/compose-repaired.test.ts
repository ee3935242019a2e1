import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Patch, RepairPlan } from '../../core/repair/plan-repair';
import { repairParts } from '../../core/repair/repair-parts';
import {
  composeRepaired,
  groupParts,
  REGION_GAP_BYTES,
  repairedFileName,
} from './compose-repaired';

/** A plan over a file of `size` bytes (header length 0: data from byte 8) setting `offsets`. */
function planOf(size: number, offsets: readonly number[], input: Uint8Array): RepairPlan {
  const patches: Patch[] = [...offsets]
    .sort((a, b) => a - b)
    .map((offset) => ({
      tensor: 't',
      flatIndex: offset - 8,
      row: 0,
      col: offset - 8,
      offset,
      old: input[offset],
      new: input[offset] ^ 0xff,
      classification: null,
      class: null,
    }));
  return { file: 'f', fileSize: size, headerLength: 0, patches, tensors: [] };
}

describe('composeRepaired', () => {
  it('equals the input with exactly the planned bytes changed, for any patch layout (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 9, max: 3000 })
          .chain((size) =>
            fc.tuple(
              fc.constant(size),
              fc.uniqueArray(fc.integer({ min: 8, max: size - 1 }), { maxLength: 80 }),
            ),
          ),
        async ([size, offsets]) => {
          const input = Uint8Array.from({ length: size }, (_, i) => (i * 31) & 0xff);
          const plan = planOf(size, offsets, input);
          const want = input.slice();
          for (const p of plan.patches) {
            want[p.offset] = p.new;
          }
          const blob = await composeRepaired(new Blob([input]), plan);
          expect(new Uint8Array(await blob.arrayBuffer())).toEqual(want);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('puts patches closer than REGION_GAP_BYTES into one part', () => {
    const size = 10_000;
    const input = new Uint8Array(size);
    // 100 patches two bytes apart, then two far apart.
    const dense = Array.from({ length: 100 }, (_, i) => 100 + 2 * i);
    const plan = planOf(size, [...dense, 5000, 5000 + REGION_GAP_BYTES + 1], input);
    const parts = repairParts(plan, size);
    expect(parts.length).toBe(2 * 102 + 1);
    const grouped = groupParts(parts);
    // source [0,100), one region, source, patch at 5000, source, patch, source to the end.
    expect(grouped).toHaveLength(7);
    expect(grouped[1]).toMatchObject({ start: 100, end: 299 });
  });
});

describe('repairedFileName', () => {
  it('keeps the file name of a dropped path', () => {
    expect(repairedFileName('ckpt/model-00001-of-00002.safetensors')).toBe(
      'model-00001-of-00002.safetensors',
    );
    expect(repairedFileName('model.safetensors')).toBe('model.safetensors');
  });
});
