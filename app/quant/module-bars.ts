import type { ExponentHistogram, ScaleSummary, WeightSummary } from '../../core/quant/index';
import type { SimpleBar } from './SimpleBars';

/** E4M3 NaN codes (0x7F/0xFF) and E8M0's (0xFF); E4M3's largest finite codes (0x7E/0xFE). */
const E4M3_NAN = new Set([0x7f, 0xff]);
const E4M3_MAX = new Set([0x7e, 0xfe]);
const E8M0_NAN = 0xff;

function hex(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** The stored-byte histogram of an E4M3/E8M0 scale, NaN codes red and saturated codes amber. */
export function scaleCodeBars(scale: ScaleSummary): SimpleBar[] {
  const codes = scale.codes ?? [];
  const e8m0 = scale.encoding === 'e8m0';
  return codes.map((value, code) => ({
    label: hex(code),
    value,
    fill: (e8m0 ? code === E8M0_NAN : E4M3_NAN.has(code))
      ? 'var(--bad)'
      : !e8m0 && E4M3_MAX.has(code)
        ? 'var(--warn)'
        : undefined,
  }));
}

/** One bar per binary exponent of |v| (negative values counted apart), plus zero/NaN/Inf. */
export function exponentBars(h: ExponentHistogram): SimpleBar[] {
  const bars: SimpleBar[] = h.counts.map((value, i) => ({
    label: `2^${h.minExponent + i}`,
    value,
  }));
  // Trim empty bins at both ends: effective scales cluster in a few octaves.
  let lo = 0;
  let hi = bars.length;
  while (lo < hi && bars[lo].value === 0) {
    lo += 1;
  }
  while (hi > lo && bars[hi - 1].value === 0) {
    hi -= 1;
  }
  const out = bars.slice(lo, hi);
  if (h.zero > 0) {
    out.unshift({ label: '0', value: h.zero, fill: 'var(--muted)' });
  }
  if (h.nan > 0) {
    out.push({ label: 'NaN', value: h.nan, fill: 'var(--bad)' });
  }
  if (h.inf > 0) {
    out.push({ label: 'Inf', value: h.inf, fill: 'var(--bad)' });
  }
  return out;
}

/** The packed weight's code histogram: E2M1 / int4 / NF4 nibbles (16) or FP8 bytes (256). */
export function weightCodeBars(w: WeightSummary): SimpleBar[] {
  return w.codes.map((value, code) => ({
    label: w.codes.length <= 16 ? String(code) : hex(code),
    value,
  }));
}
