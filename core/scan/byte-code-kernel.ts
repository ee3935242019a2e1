import { codeTable } from '../dtype/code-table';
import type { TensorInfo } from '../format/tensor-info';
import { BadValueTracker } from './bad-values';
import { BYTE_SUBTABLES, countBytes, foldByteBins } from './byte-histogram';
import { sparseCounts, summarizeCodes } from './code-summary';
import { CountTable } from './count-table';
import type { ScanKernel } from './scan-kernel';
import { ChunkCursor } from './scan-kernel';
import type { TensorStats } from './tensor-stats';
import { valueRules } from './value-rules';
import { assembleStats } from './value-summary';

/** `badKind` values; 0 (the fill) means an ordinary code. */
const BAD_NAN = 1;
const BAD_INF = 2;

/**
 * 8-bit dtypes (FP8, U8, I8, BOOL) and F4: a byte histogram is the whole scan. All stats come from
 * the exact code histogram at `finish`, so they do not depend on chunking. NaN/Inf positions are
 * only searched for in chunks whose NaN/Inf code counts grew.
 */
export class ByteCodeKernel implements ScanKernel {
  private readonly tensor: TensorInfo;
  private readonly values: Float64Array;
  private readonly nibbles: boolean;
  private readonly cursor: ChunkCursor;
  private readonly table = new CountTable(BYTE_SUBTABLES * 256);
  private readonly bad: BadValueTracker;
  /** 0 / BAD_NAN / BAD_INF for each byte (8-bit dtypes only; F4 has no specials). */
  private readonly badKind = new Uint8Array(256);
  private readonly badCodes: number[] = [];
  private badSeen = 0;

  constructor(tensor: TensorInfo) {
    const values = codeTable(tensor.dtype);
    if (values === null || (values.length !== 256 && values.length !== 16)) {
      throw new Error(`${tensor.dtype} is not an 8-bit or 4-bit dtype`);
    }
    this.tensor = tensor;
    this.values = values;
    this.nibbles = values.length === 16;
    this.cursor = new ChunkCursor(tensor.dtype, tensor.elements);
    this.bad = new BadValueTracker(tensor.shape);
    if (!this.nibbles) {
      for (let c = 0; c < 256; c++) {
        const v = values[c];
        if (!Number.isFinite(v)) {
          this.badKind[c] = Number.isNaN(v) ? BAD_NAN : BAD_INF;
          this.badCodes.push(c);
        }
      }
    }
  }

  update(chunk: Uint8Array, firstElement: number): void {
    this.cursor.advance(chunk, firstElement);
    this.table.reserve(chunk.length);
    countBytes(chunk, this.table.bins);
    if (this.badCodes.length === 0) {
      return;
    }
    let seen = 0;
    for (const c of this.badCodes) {
      for (let t = 0; t < BYTE_SUBTABLES; t++) {
        seen += this.table.get(t * 256 + c);
      }
    }
    if (seen !== this.badSeen) {
      this.badSeen = seen;
      this.locateBad(chunk, firstElement);
    }
  }

  finish(): TensorStats {
    this.cursor.assertComplete();
    const bytes = foldByteBins(this.table.totals());
    const counts = this.nibbles ? nibbleCounts(bytes) : bytes;
    const values = this.values;
    const rules = valueRules(this.tensor.dtype);
    const summary = summarizeCodes(sparseCounts(counts), (c) => values[c], rules);
    const histogram = {
      kind: 'codes',
      bits: this.nibbles ? 4 : 8,
      counts: Array.from(counts),
    } as const;
    return assembleStats(this.tensor, rules.floatLike, summary, histogram, this.bad);
  }

  private locateBad(chunk: Uint8Array, firstElement: number): void {
    const kind = this.badKind;
    for (let i = 0; i < chunk.length; i++) {
      const k = kind[chunk[i]];
      if (k === BAD_NAN) {
        this.bad.addNan(firstElement + i);
      } else if (k === BAD_INF) {
        this.bad.addInf(firstElement + i);
      }
    }
  }
}

/** F4: each byte holds two E2M1 codes (low and high nibble); both count. */
function nibbleCounts(bytes: Float64Array): Float64Array {
  const out = new Float64Array(16);
  for (let b = 0; b < 256; b++) {
    out[b & 0xf] += bytes[b];
    out[b >>> 4] += bytes[b];
  }
  return out;
}
