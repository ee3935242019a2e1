import { describe, expect, it } from 'vitest';
import { buildSafetensors } from '../format/build-safetensors';
import type { TensorSpec } from '../format/build-safetensors';
import { parseHeaderBytes } from '../format/parse-header';
import { memorySource } from '../io/byte-source';
import { refineLayout } from './analyze/refine-layout';
import { dequantizedHistogram, dequantizeElements } from './dequantize';
import { recognizeScheme } from './recognize-scheme';
import { sourceMap } from './stream/read-exact';
import { swizzleIndex } from './swizzle';
import { f16Bytes, f32Bytes, i32Bytes, i64Bytes } from './testing/encode';
import { NF4_TABLE } from './testing/quantize';

/**
 * Hand-computed cases: literal bytes, values worked out from the bit layouts of formats.md.
 * E2M1 codes: 0..7 = 0, 0.5, 1, 1.5, 2, 3, 4, 6; 8..15 the negatives. E4M3 0x38 = 1, 0x40 = 2,
 * 0x7E = 448, 0xB8 = -1, 0xC0 = -2. E8M0 b = 2^(b - 127).
 */
async function decodeAll(
  tensors: TensorSpec[],
  prefix: string,
  config: unknown = null,
): Promise<{ values: Float64Array; scheme: string; producer: string | null }> {
  const bytes = buildSafetensors(tensors);
  const parsed = parseHeaderBytes(
    'm.safetensors',
    bytes.length,
    bytes.subarray(8, 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))),
  );
  if (!parsed.ok) {
    throw new Error(parsed.error.message);
  }
  const report = recognizeScheme([parsed.value], config, null);
  const recognised = report.modules.find((x) => x.prefix === prefix);
  const sources = sourceMap([memorySource('m.safetensors', bytes)]);
  const m = recognised === undefined ? undefined : await refineLayout(sources, recognised);
  if (m === undefined || m.layout === null) {
    throw new Error(
      `no decodable module ${prefix}: ${JSON.stringify(report.modules.map((x) => [x.prefix, x.missing, x.shapeProblem]))}`,
    );
  }
  const n = m.layout.elementShape.reduce((a, b) => a * b, 1);
  return {
    values: await dequantizeElements(sources, m, { start: 0, count: n }, { chunkBytes: 3 }),
    scheme: m.scheme,
    producer: m.producer,
  };
}

const u8 = (name: string, shape: number[], data: number[]): TensorSpec => ({
  name,
  dtype: 'U8',
  shape,
  data: Uint8Array.from(data),
});
const f32 = (name: string, shape: number[], data: number[]): TensorSpec => ({
  name,
  dtype: 'F32',
  shape,
  data: f32Bytes(data),
});
const fp8 = (name: string, shape: number[], data: number[]): TensorSpec => ({
  name,
  dtype: 'F8_E4M3',
  shape,
  data: Uint8Array.from(data),
});

/** One NVFP4 row of 16 codes: bytes 0x52, 0xF8, six zeros, 0x7A. */
const NVFP4_ROW = [0x52, 0xf8, 0, 0, 0, 0, 0, 0x7a];

describe('dequantized values from hand-computed bit layouts', () => {
  it('ModelOpt NVFP4: low nibble first, E4M3 block scale x weight_scale_2', async () => {
    // scale 0x40 = 2, global 0.25: multiplier 0.5. 0x52 -> codes 2, 5 -> 1·0.5, 3·0.5.
    const { values, scheme, producer } = await decodeAll(
      [
        u8('l.weight', [1, 8], NVFP4_ROW),
        fp8('l.weight_scale', [1, 1], [0x40]),
        f32('l.weight_scale_2', [], [0.25]),
      ],
      'l',
    );
    expect([scheme, producer]).toEqual(['nvfp4', 'modelopt']);
    expect(values[0]).toBe(0.5);
    expect(values[1]).toBe(1.5);
    expect(Math.abs(values[2])).toBe(0); // code 8 = -0
    expect(values[3]).toBe(-3); // code 0xF = -6
    expect(values[14]).toBe(-0.5); // 0x7A low nibble 0xA = -1
    expect(values[15]).toBe(3); // high nibble 7 = 6
  });

  it('compressed-tensors NVFP4: the global scale divides (448·6/amax)', async () => {
    const { values, producer } = await decodeAll(
      [
        u8('l.weight_packed', [1, 8], NVFP4_ROW),
        fp8('l.weight_scale', [1, 1], [0x40]),
        f32('l.weight_global_scale', [1], [4]),
      ],
      'l',
    );
    expect(producer).toBe('compressed-tensors');
    expect([values[0], values[1], values[15]]).toEqual([0.5, 1.5, 3]);
  });

  it('ComfyUI NVFP4: high nibble first, U8 scale bytes read through the 128x4 swizzle', async () => {
    const scale = new Array<number>(128 * 4).fill(0);
    scale[swizzleIndex(0, 0, 1)] = 0x40; // row 0: 2
    scale[swizzleIndex(1, 0, 1)] = 0x38; // row 1: 1
    const { values, producer } = await decodeAll(
      [
        u8('c.comfy_quant', [19], Array.from(new TextEncoder().encode('{"format": "nvfp4"}'))),
        u8('c.weight', [2, 8], [...NVFP4_ROW, ...NVFP4_ROW]),
        u8('c.weight_scale', [128, 4], scale),
        f32('c.weight_scale_2', [], [0.5]),
      ],
      'c',
    );
    expect(producer).toBe('comfyui');
    // 0x52 high first: codes 5, 2. Row 0: ×2×0.5; row 1: ×1×0.5.
    expect([values[0], values[1]]).toEqual([3, 1]);
    expect([values[16], values[17]]).toEqual([1.5, 0.5]);
    expect([values[30], values[31]]).toEqual([3, -0.5]); // 0x7A: 7 = 6, 0xA = -1 (row 0)
  });

  it('gpt-oss MXFP4: 16-byte blocks, low nibble first, E8M0 scale 2^(b-127)', async () => {
    const block = [0x21, ...new Array<number>(14).fill(0), 0xf0];
    const { values, scheme } = await decodeAll(
      [u8('x_blocks', [1, 16], block), u8('x_scales', [1], [0x81])],
      'x',
    );
    expect(scheme).toBe('mxfp4');
    // scale 2^2 = 4: 0x21 -> 0.5·4, 1·4; 0xF0 -> 0, -6·4.
    expect([values[0], values[1], values[30], values[31]]).toEqual([2, 4, 0, -24]);
  });

  it('ModelOpt MXFP8: FP8 values times an E8M0 scale stored as U8', async () => {
    const w = new Array<number>(32).fill(0);
    w[0] = 0x38;
    w[31] = 0xc0;
    const { values, scheme } = await decodeAll(
      [fp8('m.weight', [1, 32], w), u8('m.weight_scale', [1, 1], [0x7e])],
      'm',
    );
    expect(scheme).toBe('mxfp8');
    expect([values[0], values[31]]).toEqual([0.5, -1]);
  });

  it('FP8 per tensor, per channel and DeepSeek 128x128 blocks', async () => {
    const w = [0x38, 0x40, 0xb8, 0x7e];
    const tensor = await decodeAll(
      [fp8('t.weight', [2, 2], w), f32('t.weight_scale', [], [0.5])],
      't',
    );
    expect(tensor.scheme).toBe('fp8-tensor');
    expect(Array.from(tensor.values)).toEqual([0.5, 1, -0.5, 224]);
    const channel = await decodeAll(
      [fp8('c.weight', [2, 2], w), f32('c.weight_scale', [2], [0.5, 2])],
      'c',
    );
    expect(channel.scheme).toBe('fp8-channel');
    expect(Array.from(channel.values)).toEqual([0.5, 1, -2, 896]);
    const big = new Array<number>(130 * 2).fill(0x38);
    big[129 * 2 + 1] = 0x40;
    const block = await decodeAll(
      [fp8('d.weight', [130, 2], big), f32('d.weight_scale_inv', [2, 1], [1, 0.25])],
      'd',
    );
    expect([block.scheme, block.producer]).toEqual(['fp8-block', 'deepseek']);
    expect([
      block.values[0],
      block.values[127 * 2],
      block.values[128 * 2],
      block.values[129 * 2 + 1],
    ]).toEqual([1, 1, 0.25, 0.5]);
  });

  it('AutoAWQ GEMM: interleaved nibbles, W^T[c, r] = (q - z) · s', async () => {
    // c = 0: nibble i holds out row [0,2,4,6,1,3,5,7][i]; store q = r there. c = 1: all 15.
    const order = [0, 2, 4, 6, 1, 3, 5, 7];
    const word0 = order.reduce((w, r, i) => w | (r << (4 * i)), 0);
    const { values, scheme } = await decodeAll(
      [
        { name: 'a.qweight', dtype: 'I32', shape: [2, 1], data: i32Bytes([word0, -1]) },
        { name: 'a.qzeros', dtype: 'I32', shape: [1, 1], data: i32Bytes([0x11111111]) },
        {
          name: 'a.scales',
          dtype: 'F16',
          shape: [1, 8],
          data: f16Bytes([1, 1, 1, 1, 1, 1, 1, 0.5]),
        },
      ],
      'a',
    );
    expect(scheme).toBe('awq');
    // element order [C, R]: W^T[0, r] = (r - 1)·s[r]; W^T[1, 7] = (15 - 1)·0.5.
    expect([values[0], values[3], values[7], values[8 + 7]]).toEqual([-1, 2, 3, 7]);
  });

  it('GPTQ v1: qweight packed along in-features, zero points stored minus one', async () => {
    const { values, scheme } = await decodeAll(
      [
        {
          name: 'g.qweight',
          dtype: 'I32',
          shape: [1, 8],
          data: i32Bytes(new Array<number>(8).fill(0x76543210)),
        },
        { name: 'g.qzeros', dtype: 'I32', shape: [2, 1], data: i32Bytes([0x77777777, 0x33333333]) },
        {
          name: 'g.scales',
          dtype: 'F16',
          shape: [2, 8],
          data: f16Bytes([...new Array<number>(8).fill(0.5), ...new Array<number>(8).fill(2)]),
        },
        { name: 'g.g_idx', dtype: 'I32', shape: [8], data: i32Bytes([0, 0, 0, 0, 1, 1, 1, 1]) },
      ],
      'g',
    );
    expect(scheme).toBe('gptq');
    // q(c) = c. Group 0: z = 7 + 1, s = 0.5; group 1: z = 3 + 1, s = 2. Element order [C, R].
    expect([values[0 * 8], values[3 * 8 + 5], values[4 * 8], values[7 * 8 + 7]]).toEqual([
      -4, -2.5, 0, 6,
    ]);
  });

  it('compressed-tensors pack-quantized: q + 8 along columns, zero points packed along rows', async () => {
    const rows = 8;
    const { values, scheme } = await decodeAll(
      [
        {
          name: 'p.weight_packed',
          dtype: 'I32',
          shape: [rows, 2],
          data: i32Bytes(new Array<number>(rows).fill(0).flatMap(() => [0x76543210, 0x98])),
        },
        {
          name: 'p.weight_scale',
          dtype: 'F32',
          shape: [rows, 1],
          data: f32Bytes([0.5, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]),
        },
        { name: 'p.weight_zero_point', dtype: 'I32', shape: [1, 1], data: i32Bytes([0x88888898]) },
        { name: 'p.weight_shape', dtype: 'I64', shape: [2], data: i64Bytes([rows, 10]) },
      ],
      'p',
    );
    expect(scheme).toBe('w4a16-packed');
    expect(values.length).toBe(rows * 10);
    // Row 0: zp 8 - 8 = 0, s = 0.5: c = 0 -> (0 - 8)·0.5, c = 9 -> (9 - 8)·0.5. Row 1: zp 9 - 8 = 1, s = 1.
    expect([values[0], values[9], values[10], values[19]]).toEqual([-4, 0.5, -9, 0]);
  });

  it('ModelOpt W4A16_AWQ: signed nibbles, row 2p low and 2p + 1 high', async () => {
    const { values, scheme } = await decodeAll(
      [
        u8('w.weight', [1, 2], [0x9f, 0x71]),
        { name: 'w.weight_scale', dtype: 'F16', shape: [2, 1], data: f16Bytes([0.5, 2]) },
      ],
      'w',
    );
    expect(scheme).toBe('awq');
    // 0x9F: row 0 = 0xF = -1, row 1 = 0x9 = -7; 0x71: row 0 = 1, row 1 = 7.
    expect(Array.from(values)).toEqual([-0.5, 0.5, -14, 14]);
  });

  it('bitsandbytes NF4: high nibble first, quant_map[code] · absmax[block]', async () => {
    const { values, scheme } = await decodeAll(
      [
        u8('n.weight', [2, 1], [0xf0, 0x7e]),
        f32('n.weight.absmax', [1], [2]),
        f32('n.weight.quant_map', [16], [...NF4_TABLE]),
        u8('n.weight.quant_state.bitsandbytes__nf4', [2], [0x7b, 0x7d]),
      ],
      'n',
    );
    expect(scheme).toBe('nf4');
    expect(values[0]).toBe(2);
    expect(values[1]).toBe(-2);
    expect(values[2]).toBe(0);
    expect(values[3]).toBeCloseTo(2 * 0.7229568362236023, 6);
  });

  it('ModelOpt experts: fused [E, R, C/2] with a global per expert, and BMM-style [E, in/2, out]', async () => {
    const fused = await decodeAll(
      [
        u8('e.experts.up', [2, 1, 8], [...NVFP4_ROW, ...NVFP4_ROW]),
        fp8('e.experts.up_weight_scale', [2, 1, 1], [0x40, 0x40]),
        f32('e.experts.up_weight_scale_2', [2], [0.25, 0.125]),
      ],
      'e.experts.up',
    );
    expect([fused.values[0], fused.values[16], fused.values[17]]).toEqual([0.5, 0.25, 0.75]);
    const bytes = [0x21, 0, 0, 0, 0, 0, 0, 0x70];
    const bmm = await decodeAll(
      [
        u8('e.experts.down', [1, 8, 1], bytes),
        fp8('e.experts.down_weight_scale', [1, 1, 1], [0x38]),
        f32('e.experts.down_weight_scale_2', [], [1]),
      ],
      'e.experts.down',
    );
    // Element order [E, in, out]: in = 2p (low nibble), 2p + 1 (high nibble).
    expect([bmm.values[0], bmm.values[1], bmm.values[14], bmm.values[15]]).toEqual([0.5, 1, 0, 6]);
  });
});

describe('dequantizedHistogram', () => {
  it('bins every dequantized value over ± (largest level × largest effective scale)', async () => {
    const bytes = buildSafetensors([
      u8('l.weight', [1, 8], NVFP4_ROW),
      fp8('l.weight_scale', [1, 1], [0x40]),
      f32('l.weight_scale_2', [], [0.25]),
    ]);
    const parsed = parseHeaderBytes(
      'm.safetensors',
      bytes.length,
      bytes.subarray(8, 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))),
    );
    if (!parsed.ok) {
      throw new Error('unparsable');
    }
    const [m] = recognizeScheme([parsed.value], null, null).modules;
    const sources = sourceMap([memorySource('m.safetensors', bytes)]);
    const h = await dequantizedHistogram(sources, m, { bins: 4 });
    // Range ±6·0.5 = ±3; values: 0.5, 1.5, -0 ×(1 + 12), -3, -0.5, 3.
    expect([h.lo, h.hi]).toEqual([-3, 3]);
    expect(h.elements).toBe(16);
    expect(h.zero).toBe(11);
    expect(h.counts).toEqual([1, 1, 12, 2]);
    expect(h.min).toBe(-3);
    expect(h.max).toBe(3);
    const custom = await dequantizedHistogram(sources, m, { bins: 2, range: [0, 1] });
    expect(custom.outOfRange).toBe(4);
  });
});
