/**
 * Fixture modules of the integer schemes (AutoAWQ, GPTQ, compressed-tensors W4A16, ModelOpt
 * W4A16_AWQ) and bitsandbytes NF4, plus plain unquantized weights.
 */
import type { TensorSpec } from '../../format/build-safetensors';
import { bf16Bytes, f16Bytes, f32Bytes, i32Bytes, i64Bytes } from './encode';
import type { BuiltModule } from './modules-float';
import {
  packAwq,
  packCtWeight,
  packCtZeros,
  packGptqWeight,
  packGptqZeros,
  packModelOptAwq,
  packNibbles,
} from './pack';
import type { Matrix } from './quantize';
import { NF4_TABLE, quantizeInt4, quantizeInt4Symmetric, quantizeNf4 } from './quantize';

/** [rows, groups] -> [groups, rows] (AWQ/GPTQ keep scales per input group, then output). */
function transposeGroups(values: Float64Array, rows: number, groups: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let r = 0; r < rows; r++) {
    for (let g = 0; g < groups; g++) {
      out[g * rows + r] = values[r * groups + g];
    }
  }
  return out;
}

/** W [R, C] -> W^T [C, R], the element order of AWQ and GPTQ. */
function transposed(w: Matrix): Float64Array {
  const out = new Float64Array(w.values.length);
  for (let r = 0; r < w.rows; r++) {
    for (let c = 0; c < w.cols; c++) {
      out[c * w.rows + r] = w.values[r * w.cols + c];
    }
  }
  return out;
}

function i32(name: string, shape: number[], words: Int32Array): TensorSpec {
  return { name, dtype: 'I32', shape, data: new Uint8Array(words.buffer) };
}

/** AutoAWQ GEMM: qweight I32 [C, R/8], qzeros I32 [C/g, R/8], scales F16 [C/g, R]. */
export function autoAwq(prefix: string, w: Matrix, group: number): BuiltModule {
  const groups = w.cols / group;
  const q = quantizeInt4(w, groups, (c) => Math.floor(c / group));
  return {
    tensors: [
      i32(`${prefix}.qweight`, [w.cols, w.rows / 8], packAwq(q.q, w.rows, w.cols)),
      i32(`${prefix}.qzeros`, [groups, w.rows / 8], packAwq(q.zeros, w.rows, groups)),
      {
        name: `${prefix}.scales`,
        dtype: 'F16',
        shape: [groups, w.rows],
        data: f16Bytes(transposeGroups(q.scales, w.rows, groups)),
      },
    ],
    source: transposed(w),
  };
}

/**
 * GPTQ (v1): qweight I32 [C/8, R], qzeros I32 [G, R/8] holding z - 1, scales F16 [G, R], g_idx I32 [C].
 * With `actOrder` the groups interleave (g_idx[c] = c mod G), as desc_act checkpoints do.
 */
export function gptq(prefix: string, w: Matrix, group: number, actOrder: boolean): BuiltModule {
  const groups = w.cols / group;
  const groupOf = (c: number): number => (actOrder ? c % groups : Math.floor(c / group));
  // v1 cannot store z = 0 (it would wrap to 15 after the minus one), so zeros start at 1.
  const q = quantizeInt4(w, groups, groupOf, 1);
  return {
    tensors: [
      i32(`${prefix}.qweight`, [w.cols / 8, w.rows], packGptqWeight(q.q, w.rows, w.cols)),
      i32(`${prefix}.qzeros`, [groups, w.rows / 8], packGptqZeros(q.zeros, w.rows, groups)),
      {
        name: `${prefix}.scales`,
        dtype: 'F16',
        shape: [groups, w.rows],
        data: f16Bytes(transposeGroups(q.scales, w.rows, groups)),
      },
      {
        name: `${prefix}.g_idx`,
        dtype: 'I32',
        shape: [w.cols],
        data: i32Bytes(Array.from({ length: w.cols }, (_, c) => groupOf(c))),
      },
    ],
    source: transposed(w),
  };
}

/**
 * compressed-tensors pack-quantized (asymmetric, act-order): weight_packed I32 [R, ⌈C/8⌉] (q + 8),
 * weight_zero_point I32 [⌈R/8⌉, G] (zp + 8), weight_scale BF16 [R, G], weight_g_idx, weight_shape.
 */
export function ctW4a16(prefix: string, w: Matrix, group: number): BuiltModule {
  const groups = Math.ceil(w.cols / group);
  const groupOf = (c: number): number => c % groups;
  const q = quantizeInt4(w, groups, groupOf);
  return {
    tensors: [
      i32(
        `${prefix}.weight_packed`,
        [w.rows, Math.ceil(w.cols / 8)],
        packCtWeight(q.q, w.rows, w.cols),
      ),
      {
        name: `${prefix}.weight_scale`,
        dtype: 'BF16',
        shape: [w.rows, groups],
        data: bf16Bytes(q.scales),
      },
      i32(
        `${prefix}.weight_zero_point`,
        [Math.ceil(w.rows / 8), groups],
        packCtZeros(q.zeros, w.rows, groups),
      ),
      {
        name: `${prefix}.weight_g_idx`,
        dtype: 'I32',
        shape: [w.cols],
        data: i32Bytes(Array.from({ length: w.cols }, (_, c) => groupOf(c))),
      },
      {
        name: `${prefix}.weight_shape`,
        dtype: 'I64',
        shape: [2],
        data: i64Bytes([w.rows, w.cols]),
      },
    ],
    source: w.values,
  };
}

/** ModelOpt W4A16_AWQ: weight U8 [R/2, C] (signed, row 2p low), weight_scale F16 [R, C/g], pre_quant_scale. */
export function modelOptAwq(prefix: string, w: Matrix, group: number): BuiltModule {
  const q = quantizeInt4Symmetric(w, group);
  return {
    tensors: [
      {
        name: `${prefix}.weight`,
        dtype: 'U8',
        shape: [w.rows / 2, w.cols],
        data: packModelOptAwq(q.q, w.rows, w.cols),
      },
      {
        name: `${prefix}.weight_scale`,
        dtype: 'F16',
        shape: [w.rows, w.cols / group],
        data: f16Bytes(q.scales),
      },
      {
        name: `${prefix}.pre_quant_scale`,
        dtype: 'F16',
        shape: [w.cols],
        data: f16Bytes(new Array<number>(w.cols).fill(1)),
      },
    ],
    source: w.values,
  };
}

/** bitsandbytes' default block size for 4-bit weights. */
const BNB_BLOCK = 64;

/**
 * bitsandbytes NF4 (`QuantState.as_dict(packed=True)`): weight U8 [N/2, 1] HIGH nibble first,
 * weight.absmax F32, weight.quant_map F32 [16], weight.quant_state.bitsandbytes__nf4 (JSON bytes).
 */
export function bnbNf4(prefix: string, w: Matrix): BuiltModule {
  const q = quantizeNf4(w.values, BNB_BLOCK);
  const state = JSON.stringify({
    quant_type: 'nf4',
    blocksize: BNB_BLOCK,
    dtype: 'bfloat16',
    shape: [w.rows, w.cols],
  });
  const stateBytes = new TextEncoder().encode(state);
  return {
    tensors: [
      {
        name: `${prefix}.weight`,
        dtype: 'U8',
        shape: [w.values.length / 2, 1],
        data: packNibbles(q.codes, false),
      },
      {
        name: `${prefix}.weight.absmax`,
        dtype: 'F32',
        shape: [q.absmax.length],
        data: f32Bytes(q.absmax),
      },
      { name: `${prefix}.weight.quant_map`, dtype: 'F32', shape: [16], data: f32Bytes(NF4_TABLE) },
      {
        name: `${prefix}.weight.quant_state.bitsandbytes__nf4`,
        dtype: 'U8',
        shape: [stateBytes.length],
        data: stateBytes,
      },
    ],
    source: w.values,
  };
}

/** An unquantized BF16 weight (embeddings, norms, excluded layers). */
export function plainBf16(name: string, w: Matrix): TensorSpec {
  return { name, dtype: 'BF16', shape: [w.rows, w.cols], data: bf16Bytes(w.values) };
}
