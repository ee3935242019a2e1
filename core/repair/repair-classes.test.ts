import { describe, expect, it } from 'vitest';
import { buildSafetensors } from '../format/build-safetensors';
import type { TensorSpec } from '../format/build-safetensors';
import { applyParts, differingOffsets, openBytes } from '../../fixtures/repair-fixtures';
import type { TensorRole } from './element-rule';
import { buildManifest } from './manifest';
import { planRepair } from './plan-repair';
import type { RepairPlan } from './plan-types';
import { repairParts } from './repair-parts';
import type { RepairPolicy } from './repair-policy';
import { DEFAULT_REPAIR_POLICY, parsePolicy } from './repair-policy';

/*
 * Fixtures quantized here the way ModelOpt 0.44 exports NVFP4 (formats.md §3, read in
 * modelopt/torch/quantization/qtensor/nvfp4_tensor.py): per-block scale = block_amax / (6·ws2),
 * cast to F8_E4M3 without a clamp (torch ≤ 2.12: anything above 464 becomes NaN 0x7F); FP4 codes
 * from `_cast_fp4` (sign = x < 0, magnitude = searchsorted over the E2M1 bounds, NaN sorts last:
 * code 7). Everything below is written from those formulas, not from core's code.
 */

/** F8_E4M3 value of a code 0..0x7E (S EEEE MMM, bias 7, subnormals at E = 0). */
function e4m3(code: number): number {
  const s = code & 0x80 ? -1 : 1;
  const e = (code >> 3) & 0xf;
  const m = code & 7;
  return e === 0 ? (s * m) / 8 / 64 : s * 2 ** (e - 7) * (1 + m / 8);
}

/** torch ≤ 2.12 `.to(float8_e4m3fn)` for a positive x: NaN above 464, else the nearest code. */
function castE4m3(x: number): number {
  if (!(x <= 464)) {
    return 0x7f;
  }
  let best = 0;
  for (let c = 1; c <= 0x7e; c++) {
    if (Math.abs(e4m3(c) - x) < Math.abs(e4m3(best) - x)) {
      best = c;
    }
  }
  return best;
}

const E2M1_BOUNDS = [0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5];
const E2M1 = [0, 0.5, 1, 1.5, 2, 3, 4, 6];

/** ModelOpt `_cast_fp4`: sign bit for x < 0 (never for NaN), NaN magnitude → 7 (+6). */
function castE2m1(x: number): number {
  if (Number.isNaN(x)) {
    return 7;
  }
  const a = Math.abs(x);
  let ord = E2M1_BOUNDS.filter((b) => b < a).length;
  if (a === 0.75 || a === 1.75 || a === 2.5) {
    ord += 1;
  }
  return ((x < 0 ? 1 : 0) << 3) | ord;
}

const fp4Value = (code: number): number => (code & 8 ? -1 : 1) * E2M1[code & 7];

const ROWS = 4;
const COLS = 32;
const BLOCK = 16;
const BLOCKS_PER_ROW = COLS / BLOCK;
/** Blocks (flat index into the scale) whose weights grew after calibration: twice the others. */
const OUTLIERS = [3, 5];
/** A block whose codes are all zero under a planted NaN scale (0xFF: sign bit set). */
const ZERO_BLOCK = 0;
const OUTLIER_GROWTH = 2;

/** Deterministic weights around ±0.02, with the outlier blocks OUTLIER_GROWTH× larger. */
function weights(): number[] {
  const w: number[] = [];
  for (let i = 0; i < ROWS * COLS; i++) {
    const block = Math.floor(i / BLOCK);
    const v = 0.02 * Math.sin(1.7 * i + 0.3) * (1 + (i % 5) / 4);
    w.push(OUTLIERS.includes(block) ? OUTLIER_GROWTH * v : v);
  }
  return w;
}

interface Export {
  readonly specs: TensorSpec[];
  readonly w: number[];
  readonly ws2: number;
  readonly codes: number[];
  readonly scales: number[];
  /** The unrounded per-block scales the exporter computed. */
  readonly exact: number[];
}

/**
 * One NVFP4 layer. `codesFrom`: 'cast-scale' divides by the F8_E4M3 scale as cast (ModelOpt 0.44's
 * dynamic path: a NaN scale makes every code +6); 'exact-scale' by the unrounded scale (the codes
 * vary; the seed report's export). The global scale comes from a stale amax (the outliers left out).
 */
function nvfp4Export(codesFrom: 'cast-scale' | 'exact-scale'): Export {
  const w = weights();
  const staleAmax = w
    .filter((_, i) => !OUTLIERS.includes(Math.floor(i / BLOCK)))
    .reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const ws2 = Math.fround(staleAmax / (6 * 448));
  const scales: number[] = [];
  const exact: number[] = [];
  const codes: number[] = [];
  for (let b = 0; b < ROWS * BLOCKS_PER_ROW; b++) {
    const block = w.slice(b * BLOCK, (b + 1) * BLOCK);
    const amax = block.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const hp = amax / (6 * ws2);
    exact.push(hp);
    const code = b === ZERO_BLOCK ? 0xff : castE4m3(hp);
    scales.push(code);
    const divisor = codesFrom === 'cast-scale' && (code & 0x7f) === 0x7f ? NaN : hp;
    for (const v of block) {
      codes.push(b === ZERO_BLOCK ? 0 : castE2m1(v / (divisor * ws2)));
    }
  }
  const packed = new Uint8Array(codes.length / 2);
  for (let k = 0; k < packed.length; k++) {
    packed[k] = codes[2 * k] | (codes[2 * k + 1] << 4);
  }
  const specs: TensorSpec[] = [
    {
      name: 'model.layers.0.mlp.down_proj.weight',
      dtype: 'U8',
      shape: [ROWS, COLS / 2],
      data: packed,
    },
    {
      name: 'model.layers.0.mlp.down_proj.weight_scale',
      dtype: 'F8_E4M3',
      shape: [ROWS, BLOCKS_PER_ROW],
      data: Uint8Array.from(scales),
    },
    {
      name: 'model.layers.0.mlp.down_proj.weight_scale_2',
      dtype: 'F32',
      shape: [],
      data: new Uint8Array(Float32Array.of(ws2).buffer),
    },
  ];
  return { specs, w, ws2, codes, scales, exact };
}

/** Absolute data offset of a tensor, from the header JSON (independently of core's parser). */
function dataOffset(file: Uint8Array, tensor: string): number {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))) as Record<
    string,
    { data_offsets: [number, number] }
  >;
  return 8 + n + header[tensor].data_offsets[0];
}

async function repair(
  bytes: Uint8Array,
  policy: RepairPolicy = DEFAULT_REPAIR_POLICY,
  roles?: ReadonlyMap<string, TensorRole>,
): Promise<{ plan: RepairPlan; output: Uint8Array }> {
  const { source, header } = await openBytes(bytes);
  const result = await planRepair(source, header, policy, { roles });
  if (!result.ok) {
    throw result.error;
  }
  return { plan: result.value, output: applyParts(bytes, repairParts(result.value, bytes.length)) };
}

function norm(v: readonly number[]): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

describe('repair classes on ModelOpt-like NVFP4 exports', () => {
  it('the fixture is what the exporter writes: NaN scales at the outliers, +6 codes when divided by NaN', () => {
    const cast = nvfp4Export('cast-scale');
    expect(OUTLIERS.map((b) => cast.scales[b])).toEqual([0x7f, 0x7f]);
    expect(cast.exact[OUTLIERS[0]]).toBeGreaterThan(464);
    expect(cast.codes.slice(3 * BLOCK, 4 * BLOCK)).toEqual(new Array<number>(16).fill(7));
    const exact = nvfp4Export('exact-scale');
    expect(new Set(exact.codes.slice(3 * BLOCK, 4 * BLOCK)).size).toBeGreaterThan(4);
    // The healthy blocks have finite scales.
    expect(cast.scales.filter((c) => (c & 0x7f) === 0x7f)).toHaveLength(3);
  });

  it('codes divided by the NaN scale: destroyed, zero scale planted; zero codes: neutral, +448', async () => {
    const e = nvfp4Export('cast-scale');
    const bytes = buildSafetensors(e.specs);
    const { plan, output } = await repair(bytes);
    const s = dataOffset(bytes, 'model.layers.0.mlp.down_proj.weight_scale');
    expect(plan.patches.map((p) => [p.offset, p.old, p.new, p.class, p.classification])).toEqual([
      [s + 0, 0xff, 0x7e, 'neutral', 'neutral'],
      [s + 3, 0x7f, 0x00, 'destroyed', 'lossy'],
      [s + 5, 0x7f, 0x00, 'destroyed', 'lossy'],
    ]);
    expect(differingOffsets(bytes, output)).toEqual([s, s + 3, s + 5]);
    expect([output[s], output[s + 3], output[s + 5]]).toEqual([0x7e, 0x00, 0x00]);
    expect(plan.tensors).toEqual([
      expect.objectContaining({
        role: 'fp4-block-scale',
        patches: 3,
        neutral: 1,
        clamped: 0,
        destroyed: 2,
        lossy: 2,
      }) as unknown,
    ]);
    // Why zero: the block's weights are gone; the max scale would make it a constant 6·448·ws2.
    for (const b of OUTLIERS) {
      const original = e.w.slice(b * BLOCK, (b + 1) * BLOCK);
      const withMax = original.map(() => 6 * 448 * e.ws2);
      const errZero = norm(original) / norm(original);
      const errMax = norm(original.map((v, i) => v - withMax[i])) / norm(original);
      expect(errZero).toBe(1);
      expect(errMax).toBeGreaterThan(errZero);
    }
  });

  it('codes from the finite scale: clamped, +448, the block dequantizes smaller than the original', async () => {
    const e = nvfp4Export('exact-scale');
    const bytes = buildSafetensors(e.specs);
    const { plan, output } = await repair(bytes);
    const s = dataOffset(bytes, 'model.layers.0.mlp.down_proj.weight_scale');
    expect(plan.patches.map((p) => [p.offset, p.old, p.new, p.class])).toEqual([
      [s + 0, 0xff, 0x7e, 'neutral'],
      [s + 3, 0x7f, 0x7e, 'clamped'],
      [s + 5, 0x7f, 0x7e, 'clamped'],
    ]);
    expect(differingOffsets(bytes, output)).toEqual([s, s + 3, s + 5]);
    for (const b of OUTLIERS) {
      const original = e.w.slice(b * BLOCK, (b + 1) * BLOCK);
      const repaired = e.codes
        .slice(b * BLOCK, (b + 1) * BLOCK)
        .map((c) => fp4Value(c) * 448 * e.ws2);
      const amax = (v: number[]): number => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
      expect(amax(repaired)).toBeLessThan(amax(original));
      // Same shape, smaller: the ratio is 448 over the scale the cast lost.
      expect(amax(repaired) / amax(original)).toBeCloseTo(448 / e.exact[b], 1);
    }
    const manifest = buildManifest(plan, DEFAULT_REPAIR_POLICY);
    expect(manifest.summary).toMatchObject({ patches: 3, neutral: 1, clamped: 2, destroyed: 0 });
    expect(manifest.patches.map((p) => p.class)).toEqual(['neutral', 'clamped', 'clamped']);
    expect(manifest.notes.join('\n')).toContain('2 clamped FP4 block scales');
  });

  it('the zero policy plans +0 for every scale, whatever its sign bit', async () => {
    const zero = parsePolicy('zero');
    if (!zero.ok) {
      throw new Error(zero.error);
    }
    const { plan } = await repair(buildSafetensors(nvfp4Export('exact-scale').specs), zero.value);
    expect(plan.patches.map((p) => p.new)).toEqual([0x00, 0x00, 0x00]);
  });
});

describe('repair classes on MX exports (E8M0 scales)', () => {
  it('gpt-oss MXFP4: destroyed → smallest scale 0x00, clamped and neutral → the policy byte', async () => {
    // 4 blocks of 32 codes (16 bytes): all +6 (0x77), varied, all zero, healthy.
    const blocks = new Uint8Array(64).fill(0x21);
    blocks.fill(0x77, 0, 16);
    blocks.fill(0x00, 32, 48);
    const bytes = buildSafetensors([
      {
        name: 'model.layers.0.mlp.experts.down_proj_blocks',
        dtype: 'U8',
        shape: [1, 4, 1, 16],
        data: blocks,
      },
      {
        name: 'model.layers.0.mlp.experts.down_proj_scales',
        dtype: 'U8',
        shape: [1, 4, 1],
        data: Uint8Array.of(0xff, 0xff, 0xff, 0x7a),
      },
    ]);
    const policy = parsePolicy('max,e8m0:0x7F');
    if (!policy.ok) {
      throw new Error(policy.error);
    }
    const roles = new Map<string, TensorRole>([
      ['model.layers.0.mlp.experts.down_proj_scales', 'f8_e8m0'],
    ]);
    const { plan, output } = await repair(bytes, policy.value, roles);
    const s = dataOffset(bytes, 'model.layers.0.mlp.experts.down_proj_scales');
    expect(plan.patches.map((p) => [p.offset, p.new, p.class])).toEqual([
      [s + 0, 0x00, 'destroyed'],
      [s + 1, 0x7f, 'clamped'],
      [s + 2, 0x7f, 'neutral'],
    ]);
    expect(differingOffsets(bytes, output)).toEqual([s, s + 1, s + 2]);
    expect(plan.tensors.map((t) => [t.role, t.destroyed, t.clamped, t.neutral])).toEqual([
      ['mx-block-scale', 1, 1, 1],
    ]);
  });

  it('MXFP8 (F8_E4M3 codes, F8_E8M0 scale): a block of NaN codes is destroyed', async () => {
    const codes = new Uint8Array(64).fill(0x7f);
    for (let i = 32; i < 64; i++) {
      codes[i] = 0x30 + (i % 7);
    }
    const bytes = buildSafetensors([
      { name: 'x.weight', dtype: 'F8_E4M3', shape: [1, 64], data: codes },
      { name: 'x.weight_scale', dtype: 'F8_E8M0', shape: [1, 2], data: Uint8Array.of(0xff, 0xff) },
    ]);
    const policy = parsePolicy('max,e8m0:127');
    if (!policy.ok) {
      throw new Error(policy.error);
    }
    const { plan } = await repair(bytes, policy.value);
    const scalePatches = plan.patches.filter((p) => p.tensor === 'x.weight_scale');
    expect(scalePatches.map((p) => [p.new, p.class])).toEqual([
      [0x00, 'destroyed'],
      [127, 'clamped'],
    ]);
    // The NaN codes themselves are FP8 weights: the largest finite of their sign.
    const weightPatches = plan.patches.filter((p) => p.tensor === 'x.weight');
    expect(weightPatches).toHaveLength(32);
    expect(new Set(weightPatches.map((p) => p.new))).toEqual(new Set([0x7e]));
    expect(plan.tensors.map((t) => t.role)).toEqual(['fp8-weight', 'mx-block-scale']);
  });
});
