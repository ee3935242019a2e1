import type { Result } from '../result';
import { err, ok } from '../result';

/** Where and why a byte sequence is not strict UTF-8. */
export interface Utf8Error {
  /** Offset of the first byte of the bad sequence. */
  readonly byteOffset: number;
  readonly detail: string;
}

/**
 * Strict decoder: `fatal` refuses invalid, overlong, surrogate (ED A0..BF) and > U+10FFFF sequences
 * exactly as Rust's `str::from_utf8` does; `ignoreBOM` keeps a leading BOM as U+FEFF so that the
 * JSON grammar can refuse it (catalogue B2) instead of the decoder silently dropping it.
 */
const STRICT_DECODER = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes strict UTF-8. Never throws; the error names the offset of the first bad byte. */
export function decodeUtf8Strict(bytes: Uint8Array): Result<string, Utf8Error> {
  try {
    return ok(STRICT_DECODER.decode(bytes));
  } catch {
    const byteOffset = findInvalidUtf8(bytes);
    return err({
      byteOffset,
      detail:
        byteOffset < 0
          ? 'not valid UTF-8'
          : `not valid UTF-8 (bad byte 0x${hex(bytes[byteOffset])} at byte ${byteOffset})`,
    });
  }
}

/**
 * Offset of the first byte of the first ill-formed sequence (Unicode table 3-7), or -1 when the
 * bytes are well-formed UTF-8. Used to explain a decoder failure; the decoder remains the authority.
 */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i];
    if (b0 < 0x80) {
      i += 1;
      continue;
    }
    const length = sequenceLength(b0);
    if (length === 0 || i + length > bytes.length) {
      return i;
    }
    const [low, high] = secondByteRange(b0);
    const b1 = bytes[i + 1];
    if (b1 < low || b1 > high) {
      return i;
    }
    for (let k = 2; k < length; k += 1) {
      const b = bytes[i + k];
      if (b < 0x80 || b > 0xbf) {
        return i;
      }
    }
    i += length;
  }
  return -1;
}

/** Bytes in the sequence a lead byte starts; 0 for bytes that cannot start one (80..C1, F5..FF). */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) {
    return 2;
  }
  if (lead >= 0xe0 && lead <= 0xef) {
    return 3;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    return 4;
  }
  return 0;
}

/** The second byte's allowed range: narrower after E0 (overlong), ED (surrogates), F0, F4 (> U+10FFFF). */
function secondByteRange(lead: number): readonly [number, number] {
  switch (lead) {
    case 0xe0:
      return [0xa0, 0xbf];
    case 0xed:
      return [0x80, 0x9f];
    case 0xf0:
      return [0x90, 0xbf];
    case 0xf4:
      return [0x80, 0x8f];
    default:
      return [0x80, 0xbf];
  }
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}
