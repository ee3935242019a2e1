import { describe, expect, it } from 'vitest';
import { decodeElement } from '../dtype/decode-value';
import type { Dtype } from '../dtype/dtype';
import { BF16_LARGEST_FINITE, dtypeLimits, F16_LARGEST_FINITE } from '../dtype/dtype-limits';
import { decodeF8E4M3, decodeF8E8M0 } from '../dtype/fp8';
import { assembleSafetensors, bytesOf } from '../format/build-safetensors';
import type { TensorSpec } from '../format/build-safetensors';
import { memorySource } from '../io/byte-source';
import {
  applyParts,
  differingOffsets,
  nvfp4Layer,
  openBytes,
  openSpecs,
} from '../../fixtures/repair-fixtures';
import type { TensorRole } from './element-rule';
import { planRepair } from './plan-repair';
import type { RepairPlan } from './plan-types';
import { repairParts } from './repair-parts';
import type { RepairPolicy } from './repair-policy';
import { DEFAULT_REPAIR_POLICY, parsePolicy } from './repair-policy';

const u8 = (values: number[]): Uint8Array => Uint8Array.from(values);

/** One tensor of every dtype the repair knows, with NaN/Inf planted (and look-alikes that are not). */
const SPECS: TensorSpec[] = [
  // 0x80 is -0 (never NaN in F8_E4M3); 0x7E/0xFE are ±448.
  {
    name: 's',
    dtype: 'F8_E4M3',
    shape: [2, 4],
    data: u8([0x38, 0x7f, 0x80, 0xff, 0x7e, 0x00, 0xfe, 0x7f]),
  },
  { name: 'mx', dtype: 'F8_E8M0', shape: [5], data: u8([0x7f, 0xff, 0x00, 0xfe, 0xff]) },
  {
    name: 'bf',
    dtype: 'BF16',
    shape: [2, 3],
    data: bytesOf([0x3f80, 0x7fc0, 0x7f80, 0xff80, 0xffc1, 0x0000], 'u16'),
  },
  {
    name: 'h',
    dtype: 'F16',
    shape: [6],
    data: bytesOf([0x3c00, 0x7e00, 0x7c00, 0xfc00, 0xfe01, 0x7bff], 'u16'),
  },
  {
    name: 'f',
    dtype: 'F32',
    shape: [2, 3],
    data: new Uint8Array(
      Uint32Array.of(0x3fc00000, 0x7fc00000, 0x7f800000, 0xff800000, 0xffc00001, 0).buffer,
    ),
  },
  { name: 'u8_scale', dtype: 'U8', shape: [4], data: u8([0x7f, 0x10, 0xff, 0x80]) },
  { name: 'u8_e8m0', dtype: 'U8', shape: [3], data: u8([0xff, 0x7f, 0x01]) },
  { name: 'u8_plain', dtype: 'U8', shape: [2], data: u8([0xff, 0x7f]) },
  { name: 'e5', dtype: 'F8_E5M2', shape: [2], data: u8([0x7f, 0x7c]) },
];

/**
 * Scales by name, beside SPECS: an FP8 scale with no paired weight and F16/F32 scales (AWQ, FP8
 * per-tensor), NaN/Inf planted with the sign bit set and clear.
 */
const SCALE_SPECS: TensorSpec[] = [
  {
    name: 'q.weight_scale',
    dtype: 'F8_E4M3',
    shape: [4],
    data: u8([0xff, 0x38, 0x7f, 0x80]),
  },
  {
    name: 'awq.scales',
    dtype: 'F16',
    shape: [4],
    data: bytesOf([0xfe00, 0x3c00, 0xfc00, 0x7c00], 'u16'),
  },
  {
    name: 'fp8.input_scale',
    dtype: 'F32',
    shape: [2],
    data: new Uint8Array(Uint32Array.of(0xffc00000, 0x3f800000).buffer),
  },
];
/** The tensors whose bad values must come out positive, listed by hand for the oracle. */
const POSITIVE = new Set(['q.weight_scale', 'awq.scales', 'fp8.input_scale', 'u8_scale']);

const ROLES: ReadonlyMap<string, TensorRole> = new Map<string, TensorRole>([
  ['u8_scale', 'f8_e4m3'],
  ['u8_e8m0', 'f8_e8m0'],
  ['e5', 'f8_e4m3'], // ignored: roles apply to U8 tensors only
]);

function policy(text: string): RepairPolicy {
  const p = parsePolicy(text);
  if (!p.ok) {
    throw new Error(p.error);
  }
  return p.value;
}

async function plan(
  bytes: Uint8Array,
  p: RepairPolicy,
  options: Parameters<typeof planRepair>[3] = {},
): Promise<RepairPlan> {
  const { source, header } = await openBytes(bytes);
  const result = await planRepair(source, header, p, options);
  if (!result.ok) {
    throw result.error;
  }
  return result.value;
}

/**
 * The oracle: what each element must become, from the decoders (not the repair's bit logic).
 * Returns the expected value of the output element, or null when it must be left unchanged.
 */
function expectedValue(
  treatedAs: Dtype,
  p: RepairPolicy,
  input: Uint8Array,
  index: number,
  positive: boolean,
): number | null {
  const width = treatedAs === 'F32' ? 4 : treatedAs === 'F16' || treatedAs === 'BF16' ? 2 : 1;
  const top = input[index * width + width - 1];
  // The sign bit is the top bit of the last (LE) byte; a scale's is ignored (scales are positive).
  const negative = !positive && (top & 0x80) !== 0;
  const signed = (v: number): number => (negative ? -v : v);
  switch (treatedAs) {
    case 'F8_E4M3': {
      if (!Number.isNaN(decodeF8E4M3(input[index]))) {
        return null;
      }
      const rule = p.fp8;
      return rule.kind === 'max'
        ? signed(448)
        : rule.kind === 'zero'
          ? signed(0)
          : decodeF8E4M3(rule.value);
    }
    case 'F8_E8M0':
      if (p.e8m0 === null || !Number.isNaN(decodeF8E8M0(input[index]))) {
        return null;
      }
      return decodeF8E8M0(p.e8m0.byte);
    case 'F16':
    case 'BF16':
    case 'F32': {
      const v = decodeElement(treatedAs, input, index);
      if (p.float === null || v.kind !== 'real' || Number.isFinite(v.value)) {
        return null;
      }
      const max =
        treatedAs === 'F16'
          ? F16_LARGEST_FINITE
          : treatedAs === 'BF16'
            ? BF16_LARGEST_FINITE
            : dtypeLimits('F32').largestFinite;
      return signed(p.float === 'max' ? max : 0);
    }
    default:
      return null;
  }
}

const POLICIES = [
  'max',
  'zero',
  'byte:0x40',
  'max,e8m0:127',
  'zero,float-zero',
  'max,e8m0:0x00,float-max',
];
const CHUNK_SIZES = [1, 2, 3, 5, 7, 64, undefined];

describe('planRepair', () => {
  it('plans exactly the NaN bytes of F8_E4M3 under the default policy, with (row, col) and offsets', async () => {
    const { source, header, offsetOf } = await openSpecs(SPECS);
    const result = await planRepair(source, header, DEFAULT_REPAIR_POLICY);
    expect(result.ok).toBe(true);
    if (!result.ok) {
      return;
    }
    const s = offsetOf('s');
    expect(result.value.patches).toEqual([
      {
        tensor: 's',
        flatIndex: 1,
        row: 0,
        col: 1,
        offset: s + 1,
        old: 0x7f,
        new: 0x7e,
        classification: null,
        class: null,
      },
      {
        tensor: 's',
        flatIndex: 3,
        row: 0,
        col: 3,
        offset: s + 3,
        old: 0xff,
        new: 0xfe,
        classification: null,
        class: null,
      },
      {
        tensor: 's',
        flatIndex: 7,
        row: 1,
        col: 3,
        offset: s + 7,
        old: 0x7f,
        new: 0x7e,
        classification: null,
        class: null,
      },
    ]);
    expect(result.value.tensors).toEqual([
      {
        name: 's',
        dtype: 'F8_E4M3',
        treatedAs: 'F8_E4M3',
        role: 'fp8-weight',
        patches: 3,
        neutral: 0,
        clamped: 0,
        destroyed: 0,
        lossy: 0,
      },
    ]);
    expect(result.value).toMatchObject({
      file: 'fixture.safetensors',
      fileSize: source.size,
      headerLength: header.headerLength,
    });
  });

  it('splits multi-byte float elements into the bytes that change, sharing one flat index', async () => {
    const { bytes, offsetOf } = await openSpecs(SPECS);
    const f = offsetOf('f');
    // F32 NaN 0x7FC00000 is bytes 00 00 C0 7F: zero changes bytes 2 and 3 only.
    const zero = await plan(bytes, policy('float-zero'));
    expect(zero.patches.filter((p) => p.tensor === 'f' && p.flatIndex === 1)).toEqual([
      {
        tensor: 'f',
        flatIndex: 1,
        row: 0,
        col: 1,
        offset: f + 6,
        old: 0xc0,
        new: 0x00,
        classification: 'lossy',
        class: null,
      },
      {
        tensor: 'f',
        flatIndex: 1,
        row: 0,
        col: 1,
        offset: f + 7,
        old: 0x7f,
        new: 0x00,
        classification: 'lossy',
        class: null,
      },
    ]);
    // Max 0x7F7FFFFF is FF FF 7F 7F: byte 3 (0x7F) is already right and is not patched.
    const max = await plan(bytes, policy('float-max'));
    expect(
      max.patches
        .filter((p) => p.tensor === 'f' && p.flatIndex === 1)
        .map((p) => [p.offset - f, p.new]),
    ).toEqual([
      [4, 0xff],
      [5, 0xff],
      [6, 0x7f],
    ]);
  });

  for (const text of POLICIES) {
    it(`policy ${text}: every chunk size gives one plan, and the output differs in exactly its bytes`, async () => {
      const p = policy(text);
      const { bytes, header } = await openSpecs([...SPECS, ...SCALE_SPECS]);
      const plans = await Promise.all(
        CHUNK_SIZES.map((chunkBytes) => plan(bytes, p, { roles: ROLES, chunkBytes })),
      );
      for (const other of plans) {
        expect(other).toEqual(plans[0]);
      }
      const result = plans[0];
      const output = applyParts(bytes, repairParts(result, bytes.length));
      expect(output.length).toBe(bytes.length);
      expect(differingOffsets(bytes, output)).toEqual(result.patches.map((x) => x.offset));
      for (const patch of result.patches) {
        expect(bytes[patch.offset]).toBe(patch.old);
        expect(output[patch.offset]).toBe(patch.new);
      }
      // Element by element against the decoders.
      for (const t of header.tensors) {
        const role = t.dtype === 'U8' ? ROLES.get(t.name) : undefined;
        const treatedAs: Dtype =
          role === 'f8_e4m3' ? 'F8_E4M3' : role === 'f8_e8m0' ? 'F8_E8M0' : t.dtype;
        const inData = bytes.subarray(t.offset, t.offset + t.nbytes);
        const outData = output.subarray(t.offset, t.offset + t.nbytes);
        for (let i = 0; i < t.elements; i++) {
          const want = expectedValue(treatedAs, p, inData, i, POSITIVE.has(t.name));
          const width = t.nbytes / t.elements;
          if (want === null) {
            expect([...outData.subarray(i * width, (i + 1) * width)]).toEqual([
              ...inData.subarray(i * width, (i + 1) * width),
            ]);
          } else {
            const got = decodeElement(treatedAs, outData, i);
            expect(got.kind === 'real' ? got.value : NaN).toBe(want);
          }
        }
      }
      // Idempotent: the repaired bytes need nothing more.
      expect((await plan(output, p, { roles: ROLES })).patches).toEqual([]);
    });
  }

  it('leaves E8M0, floats and unlisted U8 alone by default; roles only apply to U8', async () => {
    const { bytes } = await openSpecs(SPECS);
    const result = await plan(bytes, DEFAULT_REPAIR_POLICY, { roles: ROLES });
    expect(result.tensors.map((t) => [t.name, t.treatedAs, t.patches])).toEqual([
      ['s', 'F8_E4M3', 3],
      ['u8_scale', 'F8_E4M3', 2],
    ]);
  });

  it('classifies NVFP4 block-scale patches as neutral (all codes ±0) or clamped, scales positive', async () => {
    for (const suffix of ['.weight', '.weight_packed'] as const) {
      const { bytes, offsetOf } = await openSpecs(nvfp4Layer(suffix));
      const result = await plan(bytes, DEFAULT_REPAIR_POLICY, { chunkBytes: 3 });
      const s = offsetOf('layer.weight_scale');
      expect(result.patches).toEqual([
        {
          tensor: 'layer.weight_scale',
          flatIndex: 1,
          row: 0,
          col: 1,
          offset: s + 1,
          old: 0x7f,
          new: 0x7e,
          classification: 'neutral',
          class: 'neutral',
        },
        {
          // 0xFF is NaN with the sign bit set: the scale becomes +448, never -448.
          tensor: 'layer.weight_scale',
          flatIndex: 6,
          row: 1,
          col: 2,
          offset: s + 6,
          old: 0xff,
          new: 0x7e,
          classification: 'lossy',
          class: 'clamped',
        },
      ]);
      expect(result.tensors).toEqual([
        {
          name: 'layer.weight_scale',
          dtype: 'F8_E4M3',
          treatedAs: 'F8_E4M3',
          role: 'fp4-block-scale',
          patches: 2,
          neutral: 1,
          clamped: 1,
          destroyed: 0,
          lossy: 1,
        },
      ]);
    }
  });

  it('does not classify when the weight does not pair (shape or dtype)', async () => {
    const [weight, scale] = nvfp4Layer();
    const wrongShape = await openSpecs([{ ...weight, shape: [4, 16] }, scale]);
    const notU8 = await openSpecs([{ ...weight, dtype: 'I8' }, scale]);
    for (const f of [wrongShape, notU8]) {
      const result = await plan(f.bytes, DEFAULT_REPAIR_POLICY);
      expect(result.patches.map((p) => p.classification)).toEqual([null, null]);
      expect(result.patches.map((p) => p.class)).toEqual([null, null]);
      expect(result.tensors.map((t) => t.role)).toEqual(['fp8-scale']);
    }
  });

  it('refuses a plan of more patches than it may hold, naming the tensor where the count ran over', async () => {
    // 3 NaN bytes in 's' (SPECS) and 4 in a second E4M3 tensor: 7 patches in all.
    const { source, header } = await openSpecs([
      ...SPECS,
      { name: 't', dtype: 'F8_E4M3', shape: [4], data: u8([0x7f, 0xff, 0x7f, 0xff]) },
    ]);
    const at = await planRepair(source, header, DEFAULT_REPAIR_POLICY, { maxPatches: 7 });
    expect(at.ok && at.value.patches.length).toBe(7);
    for (const chunkBytes of [1, 2, 8]) {
      const over = await planRepair(source, header, DEFAULT_REPAIR_POLICY, {
        maxPatches: 6,
        chunkBytes,
      });
      expect(over.ok).toBe(false);
      if (!over.ok) {
        expect(over.error.code).toBe('RepairRefused');
        expect(over.error.file).toBe('fixture.safetensors');
        expect(over.error.tensor).toBe('t');
        expect(over.error.message).toContain('more than 6 bytes');
        expect(over.error.message).toContain('F8_E4M3');
      }
    }
  });

  it('refuses files with duplicate tensor names or duplicate metadata keys', async () => {
    const entry = '{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}';
    const dupName = assembleSafetensors(new TextEncoder().encode(`{"a":${entry},"a":${entry}}`), [
      u8([0x7f]),
    ]);
    const dupMeta = assembleSafetensors(
      new TextEncoder().encode(`{"__metadata__":{"k":"1","k":"2"},"a":${entry}}`),
      [u8([0x7f])],
    );
    for (const [bytes, what] of [
      [dupName, 'tensor "a"'],
      [dupMeta, 'key "k"'],
    ] as const) {
      const { source, header } = await openBytes(bytes);
      const result = await planRepair(source, header, DEFAULT_REPAIR_POLICY);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('RepairRefused');
        expect(result.error.message).toContain(what);
        expect(result.error.message).toContain('report-only');
      }
    }
  });

  it('refuses a header from another file size, an unchecked header and an invalid policy object', async () => {
    const { bytes, source, header } = await openSpecs(SPECS);
    const longer = memorySource('x', new Uint8Array(bytes.length + 1));
    const unchecked = { ...header, duplicateTensorNames: undefined };
    const badPolicy: RepairPolicy = { fp8: { kind: 'byte', value: 0xff }, e8m0: null, float: null };
    for (const result of [
      await planRepair(longer, header, DEFAULT_REPAIR_POLICY),
      await planRepair(source, unchecked, DEFAULT_REPAIR_POLICY),
      await planRepair(source, header, badPolicy),
    ]) {
      expect(result.ok ? null : result.error.code).toBe('RepairRefused');
    }
  });

  it('reports progress over the candidate tensors, honours cancellation and turns read failures into errors', async () => {
    const { bytes, source, header } = await openSpecs(SPECS);
    const seen: [number, number][] = [];
    await planRepair(source, header, DEFAULT_REPAIR_POLICY, {
      chunkBytes: 4,
      onProgress: (done, total) => seen.push([done, total]),
    });
    expect(seen).toEqual([
      [4, 8],
      [8, 8],
    ]);
    const cancelled = await planRepair(source, header, DEFAULT_REPAIR_POLICY, {
      signal: { aborted: true },
    });
    expect(cancelled.ok ? null : cancelled.error.code).toBe('Cancelled');
    const failing = {
      ...memorySource('broken', bytes),
      read: () => Promise.reject(new Error('disk on fire')),
    };
    const failed = await planRepair(failing, header, DEFAULT_REPAIR_POLICY);
    expect(failed.ok ? null : failed.error.code).toBe('ReadFailed');
    expect(failed.ok ? '' : failed.error.message).toContain('disk on fire');
  });
});
