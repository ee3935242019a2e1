/** Number and size formatting shared by the tensor table and the tensor detail view. */

/** Shown for a value that does not exist (e.g. min of a tensor without finite values). */
export const NO_VALUE = '—';
/** Shown for a value that is not known yet (the tensor has not been scanned). */
export const PENDING = '…';

/** Binary units: checkpoint sizes are usually quoted in GiB. */
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;
const BYTES_PER_UNIT = 1024;

/** Locale pinned so output does not depend on the machine (tests run with LC_ALL=C). */
const COUNT_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * Magnitudes outside [1e-2, 1e6) are written in exponent notation: scales such as 0.00048828125
 * read at a glance as 4.88281e-4, not as a run of zeros to count.
 */
const EXPONENT_ABOVE = 1e6;
const EXPONENT_BELOW = 1e-2;
const SIGNIFICANT_DIGITS = 6;

/** `1536` → `1.5 KiB`; exact below 1 KiB, three significant digits at most above. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= BYTES_PER_UNIT && unit < BYTE_UNITS.length - 1) {
    value /= BYTES_PER_UNIT;
    unit++;
  }
  if (unit === 0) {
    return `${bytes} B`;
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${String(Number(value.toFixed(digits)))} ${BYTE_UNITS[unit]}`;
}

/** An element count with thousands separators: `1234567` → `1,234,567`. */
export function formatCount(count: number): string {
  return COUNT_FORMAT.format(count);
}

const COMPACT_FORMAT = new Intl.NumberFormat('en-US', {
  notation: 'compact',
  maximumFractionDigits: 1,
});

/** A count for chart axes: `12500` → `12.5K`. */
export function formatCompact(count: number): string {
  return COMPACT_FORMAT.format(count);
}

/** Drops trailing zeros of a mantissa: `4.4800e+2` → `4.48e+2`. */
function trimExponential(text: string): string {
  return text.replace(/\.?0+e/, 'e');
}

/**
 * A tensor value for display: null → `—`, non-finite spelled out, six significant digits,
 * exponent notation for very large or very small magnitudes.
 */
export function formatValue(value: number | null): string {
  if (value === null) {
    return NO_VALUE;
  }
  if (Number.isNaN(value)) {
    return 'NaN';
  }
  if (!Number.isFinite(value)) {
    return value > 0 ? '+Inf' : '-Inf';
  }
  if (value === 0) {
    return Object.is(value, -0) ? '-0' : '0';
  }
  const magnitude = Math.abs(value);
  if (magnitude >= EXPONENT_ABOVE || magnitude < EXPONENT_BELOW) {
    return trimExponential(value.toExponential(SIGNIFICANT_DIGITS - 1));
  }
  return String(Number(value.toPrecision(SIGNIFICANT_DIGITS)));
}

/** `[4096, 7168]`; a scalar is `[]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** A raw code as two (or more) upper-case hex digits: `0x7F`. */
export function formatHex(code: number, digits = 2): string {
  return `0x${code.toString(16).toUpperCase().padStart(digits, '0')}`;
}

/** The extension every checkpoint file shown in the table has: the file column leaves it out. */
const SAFETENSORS_EXT = '.safetensors';

/** A shard's own name for the file column: no folder, no `.safetensors` (`model-00001-of-00002`). */
export function shortFileName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.endsWith(SAFETENSORS_EXT) ? base.slice(0, -SAFETENSORS_EXT.length) : base;
}
