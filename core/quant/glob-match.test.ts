import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatchesModule } from './glob-match';

const matches = (glob: string, name: string): boolean =>
  globMatchesModule(glob, name, Number.MAX_SAFE_INTEGER).matched;

/** The reference: the glob as an anchored RegExp (safe here: small inputs). */
function reference(glob: string, name: string): boolean {
  const source = glob
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^(?:${source})(?:\\..*)?$`, 's').test(name);
}

describe('globMatchesModule', () => {
  it('matches the whole name or a dotted ancestor', () => {
    expect(matches('model.layers.*.gate', 'model.layers.3.gate')).toBe(true);
    expect(matches('model.layers.*', 'model.layers.3.mlp.down_proj')).toBe(true);
    expect(matches('model.layers.?', 'model.layers.3.mlp')).toBe(true);
    expect(matches('model.layers.?', 'model.layers.31.mlp')).toBe(false);
    expect(matches('lm_head', 'lm_head_extra')).toBe(false);
    expect(matches('*', '')).toBe(true);
    expect(matches('', 'x')).toBe(false);
  });

  it('agrees with a regular-expression reference on random globs and names', () => {
    const alphabet = fc.constantFrom('a', 'b', '.', '*', '?');
    fc.assert(
      fc.property(
        fc.string({ unit: alphabet, maxLength: 8 }),
        fc.string({ unit: fc.constantFrom('a', 'b', '.'), maxLength: 10 }),
        (glob, name) => {
          expect(matches(glob, name)).toBe(reference(glob, name));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('takes quadratic steps at most on the glob that made RegExp backtrack for minutes', () => {
    const glob = '*a*a*a*a*a*a*a*a*a*a*a*a*b';
    const name = 'a'.repeat(40);
    const r = globMatchesModule(glob, name, Number.MAX_SAFE_INTEGER);
    expect(r.matched).toBe(false);
    expect(r.steps).toBeLessThanOrEqual((name.length + 1) * (glob.length + 1));
  });

  it('stops once over its step budget', () => {
    const r = globMatchesModule('*a*a*b', 'a'.repeat(100), 50);
    expect(r.matched).toBe(false);
    expect(r.steps).toBeGreaterThan(50);
  });
});
