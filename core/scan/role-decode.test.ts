import { describe, expect, it } from 'vitest';
import { memorySource } from '../io/byte-source';
import { faultFixtures } from '../quant/testing/fault-fixtures';
import { openFixture } from '../quant/testing/open-fixture';
import { F4_TABLE } from '../dtype/fp4';
import type { TensorInfo } from '../format/tensor-info';
import {
  checkpointDecodings,
  decodedAsOf,
  decodedInfo,
  decodeTensors,
  decodingsByFile,
  roleDecodings,
} from './role-decode';
import { scanTensors } from './scan-tensor';

function fixture(name: string) {
  const f = faultFixtures().find((x) => x.name === name);
  if (f === undefined) {
    throw new Error(`no fixture ${name}`);
  }
  return f;
}

const U8: TensorInfo = {
  name: 'w',
  dtype: 'U8',
  shape: [4, 8],
  offset: 0,
  nbytes: 32,
  elements: 32,
};

describe('decodedInfo', () => {
  it('reinterprets U8 bytes as FP8 scales or packed FP4 (two elements per byte)', () => {
    expect(decodedInfo(U8, 'F8_E8M0')).toEqual({ ...U8, dtype: 'F8_E8M0' });
    expect(decodedInfo(U8, 'F4')).toEqual({ ...U8, dtype: 'F4', shape: [4, 16], elements: 64 });
    expect(decodedInfo(U8, undefined)).toBe(U8);
    const f32: TensorInfo = { ...U8, dtype: 'F32', elements: 8 };
    expect(decodedInfo(f32, 'F4')).toBe(f32);
  });

  it('names decodedAs only when the scan decoded another format', () => {
    expect(decodedAsOf('U8', 'F8_E8M0')).toBe('F8_E8M0');
    expect(decodedAsOf('U8', 'U8')).toBeNull();
    expect(decodedAsOf('F8_E4M3', 'F8_E4M3')).toBeNull();
  });
});

describe('roleDecodings', () => {
  it('gpt-oss MXFP4: U8 *_scales are E8M0, U8 *_blocks packed FP4; the scan counts E8M0 0xFF as NaN', async () => {
    const f = fixture('gptoss-nan-scales');
    const opened = await openFixture(f);
    const decodings = roleDecodings(opened.report);
    const gateUp = 'model.layers.0.mlp.experts.gate_up_proj';
    expect(decodings.map((d) => [d.tensor, d.as]).sort()).toEqual(
      [
        [`${gateUp}_blocks`, 'F4'],
        [`${gateUp}_scales`, 'F8_E8M0'],
        ['model.layers.0.mlp.experts.down_proj_blocks', 'F4'],
      ].sort(),
    );
    const file = f.files.find((x) => x.name.endsWith('.safetensors'));
    const header = opened.headers[0];
    if (file === undefined || header === undefined) {
      throw new Error('fixture without a safetensors file');
    }
    const roles = decodingsByFile(decodings).get(header.fileName);
    const tensors = decodeTensors(header.tensors, roles);
    const stats = await scanTensors(memorySource(file.name, file.bytes), tensors);
    const byName = new Map(stats.map((s) => [s.name, s]));
    const scales = byName.get(`${gateUp}_scales`);
    expect(scales?.dtype).toBe('F8_E8M0');
    expect(scales?.nan).toBe(3);
    expect(scales?.nanIndices).toEqual([0, 7, 200]);
    // Independent count of the FP4 codes: every nibble of the U8 bytes, by E2M1 value.
    const blocks = header.tensors.find((t) => t.name === `${gateUp}_blocks`);
    const decoded = byName.get(`${gateUp}_blocks`);
    if (blocks === undefined || decoded === undefined) {
      throw new Error('blocks not scanned');
    }
    let zero = 0;
    let saturated = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = blocks.offset; i < blocks.offset + blocks.nbytes; i++) {
      for (const code of [file.bytes[i] & 0xf, file.bytes[i] >>> 4]) {
        const v = F4_TABLE[code];
        zero += v === 0 ? 1 : 0;
        saturated += Math.abs(v) === 6 ? 1 : 0;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    expect(decoded.dtype).toBe('F4');
    expect(decoded.elements).toBe(blocks.nbytes * 2);
    expect(decoded.nan).toBe(0);
    expect(decoded.zero).toBe(zero);
    expect(decoded.saturated).toBe(saturated);
    expect(decoded.min).toBe(min);
    expect(decoded.max).toBe(max);
    expect(Math.max(Math.abs(min), Math.abs(max))).toBeLessThanOrEqual(6);
  });

  it('ComfyUI NVFP4: the U8 weight_scale is E4M3 (saturated at ±448), NaN bytes counted as E4M3', async () => {
    const f = fixture('comfy-nan-scales');
    const opened = await openFixture(f);
    const decodings = roleDecodings(opened.report);
    const scale = decodings.find((d) => d.tensor.endsWith('.weight_scale'));
    expect(scale?.as).toBe('F8_E4M3');
    const file = f.files.find((x) => x.name.endsWith('.safetensors'));
    const header = opened.headers[0];
    if (file === undefined || header === undefined || scale === undefined) {
      throw new Error('fixture without a safetensors file');
    }
    const info = header.tensors.find((t) => t.name === scale.tensor);
    if (info === undefined) {
      throw new Error('no scale');
    }
    const [stats] = await scanTensors(memorySource(file.name, file.bytes), [
      decodedInfo(info, 'F8_E4M3'),
    ]);
    let nan = 0;
    let saturated = 0;
    for (let i = info.offset; i < info.offset + info.nbytes; i++) {
      nan += (file.bytes[i] & 0x7f) === 0x7f ? 1 : 0;
      saturated += (file.bytes[i] & 0x7f) === 0x7e ? 1 : 0;
    }
    // Padding included: the plain scan counts every stored byte (the lint counts logical scales).
    expect(stats.nan).toBe(nan);
    expect(stats.nan).toBe(3);
    expect(stats.saturated).toBe(saturated);
  });

  it('checkpointDecodings: the same decodings from headers and configs; none without a U8 tensor', async () => {
    const f = fixture('gptoss-nan-scales');
    const opened = await openFixture(f);
    expect(checkpointDecodings(opened.headers, f.config, f.hfQuantConfig)).toEqual(
      roleDecodings(opened.report),
    );
    const plain = await openFixture(fixture('nvfp4-faults'));
    const noU8 = plain.headers.map((h) => ({
      ...h,
      tensors: h.tensors.filter((t) => t.dtype !== 'U8'),
    }));
    expect(checkpointDecodings(noU8, null, null)).toEqual([]);
  });

  it('leaves tensors stored in their own FP8 dtype alone', async () => {
    const opened = await openFixture(fixture('nvfp4-faults'));
    const decodings = roleDecodings(opened.report);
    expect(decodings.every((d) => d.as === 'F4')).toBe(true);
    expect(decodings.length).toBeGreaterThan(0);
  });
});
