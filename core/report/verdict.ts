import type { Dtype } from '../dtype/dtype';
import { dtypeBits } from '../dtype/dtype';
import { parseLayerKey } from '../layout/layer-key';
import type { TensorStats } from '../scan/tensor-stats';

export interface VerdictInput {
  readonly name: string;
  readonly dtype: Dtype;
  readonly stats: TensorStats | null;
}

/** How many layer numbers the one-line verdict lists before "and N more". */
const VERDICT_LAYERS_SHOWN = 8;

/** NaN/Inf found in a scale decoded by its role (an FP8 scale stored as U8), from the quantization lint. */
export interface RoleFault {
  readonly name: string;
  readonly nan: number;
  readonly inf: number;
}

export type VerdictLevel = 'clean' | 'bad' | 'pending';

export interface Verdict {
  readonly level: VerdictLevel;
  readonly text: string;
}

/** Names of scale tensors across the quantization layouts (formats.md §4). */
const SCALE_NAME =
  /(?:^|[._])(?:weight_scale(?:_2|_inv)?|input_scale|scales?|[kv]_scale|weight_global_scale|input_global_scale)$/;

export function isScaleName(name: string): boolean {
  return SCALE_NAME.test(name);
}

function dtypeFamily(dtypes: ReadonlySet<Dtype>): string {
  if (dtypes.size === 1) {
    const [only] = [...dtypes];
    if (only !== undefined && only.startsWith('F8_')) {
      return 'FP8 ';
    }
    return `${only} `;
  }
  return '';
}

function countPart(count: number, what: string, unit: string): string {
  return `${count.toLocaleString('en-US')} ${what} ${unit}${count === 1 ? '' : 's'}`;
}

/**
 * The one-line answer at the top of the page and the report, e.g.
 * "6 NaN bytes in 3 FP8 scale tensors — layers 4, 7, 9".
 */
export function summarizeVerdict(
  tensors: readonly VerdictInput[],
  complete: boolean,
  roleFaults: readonly RoleFault[] = [],
): Verdict {
  const faultByName = new Map(roleFaults.map((f) => [f.name, f]));
  const bad = tensors
    .map((t) => {
      const fault = faultByName.get(t.name);
      if (
        fault === undefined ||
        t.stats === null ||
        t.stats.nan + t.stats.posInf + t.stats.negInf > 0
      ) {
        return t;
      }
      // A scale stored as U8 shows no NaN as U8; its role (E4M3/E8M0) does.
      return { ...t, stats: { ...t.stats, nan: fault.nan, posInf: fault.inf, negInf: 0 } };
    })
    .filter((t) => t.stats !== null && t.stats.nan + t.stats.posInf + t.stats.negInf > 0);
  if (bad.length === 0) {
    const scanned = tensors.filter((t) => t.stats !== null).length;
    if (!complete) {
      return {
        level: 'pending',
        text: `No NaN or Inf so far (${scanned.toLocaleString('en-US')} of ${tensors.length.toLocaleString('en-US')} tensors scanned)`,
      };
    }
    return {
      level: 'clean',
      text: `No NaN or Inf in ${tensors.length.toLocaleString('en-US')} tensors`,
    };
  }
  let nan = 0;
  let inf = 0;
  const dtypes = new Set<Dtype>();
  const layers = new Set<number>();
  let outside = false;
  for (const t of bad) {
    if (t.stats !== null) {
      nan += t.stats.nan;
      inf += t.stats.posInf + t.stats.negInf;
    }
    dtypes.add(t.dtype);
    const layer = parseLayerKey(t.name).layer;
    if (layer === null) {
      outside = true;
    } else {
      layers.add(layer);
    }
  }
  const unit = [...dtypes].every((d) => dtypeBits(d) === 8) ? 'byte' : 'value';
  const counts = [
    nan > 0 ? countPart(nan, 'NaN', unit) : '',
    inf > 0 ? countPart(inf, 'Inf', unit) : '',
  ]
    .filter((s) => s !== '')
    .join(' and ');
  const allScales = bad.every((t) => isScaleName(t.name));
  const kind = `${dtypeFamily(dtypes)}${allScales ? 'scale ' : ''}tensor${bad.length === 1 ? '' : 's'}`;
  const sorted = [...layers].sort((a, b) => a - b);
  const shown = sorted.slice(0, VERDICT_LAYERS_SHOWN).join(', ');
  const more =
    sorted.length > VERDICT_LAYERS_SHOWN ? ` and ${sorted.length - VERDICT_LAYERS_SHOWN} more` : '';
  const where =
    sorted.length > 0
      ? ` — layer${sorted.length === 1 ? '' : 's'} ${shown}${more}${outside ? ' and outside layers' : ''}`
      : outside
        ? ' — outside layers'
        : '';
  return {
    level: 'bad',
    text: `${counts} in ${bad.length} ${kind}${where}${complete ? '' : ' (scan running)'}`,
  };
}
