import { F8_E4M3_TABLE, F8_E5M2_TABLE } from '../dtype/fp8';
import { roleTensor } from '../quant/decode/decode-types';
import type { Fp8Layout } from '../quant/quant-layout';
import type { QuantModule } from '../quant/quant-types';
import { product } from '../quant/shape-util';
import { RowBand } from '../quant/stream/row-band';
import type { SourceMap, StreamOptions } from '../quant/stream/read-exact';
import { sourceFor, throwIfCancelled } from '../quant/stream/read-exact';
import { chunkBytesOf } from '../quant/stream/row-chunks';
import type { PlainSide } from './fused-plain';
import type { MetricsSummary } from './pair-metrics';
import { acquireDiffInstance, releaseDiffInstance } from './wasm/diff-instance';
import { aligned, pipelineChunks, readTo } from './wasm/memory-reads';
import { FP4_SUB_BLOCK, PairKernel } from './wasm/pair-kernel';
import type { FloatRole } from './wasm/pair-kernel';

/** Bytes per element of the float dtypes the kernel reads (it widens BF16 to F32 itself). */
const FLOAT_BYTES: Readonly<Partial<Record<string, number>>> = { BF16: 2, F32: 4 };
/** Bytes of one f64 scale per sub-block. */
const SCALE_BYTES = 8;

interface Geometry {
  readonly rows: number;
  readonly cols: number;
  readonly totalRows: number;
  readonly xBytes: number;
}

function geometryOf(plain: PlainSide, module: QuantModule, layout: Fp8Layout): Geometry | null {
  const xBytes = FLOAT_BYTES[plain.info.dtype];
  const weight = module.tensors.weight;
  const es = layout.elementShape;
  if (xBytes === undefined || weight === undefined || es.length < 2) {
    return null;
  }
  const cols = es[es.length - 1];
  const elements = product(es);
  const fits =
    cols > 0 &&
    cols % FP4_SUB_BLOCK === 0 &&
    layout.blockCols % FP4_SUB_BLOCK === 0 &&
    plain.info.elements === elements &&
    plain.info.nbytes === elements * xBytes &&
    weight.info.nbytes === elements;
  return fits ? { rows: es[es.length - 2], cols, totalRows: elements / cols, xBytes } : null;
}

/**
 * Compares an FP8 module (per-tensor, per-channel or block scales) with its float weight in the
 * WASM kernel, both sides read one chunk ahead into its memory; the scales are read from the same
 * row band as core's FP8 decoder and handed over one per 16 elements. The figures of the value
 * streams with PairMetrics within rounding of the summation order (tested against them). Null
 * when WebAssembly SIMD is not available or the layout does not fit (the caller then streams).
 */
export async function compareFp8Fused(
  plain: PlainSide,
  qSources: SourceMap,
  module: QuantModule,
  layout: Fp8Layout,
  floatIs: FloatRole,
  options: StreamOptions & { readonly onElements?: (elements: number) => void },
): Promise<MetricsSummary | null> {
  const g = geometryOf(plain, module, layout);
  if (g === null) {
    return null;
  }
  const wasm = acquireDiffInstance();
  if (wasm === null) {
    return null;
  }
  try {
    const weight = roleTensor(module, 'weight');
    const scale = roleTensor(module, 'scale');
    const qSource = sourceFor(qSources, weight.file, weight.info.name);
    const ss = layout.scaleShape;
    const scaleRows = ss.length >= 2 ? ss[ss.length - 2] : 1;
    const scaleCols = ss[ss.length - 1];
    const grid = new RowBand(
      sourceFor(qSources, scale.file, scale.info.name),
      scale.info,
      scaleCols,
      layout.scaleEncoding,
      chunkBytesOf(options),
    );
    const rowX = g.cols * g.xBytes;
    const subsPerRow = g.cols / FP4_SUB_BLOCK;
    const perChunk = Math.max(1, Math.floor(chunkBytesOf(options) / rowX));
    const slotRows = Math.min(perChunk, g.totalRows);
    const xSize = aligned(slotRows * rowX);
    const qSize = aligned(slotRows * g.cols);
    const slotBytes = xSize + qSize + aligned(slotRows * subsPerRow * SCALE_BYTES);
    wasm.ensureBytes(wasm.slotBytes + 2 * slotBytes);
    const slotX = (i: number): number => wasm.slotBytes + i * slotBytes;
    const kernel = new PairKernel(wasm);
    kernel.setLevels(layout.weightDtype === 'F8_E4M3' ? F8_E4M3_TABLE : F8_E5M2_TABLE);
    const bf16 = plain.info.dtype === 'BF16';
    await pipelineChunks(
      Math.ceil(g.totalRows / perChunk),
      (chunk, i) => {
        const row = chunk * perChunk;
        const rows = Math.min(perChunk, g.totalRows - row);
        return Promise.all([
          readTo(wasm, plain.source, plain.info, row * rowX, rows * rowX, slotX(i)),
          readTo(wasm, qSource, weight.info, row * g.cols, rows * g.cols, slotX(i) + xSize),
        ]);
      },
      async (chunk, i) => {
        throwIfCancelled(options, plain.source.name, plain.info.name);
        const row = chunk * perChunk;
        const end = Math.min(g.totalRows, row + perChunk);
        const sp = slotX(i) + xSize + qSize;
        const f64 = wasm.f64;
        let at = sp / SCALE_BYTES;
        for (let r = row; r < end; r++) {
          const slice = Math.floor(r / g.rows);
          const scaleRow = slice * scaleRows + Math.floor((r - slice * g.rows) / layout.blockRows);
          await grid.ensure(scaleRow, scaleRow + 1);
          for (let j = 0; j < subsPerRow; j++) {
            f64[at++] = grid.at(scaleRow, Math.floor((j * FP4_SUB_BLOCK) / layout.blockCols));
          }
        }
        kernel.runFp8(
          slotX(i),
          bf16,
          slotX(i) + xSize,
          sp,
          (end - row) * subsPerRow,
          layout.weightDtype,
        );
        options.onElements?.(end * g.cols);
      },
    );
    return kernel.result(floatIs).metrics;
  } finally {
    // pipelineChunks settles only once no read can still land in the instance's memory.
    releaseDiffInstance(wasm);
  }
}
