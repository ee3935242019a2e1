import type { FindingRule } from '../../core/quant/index';

/** What a finding's rule means for someone about to serve the checkpoint. */
export interface RuleDoc {
  /** Short title, shown next to the rule id. */
  readonly title: string;
  /** What a runtime does with such a checkpoint. */
  readonly meaning: string;
  /** What usually produced it. */
  readonly cause: string;
  /** What to do. */
  readonly fix: string;
}

const REPAIR = 'The Repair section below patches it in a copy (your file is never modified)';
const REEXPORT = 're-export with a fixed or clamping exporter';

/**
 * One entry per rule id (a public contract, see the README's rules table). Typed over every
 * FindingRule, so a new rule does not build without its explanation.
 */
export const RULE_DOCS: Readonly<Record<FindingRule, RuleDoc>> = {
  'nan-scale': {
    title: 'NaN in a scale',
    meaning:
      'Every weight the scale multiplies dequantizes to NaN: vLLM and TensorRT-LLM load the model without error and then generate NaN logits, which decode as "!!!!" or an empty answer.',
    cause:
      'An unclamped FP32 → E4M3 cast of a block scale above 448 (ModelOpt 0.44 NVFP4 export), or a calibration amax that was itself NaN/Inf.',
    fix: `${REPAIR} (NaN → the largest finite scale, or zero where the block is destroyed), or ${REEXPORT}.`,
  },
  'inf-scale': {
    title: 'Inf in a scale',
    meaning:
      'The block dequantizes to ±Inf (or NaN where a code is 0 × Inf): the first matmul through it poisons the activations.',
    cause: 'A scale computed in a wider type and cast to F16/BF16/E5M2 without a clamp.',
    fix: `${REPAIR}, or ${REEXPORT}.`,
  },
  'saturated-scale': {
    title: 'Scales stuck at the format maximum',
    meaning:
      'Blocks whose scale is the largest finite value of its format were clipped: their weights are served smaller than they were.',
    cause: 'A shrunken or outlier amax during calibration, or a clamp hiding an overflow.',
    fix: 'Recalibrate or re-export with a larger global scale; the repair cannot restore the lost range.',
  },
  'zero-scale-nonzero-block': {
    title: 'Zero scale over non-zero codes',
    meaning: 'Those blocks contribute nothing at inference although their codes say they should.',
    cause: 'A scale that underflowed to zero in the cast, or a scale written before its block.',
    fix: `Re-export the module; check the exporter's global scale (${REEXPORT}).`,
  },
  'subnormal-scale': {
    title: 'Subnormal scale',
    meaning:
      'The blocks dequantize to almost nothing, and a subnormal global scale overflows when a runtime takes its reciprocal.',
    cause: 'A global scale chosen too small for the scale format (E4M3 block scales underflow).',
    fix: 'Re-export with a global scale that keeps block scales in the normal range.',
  },
  'bad-global-scale': {
    title: 'Global or input scale not finite and positive',
    meaning:
      'A zero, negative, NaN or Inf global/input scale breaks the whole tensor: the runtime divides or multiplies every block by it.',
    cause:
      'Calibration that saw no data for the module, or a reciprocal stored where a scale was expected.',
    fix: 'Recalibrate the module and re-export; a repair cannot guess a global scale.',
  },
  'missing-scale': {
    title: 'Quantized weight without its scale',
    meaning:
      'The loader either fails or reads the packed codes with a default scale of 1: garbage output.',
    cause:
      'A shard or an index entry lost during upload, or a save filter that dropped *_scale tensors.',
    fix: 'Re-upload the missing shard or re-export; check model.safetensors.index.json.',
  },
  'orphan-scale': {
    title: 'Scale without a weight',
    meaning: 'Loaders ignore it or refuse the checkpoint ("unexpected key").',
    cause: 'A weight renamed or dropped after quantization, or a shard missing from the set.',
    fix: 'Load every shard; otherwise re-export, or remove the stray tensor.',
  },
  'scale-shape': {
    title: 'Scale shape does not fit its weight',
    meaning:
      'Runtimes fail to load, or broadcast the scale over the wrong blocks (silently wrong outputs).',
    cause: 'A low-memory or sharded export path that wrote a truncated or transposed scale.',
    fix: 'Re-export the module with the exporter’s regular path.',
  },
  'missing-input-scale': {
    title: 'Expert without input scale',
    meaning:
      'With static activation quantization the runtime uses a default or another expert’s input scale for this expert: its activations are mis-scaled.',
    cause: 'An expert that received no calibration tokens (routing never picked it).',
    fix: 'Calibrate with more data (or force every expert), then re-export.',
  },
  'config-mismatch': {
    title: 'Config and tensors disagree',
    meaning:
      'The runtime picks its kernels from the config: a module stored differently from what the config declares is loaded with the wrong kernel or refused.',
    cause: 'A config edited by hand, copied from another export, or written before the final save.',
    fix: 'Fix quantization_config / hf_quant_config.json to describe what is stored, or re-export.',
  },
  'excluded-but-quantized': {
    title: 'Excluded module is stored quantized',
    meaning:
      'Runtimes load it as unquantized (BF16) and read packed codes as weights: garbage in that module.',
    cause: 'An ignore/exclude list that does not match the module names the exporter really used.',
    fix: 'Align the config’s exclude list with the stored modules, or re-export.',
  },
  'config-pattern': {
    title: 'Config pattern not applied',
    meaning:
      'A module pattern of the config could not be matched (unsupported syntax or too costly), so what it excludes is unknown here.',
    cause: 'A regular expression or glob outside what loaders support, or a pathological pattern.',
    fix: 'Simplify the pattern in the config; list module names explicitly.',
  },
  'config-conflict': {
    title: 'Two configs declare different quantization',
    meaning:
      'Depending on which file a runtime reads first, the model is loaded with one scheme or the other.',
    cause: 'hf_quant_config.json and config.json written by different tools or versions.',
    fix: 'Keep one source of truth: make both configs say the same thing.',
  },
  'config-value': {
    title: 'Impossible config value',
    meaning: 'Loaders crash on it or fall back to a default that does not match the tensors.',
    cause: 'A config field filled with a placeholder (for example weight_block_size [0, 0]).',
    fix: 'Correct the value in the config.',
  },
  'fused-scale-mismatch': {
    title: 'Fused siblings with different global scales',
    meaning:
      'Runtimes fuse q/k/v or gate/up into one GEMM with one global scale: the other halves are served with the wrong scale (off by the reported ratio).',
    cause: 'Siblings calibrated separately and exported without unifying their global scales.',
    fix: 'Re-export with the exporter’s fused-scale unification (same amax for fused siblings).',
  },
  'scale-outlier': {
    title: 'Scale far from its siblings',
    meaning:
      'A finite but extreme scale (or a sentinel such as 3.4e38 or 2^127) dequantizes its weights to huge values or Inf at inference.',
    cause: 'An outlier or uninitialised amax, or a reciprocal stored in place of a scale.',
    fix: 'Recalibrate the module; compare with the same role in neighbouring layers.',
  },
  'zeroed-block': {
    title: 'Block silently zeroed',
    meaning: 'The block contributes nothing: the exporter dropped it.',
    cause:
      'ModelOpt writes a zero block with the smallest scale when it meets NaN/Inf weights in MX formats.',
    fix: 'Find the NaN/Inf in the source weights and re-export.',
  },
  'unexpected-tensor': {
    title: 'Tensor no runtime loads',
    meaning:
      'Loaders warn, refuse ("unexpected key") or, for a mis-shaped scale, broadcast it wrongly.',
    cause: 'Leaked calibrator state (_amax, base_layer) or a low-memory export path.',
    fix: 'Remove the stray tensors or re-export with the regular path.',
  },
  'zero-point-format': {
    title: 'Zero points in the other convention',
    meaning: 'vLLM reads every weight off by one step and serves token 0 ("!!!").',
    cause: 'GPTQ v1/v2 zero points mixed up between the tensors and checkpoint_format.',
    fix: 'Set checkpoint_format to match the qzeros, or convert the qzeros.',
  },
  'implausible-magnitude': {
    title: 'Weights off by orders of magnitude',
    meaning:
      'The module’s dequantized weights are far from its neighbours: the model serves nonsense.',
    cause: 'A scale stored with the wrong bias or encoding (E8M0 read as a linear byte).',
    fix: 'Check the scale encoding the config declares; re-export.',
  },
  'non-pow2-scale': {
    title: 'Scale is not a power of two',
    meaning:
      'Kernels that assume power-of-two scales (ue8m0) truncate it: every block is mis-scaled.',
    cause: 'A float scale written where the config declares scale_fmt: ue8m0.',
    fix: 'Round scales to powers of two in the exporter, or fix the config.',
  },
  'fnuz-portability': {
    title: 'Not portable to e4m3fnuz hardware',
    meaning: 'On MI300 or Gaudi, 0x80 reads as NaN and magnitudes above 240 overflow.',
    cause: 'An OCP E4M3 export served on fnuz hardware.',
    fix: 'Nothing on OCP hardware; for fnuz targets, convert or re-export with a 240 clamp.',
  },
  'scale-drift': {
    title: 'Scale grows across layers',
    meaning: 'Late layers run close to the format range: an FP16 runtime overflows there.',
    cause: 'Activation or weight growth with depth that the calibration followed.',
    fix: 'Serve in BF16/F32 accumulation, or recalibrate with clamping.',
  },
  'nan-value': {
    title: 'NaN in a tensor',
    meaning: 'Any NaN weight spreads through every matmul: NaN logits, "!!!!" output.',
    cause: 'A training divergence, or a conversion that produced NaN (FP8 cast of an overflow).',
    fix: `${REPAIR} (NaN → zero or the largest finite value), then find why the source had it.`,
  },
  'inf-value': {
    title: 'Inf in a tensor',
    meaning: 'Inf weights overflow the activations and turn into NaN at the next normalization.',
    cause: 'An overflowing cast to F16 or an FP8 format with Inf.',
    fix: `${REPAIR}, or re-export in BF16.`,
  },
};

const BY_ID: ReadonlyMap<string, RuleDoc> = new Map(Object.entries(RULE_DOCS));

/** The doc of a rule id from a finding (unknown ids, from a newer analysis, get none). */
export function ruleDoc(rule: string): RuleDoc | null {
  return BY_ID.get(rule) ?? null;
}
