import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSafetensors } from '../format/build-safetensors';
import type { TensorSpec } from '../format/build-safetensors';
import { parseHeaderBytes } from '../format/parse-header';
import { memorySource } from '../io/byte-source';
import { scanTensors } from '../scan/scan-tensor';
import type { TensorStats } from '../scan/tensor-stats';
import type { FileResult, JsonReportOptions, ReportableError } from './json-report';
import { buildJsonReport } from './json-report';
import { JSON_STREAM_CHUNK_CHARS, writeJsonReport } from './json-report-stream';

/** A file holding `tensors`, scanned for real (half of them, or all). */
async function scanned(path: string, tensors: TensorSpec[], all: boolean): Promise<FileResult> {
  const bytes = buildSafetensors(tensors, { format: 'pt', 'odd "key"': '<b>\u0000' });
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const parsed = parseHeaderBytes(path, bytes.length, bytes.subarray(8, 8 + n));
  if (!parsed.ok) {
    throw new Error(parsed.error.message);
  }
  const header = parsed.value;
  const wanted = all ? header.tensors : header.tensors.filter((_, i) => i % 2 === 0);
  const results = await scanTensors(memorySource(path, bytes), wanted);
  const stats = new Map<string, TensorStats>(results.map((s) => [s.name, s]));
  return { path, size: bytes.length, header, stats };
}

function f32(name: string, values: number[]): TensorSpec {
  return {
    name,
    dtype: 'F32',
    shape: [values.length],
    data: new Uint8Array(Float32Array.from(values).buffer),
  };
}

function streamed(
  files: FileResult[],
  errors: ReportableError[],
  options: JsonReportOptions,
  extra?: Record<string, unknown>,
): { text: string; writes: number } {
  const parts: string[] = [];
  writeJsonReport((t) => parts.push(t), files, errors, options, extra);
  return { text: parts.join(''), writes: parts.length };
}

describe('writeJsonReport', () => {
  it('writes exactly what JSON.stringify of buildJsonReport gives, in pieces', async () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      f32(`model.layers.${i}.w\u202e"\\`, [i, Number.NaN, Number.POSITIVE_INFINITY]),
    );
    const files = [
      await scanned('a.safetensors', many, true),
      await scanned('b "quoted".safetensors', [f32('x', [1, 2]), f32('y', [0])], false),
      { path: 'broken.safetensors', size: 3, header: null, stats: new Map() },
    ];
    const errors: ReportableError[] = [
      { code: 'HeaderTooSmall', file: 'broken.safetensors', tensor: null, message: 'too small' },
    ];
    const findings = [
      {
        rule: 'nan-scale' as const,
        severity: 'error' as const,
        file: 'a.safetensors',
        module: 'm',
        tensor: 't',
        count: 1,
        message: '<img src=x>',
      },
    ];
    for (const options of [
      { version: '1.2.3' },
      { version: '1.2.3', histograms: true, findings, complete: false },
    ]) {
      const expected = JSON.stringify({
        ...buildJsonReport(files, errors, options),
        network: { requests: 0, bytes: 0 },
      });
      const got = streamed(files, errors, options, { network: { requests: 0, bytes: 0 } });
      expect(got.text).toBe(expected);
      expect(got.writes).toBeGreaterThan(expected.length / JSON_STREAM_CHUNK_CHARS - 1);
    }
  });

  it('matches for any set of files, including none and files without tensors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            path: fc.string(),
            values: fc.array(fc.array(fc.double(), { maxLength: 4 }), { maxLength: 4 }),
            all: fc.boolean(),
          }),
          { maxLength: 3 },
        ),
        async (specs) => {
          const files: FileResult[] = [];
          for (const s of specs) {
            files.push(
              await scanned(
                s.path,
                s.values.map((v, i) => f32(`t${i}`, v)),
                s.all,
              ),
            );
          }
          const options = { version: '0' };
          expect(streamed(files, [], options).text).toBe(
            JSON.stringify(buildJsonReport(files, [], options)),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('writeJsonReport: dimensions above 2^53', () => {
  it('writes them with the header digits (a JS number would round 2^53 + 1)', () => {
    const header = new TextEncoder().encode(
      '{"a":{"dtype":"F32","shape":[9007199254740993,0],"data_offsets":[0,0]},"b\\"shape\\":[1]":{"dtype":"F32","shape":[0,18446744073709551615],"data_offsets":[0,0]}}',
    );
    const parsed = parseHeaderBytes('big.safetensors', 8 + header.length, header);
    if (!parsed.ok) {
      throw new Error(parsed.error.message);
    }
    const file: FileResult = {
      path: 'big.safetensors',
      size: 8 + header.length,
      header: parsed.value,
      stats: new Map(),
    };
    const text = streamed([file], [], { version: '0' }).text;
    expect(text).toContain('"name":"a","dtype":"F32","shape":[9007199254740993,0],');
    expect(text).toContain(
      '"name":"b\\"shape\\":[1]","dtype":"F32","shape":[0,18446744073709551615],',
    );
    // Everything else is as buildJsonReport gives it.
    const doc = JSON.parse(text) as { files: { tensors: { shape: number[] }[] }[] };
    doc.files[0].tensors[0].shape = [2 ** 53, 0];
    doc.files[0].tensors[1].shape = [0, 2 ** 64];
    expect(doc).toEqual(JSON.parse(JSON.stringify(buildJsonReport([file], [], { version: '0' }))));
  });
});
