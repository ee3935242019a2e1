import { describe, expect, it } from 'vitest';
import { INDEX_MAX_BYTES, parseIndex } from './parse-index';

const FILE = 'model.safetensors.index.json';
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('parseIndex', () => {
  it('reads total_size exactly and the weight map in order', () => {
    const result = parseIndex(
      FILE,
      encode(
        JSON.stringify({
          metadata: { total_size: 1, format: 'pt' },
          weight_map: {
            'b.weight': 'model-00002-of-00002.safetensors',
            'a.weight': 'model-00001-of-00002.safetensors',
            'a.bias': 'model-00001-of-00002.safetensors',
          },
        }).replace('"total_size":1', '"total_size":18446744073709551617'),
      ),
    );
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.totalSize).toBe(18446744073709551617n);
      expect([...result.value.weightMap.keys()]).toEqual(['b.weight', 'a.weight', 'a.bias']);
      expect(result.value.shardNames).toEqual([
        'model-00002-of-00002.safetensors',
        'model-00001-of-00002.safetensors',
      ]);
    }
  });

  it('keeps __proto__, constructor and "" as ordinary tensor names', () => {
    const result = parseIndex(
      FILE,
      encode(
        '{"weight_map":{"__proto__":"a.safetensors","constructor":"a.safetensors","":"b.safetensors"}}',
      ),
    );
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect([...result.value.weightMap]).toEqual([
        ['__proto__', 'a.safetensors'],
        ['constructor', 'a.safetensors'],
        ['', 'b.safetensors'],
      ]);
      expect(result.value.totalSize).toBeNull();
    }
  });

  it('accepts an index without metadata and ignores unknown top-level keys', () => {
    const result = parseIndex(FILE, encode('{"extra":[1,{"x":null}],"weight_map":{}}'));
    expect(result.ok && result.value.weightMap.size).toBe(0);
  });

  it.each([
    ['"total_size": 12.0', 12n, null],
    ['"total_size": 1.5', null, 'metadata.total_size 1.5 is not a non-negative whole number'],
    ['"total_size": -3', null, 'metadata.total_size -3 is not a non-negative whole number'],
    ['"total_size": "12"', null, 'metadata.total_size is a string, not a number'],
  ])('treats %s as informational', (member, size, problem) => {
    const result = parseIndex(FILE, encode(`{"metadata":{${member}},"weight_map":{}}`));
    expect(result.ok && [result.value.totalSize, result.value.totalSizeProblem]).toEqual([
      size,
      problem,
    ]);
  });

  it.each([
    ['../model.safetensors'],
    ['/abs/model.safetensors'],
    ['sub/model.safetensors'],
    ['sub\\model.safetensors'],
    ['C:\\model.safetensors'],
    ['https://host/model.safetensors'],
    ['pytorch_model.bin'],
  ])('refuses shard %j with IndexUnsafeShardName naming the tensor', (shard) => {
    const result = parseIndex(
      FILE,
      encode(JSON.stringify({ weight_map: { ok: 'a.safetensors', bad: shard } })),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('IndexUnsafeShardName');
      expect(result.error.tensor).toBe('bad');
      expect(result.error.file).toBe(FILE);
    }
  });

  it.each([
    ['not JSON', '{"weight_map":'],
    ['no weight_map', '{"metadata":{}}'],
    ['weight_map twice', '{"weight_map":{},"weight_map":{}}'],
    ['metadata twice', '{"metadata":{},"metadata":{},"weight_map":{}}'],
    ['tensor listed twice', '{"weight_map":{"a":"x.safetensors","a":"x.safetensors"}}'],
    ['shard not a string', '{"weight_map":{"a":1}}'],
    ['weight_map an array', '{"weight_map":[]}'],
    ['top level an array', '[]'],
    ['lone surrogate', '{"weight_map":{"\\ud800":"x.safetensors"}}'],
    ['trailing garbage', '{"weight_map":{}} x'],
  ])('refuses %s with IndexInvalid', (_label, text) => {
    const result = parseIndex(FILE, encode(text));
    expect(!result.ok && result.error.code).toBe('IndexInvalid');
  });

  it('refuses invalid UTF-8 and oversized input', () => {
    const bad = parseIndex(FILE, Uint8Array.of(0x7b, 0xff, 0x7d));
    expect(!bad.ok && bad.error.code).toBe('IndexInvalid');
    const huge = { length: INDEX_MAX_BYTES + 1 } as unknown as Uint8Array;
    const big = parseIndex(FILE, huge);
    expect(!big.ok && big.error.code).toBe('IndexInvalid');
  });
});
