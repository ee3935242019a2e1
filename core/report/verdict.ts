import type { Dtype } from '../dtype/dtype';
import { dtypeBits } from '../dtype/dtype';
import { parseLayerKey } from '../layout/layer-key';
import { failsCheckpoint } from './exit-status';

/**
 * One tensor as the verdict sees it. `dtype` is the dtype its values were decoded as (the stats'
 * dtype: an E8M0 scale stored as U8 is `F8_E8M0`), `stats` null until it was scanned.
 */
export interface VerdictInput {
  readonly name: string;
  readonly dtype: Dtype;
  readonly stats: { readonly nan: number; readonly posInf: number; readonly negInf: number } | null;
}

/** How many layer numbers the one-line verdict lists before "and N more". */
const VERDICT_LAYERS_SHOWN = 8;

/**
 * `error`: a file is invalid or unreadable, an index/config error, NaN/Inf, or an error finding.
 * `warning`: only warnings (or a scan that stopped before the end with nothing bad found).
 * `pending`: scanning, nothing bad found yet. `ok`: everything was read and is clean.
 */
export type VerdictLevel = 'ok' | 'warning' | 'error' | 'pending';

export interface Verdict {
  readonly level: VerdictLevel;
  /** Leads with the worst thing found ("13 of 14 files are not valid safetensors"). */
  readonly text: string;
  /** Something could not be read or checked: an invalid or unreadable file, an index/config error. */
  readonly invalid: boolean;
  /** A NaN or ±Inf value was found (in any tensor, decoded by its role). */
  readonly badValues: boolean;
}

/** The checkpoint as the verdict needs it: built once by the app (from its store) and by the CLI. */
export interface VerdictModel {
  /** Every tensor; or, with `counts`, at least every tensor holding NaN or ±Inf. */
  readonly tensors: readonly VerdictInput[];
  /**
   * How many tensors there are and how many were scanned, for a model whose `tensors` lists only
   * those with NaN/Inf (the app keeps these counts as results come in: a pass over a million
   * tensors per update was issue 11's long tasks). Without it both are counted from `tensors`.
   */
  readonly counts?: { readonly tensors: number; readonly scanned: number };
  /** The safetensors files: `valid` false when the header failed; `unreadable` when a read of a valid one failed. */
  readonly files: readonly { readonly valid: boolean; readonly unreadable: boolean }[];
  /** Tensors of valid files whose read failed ("not scanned"). */
  readonly failedTensors: number;
  readonly indexErrors: number;
  readonly configErrors: number;
  /** Other errors (a scan that stopped, an analysis that failed). */
  readonly otherErrors: number;
  /** Quantization findings; NaN/Inf rules are counted from the role-decoded stats instead. */
  readonly findings: readonly { readonly rule: string; readonly severity: string }[];
  readonly state: 'running' | 'complete' | 'cancelled';
  /**
   * Tensors of valid files left unread on purpose: a default remote scan reads headers, scales and
   * small tensors only. Not scanned (never clean), but neither failed nor pending. Default 0.
   */
  readonly unreadByChoice?: number;
}

/** How the verdict names tensors a default remote scan left unread (the CLI's and the app's). */
export function unreadByChoiceText(count: number): string {
  return `${plural(count, 'tensor')} not read (default remote mode: headers, scales and small tensors; --full reads everything)`;
}

/**
 * Finding rules whose counts the role-decoded tensor stats already carry (`nan-value` / `inf-value`
 * are made from those stats): the NaN/Inf part of the verdict names them, not "quantization error".
 */
const VALUE_RULES: ReadonlySet<string> = new Set([
  'nan-scale',
  'inf-scale',
  'nan-value',
  'inf-value',
]);

/** Names of scale tensors across the quantization layouts (formats.md §4). */
const SCALE_NAME =
  /(?:^|[._])(?:weight_scale(?:_2|_inv)?|input_scale|scales?|[kv]_scale|weight_global_scale|input_global_scale)$/;

export function isScaleName(name: string): boolean {
  return SCALE_NAME.test(name);
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
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

/** "6 NaN bytes in 3 FP8 scale tensors — layers 4, 7, 9", or null when no tensor holds NaN/Inf. */
export function badValuesText(tensors: readonly VerdictInput[]): string | null {
  let nan = 0;
  let inf = 0;
  let count = 0;
  let allScales = true;
  const dtypes = new Set<Dtype>();
  const layers = new Set<number>();
  let outside = false;
  for (const t of tensors) {
    const s = t.stats;
    if (s === null || s.nan + s.posInf + s.negInf === 0) {
      continue;
    }
    count += 1;
    nan += s.nan;
    inf += s.posInf + s.negInf;
    dtypes.add(t.dtype);
    allScales &&= isScaleName(t.name);
    const layer = parseLayerKey(t.name).layer;
    if (layer === null) {
      outside = true;
    } else {
      layers.add(layer);
    }
  }
  if (count === 0) {
    return null;
  }
  const unit = [...dtypes].every((d) => dtypeBits(d) === 8) ? 'byte' : 'value';
  const counts = [
    nan > 0 ? countPart(nan, 'NaN', unit) : '',
    inf > 0 ? countPart(inf, 'Inf', unit) : '',
  ]
    .filter((s) => s !== '')
    .join(' and ');
  const kind = `${dtypeFamily(dtypes)}${allScales ? 'scale ' : ''}tensor${count === 1 ? '' : 's'}`;
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
  return `${counts} in ${count.toLocaleString('en-US')} ${kind}${where}`;
}

/**
 * The verdict on a checkpoint: one function for the page's banner, the exports and the CLI's
 * summary and exit status. The text lists what was found, worst first, joined by " · ".
 */
export function checkpointVerdict(model: VerdictModel): Verdict {
  const errors: string[] = [];
  const warnings: string[] = [];
  const running = model.state === 'running';
  const total = model.files.length;
  const invalidFiles = model.files.filter((f) => !f.valid).length;
  const unreadable = model.files.filter((f) => f.valid && f.unreadable).length;
  if (invalidFiles > 0) {
    errors.push(
      `${invalidFiles.toLocaleString('en-US')} of ${plural(total, 'file')} ${invalidFiles === 1 ? 'is' : 'are'} not valid safetensors`,
    );
  }
  if (unreadable > 0 || model.failedTensors > 0) {
    const files = unreadable > 0 ? plural(unreadable, 'file') : 'a file';
    errors.push(
      `${files} changed or became unreadable during the scan: ${plural(model.failedTensors, 'tensor')} not scanned`,
    );
  }
  const bad = badValuesText(model.tensors);
  // A NaN/Inf finding for a tensor whose stats have not come back yet still makes the verdict bad.
  const valueFinding = model.findings.some((f) => VALUE_RULES.has(f.rule) && failsCheckpoint(f));
  const badValues = bad !== null || valueFinding;
  if (bad !== null) {
    errors.push(bad);
  } else if (valueFinding) {
    errors.push('NaN/Inf in scales decoded by their role (see findings)');
  }
  if (model.indexErrors > 0) {
    errors.push(plural(model.indexErrors, 'index error'));
  }
  if (model.configErrors > 0) {
    errors.push(plural(model.configErrors, 'config error'));
  }
  if (model.otherErrors > 0) {
    errors.push(plural(model.otherErrors, 'other error'));
  }
  let errorFindings = 0;
  let warningFindings = 0;
  for (const f of model.findings) {
    if (VALUE_RULES.has(f.rule)) {
      continue;
    }
    // The exit status's rule: every error finding fails the checkpoint.
    if (failsCheckpoint(f)) {
      errorFindings += 1;
    } else if (f.severity === 'warning') {
      warningFindings += 1;
    }
  }
  if (errorFindings > 0) {
    errors.push(plural(errorFindings, 'quantization error'));
  }
  if (warningFindings > 0) {
    warnings.push(plural(warningFindings, 'quantization warning'));
  }
  const tensorCount = model.counts?.tensors ?? model.tensors.length;
  const scanned = model.counts?.scanned ?? model.tensors.filter((t) => t.stats !== null).length;
  const byChoice = model.unreadByChoice ?? 0;
  const unscanned = tensorCount - scanned - model.failedTensors;
  if (byChoice > 0 && !running) {
    warnings.push(unreadByChoiceText(byChoice));
  }
  const counts = `${scanned.toLocaleString('en-US')} of ${plural(tensorCount, 'tensor')} scanned`;
  const invalid =
    invalidFiles > 0 ||
    unreadable > 0 ||
    model.failedTensors > 0 ||
    model.indexErrors > 0 ||
    model.configErrors > 0 ||
    model.otherErrors > 0;
  if (errors.length > 0) {
    const tail = running
      ? ' (scan running)'
      : model.state === 'cancelled'
        ? ' (scan cancelled)'
        : '';
    return {
      level: 'error',
      text: `${[...errors, ...warnings].join(' · ')}${tail}`,
      invalid,
      badValues,
    };
  }
  if (running) {
    return {
      level: 'pending',
      text: `No NaN or Inf so far (${counts})${warnings.length > 0 ? ` · ${warnings.join(' · ')}` : ''}`,
      invalid,
      badValues,
    };
  }
  if (model.state === 'cancelled' || unscanned > 0) {
    warnings.unshift(
      `${model.state === 'cancelled' ? 'Scan cancelled' : 'Scan incomplete'}: no NaN or Inf in the ${counts}`,
    );
  }
  if (warnings.length > 0) {
    return { level: 'warning', text: warnings.join(' · '), invalid, badValues };
  }
  if (tensorCount === 0) {
    return { level: 'warning', text: 'No tensors to scan', invalid, badValues };
  }
  return {
    level: 'ok',
    text: `No NaN or Inf in ${plural(tensorCount, 'tensor')}`,
    invalid,
    badValues,
  };
}
