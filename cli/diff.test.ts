import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSafetensors } from '../core/format/build-safetensors';
import type { QuantFixture } from '../core/quant/testing/fixture-kit';
import { bf16Model, quantizedModel } from '../core/diff/testing/diff-fixtures';
import type { DiffReport } from '../core/diff/diff-types';
import { cli } from './testing/run-cli';

let dir = '';

function write(fixture: QuantFixture, name: string): string {
  const folder = join(dir, name);
  mkdirSync(folder);
  for (const f of fixture.files) {
    writeFileSync(join(folder, f.name), f.bytes);
  }
  return folder;
}

function f32File(name: string, values: number[]): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    buildSafetensors([
      {
        name: 'w',
        dtype: 'F32',
        shape: [values.length],
        data: new Uint8Array(Float32Array.from(values).buffer),
      },
    ]),
  );
  return path;
}

const paths = { bf16: '', copy: '', awq: '', swapped: '', clean: '', nan: '' };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-diff-'));
  paths.bf16 = write(bf16Model(), 'bf16');
  paths.copy = write(bf16Model(), 'copy');
  paths.awq = write(quantizedModel('autoawq'), 'awq');
  paths.swapped = write(
    quantizedModel('modelopt-nvfp4', { swapNibblesOf: 'model.layers.0.self_attn.q_proj' }),
    'swapped',
  );
  paths.clean = f32File('clean.safetensors', [1, 2, 3, 4]);
  paths.nan = f32File('nan.safetensors', [1, Number.NaN, 3, 4.5]);
  // Building the fixtures (quantizing them) takes seconds on a busy machine.
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function parse(stdout: string): DiffReport {
  return JSON.parse(stdout) as DiffReport;
}

describe('ckptscope diff', () => {
  it('--json: the contract fields, a module against its float weight, exit 0', async () => {
    const r = await cli('diff', paths.bf16, paths.awq, '--json');
    expect(r.code).toBe(0);
    const report = parse(r.stdout);
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['a', 'b', 'pairs', 'onlyA', 'onlyB', 'findings', 'errors']),
    );
    expect(report.a).toMatchObject({ path: paths.bf16, scheme: 'none' });
    expect(report.b).toMatchObject({ path: paths.awq, scheme: 'awq' });
    const q = report.pairs.find((p) => p.name === 'model.layers.0.self_attn.q_proj.weight');
    expect(q).toMatchObject({
      module: 'self_attn.q_proj',
      a: { dtype: 'BF16', shape: [128, 128] },
      b: { dtype: 'I32', shape: [128, 16], scheme: 'awq' },
      identical: false,
      nanA: 0,
      nanB: 0,
      infA: 0,
      infB: 0,
    });
    for (const key of ['sqnrDb', 'relL2', 'cosine', 'maxAbsError']) {
      expect(typeof Reflect.get(q ?? {}, key)).toBe('number');
    }
    const kept = report.pairs.find((p) => p.name === 'lm_head.weight');
    // Identical bytes: no metrics computed, and the fields say so with null.
    expect(kept).toMatchObject({ identical: true, sqnrDb: null, cosine: null, nanA: null });
    expect(kept?.a).toMatchObject({ dtype: 'BF16' });
    expect(report.onlyA).toEqual([]);
    expect(report.errors).toEqual([]);
  });

  it('--min-sqnr above every module fails with 1, below passes with 0', async () => {
    expect((await cli('diff', paths.bf16, paths.awq, '--min-sqnr', '60', '--json')).code).toBe(1);
    expect((await cli('diff', paths.bf16, paths.awq, '--min-sqnr', '5')).code).toBe(0);
  });

  it('the readable report: layer x module table, worst first, structure', async () => {
    const r = await cli('diff', paths.bf16, paths.swapped, '--threads', '2');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SQNR in dB per layer x module/);
    const worst = r.stdout.split('\n').find((l) => l.includes('.weight') && l.includes('SQNR'));
    expect(worst).toMatch(/model\.layers\.0\.self_attn\.q_proj\.weight/);
    expect(r.stdout).toMatch(
      /layout-mismatch +model\.layers\.0\.self_attn\.q_proj: FP4 nibbles look swapped/,
    );
  });

  it('reports a swapped-nibble module as layout-mismatch in JSON', async () => {
    const report = parse((await cli('diff', paths.bf16, paths.swapped, '--json')).stdout);
    const layout = report.findings.filter((f) => f.rule === 'layout-mismatch');
    expect(layout.map((f) => f.name)).toEqual(['model.layers.0.self_attn.q_proj']);
  });

  it('identical exports: every tensor identical, exit 0', async () => {
    const r = await cli('diff', paths.bf16, paths.copy, '--json', '--min-sqnr', '1000');
    expect(r.code).toBe(0);
    const report = parse(r.stdout);
    expect(report.pairs.length).toBe(17);
    expect(report.pairs.every((p) => p.identical === true)).toBe(true);
  });

  it('NaN in B where A is finite: exit 1, counted per side', async () => {
    const r = await cli('diff', paths.clean, paths.nan, '--json');
    expect(r.code).toBe(1);
    const [pair] = parse(r.stdout).pairs;
    expect(pair).toMatchObject({ name: 'w', nanA: 0, nanB: 1, identical: false });
    expect(pair.maxAbsError).toBe(0.5);
    // The reverse direction removes a NaN: nothing new in B.
    expect((await cli('diff', paths.nan, paths.clean)).code).toBe(0);
  });

  it('--threads N: the same report as one thread', async () => {
    for (const b of [paths.awq, paths.swapped]) {
      const one = await cli('diff', paths.bf16, b, '--json', '--threads', '1');
      const three = await cli('diff', paths.bf16, b, '--json', '--threads', '3');
      expect(three.code).toBe(one.code);
      expect(parse(three.stdout)).toEqual(parse(one.stdout));
    }
  });

  it('usage and invalid input exit 2', async () => {
    expect((await cli('diff', paths.bf16)).code).toBe(2);
    expect((await cli('diff', paths.bf16, paths.awq, '--min-sqnr', 'loud')).code).toBe(2);
    expect((await cli('diff', paths.bf16, paths.awq, '--threads', '0')).code).toBe(2);
    expect((await cli('diff', paths.bf16, join(dir, 'missing'))).code).toBe(2);
    const missing = await cli('diff', paths.bf16, join(dir, 'missing'), '--json');
    expect(missing.code).toBe(2);
    const doc = parse(missing.stdout);
    expect(doc.pairs).toEqual([]);
    expect(doc.b.scheme).toBeNull();
    expect(doc.errors.map((e) => e.code)).toEqual(['InvalidInput']);
    const broken = join(dir, 'broken.safetensors');
    writeFileSync(broken, new Uint8Array(5));
    const r = await cli('diff', paths.clean, broken, '--json');
    expect(r.code).toBe(2);
  });
});
