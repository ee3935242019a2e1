import { describe, expect, it } from 'vitest';
import { OneEntryMap } from './one-entry-map';

describe('OneEntryMap', () => {
  it('reads as a Map of its one entry', () => {
    const one = new OneEntryMap('weight', 7);
    const map = new Map([['weight', 7]]);
    expect(one.size).toBe(map.size);
    for (const key of ['weight', 'weight_scale', '']) {
      expect(one.get(key)).toBe(map.get(key));
      expect(one.has(key)).toBe(map.has(key));
    }
    expect([...one]).toEqual([...map]);
    expect([...one.entries()]).toEqual([...map.entries()]);
    expect([...one.keys()]).toEqual([...map.keys()]);
    expect([...one.values()]).toEqual([...map.values()]);
    const seen: [string, number][] = [];
    one.forEach((value, key, self) => {
      seen.push([key, value]);
      expect(self).toBe(one);
    });
    expect(seen).toEqual([['weight', 7]]);
    // A Map made from it (a group that gains a second member) holds the same entry.
    expect(new Map(one)).toEqual(map);
    const copy = one.toMap();
    expect(copy).toEqual(map);
    expect([...copy.set('weight_scale', 8)]).toEqual([
      ['weight', 7],
      ['weight_scale', 8],
    ]);
    expect(one.size).toBe(1);
  });
});
