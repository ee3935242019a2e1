import type { TensorInfo } from '../../format/tensor-info';
import type { ByteSource } from '../../io/byte-source';
import type { ScaleEncoding } from '../quant-layout';
import { decodeByRole, elementBytes } from './decode-values';
import { readTensorBytes } from './read-exact';

/** Random access to an auxiliary tensor (scales, zero points, group indices) by [row, col]. */
export interface Grid {
  /** Rows in the flattened grid. */
  readonly rows: number;
  /** Makes rows [first, end) readable with `at`; may load more than asked. */
  ensure(first: number, end: number): Promise<void>;
  /** The value at (row, col); the row must have been ensured. */
  at(row: number, col: number): number;
}

/**
 * A row-major tensor viewed as [rows, cols], decoded by role, keeping one band of rows in memory:
 * at least the rows asked for, and as many more as fit `bandBytes`. Streams forward cheaply; a
 * backward or far jump reloads.
 */
export class RowBand implements Grid {
  readonly rows: number;
  private readonly rowBytes: number;
  private first = 0;
  private end = 0;
  private values: Float64Array = new Float64Array(0);

  constructor(
    private readonly source: ByteSource,
    private readonly tensor: TensorInfo,
    private readonly cols: number,
    private readonly encoding: ScaleEncoding,
    private readonly bandBytes: number,
  ) {
    this.rowBytes = cols * elementBytes(tensor.dtype);
    this.rows = cols === 0 ? 0 : tensor.elements / cols;
  }

  async ensure(first: number, end: number): Promise<void> {
    if (first >= this.first && end <= this.end) {
      return;
    }
    const fit = Math.max(end - first, Math.floor(this.bandBytes / Math.max(1, this.rowBytes)));
    const last = Math.min(this.rows, first + fit);
    const bytes = await readTensorBytes(
      this.source,
      this.tensor,
      first * this.rowBytes,
      (last - first) * this.rowBytes,
    );
    this.values = decodeByRole(bytes, this.tensor.dtype, this.encoding, (last - first) * this.cols);
    this.first = first;
    this.end = last;
  }

  at(row: number, col: number): number {
    return this.values[(row - this.first) * this.cols + col];
  }
}
