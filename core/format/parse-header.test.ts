import { describe, expect, it } from 'vitest';
import { CATALOGUE, entry, F } from '../../fixtures/safetensors-catalogue';
import type { ByteSource } from '../io/byte-source';
import { memorySource } from '../io/byte-source';
import { buildSafetensors, bytesOf } from './build-safetensors';
import { MAX_HEADER_BYTES, parseHeaderBytes, readHeader } from './parse-header';

const FILE = 'model.safetensors';

/** A source that records every read, to prove what is (not) read. */
function spySource(bytes: Uint8Array): { source: ByteSource; reads: Array<[number, number]> } {
  const inner = memorySource(FILE, bytes);
  const reads: Array<[number, number]> = [];
  return {
    reads,
    source: {
      name: inner.name,
      size: inner.size,
      read(offset: number, length: number): Promise<Uint8Array> {
        reads.push([offset, length]);
        return inner.read(offset, length);
      },
    },
  };
}

describe('safetensors-rules.md §4 catalogue', () => {
  it.each(CATALOGUE.map((v) => [`${v.id} ${v.variant}`, v] as const))(
    '%s',
    async (_label, vector) => {
      const result = await readHeader(memorySource(FILE, vector.bytes));
      if (vector.expected === 'OK') {
        expect(result.ok ? 'OK' : result.error.message).toBe('OK');
        if (result.ok && vector.tensors !== undefined) {
          expect(result.value.tensors.length).toBe(vector.tensors);
        }
      } else {
        expect(result.ok ? 'OK' : result.error.code).toBe(vector.expected);
        if (!result.ok) {
          expect(result.error.file).toBe(FILE);
          expect(result.error.message.startsWith(`${FILE}: `)).toBe(true);
          if (vector.tensor !== undefined) {
            expect(result.error.tensor).toBe(vector.tensor);
          }
        }
      }
    },
  );

  it('covers every catalogue row A1…H1', () => {
    const rows = new Set(CATALOGUE.map((v) => v.id));
    const all = [
      ...Array.from({ length: 8 }, (_, i) => `A${i + 1}`),
      ...Array.from({ length: 9 }, (_, i) => `B${i + 1}`),
      ...Array.from({ length: 9 }, (_, i) => `C${i + 1}`),
      ...Array.from({ length: 8 }, (_, i) => `D${i + 1}`),
      ...Array.from({ length: 11 }, (_, i) => `E${i + 1}`),
      ...Array.from({ length: 12 }, (_, i) => `F${i + 1}`),
      'G1',
      'G2',
      'H1',
    ];
    expect(all.filter((id) => !rows.has(id))).toEqual([]);
  });
});

describe('readHeader', () => {
  it('reads the prefix only when N is over the limit', async () => {
    const bytes = F('{}');
    new DataView(bytes.buffer).setBigUint64(0, BigInt(MAX_HEADER_BYTES) + 1n, true);
    const { source, reads } = spySource(bytes);
    const result = await readHeader(source);
    expect(!result.ok && result.error.code).toBe('HeaderTooLarge');
    expect(reads).toEqual([[0, 8]]);
  });

  it('reads the prefix only when the file is shorter than 8 + N', async () => {
    const bytes = F('{}');
    new DataView(bytes.buffer).setBigUint64(0, 1000n, true);
    const { source, reads } = spySource(bytes);
    const result = await readHeader(source);
    expect(!result.ok && result.error.code).toBe('InvalidHeaderLength');
    expect(reads).toEqual([[0, 8]]);
  });

  it('reads nothing from a file under 8 bytes', async () => {
    const { source, reads } = spySource(new Uint8Array(3));
    expect((await readHeader(source)).ok).toBe(false);
    expect(reads).toEqual([]);
  });

  it('reads the prefix, then exactly the header, never the data', async () => {
    const file = buildSafetensors([
      { name: 'w', dtype: 'F32', shape: [4], data: bytesOf([1, 2, 3, 4], 'f32') },
    ]);
    const { source, reads } = spySource(file);
    const result = await readHeader(source);
    expect(result.ok).toBe(true);
    const n = Number(new DataView(file.buffer).getBigUint64(0, true));
    expect(reads).toEqual([
      [0, 8],
      [8, n],
    ]);
  });

  it('turns a rejected read into ReadFailed naming the file', async () => {
    const failing: ByteSource = {
      name: 'shard.safetensors',
      size: 100,
      read: () => Promise.reject(new Error('NotReadableError: the file changed')),
    };
    const result = await readHeader(failing);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('ReadFailed');
      expect(result.error.message).toBe(
        'shard.safetensors: could not be read: NotReadableError: the file changed [ReadFailed]',
      );
    }
  });

  it('turns a short read into ReadFailed', async () => {
    const file = F('{}');
    const short: ByteSource = {
      name: FILE,
      size: file.length,
      read: (offset, length) => Promise.resolve(file.slice(offset, offset + length - 1)),
    };
    const result = await readHeader(short);
    expect(!result.ok && result.error.code).toBe('ReadFailed');
  });

  it('turns a read that throws synchronously into ReadFailed', async () => {
    const throwing: ByteSource = {
      name: FILE,
      size: 64,
      read: () => {
        throw new TypeError('boom');
      },
    };
    const result = await readHeader(throwing);
    expect(!result.ok && result.error.code).toBe('ReadFailed');
  });
});

describe('parseHeaderBytes', () => {
  it('returns tensors in offset order with absolute offsets, sizes and metadata', () => {
    const file = buildSafetensors(
      [
        { name: 'b', dtype: 'BF16', shape: [2, 3], data: new Uint8Array(12) },
        { name: 'a', dtype: 'F4', shape: [1, 4], data: new Uint8Array(2) },
        { name: '__proto__', dtype: 'U8', shape: [], data: new Uint8Array(1) },
      ],
      { format: 'pt' },
    );
    const n = Number(new DataView(file.buffer).getBigUint64(0, true));
    const result = parseHeaderBytes(FILE, file.length, file.slice(8, 8 + n));
    expect(result.ok).toBe(true);
    if (!result.ok) {
      return;
    }
    const header = result.value;
    expect(header.headerLength).toBe(n);
    expect(header.dataStart).toBe(8 + n);
    expect(header.fileSize).toBe(file.length);
    expect(header.metadata).toEqual(new Map([['format', 'pt']]));
    expect(header.tensors.map((t) => [t.name, t.offset, t.nbytes, t.elements])).toEqual([
      ['b', 8 + n, 12, 6],
      ['a', 8 + n + 12, 2, 4],
      ['__proto__', 8 + n + 14, 1, 1],
    ]);
    expect(header.byName.get('__proto__')?.dtype).toBe('U8');
    expect(header.byName.get('b')?.shape).toEqual([2, 3]);
    expect(header.duplicateTensorNames).toEqual([]);
    expect(header.duplicateMetadataKeys).toEqual([]);
  });

  it('reports duplicate names and metadata keys it resolved by last-wins', () => {
    const header = `{"__metadata__":{"k":"1","k":"2"},${entry('a', 'U8', '[1]', '[0,1]')},${entry('a', 'U8', '[1]', '[0,1]')}}`;
    const bytes = new TextEncoder().encode(header);
    const result = parseHeaderBytes(FILE, 8 + bytes.length + 1, bytes);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.duplicateTensorNames).toEqual(['a']);
      expect(result.value.duplicateMetadataKeys).toEqual(['k']);
      expect(result.value.metadata?.get('k')).toBe('2');
      expect(result.value.tensors.length).toBe(1);
    }
  });

  it('explains a size mismatch in plain words', () => {
    const file = F(`{${entry('a', 'F32', '[3]', '[0,8]')}}`, 8);
    const n = file.length - 16;
    const result = parseHeaderBytes(FILE, file.length, file.slice(8, 8 + n));
    expect(!result.ok && result.error.message).toBe(
      'model.safetensors: tensor "a": data_offsets [0, 8] hold 8 bytes but F32 [3] needs 12 [TensorInvalidInfo]',
    );
  });

  it('explains trailing bytes and truncation', async () => {
    const trailing = await readHeader(
      memorySource(FILE, F(`{${entry('a', 'F32', '[2]', '[0,8]')}}`, 9)),
    );
    expect(!trailing.ok && trailing.error.detail).toBe(
      'the tensors end at data byte 8 but the data region holds 9 bytes: 1 trailing byte after the last tensor',
    );
    const truncated = await readHeader(
      memorySource(FILE, F(`{${entry('a', 'F32', '[2]', '[0,8]')}}`, 4)),
    );
    expect(!truncated.ok && truncated.error.detail).toBe(
      'the tensors end at data byte 8 but the data region holds only 4 bytes: the file is 4 bytes short (truncated)',
    );
  });

  it('names the line and column of a JSON error', async () => {
    const result = await readHeader(memorySource(FILE, F('{\n"a":{"dtype":"F32",}}')));
    expect(!result.ok && result.error.message).toBe(
      'model.safetensors: tensor "a": invalid entry: trailing comma (line 2, column 20) [InvalidHeaderDeserialization]',
    );
  });

  it('refuses header bytes that do not fit the stated file size', () => {
    const result = parseHeaderBytes(FILE, 4, new TextEncoder().encode('{}'));
    expect(!result.ok && result.error.code).toBe('InvalidHeaderLength');
  });
});
