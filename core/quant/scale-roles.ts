import type { SchemeReport } from './recognize-scheme';

/**
 * What a U8 tensor's bytes really are, in the repair engine's terms (`core/repair` accepts such a
 * map as `roles`): E4M3 bytes (ComfyUI NVFP4 scales) or E8M0 exponents (gpt-oss / MX scales).
 */
export type ScaleRole = 'f8_e4m3' | 'f8_e8m0';

/**
 * File -> tensor name -> role of every U8-stored block scale whose role the recognised scheme
 * fixes. Tensors stored as F8_E4M3 / F8_E8M0 are left out: their dtype already says it.
 */
export function scaleRoles(
  report: SchemeReport,
): ReadonlyMap<string, ReadonlyMap<string, ScaleRole>> {
  const out = new Map<string, Map<string, ScaleRole>>();
  for (const m of report.modules) {
    const scale = m.tensors.scale;
    if (scale === undefined || scale.info.dtype !== 'U8' || m.scaleEncoding === 'float') {
      continue;
    }
    const perFile = out.get(scale.file) ?? new Map<string, ScaleRole>();
    perFile.set(scale.info.name, m.scaleEncoding === 'e4m3' ? 'f8_e4m3' : 'f8_e8m0');
    out.set(scale.file, perFile);
  }
  return out;
}
