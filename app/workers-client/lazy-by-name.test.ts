import { describe, expect, it } from 'vitest';
import { packHeader, unpackTensors } from '../../core/format/packed-tensors';
import type { SafetensorsHeader, TensorInfo } from '../../core/format/tensor-info';
import { LazyByName } from './lazy-by-name';

function tensor(name: string, offset: number): TensorInfo {
  return { name, dtype: 'F32', shape: [1], offset, nbytes: 4, elements: 1 };
}

describe('LazyByName', () => {
  it('is the header byName Map, in its order, whatever the tensor order', () => {
    const tensors = [tensor('b', 0), tensor('a', 4), tensor('c', 8)];
    // byName in another order than the tensors (a header listing names unsorted).
    const byName = new Map([tensors[1], tensors[0], tensors[2]].map((t) => [t.name, t]));
    const header: SafetensorsHeader = {
      fileName: 'x.safetensors',
      fileSize: 100,
      headerLength: 10,
      dataStart: 18,
      metadata: null,
      tensors,
      byName,
    };
    const packed = packHeader(header);
    const rebuilt: TensorInfo[] = [];
    unpackTensors(packed.packed, rebuilt);
    const lazy = new LazyByName(packed, rebuilt);
    expect(lazy.size).toBe(3);
    expect([...lazy.keys()]).toEqual(['a', 'b', 'c']);
    expect(new Map(lazy)).toEqual(byName);
    expect(lazy.get('c')).toBe(rebuilt[2]);
    expect(lazy.has('d')).toBe(false);
    const seen: string[] = [];
    lazy.forEach((v, k, m) => {
      expect(m).toBe(lazy);
      seen.push(`${k}@${v.offset}`);
    });
    expect(seen).toEqual(['a@4', 'b@0', 'c@8']);
    expect([...lazy.values()].map((t) => t.name)).toEqual(['a', 'b', 'c']);
    expect([...lazy.entries()].map(([k]) => k)).toEqual(['a', 'b', 'c']);
  });
});
