import { describe, expect, it } from 'vitest';
import { recognizeScheme } from './recognize-scheme';
import { headerOf } from './testing/open-fixture';

const spec = (name: string, dtype: 'U8' | 'F8_E4M3' | 'F32' | 'BF16', shape: number[]) => ({
  name,
  dtype,
  shape,
  data: new Uint8Array(
    shape.reduce((a, b) => a * b, 1) * (dtype === 'F32' ? 4 : dtype === 'BF16' ? 2 : 1),
  ),
});

describe('fileSchemes (through recognizeScheme)', () => {
  it('says none for plain files, unknown for FP8 data or orphan scales in no layout', () => {
    const plain = headerOf([spec('a.weight', 'BF16', [2, 2])], 'plain.safetensors').header;
    const fp8 = headerOf([spec('b.weight', 'F8_E4M3', [2, 2])], 'fp8.safetensors').header;
    const orphan = headerOf([spec('c.weight_scale_2', 'F32', [])], 'orphan.safetensors').header;
    const r = recognizeScheme([plain, fp8, orphan], null, null);
    expect(r.files.map((f) => [f.file, f.scheme, f.source])).toEqual([
      ['plain.safetensors', 'none', null],
      ['fp8.safetensors', 'unknown', null],
      ['orphan.safetensors', 'unknown', null],
    ]);
  });

  it('reports the most frequent scheme and lists the others (mixed precision)', () => {
    const nvfp4 = (p: string) => [
      spec(`${p}.weight`, 'U8', [2, 8]),
      spec(`${p}.weight_scale`, 'F8_E4M3', [2, 1]),
      spec(`${p}.weight_scale_2`, 'F32', []),
    ];
    const fp8 = [spec('c.weight', 'F8_E4M3', [2, 2]), spec('c.weight_scale', 'F32', [])];
    const { header } = headerOf([...nvfp4('a'), ...nvfp4('b'), ...fp8]);
    const [file] = recognizeScheme([header], null, null).files;
    expect(file).toMatchObject({
      scheme: 'nvfp4',
      producer: 'modelopt',
      source: 'names',
      modules: 3,
      schemes: ['nvfp4', 'fp8-tensor'],
    });
  });
});

describe('fileSchemes: a shard of only unquantized tensors', () => {
  it("reports the checkpoint's scheme, with no modules of its own", () => {
    const quant = headerOf(
      [
        spec('m.weight', 'U8', [2, 8]),
        spec('m.weight_scale', 'F8_E4M3', [2, 1]),
        spec('m.weight_scale_2', 'F32', []),
      ],
      'model-00001-of-00002.safetensors',
    ).header;
    const head = headerOf(
      [spec('lm_head.weight', 'BF16', [2, 2]), spec('model.norm.weight', 'BF16', [2])],
      'model-00002-of-00002.safetensors',
    ).header;
    const r = recognizeScheme([quant, head], null, null);
    expect(r.files.map((f) => [f.file, f.scheme, f.producer, f.modules])).toEqual([
      ['model-00001-of-00002.safetensors', 'nvfp4', 'modelopt', 1],
      ['model-00002-of-00002.safetensors', 'nvfp4', 'modelopt', 0],
    ]);
    // Alone, the same file is what it is: unquantized.
    expect(recognizeScheme([head], null, null).files[0].scheme).toBe('none');
  });
});
