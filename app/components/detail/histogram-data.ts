import type { Dtype } from '../../../core/dtype/dtype';
import { pow2 } from '../../../core/dtype/pow2';
import type { Histogram } from '../../../core/scan/tensor-stats';
import { formatHex, formatValue } from '../table/format';
import type { CodeMark } from './code-values';
import { decodeCode, markCode } from './code-values';

export type CodeHistogram = Extract<Histogram, { kind: 'codes' }>;
export type ExponentHistogram = Extract<Histogram, { kind: 'exponent' }>;

/** One bar of a code histogram: a raw code, what it decodes to, and how many elements hold it. */
export interface CodeBar {
  readonly code: number;
  /** The x-axis label: the code in hex (`0x7F`). */
  readonly label: string;
  readonly value: number;
  /** The decoded value for the tooltip (`448`, `NaN`, `+Inf`). */
  readonly valueText: string;
  readonly count: number;
  readonly mark: CodeMark;
}

/** A bar per code of the histogram, in code order, marked for NaN / Inf / saturated codes. */
export function codeBars(histogram: CodeHistogram, dtype: Dtype): CodeBar[] {
  const digits = histogram.bits === 4 ? 1 : 2;
  return histogram.counts.map((count, code) => {
    const value = decodeCode(dtype, code);
    return {
      code,
      label: formatHex(code, digits),
      value,
      valueText: formatValue(value),
      count,
      mark: markCode(dtype, code),
    };
  });
}

/** The special codes of a histogram (NaN, Inf, saturated) with their counts, for the legend. */
export function specialCodes(
  bars: readonly CodeBar[],
  mark: Exclude<CodeMark, 'plain'>,
): CodeBar[] {
  return bars.filter((bar) => bar.mark === mark);
}

/** The largest magnitude of the saturated codes: `±448` when both signs exist, else the one value. */
export function maxMagnitudeText(maxBars: readonly CodeBar[]): string {
  if (maxBars.length === 0) {
    return '';
  }
  const signs = new Set(maxBars.map((bar) => Math.sign(bar.value)));
  const magnitude = formatValue(Math.abs(maxBars[0].value));
  return signs.size > 1 ? `±${magnitude}` : maxBars[0].valueText;
}

/** One bar group of an exponent histogram: the positive and negative counts of a binary exponent. */
export interface ExponentBar {
  /** The x-axis label, `2^-3`. */
  readonly label: string;
  /** floor(log2|v|) of the bin. */
  readonly exponent: number;
  readonly positive: number;
  readonly negative: number;
}

/** The magnitudes a bin holds: [2^e, 2^(e+1)). */
export function exponentRange(exponent: number): string {
  return `[${formatValue(pow2(exponent))}, ${formatValue(pow2(exponent + 1))})`;
}

/**
 * Exponent bars from the lowest to the highest exponent holding any value: empty bins at either
 * end are dropped, inner ones kept so the axis stays linear in the exponent.
 */
export function exponentBars(histogram: ExponentHistogram): ExponentBar[] {
  const bins = Math.max(histogram.positive.length, histogram.negative.length);
  const total = (i: number): number => (histogram.positive[i] ?? 0) + (histogram.negative[i] ?? 0);
  let first = 0;
  while (first < bins && total(first) === 0) {
    first++;
  }
  let last = bins - 1;
  while (last >= first && total(last) === 0) {
    last--;
  }
  const bars: ExponentBar[] = [];
  for (let i = first; i <= last; i++) {
    const exponent = histogram.minExponent + i;
    bars.push({
      label: `2^${exponent}`,
      exponent,
      positive: histogram.positive[i] ?? 0,
      negative: histogram.negative[i] ?? 0,
    });
  }
  return bars;
}

/** The values an exponent histogram counts outside its bins. */
export interface SpecialCount {
  readonly kind: 'zero' | 'nan' | 'posInf' | 'negInf';
  readonly label: string;
  readonly count: number;
}

export function exponentSpecials(histogram: ExponentHistogram): SpecialCount[] {
  return [
    { kind: 'zero', label: 'Zero', count: histogram.zero },
    { kind: 'nan', label: 'NaN', count: histogram.nan },
    { kind: 'posInf', label: '+Inf', count: histogram.posInf },
    { kind: 'negInf', label: '-Inf', count: histogram.negInf },
  ];
}

/** A count as plotted: a log axis cannot show 0, so empty bars are left out (null) there. */
export function plotCount(count: number, logScale: boolean): number | null {
  return logScale && count <= 0 ? null : count;
}

/** Counts are below 2^53 < 10^16: more decades than this means a bad input, not a bigger axis. */
const MAX_LOG_DECADES = 16;

/**
 * Log-axis ticks: the powers of ten from 1 up to the first one at or above `maxCount`, at least
 * up to 10 so that bars of 1 do not fill the whole chart.
 */
export function logTicks(maxCount: number): number[] {
  const ticks = [1, 10];
  while (ticks[ticks.length - 1] < maxCount && ticks.length <= MAX_LOG_DECADES) {
    ticks.push(ticks[ticks.length - 1] * 10);
  }
  return ticks;
}
