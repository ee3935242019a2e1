import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClosableSource } from '../../fixtures/node-source';
import { openNodeSource } from '../../fixtures/node-source';
import { decodeToFloat64 } from '../dtype/decode-value';
import { openCheckpoint } from '../format/open-checkpoint';
import { analyzeModule } from './analyze/analyze-module';
import { dequantizeElements } from './dequantize';
import { lintCheckpoint } from './lint/lint-checkpoint';
import { recognizeScheme } from './recognize-scheme';
import type { SchemeReport } from './recognize-scheme';
import { scaleRoles } from './scale-roles';
import { readTensorBytes, sourceMap } from './stream/read-exact';
import type { SourceMap } from './stream/read-exact';

/** ../shared/real-checkpoints beside the repository root (read-only test data, never copied in). */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/real-checkpoints');
const open: ClosableSource[] = [];
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});

async function recognise(
  ...paths: string[]
): Promise<{ report: SchemeReport; sources: SourceMap }> {
  const sources = await Promise.all(paths.map((p) => openNodeSource(join(ROOT, p), p)));
  open.push(...sources);
  const cp = await openCheckpoint(sources);
  const headers = cp.files.flatMap((f) => (f.header === null ? [] : [f.header]));
  return {
    report: recognizeScheme(headers, cp.config, cp.hfQuantConfig),
    sources: sourceMap(sources),
  };
}

function verdict(report: SchemeReport): unknown[] {
  return report.files.map((f) => ({ scheme: f.scheme, producer: f.producer, source: f.source }));
}

describe.skipIf(!existsSync(ROOT))(
  'real checkpoints are recognised as their PROVENANCE.md says',
  () => {
    const comfy = 'comfy-nvfp4-jorismak';

    it('ComfyUI NVFP4 files: nvfp4 / comfyui; decoded scales max 0x7E, no NaN, head.head padding left out', async () => {
      const { report, sources } = await recognise(`${comfy}/test_nvfp4_calibrated.safetensors`);
      expect(verdict(report)).toEqual([{ scheme: 'nvfp4', producer: 'comfyui', source: 'names' }]);
      expect(report.modules).toHaveLength(7);
      const analyses = await Promise.all(
        report.modules.map((m) => analyzeModule(sources, m, { weights: 'if-zero-scales' })),
      );
      for (const a of analyses) {
        const codes = a.scale?.codes ?? [];
        const used = codes.flatMap((n, byte) => (n > 0 ? [byte] : []));
        expect(Math.max(...used), a.prefix).toBe(0x7e);
        expect(a.scale?.nan).toBe(0);
        expect(a.scale?.zero).toBe(0);
        expect(a.weight).toBeNull();
      }
      const head = analyses.find((a) => a.prefix === 'head.head');
      expect(head?.scale).toMatchObject({ elements: 16 * 32, padding: 3584, zero: 0, max: 448 });
      const findings = lintCheckpoint(report, analyses);
      expect(findings.filter((f) => f.rule === 'nan-scale' || f.rule === 'inf-scale')).toEqual([]);
      expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(
        scaleRoles(report)
          .get(`${comfy}/test_nvfp4_calibrated.safetensors`)
          ?.get('head.head.weight_scale'),
      ).toBe('f8_e4m3');
    });

    it('ComfyUI NVFP4 decodes to its BF16 source with the relative error PROVENANCE reports (0.143)', async () => {
      const { report, sources } = await recognise(`${comfy}/test_sharded_nvfp4.safetensors`);
      expect(verdict(report)).toEqual([{ scheme: 'nvfp4', producer: 'comfyui', source: 'names' }]);
      const q = report.modules.find((m) => m.prefix === 'blocks.0.self_attn.q');
      const src = await recognise(`${comfy}/test_sharded/model-00001-of-00002.safetensors`);
      expect(verdict(src.report)).toEqual([{ scheme: 'none', producer: null, source: null }]);
      const bf16Source = src.sources.get(`${comfy}/test_sharded/model-00001-of-00002.safetensors`);
      const header = (await openCheckpoint(bf16Source === undefined ? [] : [bf16Source])).files[0]
        ?.header;
      const info = header?.byName.get('blocks.0.self_attn.q.weight');
      if (q === undefined || bf16Source === undefined || info === undefined) {
        throw new Error('real file layout changed');
      }
      const reference = decodeToFloat64(
        'BF16',
        await readTensorBytes(bf16Source, info, 0, info.nbytes),
        info.elements,
      );
      const values = await dequantizeElements(sources, q, { start: 0, count: info.elements });
      let err = 0;
      let mag = 0;
      for (let i = 0; i < info.elements; i++) {
        err += Math.abs(values[i] - reference[i]);
        mag += Math.abs(reference[i]);
      }
      expect(err / mag).toBeGreaterThan(0.13);
      expect(err / mag).toBeLessThan(0.16);
    });

    it('gpt-oss-style MXFP4: mxfp4 / gpt-oss; E8M0 0x00 is 2^-127, not NaN', async () => {
      for (const name of ['simple_test', 'only_zeros']) {
        const { report, sources } = await recognise(`gptoss-style-mxfp4-tiny/${name}.safetensors`);
        expect(verdict(report)).toEqual([
          { scheme: 'mxfp4', producer: 'gpt-oss', source: 'names' },
        ]);
        const analyses = await Promise.all(report.modules.map((m) => analyzeModule(sources, m)));
        for (const a of analyses) {
          expect(a.scale).toMatchObject({ nan: 0, zero: 0, posInf: 0 });
        }
        const findings = lintCheckpoint(report, analyses);
        expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
      }
      const { report, sources } = await recognise(
        'gptoss-style-mxfp4-tiny/simple_test.safetensors',
      );
      const ones = report.modules.find((m) => m.prefix === 'tensor_with_ones');
      if (ones === undefined) {
        throw new Error('no ones module');
      }
      // Byte 0x01: low nibble code 1 = 0.5, high 0; scale byte 0x01 = 2^-126.
      const values = await dequantizeElements(sources, ones, { start: 0, count: 32 });
      expect([values[0], values[1]]).toEqual([0.5 * 2 ** -126, 0]);
      expect(
        verdict((await recognise('gptoss-style-mxfp4-tiny/mixed_f32.safetensors')).report),
      ).toEqual([{ scheme: 'none', producer: null, source: null }]);
    });

    it('torchao Float8Tensor (PerRow): fp8-channel with no known producer; 555 weight bytes at ±448', async () => {
      const { report, sources } = await recognise('torchao-fp8-rowwise/fp8_weights.safetensors');
      expect(verdict(report)).toEqual([{ scheme: 'fp8-channel', producer: null, source: 'names' }]);
      const [m] = report.modules;
      const a = await analyzeModule(sources, m);
      expect(a.scale).toMatchObject({ nan: 0, elements: 256 });
      expect(a.scale?.min).toBeGreaterThan(3.2e-4);
      expect(a.scale?.max).toBeLessThan(3.95e-4);
      const codes = a.weight?.codes ?? [];
      expect(codes[0x7e] + codes[0xfe]).toBe(555);
      expect(codes[0x7f] + codes[0xff]).toBe(0);
      // The only finding is the FNUZ note: 3,850 bytes above 240 (the 555 at 448 among them) and
      // no 0x80, as numpy counts them in the file ((b & 0x7f) in 0x78..0x7e; b == 0x80).
      expect(
        lintCheckpoint(report, [a]).map((f) => [f.rule, f.severity, f.count, f.tensor]),
      ).toEqual([['fnuz-portability', 'info', 3850, m.tensors.weight?.info.name]]);
      expect(
        verdict((await recognise('torchao-fp8-rowwise/fp8_weights_multi.safetensors')).report),
      ).toEqual([{ scheme: 'none', producer: null, source: null }]);
    });

    it('compressed-tensors hadamards (I8) and plain F64 files are unquantized', async () => {
      for (const p of [
        'compressed-tensors-hadamards/hadamards.safetensors',
        'safetensors-cpp-edgecases/model.safetensors',
      ]) {
        const { report } = await recognise(p);
        expect(verdict(report)).toEqual([{ scheme: 'none', producer: null, source: null }]);
        expect(lintCheckpoint(report, [])).toEqual([]);
      }
    });
  },
);
