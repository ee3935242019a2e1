import { describe, expect, it } from 'vitest';
import { baseName, classifySource, dirPrefix } from './classify-source';

describe('classifySource', () => {
  it.each([
    ['model.safetensors', 'safetensors'],
    ['dir/model-00001-of-00002.safetensors', 'safetensors'],
    ['C:\\models\\Model.SafeTensors', 'safetensors'],
    ['model.safetensors.index.json', 'index'],
    ['a/b/diffusion_pytorch_model.safetensors.index.json', 'index'],
    ['config.json', 'config'],
    ['sub/config.json', 'config'],
    ['hf_quant_config.json', 'hfQuantConfig'],
    ['generation_config.json', 'ignored'],
    ['README.md', 'ignored'],
    ['model.safetensors.bak', 'ignored'],
    ['pytorch_model.bin', 'ignored'],
  ])('%s is %s', (name, role) => {
    expect(classifySource(name)).toBe(role);
  });
});

describe('baseName and dirPrefix', () => {
  it('split on / and \\', () => {
    expect(baseName('a/b\\c.safetensors')).toBe('c.safetensors');
    expect(dirPrefix('a/b\\c.safetensors')).toBe('a/b\\');
    expect(baseName('plain')).toBe('plain');
    expect(dirPrefix('plain')).toBe('');
  });
});
