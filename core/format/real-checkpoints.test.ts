import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ClosableSource } from '../../fixtures/node-source';
import { openNodeSource } from '../../fixtures/node-source';
import { openCheckpoint } from './open-checkpoint';
import { readHeader } from './parse-header';

/** ../shared/real-checkpoints beside the repository root (read-only test data, never copied in). */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/real-checkpoints');

interface Expected {
  readonly size: number;
  readonly headerLength: number;
  readonly tensors: number;
  readonly dtypes: Readonly<Record<string, number>>;
}

/** Figures from each folder's PROVENANCE.md. */
const EXPECTED: Readonly<Record<string, Expected>> = {
  'comfy-nvfp4-jorismak/test_sharded_nvfp4.safetensors': {
    size: 740414,
    headerLength: 1032,
    tensors: 10,
    dtypes: { F32: 2, BF16: 2, U8: 6 },
  },
  'comfy-nvfp4-jorismak/test_nvfp4_calibrated.safetensors': {
    size: 1786629,
    headerLength: 3648,
    tensors: 40,
    dtypes: { F32: 14, BF16: 5, U8: 21 },
  },
  'comfy-nvfp4-jorismak/test_sharded/model-00001-of-00002.safetensors': {
    size: 525504,
    headerLength: 184,
    tensors: 2,
    dtypes: { BF16: 2 },
  },
  'comfy-nvfp4-jorismak/test_sharded/model-00002-of-00002.safetensors': {
    size: 2098360,
    headerLength: 176,
    tensors: 2,
    dtypes: { BF16: 2 },
  },
  'compressed-tensors-hadamards/hadamards.safetensors': {
    size: 1436901,
    headerLength: 5848,
    tensors: 66,
    dtypes: { I8: 66 },
  },
  'gptoss-style-mxfp4-tiny/mixed_f32.safetensors': {
    size: 728,
    headerLength: 200,
    tensors: 3,
    dtypes: { F32: 3 },
  },
  'gptoss-style-mxfp4-tiny/only_zeros.safetensors': {
    size: 346,
    headerLength: 168,
    tensors: 2,
    dtypes: { U8: 2 },
  },
  'gptoss-style-mxfp4-tiny/simple_test.safetensors': {
    size: 354,
    headerLength: 312,
    tensors: 4,
    dtypes: { U8: 4 },
  },
  'safetensors-cpp-edgecases/model.safetensors': {
    size: 2704,
    headerLength: 136,
    tensors: 2,
    dtypes: { F64: 2 },
  },
  'torchao-fp8-rowwise/fp8_weights.safetensors': {
    size: 10496,
    headerLength: 760,
    tensors: 3,
    dtypes: { F32: 1, BF16: 1, F8_E4M3: 1 },
  },
  'torchao-fp8-rowwise/fp8_weights_multi.safetensors': {
    size: 173072,
    headerLength: 1032,
    tensors: 3,
    dtypes: { F32: 3 },
  },
};

/** Malformed on purpose: N = 1000 with 80 bytes after the prefix. */
const ABUSE = 'safetensors-cpp-edgecases/safetensors_abuse_attempt_1.safetensors';

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...(await listFiles(path)));
    } else {
      out.push(path);
    }
  }
  return out.sort();
}

const rel = (path: string): string => relative(ROOT, path).split(sep).join('/');

async function withSource<T>(
  path: string,
  body: (source: ClosableSource) => Promise<T>,
): Promise<T> {
  const source = await openNodeSource(path, rel(path));
  try {
    return await body(source);
  } finally {
    await source.close();
  }
}

describe.skipIf(!existsSync(ROOT))('real checkpoints in ../shared/real-checkpoints', () => {
  it('has every file the expectations name', async () => {
    const present = new Set((await listFiles(ROOT)).map(rel));
    expect([...Object.keys(EXPECTED), ABUSE].filter((f) => !present.has(f))).toEqual([]);
  });

  it('parses every .safetensors file to the figures in PROVENANCE.md', async () => {
    const files = (await listFiles(ROOT)).filter((f) => f.endsWith('.safetensors'));
    expect(files.length).toBeGreaterThan(0);
    for (const path of files) {
      const name = rel(path);
      const result = await withSource(path, readHeader);
      if (name === ABUSE) {
        expect(result.ok ? 'OK' : result.error.code, name).toBe('InvalidHeaderLength');
        continue;
      }
      const expected = EXPECTED[name];
      expect(result.ok ? 'OK' : result.error.message, name).toBe('OK');
      if (!result.ok || expected === undefined) {
        continue;
      }
      const header = result.value;
      const dtypes: Record<string, number> = {};
      for (const t of header.tensors) {
        dtypes[t.dtype] = (dtypes[t.dtype] ?? 0) + 1;
      }
      expect(
        {
          size: header.fileSize,
          headerLength: header.headerLength,
          tensors: header.tensors.length,
          dtypes,
        },
        name,
      ).toEqual(expected);
    }
  });

  it('checks the test_sharded index clean against its two shards', async () => {
    const folder = join(ROOT, 'comfy-nvfp4-jorismak/test_sharded');
    const paths = await listFiles(folder);
    const sources = await Promise.all(paths.map((p) => openNodeSource(p, rel(p))));
    try {
      const checkpoint = await openCheckpoint(sources);
      expect(checkpoint.files.map((f) => f.error)).toEqual([null, null]);
      expect(checkpoint.index?.shardNames).toEqual([
        'model-00001-of-00002.safetensors',
        'model-00002-of-00002.safetensors',
      ]);
      expect(checkpoint.index?.weightMap.size).toBe(4);
      expect(checkpoint.indexErrors).toEqual([]);
      expect(checkpoint.indexWarnings).toEqual([]);
    } finally {
      await Promise.all(sources.map((s) => s.close()));
    }
  });
});
