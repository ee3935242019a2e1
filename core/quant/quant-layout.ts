/**
 * How a scale's bytes become numbers, by its role rather than its storage dtype: several toolchains
 * store FP8 scales as U8 (ComfyUI E4M3, gpt-oss / MX E8M0), so the dtype alone does not say.
 * - `e4m3`: FP8 E4M3FN bytes (U8 or F8_E4M3 storage): NaN 0x7F/0xFF, max 448, min 2^-9.
 * - `e8m0`: E8M0 exponent bytes (U8 or F8_E8M0 storage): 2^(b-127), NaN 0xFF, no zero.
 * - `float`: the storage dtype's own value (F32/F16/BF16/F64).
 */
export type ScaleEncoding = 'e4m3' | 'e8m0' | 'float';

/**
 * Packed 4-bit floats with one scale per block: NVFP4 (E2M1, 16-element blocks, E4M3 scales,
 * global scale) and MXFP4 (E2M1, 32-element blocks, E8M0 scales).
 *
 * The weight unpacks to `elementShape` = [...lead, rows, cols] as laid out on disk. With
 * `packedAxis: 'last'` consecutive elements along `cols` share a byte and a block (row-major
 * Linear [out, in], gpt-oss blocks flattened to [.., G·32]). With `'second-last'` they run along
 * `rows` (ModelOpt BMM-style experts kept as [E, in, out] on disk: weight [E, in/2, out]).
 */
export interface Fp4Layout {
  readonly kind: 'fp4';
  readonly nibbleOrder: 'low-first' | 'high-first';
  readonly blockSize: number;
  readonly packedAxis: 'last' | 'second-last';
  readonly scaleEncoding: 'e4m3' | 'e8m0';
  /** `cublas-128x4`: ComfyUI's swizzled, padded scale layout (see swizzle.ts). */
  readonly scaleLayout: 'row-major' | 'cublas-128x4';
  /** How the global scale applies: ModelOpt/Comfy multiply, compressed-tensors divide, MX none. */
  readonly globalScale: 'multiply' | 'divide' | 'none';
  readonly elementShape: readonly number[];
  /** The logical (unpadded) scale grid [...lead, scaleRows, scaleCols]. */
  readonly scaleShape: readonly number[];
}

/**
 * FP8 values with a grid of scales: one per `blockRows` x `blockCols` elements of [...lead, R, C].
 * Per-tensor: blockRows = R, blockCols = C; per-channel: 1 x C; DeepSeek / CT block: 128 x 128;
 * MXFP8 and CT group: 1 x 32 / 1 x g. W = fp8 · scale.
 */
export interface Fp8Layout {
  readonly kind: 'fp8';
  readonly weightDtype: 'F8_E4M3' | 'F8_E5M2';
  readonly scaleEncoding: ScaleEncoding;
  readonly blockRows: number;
  readonly blockCols: number;
  readonly elementShape: readonly number[];
  readonly scaleShape: readonly number[];
}

/**
 * How 4-bit integers are packed (formats.md §4):
 * - `awq-gemm`: qweight I32 [C, R/8], nibble i of a word = out column 8j + AWQ order[i]; unsigned
 *   q and qzeros; W^T[c, r] = (q - z) · s[c/g, r].
 * - `gptq`: qweight I32 [C/8, R], nibble j = in row 8k + j; qzeros hold z - 1 (v1);
 *   W^T[c, r] = s[g_idx[c], r] · (q - (z + zeroOffset)).
 * - `ct-pack`: compressed-tensors weight_packed I32 [R, ceil(C/8)], nibble j = column 8k + j, stored
 *   q + 8; zero points packed along rows, also + 8; W = (q - zp) · s[r, c/g].
 * - `modelopt-awq`: ModelOpt W4A16_AWQ weight U8 [R/2, C], low nibble = row 2p, signed two's
 *   complement; W = q · s[r, c/g].
 */
export type Int4Packing = 'awq-gemm' | 'gptq' | 'ct-pack' | 'modelopt-awq';

/**
 * 4-bit integers with per-group scales (and zero points). `elementShape` is the unpacked shape as
 * laid out on disk: [C, R] (in x out, transposed) for AWQ/GPTQ, [R, C] for the others.
 */
export interface Int4Layout {
  readonly kind: 'int4';
  readonly packing: Int4Packing;
  readonly groupSize: number;
  readonly outFeatures: number;
  readonly inFeatures: number;
  readonly elementShape: readonly number[];
  /** Whether zero points are stored (else symmetric). */
  readonly zeroPoints: boolean;
  /** GPTQ v1 stores z - 1: add 1 back (0 for gptq_v2 and the other packings). */
  readonly zeroOffset: number;
  /** Whether a group index (act-order) picks each input row's group. */
  readonly groupIndex: boolean;
}

/**
 * bitsandbytes 4-bit: flat U8, HIGH nibble = element 2k, W = quant_map[code] · absmax[i / blockSize].
 * Only a plain F32 `absmax` is decoded; double quantization (U8 absmax) is recognised, not decoded.
 */
export interface Nf4Layout {
  readonly kind: 'nf4';
  readonly blockSize: number;
  readonly elementShape: readonly number[];
  readonly doubleQuant: boolean;
}

export type QuantLayout = Fp4Layout | Fp8Layout | Int4Layout | Nf4Layout;
