import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_REGEX_PROGRAM, compileLinearRegex, regexMatchesPrefix } from './linear-regex';

function matches(source: string, text: string): boolean {
  const c = compileLinearRegex(source);
  if (!c.ok) {
    throw new Error(c.reason);
  }
  return regexMatchesPrefix(c.regex, text, Number.MAX_SAFE_INTEGER).matched;
}

function refused(source: string): string {
  const c = compileLinearRegex(source);
  return c.ok ? 'compiled' : c.reason;
}

describe('linear regex (compressed-tensors re: patterns)', () => {
  it('matches from the start like re.match, with the syntax configs use', () => {
    expect(matches('.*mlp.gate$', 'model.layers.1.mlp.gate')).toBe(true);
    expect(matches('.*mlp.gate$', 'model.layers.1.mlp.gate_proj')).toBe(false);
    expect(matches('model', 'model.layers.1')).toBe(true);
    expect(matches('layers', 'model.layers.1')).toBe(false);
    expect(matches('.*\\.(q|k|v)_proj$', 'model.layers.0.self_attn.k_proj')).toBe(true);
    expect(matches('.*layers\\.\\d+\\.mlp\\.gate$', 'model.layers.12.mlp.gate')).toBe(true);
    expect(matches('.*layers\\.[0-3]\\.', 'model.layers.4.mlp')).toBe(false);
    expect(matches('.*layers\\.[^0-3]\\.', 'model.layers.4.mlp')).toBe(true);
    expect(matches('(?P<x>model)\\.lay{1,2}ers', 'model.layers')).toBe(true);
    expect(matches('(?:a|b){3}$', 'aba')).toBe(true);
    expect(matches('(?:a|b){3}$', 'abab')).toBe(false);
    expect(matches('a{2,}?c', 'aaac')).toBe(true);
    expect(matches('^\\w+\\s?$', 'lm_head')).toBe(true);
  });

  it('refuses what a linear engine cannot do, with a reason', () => {
    expect(refused('(.*)*\\1b')).toMatch(/backreference/);
    expect(refused('(?=a)b')).toMatch(/not supported/);
    expect(refused('(?<!a)b')).toMatch(/not supported/);
    expect(refused('(?i)lm_head')).toMatch(/not supported/);
    expect(refused('\\bx')).toMatch(/not supported/);
    expect(refused('(')).toMatch(/missing/);
    expect(refused('a)')).toMatch(/unbalanced/);
    expect(refused('*a')).toMatch(/nothing to repeat/);
    expect(refused('(a{1000}){1000}')).toMatch(String(MAX_REGEX_PROGRAM));
    expect(refused('('.repeat(5000))).toMatch(/longer than/);
    expect(refused(`${'('.repeat(300)}a${')'.repeat(300)}`)).toMatch(/nested too deeply/);
  });

  it('runs nested quantifiers in steps linear in the text', () => {
    const c = compileLinearRegex('(a*)*(a|a)*b');
    if (!c.ok) {
      throw new Error(c.reason);
    }
    const text = 'a'.repeat(2000);
    const r = regexMatchesPrefix(c.regex, text, Number.MAX_SAFE_INTEGER);
    expect(r.matched).toBe(false);
    expect(r.steps).toBeLessThanOrEqual((text.length + 1) * c.regex.program.length * 2);
  });

  it('agrees with RegExp on random patterns of the supported syntax', () => {
    const atom = fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '\\.', '(a|b)', '(?:ab|b)', '');
    const quant = fc.constantFrom('', '*', '+', '?', '{2}', '{0,2}', '{1,}', '*?');
    const piece = fc.tuple(atom, quant).map(([a, q]) => (a === '' ? a : a + q));
    const pattern = fc
      .tuple(fc.array(piece, { maxLength: 5 }), fc.boolean(), fc.boolean())
      .map(([ps, start, end]) => `${start ? '^' : ''}${ps.join('')}${end ? '$' : ''}`);
    fc.assert(
      fc.property(
        pattern,
        fc.string({ unit: fc.constantFrom('a', 'b', '.'), maxLength: 8 }),
        (p, text) => {
          expect(matches(p, text)).toBe(new RegExp(`^(?:${p})`).test(text));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
