import { describe, expect, it } from 'vitest';
import type { ModuleAnalysis } from '../analyze/analyze-module';
import type { ScaleSummary } from '../analyze/summarize-scale';
import { lintValues, SATURATED_SCALE_WARNING_SHARE } from './lint-values';

function summary(over: Partial<ScaleSummary>): ScaleSummary {
  return {
    tensor: 's',
    file: 'f',
    dtype: 'U8',
    encoding: 'e4m3',
    elements: 100,
    padding: 0,
    nan: 0,
    posInf: 0,
    negInf: 0,
    zero: 0,
    negative: 0,
    saturated: 0,
    subnormal: 0,
    huge: 0,
    nonPow2: 0,
    min: 1,
    max: 1,
    value: null,
    codes: null,
    ...over,
  };
}

function analysis(over: Partial<ModuleAnalysis>): ModuleAnalysis {
  return {
    moduleId: 'f::m',
    prefix: 'm',
    file: 'f',
    scheme: 'nvfp4',
    scale: null,
    globalScale: null,
    inputScale: null,
    effectiveScale: null,
    weight: null,
    weightSkipped: null,
    zeroPointNibbles: null,
    ...over,
  };
}

describe('lintValues', () => {
  it('reports NaN / Inf in any scale, naming the storage', () => {
    const f = lintValues([analysis({ scale: summary({ nan: 2, posInf: 1 }) })]);
    expect(f.map((x) => [x.rule, x.severity, x.count])).toEqual([
      ['nan-scale', 'error', 2],
      ['inf-scale', 'error', 1],
    ]);
    expect(f[0].message).toContain('E4M3 bytes stored as U8');
  });

  it('reports saturation only above the share threshold and with at least two scales', () => {
    const high = Math.ceil(SATURATED_SCALE_WARNING_SHARE * 100);
    expect(
      lintValues([analysis({ scale: summary({ saturated: high }) })]).map((x) => x.rule),
    ).toEqual(['saturated-scale']);
    expect(lintValues([analysis({ scale: summary({ saturated: high - 1 }) })])).toEqual([]);
    expect(lintValues([analysis({ scale: summary({ elements: 1, saturated: 1 }) })])).toEqual([]);
  });

  it('reports tiny block scales as info, bad or tiny global / input scales as error / warning', () => {
    expect(
      lintValues([analysis({ scale: summary({ subnormal: 3 }) })]).map((x) => [
        x.rule,
        x.severity,
        x.count,
      ]),
    ).toEqual([['subnormal-scale', 'info', 3]]);
    const g = summary({
      tensor: 'g',
      dtype: 'F32',
      encoding: 'float',
      elements: 1,
      zero: 1,
      value: 0,
    });
    const i = summary({
      tensor: 'i',
      dtype: 'F32',
      encoding: 'float',
      elements: 1,
      subnormal: 1,
      value: 1e-40,
    });
    expect(
      lintValues([analysis({ globalScale: g, inputScale: i })]).map((x) => [
        x.rule,
        x.severity,
        x.tensor,
      ]),
    ).toEqual([
      ['bad-global-scale', 'error', 'g'],
      ['subnormal-scale', 'warning', 'i'],
    ]);
  });

  it('reports zero scales over non-zero codes, counting blocks', () => {
    const weight = {
      tensor: 'w',
      file: 'f',
      codeKind: 'e2m1' as const,
      codes: [],
      levels: null,
      elements: 32,
      zeroScaleBlocks: 2,
      zeroedCodes: 20,
    };
    const [f] = lintValues([analysis({ scale: summary({ zero: 2 }), weight })]);
    expect(f).toMatchObject({
      rule: 'zero-scale-nonzero-block',
      severity: 'warning',
      tensor: 's',
      count: 2,
    });
    expect(f.message).toContain('20 codes');
  });
});
