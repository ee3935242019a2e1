import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { swizzledShape, swizzleIndex, unswizzleIndex } from './swizzle';

/** The reference: torchao/ComfyUI `to_blocked`, transcribed literally (pad, view, permute, reshape). */
function toBlocked(matrix: number[][], rows: number, cols: number): number[] {
  const [pr, pc] = swizzledShape(rows, cols);
  const padded = (r: number, c: number): number => (r < rows && c < cols ? matrix[r][c] : 0);
  const out: number[] = [];
  for (let rb = 0; rb < pr / 128; rb++) {
    for (let cb = 0; cb < pc / 4; cb++) {
      // (4, 32, 4) -> transpose(1, 2) -> (32, 4, 4)
      for (let i32 = 0; i32 < 32; i32++) {
        for (let i4 = 0; i4 < 4; i4++) {
          for (let c = 0; c < 4; c++) {
            out.push(padded(rb * 128 + i4 * 32 + i32, cb * 4 + c));
          }
        }
      }
    }
  }
  return out;
}

describe('cuBLAS 128x4 swizzle', () => {
  it('pads rows to 128 and columns to 4 (head.head: [16, 32] -> [128, 32])', () => {
    expect(swizzledShape(16, 32)).toEqual([128, 32]);
    expect(swizzledShape(2048, 32)).toEqual([2048, 32]);
    expect(swizzledShape(129, 5)).toEqual([256, 8]);
  });

  it('matches to_blocked on literal positions', () => {
    // Row 1 of the first tile is the second 16-byte group; row 32 is the second 4-byte group.
    expect(swizzleIndex(0, 0, 8)).toBe(0);
    expect(swizzleIndex(0, 3, 8)).toBe(3);
    expect(swizzleIndex(1, 0, 8)).toBe(16);
    expect(swizzleIndex(32, 0, 8)).toBe(4);
    expect(swizzleIndex(33, 2, 8)).toBe(22);
    expect(swizzleIndex(0, 4, 8)).toBe(512);
    expect(swizzleIndex(128, 0, 8)).toBe(1024);
  });

  it('agrees with a literal transcription of to_blocked', () => {
    const rows = 130;
    const cols = 6;
    const matrix = Array.from({ length: rows }, (_, r) =>
      Array.from({ length: cols }, (_, c) => 1 + r * cols + c),
    );
    const blocked = toBlocked(matrix, rows, cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        expect(blocked[swizzleIndex(r, c, cols)]).toBe(matrix[r][c]);
      }
    }
    const logical = blocked.filter((v) => v !== 0).length;
    expect(logical).toBe(rows * cols);
  });

  it('unswizzleIndex inverts swizzleIndex everywhere, padding included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 40 }),
        (rows, cols) => {
          const [pr, pc] = swizzledShape(rows, cols);
          const seen = new Set<number>();
          for (let i = 0; i < pr * pc; i += 13) {
            const { row, col } = unswizzleIndex(i, cols);
            expect(row).toBeLessThan(pr);
            expect(col).toBeLessThan(pc);
            expect(swizzleIndex(row, col, cols)).toBe(i);
            seen.add(i);
          }
          return seen.size > 0;
        },
      ),
      { numRuns: 30 },
    );
  });
});
