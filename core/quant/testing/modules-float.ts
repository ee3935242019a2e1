/**
 * Fixture modules of the float schemes (NVFP4, MXFP4, FP8, MXFP8) in each toolchain's names and
 * layouts. Each returns the tensors and the source weights in the module's element order.
 */
import type { TensorSpec } from '../../format/build-safetensors';
import { bf16Bytes, f32Bytes, gaussianMatrix, prng } from './encode';
import { swizzledShape } from '../swizzle';
import { packNibbles, swizzleBytes } from './pack';
import type { Matrix } from './quantize';
import { nvfp4Global, quantizeFp8, quantizeMxfp4, quantizeNvfp4 } from './quantize';

/** A built module: its tensors and the float weights it quantizes, in `elementShape` order. */
export interface BuiltModule {
  readonly tensors: TensorSpec[];
  readonly source: Float64Array;
}

/** Weights of a small Linear [rows, cols], normal with std 0.02, from a seed. */
export function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  return { rows, cols, values: gaussianMatrix(prng(seed), rows * cols, 0.02) };
}

/** Activation scale of the fixtures' static input quantization (act_amax / (6·448) style). */
export const FIXTURE_INPUT_SCALE = 0.01;
/** ComfyUI writes `{"format": "nvfp4"}` into `comfy_quant` (19 bytes in the real files). */
export const COMFY_QUANT_JSON = '{"format": "nvfp4"}';

function u8(name: string, shape: number[], data: Uint8Array): TensorSpec {
  return { name, dtype: 'U8', shape, data };
}

function f32(name: string, shape: number[], values: number[]): TensorSpec {
  return { name, dtype: 'F32', shape, data: f32Bytes(values) };
}

/**
 * The global scale ModelOpt and llm-compressor give siblings a runtime fuses (q/k/v, gate/up): one
 * amax over all of them, so every sibling carries the same `weight_scale_2`.
 */
export function fusedNvfp4Global(siblings: readonly Matrix[]): number {
  return siblings.reduce((g, m) => Math.max(g, nvfp4Global(m.values)), 0);
}

/** ModelOpt NVFP4: weight U8 [R, C/2] low nibble first, weight_scale F8_E4M3 [R, C/16], globals F32 []. */
export function modelOptNvfp4(
  prefix: string,
  w: Matrix,
  input: number | null = FIXTURE_INPUT_SCALE,
  sharedGlobal: number | null = null,
): BuiltModule {
  const q = quantizeNvfp4(w, sharedGlobal);
  const tensors: TensorSpec[] = [
    u8(`${prefix}.weight`, [w.rows, w.cols / 2], packNibbles(q.codes, true)),
    {
      name: `${prefix}.weight_scale`,
      dtype: 'F8_E4M3',
      shape: [w.rows, w.cols / 16],
      data: q.scales,
    },
    f32(`${prefix}.weight_scale_2`, [], [q.global]),
  ];
  if (input !== null) {
    tensors.push(f32(`${prefix}.input_scale`, [], [input]));
  }
  return { tensors, source: w.values };
}

/** compressed-tensors NVFP4: `weight_packed`, F8_E4M3 `weight_scale`, reciprocal `weight_global_scale` [1]. */
export function ctNvfp4(prefix: string, w: Matrix): BuiltModule {
  const q = quantizeNvfp4(w);
  return {
    tensors: [
      u8(`${prefix}.weight_packed`, [w.rows, w.cols / 2], packNibbles(q.codes, true)),
      {
        name: `${prefix}.weight_scale`,
        dtype: 'F8_E4M3',
        shape: [w.rows, w.cols / 16],
        data: q.scales,
      },
      f32(`${prefix}.weight_global_scale`, [1], [1 / q.global]),
      f32(`${prefix}.input_global_scale`, [1], [1 / FIXTURE_INPUT_SCALE]),
    ],
    source: w.values,
  };
}

/** ComfyUI NVFP4: HIGH nibble first, E4M3 scale bytes as U8 in the padded 128x4 swizzled layout. */
export function comfyNvfp4(prefix: string, w: Matrix): BuiltModule {
  const q = quantizeNvfp4(w);
  const scaleCols = w.cols / 16;
  const swizzled = swizzleBytes(q.scales, w.rows, scaleCols);
  return {
    tensors: [
      u8(
        `${prefix}.comfy_quant`,
        [COMFY_QUANT_JSON.length],
        new TextEncoder().encode(COMFY_QUANT_JSON),
      ),
      u8(`${prefix}.weight`, [w.rows, w.cols / 2], packNibbles(q.codes, false)),
      u8(`${prefix}.weight_scale`, swizzledShape(w.rows, scaleCols), swizzled),
      f32(`${prefix}.weight_scale_2`, [], [q.global]),
      f32(`${prefix}.input_scale`, [], [FIXTURE_INPUT_SCALE]),
    ],
    source: w.values,
  };
}

/** ModelOpt fused experts [E, R, C/2] with `<p>_weight_scale` [E, R, C/16] and one global per expert. */
export function modelOptFusedExperts(prefix: string, experts: readonly Matrix[]): BuiltModule {
  const [first] = experts;
  const qs = experts.map((w) => quantizeNvfp4(w));
  const e = experts.length;
  return {
    tensors: [
      u8(
        prefix,
        [e, first.rows, first.cols / 2],
        concat(qs.map((q) => packNibbles(q.codes, true))),
      ),
      {
        name: `${prefix}_weight_scale`,
        dtype: 'F8_E4M3',
        shape: [e, first.rows, first.cols / 16],
        data: concat(qs.map((q) => q.scales)),
      },
      f32(
        `${prefix}_weight_scale_2`,
        [e],
        qs.map((q) => q.global),
      ),
      f32(`${prefix}_input_scale`, [], [FIXTURE_INPUT_SCALE]),
    ],
    source: concatF64(experts.map((w) => w.values)),
  };
}

/**
 * ModelOpt BMM-style experts (Llama4 / gpt-oss): each expert's [out, in] weight quantized along
 * `in`, stored transposed back: weight U8 [E, in/2, out], weight_scale [E, in/16, out], shared global.
 */
export function modelOptTransposedExperts(prefix: string, experts: readonly Matrix[]): BuiltModule {
  const [first] = experts;
  const out = first.rows;
  const inF = first.cols;
  const global = nvfp4Global(concatF64(experts.map((w) => w.values)));
  const weight = new Uint8Array(experts.length * (inF / 2) * out);
  const scales = new Uint8Array(experts.length * (inF / 16) * out);
  const source = new Float64Array(experts.length * inF * out);
  experts.forEach((w, e) => {
    const q = quantizeNvfp4(w, global);
    for (let o = 0; o < out; o++) {
      for (let i = 0; i < inF; i++) {
        source[(e * inF + i) * out + o] = w.values[o * inF + i];
      }
      for (let p = 0; p < inF / 2; p++) {
        weight[(e * (inF / 2) + p) * out + o] =
          q.codes[o * inF + 2 * p] | (q.codes[o * inF + 2 * p + 1] << 4);
      }
      for (let b = 0; b < inF / 16; b++) {
        scales[(e * (inF / 16) + b) * out + o] = q.scales[o * (inF / 16) + b];
      }
    }
  });
  return {
    tensors: [
      u8(prefix, [experts.length, inF / 2, out], weight),
      {
        name: `${prefix}_weight_scale`,
        dtype: 'F8_E4M3',
        shape: [experts.length, inF / 16, out],
        data: scales,
      },
      f32(`${prefix}_weight_scale_2`, [], [global]),
      f32(`${prefix}_input_scale`, [], [FIXTURE_INPUT_SCALE]),
    ],
    source,
  };
}

/** gpt-oss MXFP4 experts: `<p>_blocks` U8 [E, R, C/32, 16], `<p>_scales` U8 [E, R, C/32] (E8M0). */
export function gptOssExperts(prefix: string, experts: readonly Matrix[]): BuiltModule {
  const [first] = experts;
  const qs = experts.map((w) => quantizeMxfp4(w));
  const g = first.cols / 32;
  return {
    tensors: [
      u8(
        `${prefix}_blocks`,
        [experts.length, first.rows, g, 16],
        concat(qs.map((q) => packNibbles(q.codes, true))),
      ),
      u8(`${prefix}_scales`, [experts.length, first.rows, g], concat(qs.map((q) => q.scales))),
    ],
    source: concatF64(experts.map((w) => w.values)),
  };
}

/** compressed-tensors MXFP4: `weight_packed` U8 [R, C/2], `weight_scale` U8 [R, C/32] (E8M0). */
export function ctMxfp4(prefix: string, w: Matrix): BuiltModule {
  const q = quantizeMxfp4(w);
  return {
    tensors: [
      u8(`${prefix}.weight_packed`, [w.rows, w.cols / 2], packNibbles(q.codes, true)),
      u8(`${prefix}.weight_scale`, [w.rows, w.cols / 32], q.scales),
    ],
    source: w.values,
  };
}

/** ModelOpt MXFP8: weight F8_E4M3 [R, C], weight_scale U8 [R, C/32] holding E8M0 exponents. */
export function modelOptMxfp8(prefix: string, w: Matrix): BuiltModule {
  const q = quantizeFp8(w, 1, 32, true);
  return {
    tensors: [
      { name: `${prefix}.weight`, dtype: 'F8_E4M3', shape: [w.rows, w.cols], data: q.codes },
      u8(
        `${prefix}.weight_scale`,
        [w.rows, w.cols / 32],
        Uint8Array.from(q.scales, (s) => Math.log2(s) + 127),
      ),
    ],
    source: w.values,
  };
}

export type Fp8Style =
  'modelopt-tensor' | 'modelopt-channel' | 'ct-tensor' | 'ct-channel' | 'ct-block' | 'deepseek';

/**
 * FP8 E4M3 weights with the scale of each toolchain: ModelOpt F32 [] / [R] (+ input_scale []);
 * compressed-tensors BF16 [1] / [R, 1] / [⌈R/128⌉, ⌈C/128⌉]; DeepSeek F32 `weight_scale_inv` blocks.
 */
export function fp8Module(prefix: string, w: Matrix, style: Fp8Style): BuiltModule {
  const block = style === 'ct-block' || style === 'deepseek';
  const channel = style === 'modelopt-channel' || style === 'ct-channel';
  const br = block ? 128 : channel ? 1 : w.rows;
  const bc = block ? 128 : w.cols;
  const q = quantizeFp8(w, br, bc);
  const grid = [Math.ceil(w.rows / br), Math.ceil(w.cols / bc)];
  const weight: TensorSpec = {
    name: `${prefix}.weight`,
    dtype: 'F8_E4M3',
    shape: [w.rows, w.cols],
    data: q.codes,
  };
  const scales = Array.from(q.scales);
  switch (style) {
    case 'modelopt-tensor':
    case 'modelopt-channel':
      return {
        tensors: [
          weight,
          f32(`${prefix}.weight_scale`, channel ? [w.rows] : [], scales),
          f32(`${prefix}.input_scale`, [], [FIXTURE_INPUT_SCALE]),
        ],
        source: w.values,
      };
    case 'ct-tensor':
    case 'ct-channel':
    case 'ct-block':
      return {
        tensors: [
          weight,
          {
            name: `${prefix}.weight_scale`,
            dtype: 'BF16',
            shape: block ? grid : channel ? [w.rows, 1] : [1],
            data: bf16Bytes(scales),
          },
        ],
        source: w.values,
      };
    case 'deepseek':
      return {
        tensors: [weight, f32(`${prefix}.weight_scale_inv`, grid, scales)],
        source: w.values,
      };
  }
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function concatF64(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
