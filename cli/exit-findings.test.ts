import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './testing/run-cli';
import { f32Bytes } from '../core/quant/testing/encode';
import type { QuantFixture } from '../core/quant/testing/fixture-kit';
import { edits, replaceTensor, singleFile, tensorOf } from '../core/quant/testing/fixture-kit';
import { modelOptConfig } from '../core/quant/testing/fixture-configs';
import { modelOptNvfp4, randomMatrix } from '../core/quant/testing/modules-float';

/**
 * Exit status vs verdict (README, "Exit status"): an error-severity finding that is not NaN/Inf
 * fails the scan (1) like a NaN does; a healthy sibling exits 0.
 */
const L0 = 'model.layers.0';
const L1 = 'model.layers.1';

function nvfp4(name: string, edit?: Parameters<typeof edits>[0]): QuantFixture {
  const modules = {
    [`${L0}.mlp.down_proj`]: modelOptNvfp4(`${L0}.mlp.down_proj`, randomMatrix(32, 64, 11)),
    [`${L1}.mlp.down_proj`]: modelOptNvfp4(`${L1}.mlp.down_proj`, randomMatrix(32, 64, 12)),
  };
  return singleFile(name, {
    modules,
    hfQuantConfig: modelOptConfig('NVFP4'),
    edit: edit === undefined ? undefined : edits(edit),
    expected: { scheme: 'nvfp4', producer: 'modelopt', source: 'config', findings: [] },
  });
}

const healthy = nvfp4('healthy');
const downScale = tensorOf(
  modelOptNvfp4(`${L1}.mlp.down_proj`, randomMatrix(32, 64, 12)),
  `${L1}.mlp.down_proj.weight_scale`,
);
const fixtures = [
  healthy,
  // ModelOpt's low-memory export: a weight_scale of half the columns (scale-shape, error).
  nvfp4(
    'scale-shape',
    replaceTensor(downScale.name, {
      ...downScale,
      shape: [32, 2],
      data: downScale.data.slice(0, 64),
    }),
  ),
  // A zero global scale (bad-global-scale, error): finite, so no NaN anywhere.
  nvfp4(
    'zero-global',
    replaceTensor(`${L0}.mlp.down_proj.weight_scale_2`, {
      name: `${L0}.mlp.down_proj.weight_scale_2`,
      dtype: 'F32',
      shape: [],
      data: f32Bytes([0]),
    }),
  ),
];

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-exit-'));
  for (const f of fixtures) {
    mkdirSync(join(dir, f.name));
    for (const file of f.files) {
      writeFileSync(join(dir, f.name, file.name), file.bytes);
    }
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Doc {
  findings: { rule: string; severity: string }[];
  files: { tensors: { nan: number | null; posInf: number | null; negInf: number | null }[] }[];
  errors: unknown[];
}

describe('scan exit status: error findings fail, like NaN', () => {
  it('exits 0 on the healthy sibling, with no error finding', async () => {
    const r = await cli('scan', '--json', join(dir, 'healthy'));
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.code).toBe(0);
    expect((await cli('scan', join(dir, 'healthy'))).stdout).toMatch(
      /^OK {4}.*model\.safetensors/m,
    );
  });

  for (const [name, rule] of [
    ['scale-shape', 'scale-shape'],
    ['zero-global', 'bad-global-scale'],
  ] as const) {
    it(`exits 1 on a ${rule} error with no NaN/Inf anywhere, text and --json alike`, async () => {
      const json = await cli('scan', '--json', join(dir, name));
      const doc = JSON.parse(json.stdout) as Doc;
      expect(doc.errors).toEqual([]);
      expect(doc.findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual([rule]);
      const bad = doc.files.flatMap((f) =>
        f.tensors.filter((t) => (t.nan ?? 0) + (t.posInf ?? 0) + (t.negInf ?? 0) > 0),
      );
      expect(bad).toEqual([]);
      expect(json.code).toBe(1);
      const text = await cli('scan', join(dir, name));
      expect(text.code).toBe(1);
      // The one-line verdict says why (the page's banner shows the same text).
      expect(text.stdout).toMatch(/^Verdict: 1 quantization error$/m);
      // The file is not shown OK: it fails, and says why.
      expect(text.stdout).toMatch(
        /^FAIL {2}.*model\.safetensors .*: no NaN or Inf, 1 error finding \(see findings\)$/m,
      );
      expect(text.stdout).not.toMatch(/^OK /m);
    });
  }
});
