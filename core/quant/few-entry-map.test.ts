import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FewEntryMap } from './few-entry-map';

/** Everything a reader of a ReadonlyMap can see, in order. */
function seen(map: ReadonlyMap<string, number>, probes: readonly string[]): unknown {
  const viaForEach: [string, number][] = [];
  map.forEach((value, key, self) => {
    viaForEach.push([key, value]);
    expect(self).toBe(map);
  });
  return {
    size: map.size,
    entries: [...map],
    entriesCall: [...map.entries()],
    keys: [...map.keys()],
    values: [...map.values()],
    viaForEach,
    gets: probes.map((k) => map.get(k)),
    has: probes.map((k) => map.has(k)),
  };
}

describe('FewEntryMap', () => {
  it('reads as a Map after any sequence of sets (repeated keys, more than four entries)', () => {
    const key = fc.constantFrom(
      'weight',
      'weight_scale',
      'weight_scale_2',
      'input_scale',
      'a',
      'b',
    );
    fc.assert(
      fc.property(
        fc.tuple(key, fc.integer()),
        fc.array(fc.tuple(key, fc.integer()), { maxLength: 10 }),
        ([k0, v0], sets) => {
          const few = new FewEntryMap(k0, v0);
          const map = new Map([[k0, v0]]);
          const probes = ['weight', 'weight_scale', 'weight_scale_2', 'input_scale', 'a', 'b', 'c'];
          for (const [k, v] of sets) {
            expect(few.set(k, v)).toBe(few);
            map.set(k, v);
            expect(seen(few, probes)).toEqual(seen(map, probes));
          }
          expect(new Map(few)).toEqual(map);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
