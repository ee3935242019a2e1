import { appendAll } from '../../append-all';
import type { SchemeReport } from '../recognize-scheme';
import type { Finding, QuantModule, QuantRole } from '../quant-types';
import { shapeText } from '../shape-util';

/** How a missing role is named in messages. */
const ROLE_WORDS: Readonly<Record<QuantRole, string>> = {
  weight: 'weight',
  scale: 'weight scale',
  globalScale: 'global scale',
  inputScale: 'input scale',
  zeroPoint: 'zero points',
  groupIndex: 'group index',
  weightShape: 'weight shape',
  preQuantScale: 'pre-quant scale',
  quantMap: 'quant map',
  quantState: 'quant state',
  nestedScale: 'nested absmax',
  nestedQuantMap: 'nested quant map',
  marker: 'format marker',
};

function weightOf(m: QuantModule): { name: string | null; elements: number } {
  const w = m.tensors.weight;
  return { name: w?.info.name ?? null, elements: w?.info.elements ?? 0 };
}

/** missing-scale: a quantized weight without the scales its scheme needs (count: its elements). */
function missingScales(report: SchemeReport): Finding[] {
  return report.modules
    .filter((m) => m.missing.length > 0)
    .map((m) => {
      const w = weightOf(m);
      return {
        rule: 'missing-scale',
        severity: 'error',
        file: m.file,
        module: m.prefix,
        tensor: w.name,
        count: w.elements,
        message: `${w.name ?? m.prefix} is ${m.scheme} but has no ${m.missing.map((r) => ROLE_WORDS[r]).join(', ')}: it cannot be dequantized`,
      };
    });
}

/** orphan-scale: a scale-like tensor with no weight beside it (count: its elements). */
function orphans(report: SchemeReport): Finding[] {
  return report.orphans.map((o) => ({
    rule: 'orphan-scale',
    severity: 'warning',
    file: o.tensor.file,
    module: o.prefix,
    tensor: o.tensor.info.name,
    count: o.tensor.info.elements,
    message: `${o.tensor.info.name} has no weight beside it (nothing named ${o.prefix}.weight, weight_packed, qweight or _blocks)`,
  }));
}

/** scale-shape: a scale whose shape does not fit its weight and block size (count: its elements). */
function shapes(report: SchemeReport): Finding[] {
  return report.modules.flatMap((m): Finding[] => {
    const p = m.shapeProblem;
    if (p === null) {
      return [];
    }
    const w = m.tensors.weight;
    return [
      {
        rule: 'scale-shape',
        severity: 'error',
        file: p.tensor.file,
        module: m.prefix,
        tensor: p.tensor.info.name,
        count: p.tensor.info.elements,
        message: `${p.tensor.info.name} is ${p.tensor.info.dtype} ${shapeText(p.tensor.info.shape)} but its ${m.scheme} weight ${w === undefined ? '' : `${w.info.dtype} ${shapeText(w.info.shape)} `}needs ${p.expected}`,
      },
    ];
  });
}

/**
 * missing-input-scale: an expert without an `input_scale` that other experts of the same layer
 * and projection have (vLLM #45212: a missing expert input scale gives 1/0). Count: 1 (the scalar).
 */
function missingInputScales(report: SchemeReport): Finding[] {
  // Groups by module kind, then layer (no key string per expert), kept in first-seen order.
  const siblings = new Map<string, Map<number | null, QuantModule[]>>();
  const groups: QuantModule[][] = [];
  for (const m of report.modules) {
    if (m.key.expert !== null) {
      let byLayer = siblings.get(m.key.module);
      if (byLayer === undefined) {
        byLayer = new Map();
        siblings.set(m.key.module, byLayer);
      }
      const group = byLayer.get(m.key.layer);
      if (group === undefined) {
        const fresh = [m];
        byLayer.set(m.key.layer, fresh);
        groups.push(fresh);
      } else {
        group.push(m);
      }
    }
  }
  const out: Finding[] = [];
  for (const group of groups) {
    let withScale = 0;
    for (const m of group) {
      withScale += m.tensors.inputScale === undefined ? 0 : 1;
    }
    if (withScale === 0 || withScale === group.length) {
      continue;
    }
    for (const m of group) {
      if (m.tensors.inputScale !== undefined) {
        continue;
      }
      out.push({
        rule: 'missing-input-scale',
        severity: 'warning',
        file: m.file,
        module: m.prefix,
        tensor: weightOf(m).name,
        count: 1,
        message: `expert ${m.key.expert ?? '?'} of ${m.key.module} has no input_scale while ${withScale} of its ${group.length} sibling experts do`,
      });
    }
  }
  return out;
}

/** Findings from names, dtypes and shapes alone. */
export function lintStructure(report: SchemeReport): Finding[] {
  const out = missingScales(report);
  appendAll(out, orphans(report));
  appendAll(out, shapes(report));
  appendAll(out, missingInputScales(report));
  return out;
}
