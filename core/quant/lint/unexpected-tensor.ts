import type { SafetensorsHeader } from '../../format/tensor-info';
import type { Finding } from '../quant-types';

/**
 * What a leaked name is, by how it matches, for the message. Quantizer state that ModelOpt keeps on
 * its TensorQuantizers (`weight_quantizer._amax`, `input_quantizer._pre_quant_scale`), the
 * `_double_scale` its low-memory export leaked (Model-Optimizer #2038), calibration statistics
 * (`_calibrator`, `*_amax`), and PEFT's `base_layer` wrapper: no runtime loader maps these names.
 */
const LEAKS: readonly { readonly test: (segment: string) => boolean; readonly what: string }[] = [
  { test: (s) => s.endsWith('_amax'), what: 'a calibration amax' },
  { test: (s) => s.includes('_double_scale'), what: "ModelOpt's internal double scale" },
  { test: (s) => s.endsWith('_calibrator'), what: 'calibrator state' },
  { test: (s) => s.endsWith('_quantizer') || s.endsWith('_observer'), what: 'quantizer state' },
  { test: (s) => s === 'base_layer', what: "a PEFT/LoRA wrapper's base layer" },
];

/**
 * Text every leaked name holds somewhere (each LEAKS test needs one of these in a segment): the
 * names that hold none, nearly all of them, are not split into segments (at 100,000 experts that
 * split was a tenth of the lint's time). One regular expression reads a name once, where six
 * `includes` read it six times (400,000 names).
 */
const LEAK_MARKS = /_amax|_double_scale|_calibrator|_quantizer|_observer|base_layer/;

export function leakOf(name: string): string | null {
  if (!LEAK_MARKS.test(name)) {
    return null;
  }
  const segments = name.split('.');
  // The first kind that any segment matches (LEAKS is ordered most specific first).
  for (const leak of LEAKS) {
    if (segments.some(leak.test)) {
      return leak.what;
    }
  }
  return null;
}

function moduleOf(name: string): string {
  const i = name.lastIndexOf('.');
  return i < 0 ? name : name.slice(0, i);
}

/**
 * unexpected-tensor (warning): in a checkpoint with quantized modules, tensors whose names no
 * runtime loads (leaked quantizer / calibrator state, `_double_scale`, `base_layer`). Loaders either
 * fail on the unknown key or drop it, and the weights it belonged to may be missing or unmerged.
 * (A scale of a known role with a shape the scheme contradicts is `scale-shape`, an error.)
 * Count: the tensor's elements.
 */
export function unexpectedTensors(
  headers: readonly SafetensorsHeader[],
  quantized: boolean,
): Finding[] {
  if (!quantized) {
    return [];
  }
  const out: Finding[] = [];
  for (const header of headers) {
    for (const t of header.tensors) {
      const what = leakOf(t.name);
      if (what !== null) {
        out.push({
          rule: 'unexpected-tensor',
          severity: 'warning',
          file: header.fileName,
          module: moduleOf(t.name),
          tensor: t.name,
          count: t.elements,
          message: `${t.name} is ${what}, which no runtime loads: vLLM and TensorRT-LLM reject or skip the key, and an export that leaked it may have left the real tensors unfinished`,
        });
      }
    }
  }
  return out;
}
