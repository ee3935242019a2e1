import { describe, expect, it } from 'vitest';
import { unsafeShardNameReason } from './shard-name';

describe('unsafeShardNameReason', () => {
  it.each([
    'model-00001-of-00002.safetensors',
    'model.safetensors',
    'diffusion_pytorch_model-00001-of-00003.safetensors',
    'a b.safetensors',
    'модель.safetensors',
    'x.y.safetensors',
  ])('accepts %s', (name) => {
    expect(unsafeShardNameReason(name)).toBeNull();
  });

  it.each([
    '',
    '../model.safetensors',
    '..',
    'a/../../etc/passwd.safetensors',
    '/etc/model.safetensors',
    'sub/model.safetensors',
    '..\\model.safetensors',
    'sub\\model.safetensors',
    '\\\\server\\share\\model.safetensors',
    'C:model.safetensors',
    'C:\\Windows\\model.safetensors',
    'https://evil.example/model.safetensors',
    'file:///etc/model.safetensors',
    'model.safetensors:stream',
    'model.bin',
    'model.safetensors.bin',
    'pytorch_model-00001-of-00002.bin',
    '.safetensors',
    'model\u0000.safetensors',
    'model\n.safetensors',
    'NUL.safetensors',
    'com1.safetensors',
    'model..safetensors',
  ])('refuses %j', (name) => {
    expect(unsafeShardNameReason(name)).not.toBeNull();
  });
});
