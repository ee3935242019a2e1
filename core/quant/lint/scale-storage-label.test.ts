import { describe, expect, it } from 'vitest';
import type { ModuleAnalysis } from '../analyze/analyze-module';
import type { ScaleSummary } from '../analyze/summarize-scale';
import { lintValues } from './lint-values';

function withScale(over: Partial<ScaleSummary>): ModuleAnalysis {
  const scale: ScaleSummary = {
    tensor: 'm.weight_scale',
    file: 'f',
    dtype: 'F32',
    encoding: 'e4m3',
    elements: 100,
    padding: 0,
    nan: 3,
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
  return {
    moduleId: 'f::m',
    prefix: 'm',
    file: 'f',
    scheme: 'nvfp4',
    scale,
    globalScale: null,
    inputScale: null,
    effectiveScale: null,
    weight: null,
    weightSkipped: null,
    zeroPointNibbles: null,
  };
}

const message = (over: Partial<ScaleSummary>): string =>
  lintValues([withScale(over)]).find((f) => f.rule === 'nan-scale')?.message ?? '';

describe('scale storage in messages', () => {
  it('names an F32 weight_scale of an NVFP4 module by its dtype, not "(E4M3)"', () => {
    expect(message({ dtype: 'F32' })).toContain('(F32)');
    expect(message({ dtype: 'F32' })).not.toContain('E4M3');
    expect(message({ dtype: 'BF16', encoding: 'e8m0' })).toContain('(BF16)');
  });

  it('keeps the FP8 names for FP8 dtypes and U8 containers', () => {
    expect(message({ dtype: 'F8_E4M3' })).toContain('(E4M3)');
    expect(message({ dtype: 'F8_E8M0', encoding: 'e8m0' })).toContain('(E8M0)');
    expect(message({ dtype: 'U8', encoding: 'e8m0' })).toContain('(E8M0 bytes stored as U8)');
  });
});
