import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DOTTED_PARAMS,
  FUSED_PARAMS,
  MXFP4_PARAMS,
  splitFusedParam,
  splitParam,
} from './param-suffixes';

describe('splitParam', () => {
  it('splits at the last dot', () => {
    expect(splitParam('self_attn.q_proj.weight_scale_2')).toEqual([
      'self_attn.q_proj',
      'weight_scale_2',
    ]);
    expect(splitParam('weight')).toEqual(['', 'weight']);
  });

  it('keeps multi-segment parameters whole', () => {
    expect(splitParam('mlp.w.weight.nested_quant_map')).toEqual([
      'mlp.w',
      'weight.nested_quant_map',
    ]);
  });
});

describe('splitFusedParam', () => {
  it('takes the longest suffix', () => {
    expect(splitFusedParam('down_proj_weight_scale_2', FUSED_PARAMS)).toEqual([
      'down_proj',
      'weight_scale_2',
    ]);
    expect(splitFusedParam('gate_up_proj_blocks', FUSED_PARAMS)).toEqual([
      'gate_up_proj',
      'blocks',
    ]);
  });

  it('needs a non-empty head', () => {
    expect(splitFusedParam('_bias', FUSED_PARAMS)).toBeNull();
    expect(splitFusedParam('gate_up_proj', FUSED_PARAMS)).toBeNull();
  });
});

describe('suffix lists', () => {
  it('are sorted longest first', () => {
    for (const list of [DOTTED_PARAMS, FUSED_PARAMS]) {
      const lengths = list.map((s) => s.length);
      expect(lengths).toEqual([...lengths].sort((a, b) => b - a));
    }
  });
});

/** Both splits as first written (joining the separator to each suffix): the reference. */
function referenceSplitParam(path: string): readonly [string, string] {
  for (const param of DOTTED_PARAMS) {
    if (path.endsWith(`.${param}`)) {
      return [path.slice(0, -param.length - 1), param];
    }
  }
  const dot = path.lastIndexOf('.');
  return dot < 0 ? ['', path] : [path.slice(0, dot), path.slice(dot + 1)];
}

function referenceSplitFused(
  segment: string,
  suffixes: readonly string[],
): readonly [string, string] | null {
  for (const suffix of suffixes) {
    const tail = `_${suffix}`;
    if (segment.length > tail.length && segment.endsWith(tail)) {
      return [segment.slice(0, -tail.length), suffix];
    }
  }
  return null;
}

describe('splits without joined suffix strings', () => {
  it('give the reference splits for any name made of parameter pieces', () => {
    const piece = fc.constantFrom(
      ...DOTTED_PARAMS,
      ...FUSED_PARAMS,
      'absmax',
      'quant_map',
      'x',
      'proj',
      '',
    );
    const name = fc
      .array(fc.tuple(piece, fc.constantFrom('.', '_', '')), { minLength: 1, maxLength: 5 })
      .map((parts) => parts.map(([p, sep]) => sep + p).join(''));
    fc.assert(
      fc.property(name, (n) => {
        expect(splitParam(n)).toEqual(referenceSplitParam(n));
        expect(splitFusedParam(n, FUSED_PARAMS)).toEqual(referenceSplitFused(n, FUSED_PARAMS));
        expect(splitFusedParam(n, MXFP4_PARAMS)).toEqual(referenceSplitFused(n, MXFP4_PARAMS));
      }),
      { numRuns: 2000 },
    );
  });
});
