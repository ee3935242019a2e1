import type { Dtype } from '../dtype/dtype';
import { dtypeBits } from '../dtype/dtype';
import type { Result } from '../result';
import { err, ok } from '../result';
import { CheckpointError } from './errors';
import type { RawHeader, RawTensorEntry } from './header-schema';
import { U64_MAX } from './strict-json';
import type { SafetensorsHeader, TensorInfo } from './tensor-info';

/** Dimensions (and offsets) above this are not exact as a JS number (2^53 - 1). */
const MAX_EXACT_DIMENSION = BigInt(Number.MAX_SAFE_INTEGER);

/** Bytes 0..8 of a safetensors file: the little-endian u64 header length N. */
export const SIZE_PREFIX_BYTES = 8;

/**
 * Applies the reference's `Metadata::validate` and coverage check to a schema-valid header: tensors in
 * (BEGIN, END) order must tile the data region exactly, each span matching shape × dtype. All offset
 * arithmetic is in BigInt (the reference's unchecked final sum panics on vector H1; ours cannot).
 */
export function validateHeader(
  fileName: string,
  fileSize: number,
  headerLength: number,
  raw: RawHeader,
): Result<SafetensorsHeader, CheckpointError> {
  const sorted = [...raw.tensors].sort(compareOffsets);
  // Plain arrays, sized once: small counts stay small integers in the TensorInfo built from them
  // (doubles from a Float64Array would box every field).
  const nbytes = new Array<number>(sorted.length).fill(0);
  const elementCounts = new Array<number>(sorted.length).fill(0);
  let start = 0n;
  let previous: RawTensorEntry | null = null;
  for (let i = 0; i < sorted.length; i++) {
    const t = sorted[i];
    if (t.begin !== start || t.end < t.begin) {
      return err(
        new CheckpointError('InvalidOffset', fileName, offsetProblem(t, start, previous), t.name),
      );
    }
    start = t.end;
    previous = t;
    const elements = exactElements(t);
    const bytes = elements < 0 ? -1 : exactBytes(t, elements);
    if (bytes >= 0) {
      nbytes[i] = bytes;
      elementCounts[i] = elements;
      continue;
    }
    // Beyond exact doubles, or wrong: the reference's checked u64 arithmetic decides and explains.
    const size = checkSize(fileName, t);
    if (!size.ok) {
      return size;
    }
    nbytes[i] = Number(size.value.bytes);
    elementCounts[i] = Number(size.value.elements);
  }
  const dataLength = BigInt(fileSize) - BigInt(SIZE_PREFIX_BYTES) - BigInt(headerLength);
  if (start !== dataLength) {
    return err(
      new CheckpointError('MetadataIncompleteBuffer', fileName, coverageProblem(start, dataLength)),
    );
  }
  // Every END is now at most the data length, itself below the file size: safe as numbers.
  const dataStart = SIZE_PREFIX_BYTES + headerLength;
  const tensors: TensorInfo[] = sorted.map((t, i) => {
    const info: TensorInfo = {
      name: t.name,
      dtype: t.dtype,
      shape: t.shape.map(Number),
      offset: dataStart + Number(t.begin),
      nbytes: nbytes[i],
      elements: elementCounts[i],
    };
    // Only zero-element tensors can have such dimensions; keep their exact digits for reports.
    return t.shape.some(isInexact)
      ? { ...info, exactShape: t.shape.map((d) => d.toString()) }
      : info;
  });
  const byName = new Map<string, TensorInfo>();
  for (const t of tensors) {
    byName.set(t.name, t);
  }
  return ok({
    fileName,
    fileSize,
    headerLength,
    dataStart,
    metadata: raw.metadata,
    tensors,
    byName,
    duplicateTensorNames: raw.duplicateTensorNames,
    duplicateMetadataKeys: raw.duplicateMetadataKeys,
  });
}

/**
 * The element count of `t` when every partial product stays an exact double (so the u64 checks
 * cannot fail), else -1 for `checkSize` to decide. Most headers never leave this path: a million
 * tensors no longer make ten BigInts each.
 */
function isInexact(dimension: bigint): boolean {
  return dimension > MAX_EXACT_DIMENSION;
}

function exactElements(t: RawTensorEntry): number {
  let elements = 1;
  for (let i = 0; i < t.shape.length; i++) {
    const d = t.shape[i];
    if (d > MAX_EXACT_DIMENSION) {
      return -1;
    }
    elements *= Number(d);
    if (elements > Number.MAX_SAFE_INTEGER) {
      return -1;
    }
  }
  return elements;
}

/**
 * The byte size of `elements` of `t`'s dtype when it is whole, exact and what `data_offsets` span
 * (the span is at most the data length, checked against the file size as a number), else -1 for
 * `checkSize` to say what is wrong.
 */
function exactBytes(t: RawTensorEntry, elements: number): number {
  const bits = elements * dtypeBits(t.dtype);
  if (bits > Number.MAX_SAFE_INTEGER || bits % 8 !== 0) {
    return -1;
  }
  const bytes = bits / 8;
  if (t.end > MAX_EXACT_DIMENSION) {
    return -1;
  }
  return Number(t.end) - Number(t.begin) === bytes ? bytes : -1;
}

function compareOffsets(a: RawTensorEntry, b: RawTensorEntry): number {
  if (a.begin !== b.begin) {
    return a.begin < b.begin ? -1 : 1;
  }
  if (a.end !== b.end) {
    return a.end < b.end ? -1 : 1;
  }
  return 0;
}

/**
 * Element count and byte size in the reference's order: checked u64 product of the dimensions left
 * to right (so `[2^63, 4, 0]` overflows but `[0, 2^63, 4]` does not), then × bits, then whole bytes.
 */
function checkSize(
  fileName: string,
  t: RawTensorEntry,
): Result<{ elements: bigint; bytes: bigint }, CheckpointError> {
  let elements = 1n;
  for (const d of t.shape) {
    elements *= d;
    if (elements > U64_MAX) {
      return err(
        new CheckpointError(
          'ValidationOverflow',
          fileName,
          `shape ${formatShape(t.shape)} has more elements than fit in 64 bits`,
          t.name,
        ),
      );
    }
  }
  const bits = elements * BigInt(dtypeBits(t.dtype));
  if (bits > U64_MAX) {
    return err(
      new CheckpointError(
        'ValidationOverflow',
        fileName,
        `${t.dtype} ${formatShape(t.shape)} is ${elements} elements, whose size in bits does not fit in 64 bits`,
        t.name,
      ),
    );
  }
  if (bits % 8n !== 0n) {
    return err(
      new CheckpointError(
        'MisalignedSlice',
        fileName,
        `${t.dtype} ${formatShape(t.shape)} is ${bits} bits, not a whole number of bytes`,
        t.name,
      ),
    );
  }
  const bytes = bits / 8n;
  if (t.end - t.begin !== bytes) {
    return err(
      new CheckpointError(
        'TensorInvalidInfo',
        fileName,
        `data_offsets [${t.begin}, ${t.end}] hold ${plural(t.end - t.begin, 'byte')} but ${describeTensor(t.dtype, t.shape)} needs ${bytes}`,
        t.name,
      ),
    );
  }
  return ok({ elements, bytes });
}

function offsetProblem(t: RawTensorEntry, start: bigint, previous: RawTensorEntry | null): string {
  const span = `data_offsets [${t.begin}, ${t.end}]`;
  if (t.end < t.begin) {
    return `${span} end before they begin`;
  }
  if (previous === null) {
    return `${span} leave a hole of ${plural(t.begin, 'byte')} at the start of the data region (the first tensor must begin at 0)`;
  }
  const prev = `${JSON.stringify(previous.name)} [${previous.begin}, ${previous.end}]`;
  if (t.begin > start) {
    return `${span} leave a hole of ${plural(t.begin - start, 'byte')} after tensor ${prev}`;
  }
  return `${span} overlap tensor ${prev}`;
}

function coverageProblem(end: bigint, dataLength: bigint): string {
  if (dataLength < 0n) {
    return `the file is shorter than its 8-byte prefix and header`;
  }
  if (end < dataLength) {
    return `the tensors end at data byte ${end} but the data region holds ${plural(dataLength, 'byte')}: ${plural(dataLength - end, 'trailing byte')} after the last tensor`;
  }
  return `the tensors end at data byte ${end} but the data region holds only ${plural(dataLength, 'byte')}: the file is ${plural(end - dataLength, 'byte')} short (truncated)`;
}

function formatShape(shape: readonly bigint[]): string {
  return `[${shape.join(', ')}]`;
}

function describeTensor(dtype: Dtype, shape: readonly bigint[]): string {
  return `${dtype} ${formatShape(shape)}`;
}

function plural(n: bigint, noun: string): string {
  return `${n} ${noun}${n === 1n ? '' : 's'}`;
}
