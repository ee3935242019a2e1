import type { TensorRow } from '../../model/tensor-row';
import { formatBytes, formatCount, formatShape, formatValue, PENDING } from '../table/format';

/** `bad` values are faults (NaN, Inf), `warn` values deserve a look (saturation). */
export type FieldTone = 'bad' | 'warn' | 'plain';

export interface StatField {
  readonly label: string;
  readonly value: string;
  readonly tone: FieldTone;
}

/** Shown for NaN/Inf/subnormal counts of integer and bool dtypes, where they do not apply. */
export const NOT_APPLICABLE = 'n/a';

function field(label: string, value: string, tone: FieldTone = 'plain'): StatField {
  return { label, value, tone };
}

function countField(label: string, count: number, tone: Exclude<FieldTone, 'plain'>): StatField {
  return field(label, formatCount(count), count > 0 ? tone : 'plain');
}

/** Where the tensor lives: known from the header, before any scan. */
function layoutFields(row: TensorRow): StatField[] {
  const { info } = row;
  return [
    // A U8 tensor its role decodes (an E8M0 scale, packed FP4): the counts below are the decoded values'.
    field(
      'Dtype',
      row.stats === null || row.stats.dtype === info.dtype
        ? info.dtype
        : `${info.dtype}, decoded as ${row.stats.dtype}`,
    ),
    field('Shape', formatShape(info.shape)),
    field('Elements', formatCount(info.elements)),
    field(
      'Bytes',
      info.nbytes < 1024
        ? formatBytes(info.nbytes)
        : `${formatBytes(info.nbytes)} (${formatCount(info.nbytes)} B)`,
    ),
    field('File', row.fileName),
    field('Byte offset', `${formatCount(info.offset)} (0x${info.offset.toString(16)})`),
  ];
}

const SCAN_LABELS = [
  'NaN',
  '+Inf',
  '-Inf',
  'Zero',
  'Subnormal',
  'Saturated',
  'Negative',
  'Min',
  'Max',
  'Absmax',
  'Mean',
  'Std',
] as const;

/** What the scan found; every value pending while the tensor is not scanned. */
function scanFields(row: TensorRow): StatField[] {
  const stats = row.stats;
  if (stats === null) {
    return SCAN_LABELS.map((label) => field(label, PENDING));
  }
  const floatOnly = (label: string, count: number, tone: Exclude<FieldTone, 'plain'>): StatField =>
    stats.floatLike ? countField(label, count, tone) : field(label, NOT_APPLICABLE);
  return [
    floatOnly('NaN', stats.nan, 'bad'),
    floatOnly('+Inf', stats.posInf, 'bad'),
    floatOnly('-Inf', stats.negInf, 'bad'),
    field('Zero', formatCount(stats.zero)),
    stats.floatLike
      ? field('Subnormal', formatCount(stats.subnormal))
      : field('Subnormal', NOT_APPLICABLE),
    countField('Saturated', stats.saturated, 'warn'),
    field('Negative', formatCount(stats.negative)),
    field('Min', formatValue(stats.min)),
    field('Max', formatValue(stats.max)),
    field('Absmax', formatValue(stats.absmax)),
    field('Mean', formatValue(stats.mean)),
    field('Std', formatValue(stats.std)),
  ];
}

/** The statistics list of the detail view, in display order. */
export function statFields(row: TensorRow): StatField[] {
  return [...layoutFields(row), ...scanFields(row)];
}
