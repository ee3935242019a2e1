import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memorySource } from '../io/byte-source';
import { recordingSource } from '../../fixtures/repair-fixtures';
import { compareWithPlan, nextDifference } from './compare-sources';
import type { Patch } from './plan-types';

function patch(offset: number, old: number, next: number): Patch {
  return {
    tensor: 't',
    flatIndex: 0,
    row: 0,
    col: 0,
    offset,
    old,
    new: next,
    classification: null,
    class: null,
  };
}

describe('nextDifference', () => {
  it('finds every differing byte, aligned or not (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.uniqueArray(fc.nat(), { maxLength: 10 }),
        fc.nat(3),
        (a, raw, shift) => {
          const backing = new Uint8Array(a.length + shift);
          const b = backing.subarray(shift);
          b.set(a);
          const flips =
            a.length === 0 ? [] : [...new Set(raw.map((r) => r % a.length))].sort((x, y) => x - y);
          for (const i of flips) {
            b[i] ^= 0x5a;
          }
          const found: number[] = [];
          for (let i = nextDifference(a, b, 0); i >= 0; i = nextDifference(a, b, i + 1)) {
            found.push(i);
          }
          expect(found).toEqual(flips);
        },
      ),
    );
  });
});

describe('compareWithPlan', () => {
  const input = Uint8Array.from({ length: 40 }, (_, i) => i);
  const planned = [patch(20, 20, 0x7e), patch(21, 21, 0x00), patch(33, 33, 0xfe)];
  const output = input.slice();
  for (const p of planned) {
    output[p.offset] = p.new;
  }

  it('counts the planned differences for every chunk size', async () => {
    for (const chunkBytes of [1, 3, 4, 21, 64]) {
      const result = await compareWithPlan(
        recordingSource('in', input, true),
        memorySource('out', output),
        planned,
        16,
        { chunkBytes },
      );
      expect(result).toEqual({ ok: true, value: 3 });
    }
  });

  it('names the first discrepancy: unplanned byte, header byte, wrong byte, missing patch', async () => {
    const run = async (out: Uint8Array, patches: Patch[] = planned): Promise<string> => {
      const r = await compareWithPlan(
        memorySource('in', input),
        memorySource('out', out),
        patches,
        16,
        { chunkBytes: 8 },
      );
      return r.ok ? 'ok' : r.error;
    };
    const extra = output.slice();
    extra[25] = 0;
    expect(await run(extra)).toMatch(/byte 25 differs .* no patch was planned/);
    const header = output.slice();
    header[3] = 0xff;
    expect(await run(header)).toMatch(/header byte 3 differs/);
    const wrong = output.slice();
    wrong[21] = 0x01;
    expect(await run(wrong)).toMatch(/byte 21 went 0x15 → 0x01; the plan says 0x15 → 0x00/);
    const missing = output.slice();
    missing[33] = 33;
    expect(await run(missing)).toMatch(/planned patch at offset 33 is missing/);
    expect(await run(output, [...planned, patch(39, 39, 0)])).toMatch(/offset 39 is missing/);
  });
});
