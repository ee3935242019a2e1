import { describe, expect, it } from 'vitest';
import type { Patch, RepairPlan } from '../../core/repair/plan-repair';
import { applyChoices } from './merge-plans';

function patch(tensor: string, offset: number, nw: number): Patch {
  return {
    tensor,
    flatIndex: 0,
    row: 0,
    col: 0,
    offset,
    old: 0x7f,
    new: nw,
    classification: null,
    class: null,
  };
}
function plan(newByte: number): RepairPlan {
  const patches = [patch('a', 100, newByte), patch('b', 200, newByte), patch('b', 201, newByte)];
  return {
    file: 'f',
    fileSize: 300,
    headerLength: 50,
    patches,
    tensors: [
      {
        name: 'a',
        dtype: 'F8_E4M3',
        treatedAs: 'F8_E4M3',
        role: 'fp8-weight',
        patches: 1,
        neutral: 0,
        clamped: 0,
        destroyed: 0,
        lossy: 0,
      },
      {
        name: 'b',
        dtype: 'F8_E4M3',
        treatedAs: 'F8_E4M3',
        role: 'fp8-weight',
        patches: 2,
        neutral: 0,
        clamped: 0,
        destroyed: 0,
        lossy: 0,
      },
    ],
  };
}

describe('applyChoices', () => {
  it('keeps the global plan by default', () => {
    expect(applyChoices(plan(0x7e), new Map())).toEqual(plan(0x7e));
  });
  it('drops skipped tensors and takes overrides from their own plan', () => {
    const merged = applyChoices(
      plan(0x7e),
      new Map([
        ['a', 'skip'],
        ['b', 'zero'],
      ]),
      new Map([['zero', plan(0x00)]]),
    );
    expect(merged.patches.map((p) => [p.tensor, p.offset, p.new])).toEqual([
      ['b', 200, 0],
      ['b', 201, 0],
    ]);
    expect(merged.tensors.map((t) => t.name)).toEqual(['b']);
  });
  it('falls back to the global plan while an override is being planned', () => {
    const merged = applyChoices(plan(0x7e), new Map([['a', 'zero']]));
    expect(merged.patches.find((p) => p.tensor === 'a')?.new).toBe(0x7e);
  });
});
