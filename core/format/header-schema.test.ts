import { describe, expect, it } from 'vitest';
import type { RawHeader } from './header-schema';
import { readHeaderJson, TensorEntryError } from './header-schema';
import { JsonError, JsonReader } from './json-reader';

const read = (text: string): RawHeader => readHeaderJson(new JsonReader(text));

function failure(text: string): JsonError {
  try {
    read(text);
  } catch (e) {
    if (e instanceof JsonError) {
      return e;
    }
    throw e;
  }
  throw new Error('expected a JsonError');
}

describe('readHeaderJson', () => {
  it('reads entries as exact bigints in first-occurrence order, last duplicate winning', () => {
    const raw = read(
      '{"b":{"dtype":"U8","shape":[18446744073709551615,0],"data_offsets":[0,0]},' +
        '"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
        '"b":{"dtype":"U8","shape":[1],"data_offsets":[8,9]}}',
    );
    expect(raw.tensors).toEqual([
      { name: 'b', dtype: 'U8', shape: [1n], begin: 8n, end: 9n },
      { name: 'a', dtype: 'F32', shape: [2n], begin: 0n, end: 8n },
    ]);
    expect(raw.duplicateTensorNames).toEqual(['b']);
    expect(raw.metadata).toBeNull();
  });

  it('reads __metadata__ as a Map, last duplicate winning, wherever it stands', () => {
    const raw = read('{"a":["U8",[],[0,1]],"__metadata__":{"__proto__":"x","k":"1","k":"2"}}');
    expect(raw.metadata).toEqual(
      new Map([
        ['__proto__', 'x'],
        ['k', '2'],
      ]),
    );
    expect(raw.duplicateMetadataKeys).toEqual(['k']);
    expect(raw.tensors[0]).toMatchObject({ name: 'a', dtype: 'U8', shape: [], begin: 0n, end: 1n });
  });

  it('attributes errors inside an entry to its tensor, syntax errors included', () => {
    const schema = failure('{"w":{"dtype":"f32","shape":[],"data_offsets":[0,4]}}');
    expect(schema).toBeInstanceOf(TensorEntryError);
    expect(schema instanceof TensorEntryError && schema.tensor).toBe('w');
    const syntax = failure('{"w":{"dtype":"F32","shape":[1,],"data_offsets":[0,4]}}');
    expect(syntax instanceof TensorEntryError && syntax.tensor).toBe('w');
    expect(syntax.detail).toBe('trailing comma');
  });

  it.each([
    ['{"__metadata__":{},"__metadata__":null}', 'duplicate field `__metadata__`'],
    [
      '{"a":{"dtype":"F32","dtype":"F32","shape":[],"data_offsets":[0,4]}}',
      'duplicate field `dtype`',
    ],
    ['{"a":{"shape":[],"shape":[],"dtype":"F32","data_offsets":[0,4]}}', 'duplicate field `shape`'],
    [
      '{"a":{"dtype":"F32","shape":[],"data_offsets":[0,4],"data_offsets":[0,4]}}',
      'duplicate field `data_offsets`',
    ],
    ['{"a":[]}', 'invalid length 0, expected an array of dtype, shape, data_offsets'],
    ['{"a":["F32",[]]}', 'invalid length 2, expected an array of dtype, shape, data_offsets'],
    [
      '{"a":{"dtype":{"F32":null,"U8":null},"shape":[],"data_offsets":[0,4]}}',
      'dtype object must have a single key',
    ],
  ])('refuses %s', (text, detail) => {
    expect(failure(text).detail).toBe(detail);
  });
});
