import { describe, expect, it } from 'vitest';
import { QUANT_PRODUCERS, QUANT_SCHEMES } from './quant-types';

describe('the --json contract names', () => {
  it('lists exactly the schemes and producers of the contract', () => {
    expect([...QUANT_SCHEMES]).toEqual([
      'nvfp4',
      'mxfp4',
      'mxfp8',
      'fp8-tensor',
      'fp8-channel',
      'fp8-block',
      'awq',
      'gptq',
      'w4a16-packed',
      'nf4',
      'none',
      'unknown',
    ]);
    expect([...QUANT_PRODUCERS]).toEqual([
      'modelopt',
      'compressed-tensors',
      'gpt-oss',
      'deepseek',
      'autoawq',
      'gptq',
      'comfyui',
      'bitsandbytes',
    ]);
  });
});
