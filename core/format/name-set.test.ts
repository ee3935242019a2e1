import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_NAME_HASH, hashUnit, HashedNameSet, MAX_PROBES } from './name-set';

/** Bounded runs: each property finishes in well under a second. */
const RUNS = 300;

function hashOf(name: string): number {
  let hash = EMPTY_NAME_HASH;
  for (let i = 0; i < name.length; i++) {
    hash = hashUnit(hash, name.charCodeAt(i));
  }
  return hash;
}

/** Adds every name in order; the index of each refused (repeated) name. */
function refused(names: readonly string[], hash: (name: string) => number): number[] {
  const set = new HashedNameSet();
  const items: { name: string }[] = [];
  const out: number[] = [];
  names.forEach((name, i) => {
    items.push({ name });
    if (!set.add(items, items.length - 1, hash(name))) {
      items.pop();
      out.push(i);
    }
  });
  return out;
}

/** What a Set says: the index of each name seen before. */
function repeated(names: readonly string[]): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  names.forEach((name, i) => {
    if (seen.has(name)) {
      out.push(i);
    }
    seen.add(name);
  });
  return out;
}

describe('HashedNameSet', () => {
  const names = fc.array(fc.oneof(fc.constantFrom('a', 'b', '', 'é', '__proto__'), fc.string()), {
    maxLength: 40,
  });

  it('refuses exactly the names a Set has seen before', () => {
    fc.assert(
      fc.property(names, (list) => {
        expect(refused(list, hashOf)).toEqual(repeated(list));
      }),
      { numRuns: RUNS },
    );
  });

  it('tells names apart when every hash collides, and across growth', () => {
    fc.assert(
      fc.property(names, (list) => {
        expect(refused(list, () => 7)).toEqual(repeated(list));
      }),
      { numRuns: RUNS },
    );
    const many = Array.from({ length: 5000 }, (_, i) => `layer.${i % 4000}.weight`);
    expect(refused(many, hashOf)).toEqual(repeated(many));
  });

  it('gives up, never accepting a repeated name, when hashes collide past MAX_PROBES', () => {
    const set = new HashedNameSet();
    const items: { name: string }[] = [];
    let added = 0;
    for (let i = 0; i < 4 * MAX_PROBES; i++) {
      items.push({ name: `n${i}` });
      if (!set.add(items, items.length - 1, 42)) {
        break;
      }
      added += 1;
    }
    expect(added).toBe(MAX_PROBES);
    // A repeated name is refused as well, never added.
    items[items.length - 1] = { name: 'n0' };
    expect(set.add(items, items.length - 1, 42)).toBe(false);
  });

  it('hashes as FNV-1a over UTF-16 units', () => {
    // FNV-1a 32-bit of "a" is 0xe40c292c (the published test vector; ASCII units are the bytes).
    expect(hashOf('a') >>> 0).toBe(0xe40c292c);
    expect(hashOf('') >>> 0).toBe(0x811c9dc5);
  });

  it('takes items in order only', () => {
    const set = new HashedNameSet();
    expect(() => set.add([{ name: 'a' }, { name: 'b' }], 1, 0)).toThrow(RangeError);
  });
});
