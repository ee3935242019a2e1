import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyParts } from '../../fixtures/repair-fixtures';
import type { Patch, RepairPlan } from './plan-types';
import type { RepairPart } from './repair-parts';
import { repairParts } from './repair-parts';

function patchAt(offset: number, value: number): Patch {
  return {
    tensor: 't',
    flatIndex: 0,
    row: 0,
    col: 0,
    offset,
    old: 0x7f,
    new: value,
    classification: null,
    class: null,
  };
}

function planOf(fileSize: number, headerLength: number, offsets: number[]): RepairPlan {
  return {
    file: 'f',
    fileSize,
    headerLength,
    patches: offsets.map((o) => patchAt(o, o & 0xff)),
    tensors: [],
  };
}

/** Where each part starts and ends. */
function extent(p: RepairPart): [number, number] {
  return p.kind === 'source' ? [p.start, p.end] : [p.offset, p.offset + p.bytes.length];
}

describe('repairParts', () => {
  it('merges consecutive patches and copies the rest', () => {
    const parts = repairParts(planOf(32, 8, [16, 17, 18, 20, 31]), 32);
    expect(parts).toEqual([
      { kind: 'source', start: 0, end: 16 },
      { kind: 'bytes', offset: 16, bytes: Uint8Array.of(16, 17, 18) },
      { kind: 'source', start: 19, end: 20 },
      { kind: 'bytes', offset: 20, bytes: Uint8Array.of(20) },
      { kind: 'source', start: 21, end: 31 },
      { kind: 'bytes', offset: 31, bytes: Uint8Array.of(31) },
    ]);
    expect(repairParts(planOf(32, 8, []), 32)).toEqual([{ kind: 'source', start: 0, end: 32 }]);
    expect(repairParts(planOf(0, 0, []), 0)).toEqual([]);
  });

  it('tiles [0, size) exactly and yields the patched bytes (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 200 }),
        fc.uniqueArray(fc.nat(), { maxLength: 60 }),
        (headerLength, dataBytes, raw) => {
          const dataStart = 8 + headerLength;
          const size = dataStart + dataBytes;
          const offsets = [...new Set(raw.map((r) => dataStart + (r % dataBytes)))].sort(
            (a, b) => a - b,
          );
          const parts = repairParts(planOf(size, headerLength, offsets), size);
          let at = 0;
          for (const [i, p] of parts.entries()) {
            const [start, end] = extent(p);
            expect(start).toBe(at);
            expect(end).toBeGreaterThan(start);
            if (i > 0) {
              expect(p.kind).not.toBe(parts[i - 1].kind); // merged: kinds alternate
            }
            at = end;
          }
          expect(at).toBe(size);
          const input = Uint8Array.from({ length: size }, (_, i) => (i * 7 + 1) & 0xff);
          const output = applyParts(input, parts);
          const patched = new Set(offsets);
          for (let i = 0; i < size; i++) {
            expect(output[i]).toBe(patched.has(i) ? i & 0xff : input[i]);
          }
        },
      ),
    );
  });

  it('throws on a size mismatch and on patches out of order, duplicated or outside the data region', () => {
    expect(() => repairParts(planOf(32, 8, []), 33)).toThrow(/32 bytes, not 33/);
    expect(() => repairParts(planOf(32, 8, [20, 18]), 32)).toThrow(RangeError);
    expect(() => repairParts(planOf(32, 8, [20, 20]), 32)).toThrow(RangeError);
    expect(() => repairParts(planOf(32, 8, [15]), 32)).toThrow(/data region/);
    expect(() => repairParts(planOf(32, 8, [32]), 32)).toThrow(RangeError);
  });
});
