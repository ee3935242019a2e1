import { describe, expect, it } from 'vitest';
import { packHeader } from '../../core/format/packed-tensors';
import type { SafetensorsHeader, TensorInfo } from '../../core/format/tensor-info';
import { transferableHeaders } from './transferable-headers';

function header(names: readonly string[]): SafetensorsHeader {
  const tensors: TensorInfo[] = names.map((name, i) => ({
    name,
    dtype: 'F32',
    shape: [2, 3],
    offset: 24 * i,
    nbytes: 24,
    elements: 6,
  }));
  return {
    fileName: 'a.safetensors',
    fileSize: 100,
    headerLength: 10,
    dataStart: 18,
    metadata: null,
    tensors,
    byName: new Map(tensors.map((t) => [t.name, t])),
  };
}

describe('transferableHeaders', () => {
  it('moves copies of the columns: the receiver gets the headers, the page keeps its own', () => {
    const plain = header(['p']);
    const packed = packHeader(header(['a', 'b', 'c']));
    const before = structuredClone(packed);
    const { headers, buffers } = transferableHeaders([packed, plain]);
    expect(buffers).toHaveLength(8);
    expect(headers[1]).toBe(plain);
    const received = structuredClone(headers, { transfer: buffers });
    expect(received[0]).toEqual(before);
    expect(packed).toEqual(before); // the page's header is whole
    expect(buffers.every((b) => b.byteLength === 0)).toBe(true); // the copies moved
  });
});
