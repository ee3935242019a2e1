/**
 * The cuBLAS "128x4" blocked layout of block-scale matrices (ComfyUI NVFP4 `weight_scale`, and
 * torchao's `to_blocked`): the [rows, cols] matrix is padded to [⌈rows/128⌉·128, ⌈cols/4⌉·4], viewed as
 * (rb, 128, cb, 4), permuted to (rb, cb, 128, 4) and each 128x4 tile reshaped (4, 32, 4) ->
 * transposed (32, 4, 4). Each tile is 512 contiguous bytes; logical (r, c) with r = 32·i4 + i32 inside
 * the tile lands at i32·16 + i4·4 + (c mod 4).
 */
export const SWIZZLE_TILE_ROWS = 128;
export const SWIZZLE_TILE_COLS = 4;
/** Rows of a tile are split into 4 groups of this many (the (4, 32) view). */
const SWIZZLE_ROW_GROUP = 32;
/** Elements in one 128x4 tile. */
export const SWIZZLE_TILE_ELEMENTS = SWIZZLE_TILE_ROWS * SWIZZLE_TILE_COLS;

/** The stored (padded) shape of a swizzled [rows, cols] scale matrix. */
export function swizzledShape(rows: number, cols: number): [number, number] {
  return [
    Math.ceil(rows / SWIZZLE_TILE_ROWS) * SWIZZLE_TILE_ROWS,
    Math.ceil(cols / SWIZZLE_TILE_COLS) * SWIZZLE_TILE_COLS,
  ];
}

/** Storage index of logical (row, col) in a swizzled matrix of `cols` logical columns. */
export function swizzleIndex(row: number, col: number, cols: number): number {
  const tileCols = Math.ceil(cols / SWIZZLE_TILE_COLS);
  const tile = Math.floor(row / SWIZZLE_TILE_ROWS) * tileCols + Math.floor(col / SWIZZLE_TILE_COLS);
  const r = row % SWIZZLE_TILE_ROWS;
  const inTile =
    (r % SWIZZLE_ROW_GROUP) * 16 +
    Math.floor(r / SWIZZLE_ROW_GROUP) * SWIZZLE_TILE_COLS +
    (col % SWIZZLE_TILE_COLS);
  return tile * SWIZZLE_TILE_ELEMENTS + inTile;
}

/**
 * Logical (row, col) of storage index `index` in a swizzled matrix of `cols` logical columns; the
 * result may fall in the padding (row ≥ rows or col ≥ cols of the unpadded matrix).
 */
export function unswizzleIndex(index: number, cols: number): { row: number; col: number } {
  const tileCols = Math.ceil(cols / SWIZZLE_TILE_COLS);
  const tile = Math.floor(index / SWIZZLE_TILE_ELEMENTS);
  const inTile = index % SWIZZLE_TILE_ELEMENTS;
  const i32 = Math.floor(inTile / 16);
  const i4 = Math.floor((inTile % 16) / SWIZZLE_TILE_COLS);
  const c4 = inTile % SWIZZLE_TILE_COLS;
  const rowTile = Math.floor(tile / tileCols);
  const colTile = tile % tileCols;
  return {
    row: rowTile * SWIZZLE_TILE_ROWS + i4 * SWIZZLE_ROW_GROUP + i32,
    col: colTile * SWIZZLE_TILE_COLS + c4,
  };
}
