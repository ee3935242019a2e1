import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MemberSuffix, NamedMember } from './tensor-names';
import { memberOf } from './tensor-names';

const none = (): boolean => false;

describe('memberOf', () => {
  it('splits dotted suffixes, longest first', () => {
    expect(memberOf('m.layers.0.q_proj.weight_scale_2', none)).toEqual({
      prefix: 'm.layers.0.q_proj',
      suffix: 'weight_scale_2',
    });
    expect(memberOf('m.q.weight_scale', none)).toEqual({ prefix: 'm.q', suffix: 'weight_scale' });
    expect(memberOf('m.q.weight_scale_inv', none)?.suffix).toBe('weight_scale_inv');
    expect(memberOf('m.q.weight_packed', none)?.suffix).toBe('weight_packed');
    expect(memberOf('m.q.qweight', none)?.suffix).toBe('qweight');
    expect(memberOf('m.q.weight.absmax', none)).toEqual({ prefix: 'm.q', suffix: 'weight.absmax' });
    expect(memberOf('m.q.weight.quant_state.bitsandbytes__nf4', none)?.suffix).toBe(
      'weight.quant_state.bitsandbytes__nf4',
    );
    expect(memberOf('block.0.mlp.mlp1_weight.blocks', none)).toEqual({
      prefix: 'block.0.mlp.mlp1_weight',
      suffix: 'blocks',
    });
  });

  it('splits gpt-oss `_blocks` / `_scales` always', () => {
    expect(memberOf('m.experts.gate_up_proj_blocks', none)).toEqual({
      prefix: 'm.experts.gate_up_proj',
      suffix: 'blocks',
    });
    expect(memberOf('tensor_with_ones_scales', none)).toEqual({
      prefix: 'tensor_with_ones',
      suffix: 'scales',
    });
  });

  it('splits ModelOpt fused quantizers only beside their parameter or under experts', () => {
    const has = (n: string): boolean => n === 'm.up';
    expect(memberOf('m.up_weight_scale', has)).toEqual({ prefix: 'm.up', suffix: 'weight_scale' });
    expect(memberOf('m.up_weight_scale_2', has)).toEqual({
      prefix: 'm.up',
      suffix: 'weight_scale_2',
    });
    expect(memberOf('m.experts.down_proj_input_scale', none)).toEqual({
      prefix: 'm.experts.down_proj',
      suffix: 'input_scale',
    });
    expect(memberOf('m.other_weight_scale', none)).toBeNull();
  });

  it('reads torchao `:qdata` / `:scale` fields and ignores the rest', () => {
    expect(memberOf('0.weight:qdata', none)).toEqual({ prefix: '0', suffix: 'qdata' });
    expect(memberOf('0.weight:scale', none)).toEqual({ prefix: '0', suffix: 'torchao_scale' });
    expect(memberOf('0.bias:data', none)).toBeNull();
  });

  it('leaves biases, norms and KV-cache scales alone', () => {
    expect(memberOf('m.q.bias', none)).toBeNull();
    expect(memberOf('m.k_proj.k_scale', none)).toBeNull();
    expect(memberOf('weight', none)).toBeNull();
  });
});

/** Every dotted suffix, as first written: tried one by one, longest first (the reference). */
const DOTTED: readonly MemberSuffix[] = (
  [
    'weight',
    'weight_scale',
    'weight_scale_2',
    'weight_scale_inv',
    'input_scale',
    'weight_global_scale',
    'input_global_scale',
    'pre_quant_scale',
    'weight_packed',
    'weight_zero_point',
    'weight_g_idx',
    'weight_shape',
    'comfy_quant',
    'qweight',
    'qzeros',
    'scales',
    'g_idx',
    'blocks',
    'weight.absmax',
    'weight.quant_map',
    'weight.nested_absmax',
    'weight.nested_quant_map',
    'weight.quant_state.bitsandbytes__nf4',
    'weight.quant_state.bitsandbytes__fp4',
  ] as const
)
  .slice()
  .sort((a, b) => b.length - a.length);

function referenceDotted(name: string): NamedMember | null {
  for (const suffix of DOTTED) {
    const ending = `.${suffix}`;
    if (name.length > ending.length && name.endsWith(ending)) {
      return { prefix: name.slice(0, -ending.length), suffix };
    }
  }
  return null;
}

/** Pieces of real names, so generated names often end in (parts of) member suffixes. */
const PIECES = [
  'm',
  'weight',
  'scale',
  'scales',
  'blocks',
  'absmax',
  'nested_absmax',
  'quant_map',
  'quant_state',
  'bitsandbytes__nf4',
  'bitsandbytes__fp4',
  'weight_scale',
  'weight_scale_2',
  'input_scale',
  'qweight',
  'experts',
  '',
];

describe('memberOf: the dotted endings by last segment', () => {
  it('matches the first of every dotted ending tried longest first, for any name', () => {
    const name = fc
      .array(fc.tuple(fc.constantFrom(...PIECES), fc.constantFrom('.', '_', '')), {
        minLength: 1,
        maxLength: 6,
      })
      .map((parts) => parts.map(([p, sep]) => p + sep).join(''));
    fc.assert(
      fc.property(name, fc.boolean(), (n, trailingDot) => {
        const full = trailingDot ? n : n.replace(/[._]$/, '');
        const expected = referenceDotted(full);
        const got = memberOf(full, none);
        if (expected !== null && !full.includes(':')) {
          expect(got).toEqual(expected);
        } else if (got !== null) {
          // Not a dotted name: what matched was a `_` ending (never a dotted one).
          expect(DOTTED.some((s) => full.endsWith(`.${s}`) && full.length > s.length + 1)).toBe(
            false,
          );
        }
      }),
      { numRuns: 2000 },
    );
  });
});
