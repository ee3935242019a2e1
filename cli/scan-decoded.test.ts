import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './testing/run-cli';
import { faultFixtures } from '../core/quant/testing/fault-fixtures';
import { F4_TABLE } from '../core/dtype/fp4';

interface JsonTensor {
  name: string;
  dtype: string;
  decodedAs?: string;
  nan: number | null;
  zero: number | null;
  saturated: number | null;
  min: number | null;
  max: number | null;
  nanIndices: number[] | null;
}
interface Doc {
  files: { path: string; tensors: JsonTensor[] }[];
  complete: boolean;
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-decoded-'));
  for (const name of ['gptoss-nan-scales', 'comfy-nan-scales', 'nvfp4-faults']) {
    const f = faultFixtures().find((x) => x.name === name);
    mkdirSync(join(dir, name));
    for (const file of f?.files ?? []) {
      writeFileSync(join(dir, name, file.name), file.bytes);
    }
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The header of a safetensors file, parsed here with JSON.parse, and its data start. */
function header(path: string): {
  bytes: Buffer;
  start: number;
  entries: Record<string, { dtype: string; data_offsets: [number, number] }>;
} {
  const bytes = readFileSync(path);
  const n = Number(bytes.readBigUInt64LE(0));
  return {
    bytes,
    start: 8 + n,
    entries: JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as never,
  };
}

function tensorsOf(doc: Doc): Map<string, JsonTensor> {
  return new Map(doc.files.flatMap((f) => f.tensors.map((t) => [t.name, t] as const)));
}

describe('scan --json: values counted by role (decodedAs)', () => {
  for (const threads of ['1', '2']) {
    it(`gpt-oss U8 *_scales are E8M0 (0xFF is NaN), U8 *_blocks FP4 code values (--threads ${threads})`, async () => {
      const folder = join(dir, 'gptoss-nan-scales');
      const r = await cli('scan', '--json', '--threads', threads, folder);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as Doc;
      expect(doc.complete).toBe(true);
      const tensors = tensorsOf(doc);
      const p = 'model.layers.0.mlp.experts.gate_up_proj';
      const file = join(folder, 'model.safetensors');
      const h = header(file);
      // Independent expectation: the 0xFF bytes of the scale tensor.
      const [a, b] = h.entries[`${p}_scales`].data_offsets;
      const nanIndices: number[] = [];
      for (let i = 0; i < b - a; i++) {
        if (h.bytes[h.start + a + i] === 0xff) {
          nanIndices.push(i);
        }
      }
      expect(nanIndices).toEqual([0, 7, 200]);
      expect(tensors.get(`${p}_scales`)).toMatchObject({
        dtype: 'U8',
        decodedAs: 'F8_E8M0',
        nan: 3,
        nanIndices,
      });
      const [c, d] = h.entries[`${p}_blocks`].data_offsets;
      let zero = 0;
      let saturated = 0;
      let min = Infinity;
      let max = -Infinity;
      for (let i = h.start + c; i < h.start + d; i++) {
        for (const code of [h.bytes[i] & 0xf, h.bytes[i] >> 4]) {
          const v = F4_TABLE[code];
          zero += v === 0 ? 1 : 0;
          saturated += Math.abs(v) === 6 ? 1 : 0;
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
      expect(tensors.get(`${p}_blocks`)).toMatchObject({
        dtype: 'U8',
        decodedAs: 'F4',
        nan: 0,
        zero,
        saturated,
        min,
        max,
      });
      const text = await cli('scan', '--no-progress', '--threads', threads, folder);
      expect(text.stdout).toContain(`${p}_scales  U8 as F8_E8M0`);
      expect(text.stdout).toContain('Verdict: 3 NaN bytes in 1 FP8 scale tensor — layer 0');
    });
  }

  it('a ComfyUI U8 scale is E4M3 (padding bytes included), its weight FP4; F8 dtypes carry no decodedAs', async () => {
    const comfy = tensorsOf(
      JSON.parse((await cli('scan', '--json', join(dir, 'comfy-nan-scales'))).stdout) as Doc,
    );
    expect(comfy.get('blocks.0.ffn.0.weight_scale')).toMatchObject({
      dtype: 'U8',
      decodedAs: 'F8_E4M3',
      nan: 3,
    });
    expect(comfy.get('blocks.0.ffn.0.weight')).toMatchObject({ dtype: 'U8', decodedAs: 'F4' });
    const modelopt = tensorsOf(
      JSON.parse((await cli('scan', '--json', join(dir, 'nvfp4-faults'))).stdout) as Doc,
    );
    const scale = modelopt.get('model.layers.0.self_attn.q_proj.weight_scale');
    expect(scale).toMatchObject({ dtype: 'F8_E4M3', nan: 2 });
    expect(scale?.decodedAs).toBeUndefined();
  });
});
