import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './testing/run-cli';
import { allQuantFixtures } from '../core/quant/testing/make-quant-fixtures';
import type { QuantFixture } from '../core/quant/testing/make-quant-fixtures';

const REAL = resolve(import.meta.dirname, '..', '..', 'shared', 'real-checkpoints');

interface Doc {
  files: {
    path: string;
    scheme: string | null;
    producer: string | null;
    schemeSource: string | null;
  }[];
  findings: {
    rule: string;
    severity: string;
    file: string | null;
    module: string | null;
    tensor: string | null;
    count: number;
    message: string;
  }[];
  errors: unknown[];
}

const fixtures: QuantFixture[] = allQuantFixtures();
let dir = '';
const folder = (name: string): string => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-quant-'));
  for (const f of fixtures) {
    mkdirSync(folder(f.name));
    for (const file of f.files) {
      writeFileSync(join(folder(f.name), file.name), file.bytes);
    }
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NAN_RULES = new Set(['nan-scale', 'inf-scale']);

describe('ckptscope scan: quantization schemes and findings', () => {
  it('--json gives every file its scheme, producer and schemeSource, and the planted findings', async () => {
    const r = await cli('scan', '--json', ...fixtures.map((f) => folder(f.name)));
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.errors).toEqual([]);
    for (const f of fixtures) {
      const files = doc.files.filter((x) => x.path.startsWith(`${folder(f.name)}/`));
      expect(files.length, f.name).toBeGreaterThan(0);
      for (const file of files) {
        expect({
          name: f.name,
          scheme: file.scheme,
          producer: file.producer,
          schemeSource: file.schemeSource,
        }).toEqual({
          name: f.name,
          scheme: f.expected.scheme,
          producer: f.expected.producer,
          schemeSource: f.expected.source,
        });
      }
      // fnuz-portability is a note on every healthy FP8 export (core/quant/lint checks its counts).
      const found = doc.findings
        .filter((x) => x.file?.startsWith(`${folder(f.name)}/`) && x.rule !== 'fnuz-portability')
        .map((x) => `${x.rule} ${x.module ?? '-'} ${x.count}`)
        .sort();
      const expected = f.expected.findings
        .map((x) => `${x.rule} ${x.module ?? '-'} ${x.count}`)
        .sort();
      expect(found, f.name).toEqual(expected);
    }
    for (const x of doc.findings) {
      expect(Object.keys(x).sort()).toEqual([
        'count',
        'file',
        'message',
        'module',
        'rule',
        'severity',
        'tensor',
      ]);
      expect(['error', 'warning', 'info']).toContain(x.severity);
    }
    expect(r.code).toBe(1);
  });

  it('exits 1 on NaN scale bytes stored as U8 (ComfyUI E4M3, gpt-oss E8M0 0xFF), counted by role in the scan too', async () => {
    for (const name of ['comfy-nan-scales', 'gptoss-nan-scales']) {
      const r = await cli('scan', '--json', folder(name));
      const doc = JSON.parse(r.stdout) as Omit<Doc, 'files'> & {
        files: { tensors: { dtype: string; decodedAs?: string; nan: number | null }[] }[];
      };
      // The scan decodes the U8 scale by its role: the tensor itself carries the NaN (issue 12).
      const bad = doc.files.flatMap((f) => f.tensors).filter((t) => (t.nan ?? 0) > 0);
      expect(bad.length, name).toBe(1);
      expect(bad[0]?.dtype).toBe('U8');
      expect(['F8_E4M3', 'F8_E8M0']).toContain(bad[0]?.decodedAs);
      expect(doc.findings.some((x) => x.rule === 'nan-scale')).toBe(true);
      expect(r.code, name).toBe(1);
    }
  });

  it('exits 1 for nan-scale / inf-scale and every other error finding, 0 on warnings and infos only', async () => {
    for (const f of fixtures) {
      const nan = f.expected.findings.some((x) => NAN_RULES.has(x.rule));
      if (f.name === 'nvfp4-faults') {
        continue; // also holds F8_E4M3 NaN and F32 Inf that the plain scan reports
      }
      const r = await cli('scan', '--json', '--no-progress', folder(f.name));
      const doc = JSON.parse(r.stdout) as Doc;
      // A checkpoint that serves garbage fails CI (README, "Exit status").
      const failing = doc.findings.some((x) => x.severity === 'error');
      expect(failing || !nan, f.name).toBe(true);
      expect(r.code, f.name).toBe(failing ? 1 : 0);
    }
  });

  it('2 still wins for an invalid file', async () => {
    const broken = join(dir, 'broken.safetensors');
    writeFileSync(broken, new Uint8Array(4));
    const r = await cli(
      'scan',
      '--json',
      broken,
      join(folder('comfy-nan-scales'), 'model.safetensors'),
    );
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.files.find((f) => f.path === broken)?.scheme).toBeNull();
  });

  it('the readable report prints the scheme per file and a findings section', async () => {
    const r = await cli(
      'scan',
      '--no-progress',
      folder('nvfp4-faults'),
      folder('comfy-nan-scales'),
      folder('unquantized'),
    );
    expect(r.stdout).toContain('scheme: nvfp4 (modelopt, from config)');
    expect(r.stdout).toContain('scheme: nvfp4 (comfyui, from names)');
    expect(r.stdout).toContain('scheme: none');
    expect(r.stdout).toMatch(
      /FAIL +\S*comfy-nan-scales\/model\.safetensors .*3 NaN and 0 Inf in 1 tensor/,
    );
    expect(r.stdout).toContain('Quantization findings:');
    expect(r.stdout).toMatch(
      / error +nan-scale +blocks\.0\.ffn\.0: 2 NaN of 192 scale values \(E4M3 bytes stored as U8\)/,
    );
    expect(r.stdout).toMatch(
      / warning +missing-input-scale +model\.layers\.2\.mlp\.experts\.1\.down_proj:/,
    );
    expect(r.stdout).toMatch(/ info +subnormal-scale /);
  });

  it('gives the same findings whatever the chunk size', async () => {
    const a = JSON.parse((await cli('scan', '--json', folder('nvfp4-faults'))).stdout) as Doc;
    const b = JSON.parse(
      (await cli('scan', '--json', '--chunk-bytes', '7', folder('nvfp4-faults'))).stdout,
    ) as Doc;
    expect(b.findings).toEqual(a.findings);
  });

  it.skipIf(!existsSync(REAL))(
    'recognises the real ComfyUI NVFP4 checkpoint and finds no NaN scale',
    async () => {
      const r = await cli(
        'scan',
        '--json',
        join(REAL, 'comfy-nvfp4-jorismak', 'test_nvfp4_calibrated.safetensors'),
      );
      const doc = JSON.parse(r.stdout) as Doc;
      expect(doc.files.map((f) => [f.scheme, f.producer, f.schemeSource])).toEqual([
        ['nvfp4', 'comfyui', 'names'],
      ]);
      expect(doc.findings.filter((x) => x.severity === 'error')).toEqual([]);
      expect(r.code).toBe(0);
    },
  );
});
