import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyParts } from '../../fixtures/repair-fixtures';
import { readHeader } from '../format/parse-header';
import type { SafetensorsHeader } from '../format/tensor-info';
import { memorySource } from '../io/byte-source';
import type { ByteSource } from '../io/byte-source';
import { recognizeScheme } from '../quant/recognize-scheme';
import { scaleRoles } from '../quant/scale-roles';
import type { TensorRole } from './element-rule';
import { planRepair } from './plan-repair';
import type { RepairPlan } from './plan-types';
import { repairParts } from './repair-parts';
import type { RepairPolicy } from './repair-policy';
import { DEFAULT_REPAIR_POLICY, parsePolicy } from './repair-policy';
import { verifyRepair } from './verify-repair';

/** ../shared/real-checkpoints beside the repository root (read-only test data, never copied in). */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/real-checkpoints');

function safetensorsUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return safetensorsUnder(path);
    }
    return name.endsWith('.safetensors') ? [path] : [];
  });
}

function policy(text: string): RepairPolicy {
  const p = parsePolicy(text);
  if (!p.ok) {
    throw new Error(p.error);
  }
  return p.value;
}
const EVERYTHING = policy('max,e8m0:127,float-zero');

interface Opened {
  readonly bytes: Uint8Array;
  readonly source: ByteSource;
  readonly header: SafetensorsHeader;
  readonly roles: ReadonlyMap<string, TensorRole>;
}

/** A real file's bytes (these files are small), its header and the roles the quant analysis gives. */
async function open(bytes: Uint8Array, name: string): Promise<Opened | null> {
  const source = memorySource(name, bytes);
  const header = await readHeader(source);
  if (!header.ok) {
    return null;
  }
  const report = recognizeScheme([header.value], null, null);
  const roles = [...scaleRoles(report).values()][0] ?? new Map<string, TensorRole>();
  return { bytes, source, header: header.value, roles };
}

async function plan(o: Opened, p: RepairPolicy): Promise<RepairPlan> {
  const result = await planRepair(o.source, o.header, p, { roles: o.roles });
  if (!result.ok) {
    throw result.error;
  }
  return result.value;
}

function offsetOf(o: Opened, tensor: string): number {
  const t = o.header.byName.get(tensor);
  if (t === undefined) {
    throw new Error(`no tensor ${tensor}`);
  }
  return t.offset;
}

/** Plans, applies and verifies a repair of `o`; the output's differing bytes by offset. */
async function repairAndVerify(o: Opened, p: RepairPolicy): Promise<Map<number, number>> {
  const planned = await plan(o, p);
  const output = applyParts(o.bytes, repairParts(planned, o.bytes.length));
  const verified = await verifyRepair(o.source, memorySource('out', output), planned);
  expect(verified.ok && verified.value.patchedTensorsClean).toBe(true);
  const diff = new Map<number, number>();
  for (let i = 0; i < output.length; i++) {
    if (output[i] !== o.bytes[i]) {
      diff.set(i, output[i]);
    }
  }
  return diff;
}

describe.skipIf(!existsSync(ROOT))(
  'repair on the real checkpoints in ../shared/real-checkpoints',
  () => {
    it('plans nothing for any of them, under the default policy and with every addition', async () => {
      const files = safetensorsUnder(ROOT);
      expect(files.length).toBeGreaterThan(5);
      for (const path of files) {
        const o = await open(new Uint8Array(readFileSync(path)), relative(ROOT, path));
        if (o === null) {
          continue; // the malformed edge case: refused before any plan
        }
        for (const p of [DEFAULT_REPAIR_POLICY, EVERYTHING]) {
          expect((await plan(o, p)).patches, relative(ROOT, path)).toEqual([]);
        }
      }
    });

    it('ComfyUI NVFP4: a planted NaN scale (0xFF) becomes +448, unclassified (swizzled scales)', async () => {
      const path = join(ROOT, 'comfy-nvfp4-jorismak/test_nvfp4_calibrated.safetensors');
      const bytes = new Uint8Array(readFileSync(path));
      const first = await open(bytes, 'comfy');
      if (first === null) {
        throw new Error('comfy file does not parse');
      }
      expect(first.roles.get('blocks.0.ffn.0.weight_scale')).toBe('f8_e4m3');
      const at = offsetOf(first, 'blocks.0.ffn.0.weight_scale') + 37;
      bytes[at] = 0xff;
      const o = await open(bytes, 'comfy');
      if (o === null) {
        throw new Error('comfy file does not parse');
      }
      const planned = await plan(o, DEFAULT_REPAIR_POLICY);
      expect(planned.patches.map((p) => [p.offset, p.old, p.new, p.class])).toEqual([
        [at, 0xff, 0x7e, null],
      ]);
      expect(planned.tensors.map((t) => [t.role, t.treatedAs])).toEqual([['fp8-scale', 'F8_E4M3']]);
      expect(await repairAndVerify(o, DEFAULT_REPAIR_POLICY)).toEqual(new Map([[at, 0x7e]]));
    });

    it('gpt-oss MXFP4: a planted NaN E8M0 scale over 0.5/0 codes is clamped and gets the policy byte', async () => {
      const path = join(ROOT, 'gptoss-style-mxfp4-tiny/simple_test.safetensors');
      const bytes = new Uint8Array(readFileSync(path));
      const first = await open(bytes, 'gptoss');
      if (first === null) {
        throw new Error('gpt-oss file does not parse');
      }
      const at = offsetOf(first, 'tensor_with_ones_scales');
      bytes[at] = 0xff;
      const o = await open(bytes, 'gptoss');
      if (o === null) {
        throw new Error('gpt-oss file does not parse');
      }
      const roles = new Map<string, TensorRole>([
        ['tensor_with_ones_scales', 'f8_e8m0'],
        ['tensor_with_zeros_scales', 'f8_e8m0'],
      ]);
      const planned = await planRepair(o.source, o.header, EVERYTHING, { roles });
      expect(planned.ok && planned.value.patches.map((p) => [p.offset, p.new, p.class])).toEqual([
        [at, 127, 'clamped'],
      ]);
    });

    it('torchao FP8: a NaN weight keeps its sign, a NaN F32 scale becomes +0', async () => {
      const path = join(ROOT, 'torchao-fp8-rowwise/fp8_weights.safetensors');
      const bytes = new Uint8Array(readFileSync(path));
      const first = await open(bytes, 'torchao');
      if (first === null) {
        throw new Error('torchao file does not parse');
      }
      const w = offsetOf(first, '0.weight:qdata') + 100;
      const s = offsetOf(first, '0.weight:scale') + 4 * 7;
      bytes[w] = 0xff; // -NaN weight
      bytes.set([0x00, 0x00, 0xc0, 0xff], s); // -NaN F32 0xFFC00000 (little-endian)
      const o = await open(bytes, 'torchao');
      if (o === null) {
        throw new Error('torchao file does not parse');
      }
      const diff = await repairAndVerify(o, EVERYTHING);
      expect(diff).toEqual(
        new Map([
          [s + 2, 0x00],
          [s + 3, 0x00],
          [w, 0xfe],
        ]),
      );
    });
  },
);
