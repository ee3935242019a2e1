import type { SafetensorsHeader, TensorInfo } from '../format/tensor-info';
import { recognizeScheme } from '../quant/recognize-scheme';
import type { SchemeReport } from '../quant/recognize-scheme';
import { scaleRoles } from '../quant/scale-roles';

/**
 * The format a tensor's bytes hold when its role in a recognised quantization scheme says more than
 * its stored dtype: E8M0 exponents stored as U8 (gpt-oss / MX `*_scales`), FP8 E4M3 scales stored as
 * U8 (ComfyUI NVFP4), packed E2M1 codes stored as U8 (NVFP4 / MXFP4 weights, two per byte).
 * These are the names `--json` writes as `decodedAs`.
 */
export type DecodedAs = 'F8_E8M0' | 'F8_E4M3' | 'F4';

/** One tensor whose role decodes it as another format than its stored dtype. */
export interface RoleDecoding {
  readonly file: string;
  readonly tensor: string;
  readonly as: DecodedAs;
}

/**
 * Schemes whose weights are packed E2M1 nibbles (formats.md §4): a U8 weight of such a module holds
 * two FP4 codes per byte, whatever the producer.
 */
const PACKED_FP4_SCHEMES: ReadonlySet<string> = new Set(['nvfp4', 'mxfp4']);

/**
 * Every tensor of the report whose stored dtype is U8 but whose role fixes another format: the U8
 * block scales of `scaleRoles` (the repair engine's roles: one recognition path), and the U8 weights
 * of NVFP4 / MXFP4 modules. Tensors already stored as F8_E4M3 / F8_E8M0 / F4 are left out.
 */
export function roleDecodings(report: SchemeReport): RoleDecoding[] {
  const out: RoleDecoding[] = [];
  for (const [file, tensors] of scaleRoles(report)) {
    for (const [tensor, role] of tensors) {
      out.push({ file, tensor, as: role === 'f8_e4m3' ? 'F8_E4M3' : 'F8_E8M0' });
    }
  }
  for (const m of report.modules) {
    const weight = m.tensors.weight;
    if (weight !== undefined && weight.info.dtype === 'U8' && PACKED_FP4_SCHEMES.has(m.scheme)) {
      out.push({ file: weight.file, tensor: weight.info.name, as: 'F4' });
    }
  }
  return out;
}

/**
 * The role decodings of a checkpoint before its scan, from its headers and configs. Only U8 tensors
 * are ever decoded, so a checkpoint without one skips the scheme recognition (linear, but ~2 s on a
 * 37,000-tensor NVFP4 MoE in Node: time that comes before the first scale result).
 */
export function checkpointDecodings(
  headers: readonly SafetensorsHeader[],
  config: unknown,
  hfQuantConfig: unknown,
): RoleDecoding[] {
  const anyU8 = headers.some((h) => h.tensors.some((t) => t.dtype === 'U8'));
  return anyU8 ? roleDecodings(recognizeScheme(headers, config, hfQuantConfig)) : [];
}

/** File -> tensor -> decoded format, for lookups while planning a scan. */
export function decodingsByFile(
  decodings: readonly RoleDecoding[],
): ReadonlyMap<string, ReadonlyMap<string, DecodedAs>> {
  const out = new Map<string, Map<string, DecodedAs>>();
  for (const d of decodings) {
    let perFile = out.get(d.file);
    if (perFile === undefined) {
      perFile = new Map();
      out.set(d.file, perFile);
    }
    perFile.set(d.tensor, d.as);
  }
  return out;
}

/**
 * The tensor as its role decodes it: same name, offset and bytes, the decoded dtype, and (for packed
 * FP4) two elements per byte along the last dimension. Scanning this info gives the statistics of
 * the decoded values (NaN, ±Inf, zero, saturated at the decoded format's largest finite value, min,
 * max), and every view reads those. Only U8 tensors are reinterpreted; anything else is returned as is.
 */
export function decodedInfo(info: TensorInfo, as: DecodedAs | undefined): TensorInfo {
  if (as === undefined || info.dtype !== 'U8') {
    return info;
  }
  if (as !== 'F4') {
    return { ...info, dtype: as };
  }
  const shape =
    info.shape.length === 0
      ? [2]
      : info.shape.map((d, i, all) => (i === all.length - 1 ? d * 2 : d));
  return { ...info, dtype: 'F4', shape, elements: info.nbytes * 2 };
}

/** `tensors` with each one's decoded info where `roles` (of their file) names it. */
export function decodeTensors(
  tensors: readonly TensorInfo[],
  roles: ReadonlyMap<string, DecodedAs> | undefined,
): TensorInfo[] {
  // Only U8 tensors are ever decoded: the others skip the lookup of their name (most of a header).
  return roles === undefined
    ? [...tensors]
    : tensors.map((t) => (t.dtype === 'U8' ? decodedInfo(t, roles.get(t.name)) : t));
}

/** The `decodedAs` of a scanned tensor: the stats' dtype when it differs from the header's. */
export function decodedAsOf(headerDtype: string, statsDtype: string): DecodedAs | null {
  if (headerDtype === statsDtype) {
    return null;
  }
  return statsDtype === 'F8_E8M0' || statsDtype === 'F8_E4M3' || statsDtype === 'F4'
    ? statsDtype
    : null;
}
