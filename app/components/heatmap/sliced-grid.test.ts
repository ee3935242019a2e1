import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { groupRows } from './row-grid';
import { groupRowsInSlices } from './sliced-grid';
import { makeRow } from './test-rows';

const nameArb = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 0, max: 40 }),
      fc.constantFrom('self_attn.q_proj', 'mlp.down_proj', 'mlp.experts.3.up_proj', 'norm'),
      fc.constantFrom('weight', 'weight_scale', 'input_scale'),
    )
    .map(([layer, module, param]) => `model.layers.${layer}.${module}.${param}`),
  fc.constantFrom('lm_head.weight', 'model.embed_tokens.weight', 'model.norm.weight'),
  fc.string(),
);

/** A clock that advances a whole slice per read, so every clock check ends a slice. */
function fakeClock(): () => number {
  let t = 0;
  return () => {
    t += 100;
    return t;
  };
}

describe('groupRowsInSlices', () => {
  it('builds the same grid as groupRows, whatever the names', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(nameArb, { maxLength: 3000 }), async (names) => {
        const rows = names.map((name) => makeRow(name));
        const sliced = await groupRowsInSlices(
          rows,
          () => false,
          fakeClock(),
          () => Promise.resolve(),
        );
        expect(sliced).toEqual(groupRows(rows));
      }),
      { numRuns: 30 },
    );
  });

  it('yields between slices and stops when cancelled', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => makeRow(`layers.${i}.a.weight`));
    let yields = 0;
    const grid = await groupRowsInSlices(
      rows,
      () => yields >= 2,
      fakeClock(),
      () => {
        yields += 1;
        return Promise.resolve();
      },
    );
    expect(grid).toBeNull();
    expect(yields).toBe(2);
  });
});
