import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSafetensors } from '../core/format/build-safetensors';
import { readHeader } from '../core/format/parse-header';
import type { KnownBytes } from '../core/io/known-bytes-source';
import { withKnownBytes } from '../core/io/known-bytes-source';
import { TINY_TENSOR_BYTES } from '../core/scan/scan-tensor';
import { lcgBytes } from '../core/testing/lcg-bytes';
import { openNodeFileSource } from './node-file-source';
import { scanFile } from './scan-file';

const dir = mkdtempSync(join(tmpdir(), 'ckptscope-tiny-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scanFile: the bytes of tiny tensors, for the analyses', () => {
  it('hands over every non-empty tensor of at most TINY_TENSOR_BYTES, at its offset, as the file has it', async () => {
    const specs = [
      { name: 'a.weight', dtype: 'U8', shape: [4, 8], data: lcgBytes(32, 1) },
      { name: 'a.weight_scale', dtype: 'F8_E4M3', shape: [4, 1], data: lcgBytes(4, 2) },
      { name: 'a.weight_scale_2', dtype: 'F32', shape: [], data: lcgBytes(4, 3) },
      { name: 'empty', dtype: 'F32', shape: [0], data: new Uint8Array(0) },
      {
        name: 'edge',
        dtype: 'U8',
        shape: [TINY_TENSOR_BYTES],
        data: lcgBytes(TINY_TENSOR_BYTES, 4),
      },
      {
        name: 'big',
        dtype: 'U8',
        shape: [TINY_TENSOR_BYTES + 1],
        data: lcgBytes(TINY_TENSOR_BYTES + 1, 5),
      },
    ] as const;
    const bytes = buildSafetensors(specs);
    const path = join(dir, 'tiny.safetensors');
    writeFileSync(path, bytes);
    const source = await openNodeFileSource(path);
    try {
      const header = await readHeader(source);
      if (!header.ok) {
        throw header.error;
      }
      const tiny: KnownBytes[] = [];
      // A chunk smaller than the tensors: a tiny tensor read in pieces is still handed over whole.
      const scan = await scanFile(
        source,
        header.value.tensors,
        { chunkBytes: 16 },
        undefined,
        tiny,
      );
      expect(scan.error).toBeNull();
      const dataStart = header.value.dataStart;
      let at = dataStart;
      const expected: { offset: number; bytes: number[] }[] = [];
      for (const s of specs) {
        if (s.data.length > 0 && s.data.length <= TINY_TENSOR_BYTES) {
          expected.push({ offset: at, bytes: [...s.data] });
        }
        at += s.data.length;
      }
      expect(tiny.map((k) => ({ offset: k.offset, bytes: [...k.bytes] }))).toEqual(expected);
      // Served from them, a read of a tiny tensor's bytes is what the file holds there.
      const known = withKnownBytes(source, tiny);
      const scale2 = header.value.byName.get('a.weight_scale_2');
      expect(scale2).toBeDefined();
      if (scale2 !== undefined) {
        expect([...(await known.read(scale2.offset, 4))]).toEqual([...specs[2].data]);
      }
    } finally {
      await source.close();
    }
  });
});
