import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './testing/run-cli';
import { buildSafetensors } from '../core/format/build-safetensors';
import type { TensorSpec } from '../core/format/build-safetensors';
import { allQuantFixtures } from '../core/quant/testing/make-quant-fixtures';
import { ANALYZE_JOB_MAX_MODULES, JOB_MAX_TENSORS } from './thread-jobs';
import { lcgBytes } from '../core/testing/lcg-bytes';

/**
 * More small (priority) tensors than one thread job holds, a few larger bulk tensors of several
 * dtypes with NaN and Inf planted, and FP8 scales with NaN bytes.
 */
function mixedCheckpoint(): Uint8Array {
  const tensors: TensorSpec[] = [];
  for (let i = 0; i < JOB_MAX_TENSORS * 2 + 77; i++) {
    const values = Float32Array.from({ length: 6 }, (_, k) => (i % 97 === k ? Number.NaN : i - k));
    tensors.push({
      name: `model.layers.${i % 31}.block${i}.weight`,
      dtype: 'F32',
      shape: [2, 3],
      data: new Uint8Array(values.buffer),
    });
  }
  for (let k = 0; k < 3; k++) {
    // 1.5 MiB of BF16: a bulk tensor; every 9th high byte made 0x7F/0xFF (NaN or Inf at random).
    const data = lcgBytes(1536 * 1024, 17 + k);
    for (let i = 1; i < data.length; i += 2) {
      data[i] = i % 18 === 1 ? data[i] | 0x7f : data[i] & 0x3f;
    }
    tensors.push({
      name: `model.layers.${k}.mlp.down_proj.weight`,
      dtype: 'BF16',
      shape: [768, 1024],
      data,
    });
    const scale = lcgBytes(96 * 1024, 99 + k).map((b) => (b === 0x7f || b === 0xff ? b : b & 0x77));
    tensors.push({
      name: `model.layers.${k}.mlp.down_proj.weight_scale`,
      dtype: 'F8_E4M3',
      shape: [96, 1024],
      data: scale,
    });
  }
  tensors.push({
    name: 'lm_head.weight',
    dtype: 'F16',
    shape: [1024, 1024],
    data: lcgBytes(2 * 1024 * 1024, 5),
  });
  tensors.push({
    name: 'model.packed',
    dtype: 'U8',
    shape: [1536, 1024],
    data: lcgBytes(1536 * 1024, 7),
  });
  tensors.push({
    name: 'model.qweight',
    dtype: 'I8',
    shape: [1200, 1024],
    data: lcgBytes(1200 * 1024, 13),
  });
  tensors.push({
    name: 'model.ids',
    dtype: 'I32',
    shape: [300_000],
    data: lcgBytes(1_200_000, 11),
  });
  return buildSafetensors(tensors);
}

/**
 * NVFP4 experts of one layer, more than two analysis batches' worth (ANALYZE_JOB_MAX_MODULES):
 * every 97th expert's block scale holds a NaN byte, every 101st lacks its input scale.
 */
function manyExperts(count: number): Uint8Array {
  const tensors: TensorSpec[] = [];
  const one = new Uint8Array(Float32Array.of(0.5).buffer);
  for (let e = 0; e < count; e++) {
    const p = `model.layers.0.mlp.experts.${e}.up_proj`;
    tensors.push({ name: `${p}.weight`, dtype: 'U8', shape: [2, 8], data: lcgBytes(16, e + 1) });
    tensors.push({
      name: `${p}.weight_scale`,
      dtype: 'F8_E4M3',
      shape: [2, 1],
      data: Uint8Array.of(0x38, e % 97 === 3 ? 0x7f : 0x30),
    });
    tensors.push({ name: `${p}.weight_scale_2`, dtype: 'F32', shape: [], data: one });
    if (e % 101 !== 5) {
      tensors.push({ name: `${p}.input_scale`, dtype: 'F32', shape: [], data: one });
    }
  }
  return buildSafetensors(tensors);
}

let dir = '';
const path = (...p: string[]): string => join(dir, ...p);
const COMMITTED = resolve(import.meta.dirname, '..', 'fixtures', 'files');
const quant = allQuantFixtures();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-threads-'));
  writeFileSync(path('mixed.safetensors'), mixedCheckpoint());
  writeFileSync(path('experts.safetensors'), manyExperts(ANALYZE_JOB_MAX_MODULES * 2 + 50));
  for (const f of quant) {
    mkdirSync(path(f.name));
    for (const file of f.files) {
      writeFileSync(path(f.name, file.name), file.bytes);
    }
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `scan --json --histograms` of `inputs`: exit status and the document, as text. */
async function scan(inputs: readonly string[], ...flags: string[]): Promise<[number, string]> {
  const r = await cli('scan', '--json', '--histograms', ...flags, ...inputs);
  expect(r.stderr).toBe('');
  return [r.code, r.stdout];
}

describe('ckptscope scan --threads', () => {
  it.each([
    ['a file of many tensors and dtypes', () => [path('mixed.safetensors')]],
    [
      'every quantization fixture (findings from module analyses)',
      () => quant.map((f) => path(f.name)),
    ],
    ['the committed fixtures, broken files included', () => [COMMITTED]],
    [
      'a layer of NVFP4 experts analysed in several batches per thread',
      () => [path('experts.safetensors')],
    ],
  ])('gives the same --json for any thread count and chunk size: %s', async (_, inputs) => {
    const [code, reference] = await scan(inputs(), '--threads', '1');
    expect(JSON.parse(reference)).toHaveProperty('files');
    for (const flags of [
      ['--threads', '2'],
      ['--threads', '3'],
      ['--threads', '2', '--chunk-bytes', '4096'],
      ['--threads', '1', '--chunk-bytes', '1000'],
    ]) {
      expect(await scan(inputs(), ...flags), flags.join(' ')).toEqual([code, reference]);
    }
  });

  it('without --histograms: the same figures (U8 / I8 weights scanned histogram-free), any threads', async () => {
    const inputs = [path('mixed.safetensors'), ...quant.map((f) => path(f.name))];
    const [code, full] = await scan(inputs, '--threads', '1');
    const expected = JSON.parse(full) as { files: { tensors: Record<string, unknown>[] }[] };
    for (const f of expected.files) {
      for (const t of f.tensors) {
        delete t.histogram;
      }
    }
    for (const flags of [
      ['--threads', '1'],
      ['--threads', '2'],
      ['--threads', '3', '--chunk-bytes', '4096'],
      ['--threads', '1', '--chunk-bytes', '1000'],
    ]) {
      const r = await cli('scan', '--json', ...flags, ...inputs);
      expect(r.code, flags.join(' ')).toBe(code);
      expect(JSON.parse(r.stdout), flags.join(' ')).toEqual(expected);
    }
  });

  it('refuses a thread count that is not a whole number from 1 to 64', async () => {
    for (const bad of ['0', '-1', '1.5', 'two', '65']) {
      const r = await cli('scan', '--threads', bad, path('mixed.safetensors'));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--threads');
    }
  });
});
