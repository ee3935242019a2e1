import type { TensorInfo } from '../../format/tensor-info';
import type { ByteSource } from '../../io/byte-source';
import type { ScaleEncoding } from '../quant-layout';
import { SWIZZLE_TILE_ROWS, swizzledShape, swizzleIndex } from '../swizzle';
import type { Grid } from './row-band';
import { decodeByRole, elementBytes } from './decode-values';
import { readTensorBytes } from './read-exact';

/**
 * A cuBLAS 128x4 swizzled scale tensor ([...lead, pad128(rows), pad4(cols)] on disk) read by
 * LOGICAL (row, col), rows flattened over the leading dims. It loads one band of 128 logical rows
 * of one lead slice at a time: those are `128 · paddedCols` contiguous bytes.
 */
export class SwizzledBand implements Grid {
  readonly rows: number;
  private readonly paddedRows: number;
  private readonly paddedCols: number;
  private readonly bytesPerElement: number;
  private band = -1;
  private values: Float64Array = new Float64Array(0);

  constructor(
    private readonly source: ByteSource,
    private readonly tensor: TensorInfo,
    private readonly sliceRows: number,
    private readonly cols: number,
    slices: number,
    private readonly encoding: ScaleEncoding,
  ) {
    [this.paddedRows, this.paddedCols] = swizzledShape(sliceRows, cols);
    this.rows = slices * sliceRows;
    this.bytesPerElement = elementBytes(tensor.dtype);
  }

  private bandOf(row: number): number {
    const slice = Math.floor(row / this.sliceRows);
    const inSlice = row - slice * this.sliceRows;
    return slice * (this.paddedRows / SWIZZLE_TILE_ROWS) + Math.floor(inSlice / SWIZZLE_TILE_ROWS);
  }

  async ensure(first: number, end: number): Promise<void> {
    const a = this.bandOf(first);
    const b = this.bandOf(Math.max(first, end - 1));
    if (a !== b) {
      throw new RangeError('a swizzled scale read may not cross a 128-row band');
    }
    if (a === this.band) {
      return;
    }
    const bandElements = SWIZZLE_TILE_ROWS * this.paddedCols;
    const bytes = await readTensorBytes(
      this.source,
      this.tensor,
      a * bandElements * this.bytesPerElement,
      bandElements * this.bytesPerElement,
    );
    this.values = decodeByRole(bytes, this.tensor.dtype, this.encoding, bandElements);
    this.band = a;
  }

  at(row: number, col: number): number {
    const inSlice = row % this.sliceRows;
    return this.values[swizzleIndex(inSlice % SWIZZLE_TILE_ROWS, col, this.cols)];
  }
}
