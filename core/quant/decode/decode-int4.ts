import { assertUnreachable } from '../../dtype/dtype';
import type { TensorRef } from '../quant-types';
import type { Int4Layout } from '../quant-layout';
import { INT4_PER_WORD } from '../layouts/int4-layout';
import { chunkBytesOf, forEachRowChunk } from '../stream/row-chunks';
import { RowBand } from '../stream/row-band';
import type { SourceMap, StreamOptions } from '../stream/read-exact';
import { sourceFor } from '../stream/read-exact';
import type { DecodeInput, ElementVisitor } from './decode-types';
import { roleTensor } from './decode-types';

/**
 * AutoAWQ packs eight out-columns per word interleaved: nibble i (bits 4i..4i+3) of word j holds
 * out column 8j + AWQ_PACK_ORDER[i] (`awq/utils/packing_utils.py`; unpacking reorders by [0,4,1,5,2,6,3,7]).
 */
export const AWQ_PACK_ORDER: readonly number[] = [0, 2, 4, 6, 1, 3, 5, 7];
/** compressed-tensors stores int4 values and zero points offset by 2^(4-1) (`pack_to_int32`). */
export const CT_INT4_OFFSET = 8;
/** Unsigned 4-bit codes without zero points are centred here (symmetric AWQ/GPTQ). */
export const UNSIGNED_INT4_MIDPOINT = 8;
const NIBBLE = 0xf;

function nibble(word: number, i: number): number {
  return (word >>> (4 * i)) & NIBBLE;
}

function words(bytes: Uint8Array): Uint32Array {
  const copy = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  return new Uint32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4);
}

function band(
  sources: SourceMap,
  ref: TensorRef | undefined,
  cols: number,
  options: StreamOptions,
): RowBand | null {
  if (ref === undefined) {
    return null;
  }
  const source = sourceFor(sources, ref.file, ref.info.name);
  return new RowBand(source, ref.info, cols, 'float', chunkBytesOf(options));
}

/** Emits one int4 element: level = q - z, W = level · s; a zero s over a non-zero level is a zeroed code. */
function emit(
  visit: ElementVisitor,
  index: number,
  code: number,
  level: number,
  s: number,
  scaleIndex: number,
): void {
  visit.element(index, code, level, level * s);
  if (s === 0 && level !== 0) {
    visit.zeroed(scaleIndex);
  }
}

/** Streams a 4-bit integer weight of any of the four packings (see `Int4Packing`). */
export async function decodeInt4(
  input: DecodeInput,
  layout: Int4Layout,
  visit: ElementVisitor,
): Promise<void> {
  switch (layout.packing) {
    case 'awq-gemm':
      return decodeAwqGemm(input, layout, visit);
    case 'gptq':
      return decodeGptq(input, layout, visit);
    case 'ct-pack':
      return decodeCtPack(input, layout, visit);
    case 'modelopt-awq':
      return decodeModelOptAwq(input, layout, visit);
    default:
      return assertUnreachable(layout.packing);
  }
}

/** AutoAWQ GEMM: qweight [C, R/8], qzeros [C/g, R/8], scales [C/g, R]; W^T[c, r] = (q - z) · s. */
async function decodeAwqGemm(
  input: DecodeInput,
  layout: Int4Layout,
  visit: ElementVisitor,
): Promise<void> {
  const { module, sources, options } = input;
  const weight = roleTensor(module, 'weight');
  const out = layout.outFeatures;
  const perRow = out / INT4_PER_WORD;
  const scales = band(sources, module.tensors.scale, out, options);
  const zeros = band(sources, module.tensors.zeroPoint, perRow, options);
  const source = sourceFor(sources, weight.file, weight.info.name);
  await forEachRowChunk(
    source,
    weight.info,
    perRow * 4,
    options,
    async (bytes, firstRow, count) => {
      const w = words(bytes);
      for (let k = 0; k < count; k++) {
        const c = firstRow + k;
        const group = Math.floor(c / layout.groupSize);
        await scales?.ensure(group, group + 1);
        await zeros?.ensure(group, group + 1);
        for (let j = 0; j < perRow; j++) {
          const word = w[k * perRow + j];
          const zw = zeros === null ? 0 : zeros.at(group, j);
          for (let i = 0; i < INT4_PER_WORD; i++) {
            const r = j * INT4_PER_WORD + AWQ_PACK_ORDER[i];
            const q = nibble(word, i);
            const z = zeros === null ? UNSIGNED_INT4_MIDPOINT : nibble(zw, i);
            const s = scales === null ? NaN : scales.at(group, r);
            emit(visit, c * out + r, q, q - z, s, group * out + r);
          }
        }
      }
    },
  );
}

/** GPTQ: qweight [C/8, R], qzeros [G, R/8] (z - 1 in v1), scales [G, R], g_idx [C]. */
async function decodeGptq(
  input: DecodeInput,
  layout: Int4Layout,
  visit: ElementVisitor,
): Promise<void> {
  const { module, sources, options } = input;
  const weight = roleTensor(module, 'weight');
  const out = layout.outFeatures;
  const inF = layout.inFeatures;
  const scales = band(sources, module.tensors.scale, out, options);
  const zeros = band(sources, module.tensors.zeroPoint, Math.ceil(out / INT4_PER_WORD), options);
  const gIdx = band(sources, module.tensors.groupIndex, 1, options);
  const source = sourceFor(sources, weight.file, weight.info.name);
  await forEachRowChunk(source, weight.info, out * 4, options, async (bytes, firstRow, count) => {
    const w = words(bytes);
    for (let k = 0; k < count; k++) {
      const packedRow = firstRow + k;
      for (let j = 0; j < INT4_PER_WORD; j++) {
        const c = packedRow * INT4_PER_WORD + j;
        if (c >= inF) {
          break;
        }
        await gIdx?.ensure(c, c + 1);
        const group = gIdx === null ? Math.floor(c / layout.groupSize) : gIdx.at(c, 0);
        await scales?.ensure(group, group + 1);
        await zeros?.ensure(group, group + 1);
        for (let r = 0; r < out; r++) {
          const q = nibble(w[k * out + r], j);
          const z =
            zeros === null
              ? UNSIGNED_INT4_MIDPOINT
              : nibble(zeros.at(group, r >>> 3), r & 7) + layout.zeroOffset;
          const s = scales === null ? NaN : scales.at(group, r);
          emit(visit, c * out + r, q, q - z, s, group * out + r);
        }
      }
    }
  });
}

/** compressed-tensors pack-quantized: weight_packed [R, ⌈C/8⌉] (q + 8), zero points [⌈R/8⌉, G] (zp + 8). */
async function decodeCtPack(
  input: DecodeInput,
  layout: Int4Layout,
  visit: ElementVisitor,
): Promise<void> {
  const { module, sources, options } = input;
  const weight = roleTensor(module, 'weight');
  const inF = layout.inFeatures;
  const groups = Math.ceil(inF / layout.groupSize);
  const perRow = weight.info.shape[1];
  const scales = band(sources, module.tensors.scale, groups, options);
  const zeros = band(sources, module.tensors.zeroPoint, groups, options);
  const gIdx = band(sources, module.tensors.groupIndex, 1, options);
  await gIdx?.ensure(0, inF);
  const source = sourceFor(sources, weight.file, weight.info.name);
  await forEachRowChunk(
    source,
    weight.info,
    perRow * 4,
    options,
    async (bytes, firstRow, count) => {
      const w = words(bytes);
      for (let k = 0; k < count; k++) {
        const r = firstRow + k;
        await scales?.ensure(r, r + 1);
        await zeros?.ensure(r >>> 3, (r >>> 3) + 1);
        for (let c = 0; c < inF; c++) {
          const q = nibble(w[k * perRow + (c >>> 3)], c & 7) - CT_INT4_OFFSET;
          const group = gIdx === null ? Math.floor(c / layout.groupSize) : gIdx.at(c, 0);
          const zp = zeros === null ? 0 : nibble(zeros.at(r >>> 3, group), r & 7) - CT_INT4_OFFSET;
          const s = scales === null ? NaN : scales.at(r, group);
          emit(visit, r * inF + c, q + CT_INT4_OFFSET, q - zp, s, r * groups + group);
        }
      }
    },
  );
}

/** ModelOpt W4A16_AWQ: weight U8 [R/2, C], low nibble = row 2p, signed; W = q · s[r, c/g]. */
async function decodeModelOptAwq(
  input: DecodeInput,
  layout: Int4Layout,
  visit: ElementVisitor,
): Promise<void> {
  const { module, sources, options } = input;
  const weight = roleTensor(module, 'weight');
  const inF = layout.inFeatures;
  const groups = Math.ceil(inF / layout.groupSize);
  const scales = band(sources, module.tensors.scale, groups, options);
  const source = sourceFor(sources, weight.file, weight.info.name);
  const signed = (n: number): number => (n >= 8 ? n - 16 : n);
  await forEachRowChunk(source, weight.info, inF, options, async (bytes, firstRow, count) => {
    for (let k = 0; k < count; k++) {
      const r0 = 2 * (firstRow + k);
      await scales?.ensure(r0, r0 + 2);
      for (let c = 0; c < inF; c++) {
        const byte = bytes[k * inF + c];
        const group = Math.floor(c / layout.groupSize);
        for (let h = 0; h < 2; h++) {
          const code = h === 0 ? byte & NIBBLE : byte >>> 4;
          const s = scales === null ? NaN : scales.at(r0 + h, group);
          emit(visit, (r0 + h) * inF + c, code, signed(code), s, (r0 + h) * groups + group);
        }
      }
    }
  });
}
