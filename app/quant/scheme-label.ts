import type { FileScheme, QuantProducer, QuantScheme } from '../../core/quant/index';

const SCHEME_LABELS: Readonly<Record<QuantScheme, string>> = {
  nvfp4: 'NVFP4',
  mxfp4: 'MXFP4',
  mxfp8: 'MXFP8',
  'fp8-tensor': 'FP8 per-tensor',
  'fp8-channel': 'FP8 per-channel',
  'fp8-block': 'FP8 block',
  awq: 'AWQ int4',
  gptq: 'GPTQ int4',
  'w4a16-packed': 'W4A16 packed int4',
  nf4: 'NF4',
  none: 'not quantized',
  unknown: 'unrecognised scheme',
};

const PRODUCER_LABELS: Readonly<Record<QuantProducer, string>> = {
  modelopt: 'NVIDIA ModelOpt',
  'compressed-tensors': 'compressed-tensors',
  'gpt-oss': 'gpt-oss',
  deepseek: 'DeepSeek',
  autoawq: 'AutoAWQ',
  gptq: 'GPTQ',
  comfyui: 'ComfyUI',
  bitsandbytes: 'bitsandbytes',
};

export function schemeLabel(scheme: QuantScheme): string {
  return SCHEME_LABELS[scheme];
}

/** "NVFP4 · NVIDIA ModelOpt · recognised from config" */
export function describeFileScheme(f: FileScheme): string {
  const parts = [schemeLabel(f.scheme)];
  if (f.producer !== null) {
    parts.push(PRODUCER_LABELS[f.producer]);
  }
  if (f.source !== null) {
    parts.push(f.source === 'config' ? 'recognised from config' : 'recognised from tensor names');
  }
  return parts.join(' · ');
}
