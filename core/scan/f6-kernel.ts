import { codeTable } from '../dtype/code-table';
import { F6_GROUP_BYTES } from '../dtype/fp6';
import type { TensorInfo } from '../format/tensor-info';
import { BadValueTracker } from './bad-values';
import { sparseCounts, summarizeCodes } from './code-summary';
import { CountTable } from './count-table';
import { plainArray } from './plain-array';
import type { ScanKernel } from './scan-kernel';
import { BlockSplitter, ChunkCursor } from './scan-kernel';
import type { TensorStats } from './tensor-stats';
import { valueRules } from './value-rules';
import { assembleStats } from './value-summary';

/** F6 codes per byte group (see `F6_PACKING`). */
const F6_CODES = 64;

/** Blocks for `countF6Groups` (see BlockSplitter). */
const BLOCKS = new BlockSplitter();

/** The hot loop: 3-byte groups [start, end), four 6-bit codes each (see `F6_PACKING`). */
function countF6Groups(chunk: Uint8Array, bins: Uint32Array, start: number, end: number): void {
  for (let g = start; g < end; g++) {
    const i = g * F6_GROUP_BYTES;
    const w = chunk[i] | (chunk[i + 1] << 8) | (chunk[i + 2] << 16);
    bins[w & 0x3f]++;
    bins[(w >>> 6) & 0x3f]++;
    bins[(w >>> 12) & 0x3f]++;
    bins[w >>> 18]++;
  }
}

/**
 * F6_E2M3 / F6_E3M2: an exact 64-bin code histogram over 3-byte groups of four little-endian
 * packed 6-bit codes; every code is finite, so there is nothing to locate.
 */
export class F6Kernel implements ScanKernel {
  private readonly tensor: TensorInfo;
  private readonly values: Float64Array;
  private readonly cursor: ChunkCursor;
  private readonly table = new CountTable(F6_CODES);
  private readonly bad: BadValueTracker;

  constructor(tensor: TensorInfo) {
    const values = codeTable(tensor.dtype);
    if (values === null || values.length !== F6_CODES) {
      throw new Error(`${tensor.dtype} is not an F6 dtype`);
    }
    this.tensor = tensor;
    this.values = values;
    this.cursor = new ChunkCursor(tensor.dtype, tensor.elements);
    this.bad = new BadValueTracker(tensor.shape);
  }

  update(chunk: Uint8Array, firstElement: number): void {
    const elements = this.cursor.advance(chunk, firstElement);
    this.table.reserve(elements);
    const groups = chunk.length / F6_GROUP_BYTES;
    for (let start = 0; start < groups;) {
      const end = BLOCKS.end(start, groups);
      countF6Groups(chunk, this.table.bins, start, end);
      start = end;
    }
  }

  finish(): TensorStats {
    this.cursor.assertComplete();
    const counts = this.table.totals();
    const rules = valueRules(this.tensor.dtype);
    const summary = summarizeCodes(sparseCounts(counts), this.values, rules);
    const histogram = { kind: 'codes', bits: 6, counts: plainArray(counts) } as const;
    return assembleStats(this.tensor, rules.floatLike, summary, histogram, this.bad);
  }
}
