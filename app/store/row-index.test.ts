import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RowIndex } from './row-index';
import { tensorKey } from '../model/tensor-row';

describe('RowIndex', () => {
  it('answers as the Map of `${fileId}:${name}` keys it replaces, on any sequence', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(5), fc.string({ maxLength: 6 }), fc.nat(1000)), {
          maxLength: 200,
        }),
        fc.array(fc.tuple(fc.nat(6), fc.string({ maxLength: 6 })), { maxLength: 50 }),
        (sets, gets) => {
          const index = new RowIndex();
          const byKey = new Map<string, number>();
          for (const [fileId, name, at] of sets) {
            index.set(fileId, name, at);
            byKey.set(tensorKey(fileId, name), at);
          }
          for (const [fileId, name] of [...sets.map(([f, n]) => [f, n] as const), ...gets]) {
            expect(index.get(fileId, name)).toBe(byKey.get(tensorKey(fileId, name)));
          }
        },
      ),
    );
  });

  it('names a row by its file: the same name in two files is two rows; a repeat in one file is the last', () => {
    const index = new RowIndex();
    index.set(0, 'w', 0);
    index.set(1, 'w', 1);
    index.set(1, 'w', 2);
    expect(index.get(0, 'w')).toBe(0);
    expect(index.get(1, 'w')).toBe(2);
    expect(index.get(2, 'w')).toBeUndefined();
  });
});
