import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/quant/index';
import { fnuzFindingOfTensors } from '../../core/quant/lint/fnuz-portability';
import { ModuleLookup } from '../../core/quant/module-lookup';
import { modelOptConfig } from '../../core/quant/testing/fixture-configs';
import { setBytes } from '../../core/quant/testing/fixture-kit';
import type { LintedFixture } from '../../core/quant/testing/lint-fixture';
import { lintFixture, rawFixture } from '../../core/quant/testing/lint-fixture';
import { fp8Module, modelOptNvfp4, randomMatrix } from '../../core/quant/testing/modules-float';
import type { TensorRow } from '../model/tensor-row';
import { fnuzRows, withFnuzFinding } from './fnuz-rows';

/** The page's rows for the scanned stats (every tensor scanned, with its histogram). */
function rowsOf(linted: LintedFixture): TensorRow[] {
  const rows: TensorRow[] = [];
  linted.headers.forEach((h, fileId) => {
    for (const info of h.tensors) {
      const stats = linted.stats.get(h.fileName)?.get(info.name) ?? null;
      rows.push({ key: `${fileId}:${info.name}`, fileId, fileName: h.fileName, info, stats });
    }
  });
  return rows;
}

/** What the worker answers the page: the counts of its rows, mapped onto the analysis' modules. */
function pageFinding(linted: LintedFixture): Finding[] {
  const { modules } = linted.report;
  return fnuzFindingOfTensors(modules, new ModuleLookup(modules), fnuzRows(rowsOf(linted)).counts);
}

const fnuzOf = (findings: readonly Finding[]): Finding[] =>
  findings.filter((f) => f.rule === 'fnuz-portability');

describe('the page’s fnuz-portability finding', () => {
  it('is the CLI’s: counted over every scanned F8_E4M3 weight (two layers, -0 bytes planted)', async () => {
    const a = 'model.layers.0.mlp.down_proj';
    const b = 'model.layers.1.mlp.down_proj';
    const tensors = setBytes(`${b}.weight`, [
      [1, 0x80],
      [2, 0x80],
      [40, 0x80],
    ])([
      ...fp8Module(a, randomMatrix(32, 64, 31), 'modelopt-tensor').tensors,
      ...fp8Module(b, randomMatrix(32, 64, 32), 'modelopt-tensor').tensors,
    ]);
    const linted = await lintFixture(rawFixture(tensors, { hfQuantConfig: modelOptConfig('FP8') }));
    // Independently, from the bytes: 0x80 and magnitudes 0x78..0x7E of either sign.
    let expected = 0;
    for (const t of tensors) {
      if (t.dtype === 'F8_E4M3' && t.name.endsWith('.weight')) {
        for (const x of t.data) {
          expected += x === 0x80 || ((x & 0x7f) >= 0x78 && (x & 0x7f) <= 0x7e) ? 1 : 0;
        }
      }
    }
    const cli = fnuzOf(linted.findings);
    expect(cli.map((f) => f.count)).toEqual([expected]);
    expect(cli[0]?.message).toContain('3 bytes 0x80');
    expect(pageFinding(linted)).toEqual(cli);
  });

  it('never counts the F8_E4M3 block scales of an NVFP4 module (448 by design)', async () => {
    const p = 'model.layers.0.mlp.down_proj';
    const m = modelOptNvfp4(p, randomMatrix(32, 64, 33));
    const linted = await lintFixture(
      rawFixture(m.tensors, { hfQuantConfig: modelOptConfig('NVFP4') }),
    );
    const rows = fnuzRows(rowsOf(linted));
    // The block scales are scanned and counted on the page, but are no module's weight.
    expect(rows.counts.map((c) => c.tensor)).toEqual([`${p}.weight_scale`]);
    expect(rows.counts[0]?.large).toBeGreaterThan(0);
    expect(pageFinding(linted)).toEqual([]);
    expect(fnuzOf(linted.findings)).toEqual([]);
  });

  it('replaces the analysis’ early finding, keeping the others in order', () => {
    const early: Finding = {
      rule: 'fnuz-portability',
      severity: 'info',
      file: 'a.safetensors',
      module: 'm',
      tensor: 'm.weight',
      count: 1,
      message: 'early',
    };
    const other: Finding = { ...early, rule: 'scale-drift', count: 9, message: 'drift' };
    const late: Finding = { ...early, count: 7, message: 'late' };
    expect(withFnuzFinding([early, other], [late])).toEqual([late, other]);
    expect(withFnuzFinding([early, other], [])).toEqual([other]);
  });
});
