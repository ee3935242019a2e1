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
