import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../../format/build-safetensors';
import { cleanFixtures } from '../testing/make-quant-fixtures';
import { modelOptConfig } from '../testing/fixture-configs';
import { setBytes } from '../testing/fixture-kit';
import { lintFixture, rawFixture, ruleFindings } from '../testing/lint-fixture';
import { fp8Module, randomMatrix } from '../testing/modules-float';
import { lintCheckpoint } from './lint-checkpoint';

/** Bytes of F8_E4M3 weights that e4m3fnuz cannot hold, counted straight from the bytes. */
function fnuzBytes(tensors: readonly TensorSpec[]): number {
  let n = 0;
  for (const t of tensors) {
    if (t.dtype === 'F8_E4M3' && t.name.endsWith('.weight')) {
      for (const b of t.data) {
        n += b === 0x80 || ((b & 0x7f) >= 0x78 && (b & 0x7f) <= 0x7e) ? 1 : 0;
      }
    }
  }
  return n;
}

describe('fnuz-portability', () => {
  it('a NaN-on-MI300 -0 byte (0x80) and the 448s of an FP8 export are counted in one info', async () => {
    const p = 'model.layers.0.mlp.down_proj';
    const tensors = setBytes(`${p}.weight`, [
      [3, 0x80],
      [9, 0x80],
    ])(fp8Module(p, randomMatrix(32, 64, 900), 'modelopt-tensor').tensors);
    const expected = fnuzBytes(tensors);
    const { findings } = await lintFixture(
      rawFixture(tensors, { hfQuantConfig: modelOptConfig('FP8') }),
    );
    expect(ruleFindings(findings, 'fnuz-portability')).toEqual([['info', p, expected]]);
    expect(findings.find((f) => f.rule === 'fnuz-portability')?.message).toContain('2 bytes 0x80');
  });

  it('FP8 weights without such bytes (all |x| <= 240, no -0) have none', async () => {
    const p = 'model.layers.0.mlp.down_proj';
    const tensors = fp8Module(p, randomMatrix(32, 64, 901), 'modelopt-tensor').tensors.map((t) =>
      t.name === `${p}.weight`
        ? { ...t, data: t.data.map((b) => (b & 0x80) | Math.min(b & 0x7f, 0x77)) }
        : t,
    );
    const { findings } = await lintFixture(
      rawFixture(tensors, { hfQuantConfig: modelOptConfig('FP8') }),
    );
    expect(ruleFindings(findings, 'fnuz-portability')).toEqual([]);
  });

  it('each clean FP8 fixture gets exactly the bytes counted from its files, as an info', async () => {
    for (const fixture of cleanFixtures()) {
      const { findings, headers, sources } = await lintFixture(fixture);
      let expected = 0;
      for (const h of headers) {
        const source = sources.get(h.fileName);
        for (const t of h.tensors) {
          if (source !== undefined && t.dtype === 'F8_E4M3') {
            const bytes = await source.read(t.offset, t.nbytes);
            expected += fnuzBytes([{ name: t.name, dtype: t.dtype, shape: t.shape, data: bytes }]);
          }
        }
      }
      const got = findings.filter((f) => f.rule === 'fnuz-portability');
      expect(
        got.map((f) => f.count),
        fixture.name,
      ).toEqual(expected === 0 ? [] : [expected]);
      expect(got.every((f) => f.severity === 'info')).toBe(true);
    }
  });
});

describe('fnuz-portability from the byte histograms the app sends', () => {
  it('counts from knownCodes when there is neither a weight pass nor a scan', async () => {
    const p = 'model.layers.0.mlp.down_proj';
    const tensors = fp8Module(p, randomMatrix(32, 64, 902), 'modelopt-tensor').tensors;
    const weight = tensors.find((t) => t.name === `${p}.weight`);
    const counts = new Array<number>(256).fill(0);
    for (const b of weight?.data ?? []) {
      counts[b]++;
    }
    const { report, analyses } = await lintFixture(
      rawFixture(tensors, { hfQuantConfig: modelOptConfig('FP8') }),
    );
    const known = (_file: string, tensor: string): number[] | undefined =>
      tensor === `${p}.weight` ? counts : undefined;
    const withKnown = lintCheckpoint(report, analyses, undefined, { knownCodes: known });
    expect(ruleFindings(withKnown, 'fnuz-portability')).toEqual([['info', p, fnuzBytes(tensors)]]);
    expect(ruleFindings(lintCheckpoint(report, analyses), 'fnuz-portability')).toEqual([]);
  });
});
