import { DTYPES, dtypeBits } from '../dtype/dtype';
import { SIZE_PREFIX_BYTES } from './header-validate';
import { HashedNameSet } from './name-set';
import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  NOT_PLAIN,
  notPlain,
  OPEN_BRACE,
  OPEN_BRACKET,
  PlainJsonCursor,
  QUOTE,
} from './plain-json-cursor';
import type { SafetensorsHeader, TensorInfo } from './tensor-info';

/**
 * The header as nearly every writer emits it, read in one pass with numbers instead of BigInts:
 * tensor entries `{"dtype": "…", "shape": […], "data_offsets": [b, e]}` (fields in any order) with
 * plain names and integers of at most MAX_PLAIN_DIGITS digits, an optional `__metadata__` of plain
 * strings, no duplicate names, and sizes and offsets that tile the data region. Offsets and sizes
 * are validated as they are read; each entry becomes its final `TensorInfo` at once (no raw entry,
 * BigInt, offset pair, sorted copy or size arrays per tensor). Names are hashed while scanned to
 * find duplicates (`HashedNameSet`), and `byName` is made only when first read: a scan of one file
 * may never read it, and a Map of 400,000 names cost as much as the rest of the parse.
 *
 * Anything else (escapes, unknown fields, the array and `{"F32": null}` forms, longer integers,
 * duplicates, every malformed or invalid header) returns null, and the caller reads the header
 * with the general path, which stays the one authority on verdicts and messages. So this path only
 * has to be right about what it accepts: there it returns exactly what the general path returns
 * (fast-check: plain-header.test.ts).
 */
export function readPlainHeader(
  fileName: string,
  fileSize: number,
  headerLength: number,
  text: string,
): SafetensorsHeader | null {
  try {
    return new PlainHeaderReader(text).read(fileName, fileSize, headerLength);
  } catch (e) {
    if (e === NOT_PLAIN) {
      return null;
    }
    throw e;
  }
}

/**
 * Shapes of more dimensions leave (the general path reads them): keeps the working array small
 * when a hostile shape lists millions of dimensions.
 */
const MAX_PLAIN_RANK = 64;

/** The key the reference reserves for string metadata (header-schema's METADATA_KEY). */
const METADATA_KEY = '__metadata__';

/** Entry fields, as `field` returns them. */
const FIELD_DTYPE = 0;
const FIELD_SHAPE = 1;
const FIELD_OFFSETS = 2;

/** Indices into DTYPES by name length, so that a dtype is matched in place, never sliced. */
const DTYPES_BY_LENGTH: readonly (readonly number[])[] = (() => {
  const byLength: number[][] = [];
  DTYPES.forEach((d, i) => {
    while (byLength.length <= d.length) {
      byLength.push([]);
    }
    byLength[d.length].push(i);
  });
  return byLength;
})();

const DTYPE_BITS: readonly number[] = DTYPES.map(dtypeBits);

/** `shape`'s working array (the reader is synchronous: one shape at a time). */
const DIMS_SCRATCH: number[] = [];

class PlainHeaderReader extends PlainJsonCursor {
  /** Element count of the shape `shape` read last. */
  private elements = 0;
  /** By dtype index: the shape array of the last tensor of that dtype. */
  private readonly lastShapes: (readonly number[] | undefined)[] = [];

  read(fileName: string, fileSize: number, headerLength: number): SafetensorsHeader {
    const dataStart = SIZE_PREFIX_BYTES + headerLength;
    this.open(OPEN_BRACE);
    const tensors: TensorInfo[] = [];
    const names = new HashedNameSet();
    let metadata: Map<string, string> | null = null;
    let sawMetadata = false;
    // Data bytes tiled so far while every entry begins where the one before it ended.
    let end = 0;
    let inOrder = true;
    let more = this.firstMember(CLOSE_BRACE);
    while (more) {
      const name = this.string();
      const hash = this.hash;
      this.colon();
      if (name === METADATA_KEY) {
        if (sawMetadata) {
          notPlain();
        }
        sawMetadata = true;
        metadata = this.metadata();
      } else {
        const t = this.entry(name, dataStart);
        tensors.push(t);
        if (!names.add(tensors, tensors.length - 1, hash)) {
          notPlain(); // a duplicate name (the general path resolves and lists them), or hash collisions
        }
        const begin = t.offset - dataStart;
        inOrder &&= begin === end;
        end = begin + t.nbytes;
      }
      more = this.nextMember(CLOSE_BRACE);
    }
    this.skipWhitespace();
    if (this.pos < this.text.length) {
      notPlain();
    }
    if (!inOrder) {
      end = sortAndTile(tensors, dataStart);
    }
    if (end !== fileSize - dataStart) {
      notPlain();
    }
    let byName: Map<string, TensorInfo> | undefined;
    return {
      fileName,
      fileSize,
      headerLength,
      dataStart,
      metadata,
      tensors,
      get byName() {
        return (byName ??= mapByName(tensors));
      },
      duplicateTensorNames: [],
      duplicateMetadataKeys: [],
    };
  }

  /** One tensor entry in object form, its size checked against its offsets. */
  private entry(name: string, dataStart: number): TensorInfo {
    this.open(OPEN_BRACE);
    let dtype = -1;
    let rank = -1;
    let elements = 0;
    let begin = -1;
    let end = -1;
    let more = this.firstMember(CLOSE_BRACE);
    while (more) {
      const field = this.field();
      this.colon();
      if (field === FIELD_DTYPE && dtype < 0) {
        dtype = this.dtype();
      } else if (field === FIELD_SHAPE && rank < 0) {
        rank = this.shape();
        elements = this.elements;
      } else if (field === FIELD_OFFSETS && begin < 0) {
        this.open(OPEN_BRACKET);
        begin = this.uint();
        this.comma();
        end = this.uint();
        this.close(CLOSE_BRACKET);
      } else {
        notPlain(); // a duplicate field
      }
      more = this.nextMember(CLOSE_BRACE);
    }
    if (dtype < 0 || rank < 0 || begin < 0) {
      return notPlain();
    }
    // The general path's exact-double size check (header-validate's exactBytes).
    const bits = elements * DTYPE_BITS[dtype];
    if (bits > Number.MAX_SAFE_INTEGER || bits % 8 !== 0 || end - begin !== bits / 8) {
      return notPlain();
    }
    const info: TensorInfo = {
      name,
      dtype: DTYPES[dtype],
      shape: this.sharedShape(dtype, rank),
      offset: dataStart + begin,
      nbytes: end - begin,
      elements,
    };
    return info;
  }

  /** A dtype named by a plain string, as its index in DTYPES. */
  private dtype(): number {
    this.skipWhitespace();
    const text = this.text;
    if (text.charCodeAt(this.pos) !== QUOTE) {
      notPlain();
    }
    const start = this.pos + 1;
    const length = text.indexOf('"', start) - start;
    const candidates = length >= 0 ? DTYPES_BY_LENGTH[length] : undefined;
    if (candidates === undefined) {
      return notPlain();
    }
    for (const i of candidates) {
      if (text.startsWith(DTYPES[i], start)) {
        this.pos = start + length + 1;
        return i;
      }
    }
    return notPlain();
  }

  /**
   * A shape of plain integers whose running product stays exact, into DIMS_SCRATCH: its rank, and
   * `elements` set.
   */
  private shape(): number {
    this.open(OPEN_BRACKET);
    let elements = 1;
    let rank = 0;
    const dims = DIMS_SCRATCH;
    let more = this.firstMember(CLOSE_BRACKET);
    while (more) {
      if (rank === MAX_PLAIN_RANK) {
        notPlain();
      }
      const d = this.uint();
      // header-validate's exactElements: every partial product exact, else the BigInt checks.
      elements *= d;
      if (elements > Number.MAX_SAFE_INTEGER) {
        notPlain();
      }
      dims[rank++] = d;
      more = this.nextMember(CLOSE_BRACKET);
    }
    this.elements = elements;
    return rank;
  }

  /**
   * The shape in DIMS_SCRATCH as an array: the one the last tensor of this dtype got when the
   * dimensions are the same (shapes are read-only; a layer of experts repeats a few shapes 100,000
   * times, and each kept array was ~30 bytes more for the scan to hold), else a new one.
   */
  private sharedShape(dtype: number, rank: number): readonly number[] {
    const dims = DIMS_SCRATCH;
    const last = this.lastShapes[dtype];
    if (last !== undefined && last.length === rank) {
      let same = true;
      for (let i = 0; i < rank && same; i++) {
        same = last[i] === dims[i];
      }
      if (same) {
        return last;
      }
    }
    const shape = newShape(rank);
    this.lastShapes[dtype] = shape;
    return shape;
  }

  /** `__metadata__`: null, or an object of plain strings without duplicate keys. */
  private metadata(): Map<string, string> | null {
    this.skipWhitespace();
    if (this.text.startsWith('null', this.pos)) {
      this.pos += 4;
      return null;
    }
    this.open(OPEN_BRACE);
    const metadata = new Map<string, string>();
    let count = 0;
    let more = this.firstMember(CLOSE_BRACE);
    while (more) {
      const key = this.string();
      this.colon();
      metadata.set(key, this.string());
      count += 1;
      if (metadata.size !== count) {
        notPlain();
      }
      more = this.nextMember(CLOSE_BRACE);
    }
    return metadata;
  }

  /** A field name of a tensor entry, its quotes consumed. */
  private field(): number {
    const text = this.text;
    if (text.charCodeAt(this.pos) !== QUOTE) {
      notPlain();
    }
    const at = this.pos + 1;
    if (text.startsWith('dtype"', at)) {
      this.pos = at + 6;
      return FIELD_DTYPE;
    }
    if (text.startsWith('shape"', at)) {
      this.pos = at + 6;
      return FIELD_SHAPE;
    }
    if (text.startsWith('data_offsets"', at)) {
      this.pos = at + 13;
      return FIELD_OFFSETS;
    }
    return notPlain();
  }
}

/** DIMS_SCRATCH's first `rank` dimensions as a new exact-size array (literals for the usual ranks). */
function newShape(rank: number): readonly number[] {
  const dims = DIMS_SCRATCH;
  switch (rank) {
    case 0:
      return [];
    case 1:
      return [dims[0]];
    case 2:
      return [dims[0], dims[1]];
    case 3:
      return [dims[0], dims[1], dims[2]];
    case 4:
      return [dims[0], dims[1], dims[2], dims[3]];
    default:
      return dims.slice(0, rank);
  }
}

/**
 * Entries not written in offset order: sorts them as the general path does (stable, by BEGIN then
 * END), rebuilds `byName` in that order and returns the end of the tiling, or leaves at a hole or
 * overlap.
 */
function sortAndTile(tensors: TensorInfo[], dataStart: number): number {
  tensors.sort((a, b) => a.offset - b.offset || a.nbytes - b.nbytes);
  let end = 0;
  for (const t of tensors) {
    if (t.offset - dataStart !== end) {
      notPlain();
    }
    end += t.nbytes;
  }
  return end;
}

/** `byName` in the tensors' order, made when first asked for (a scan of one file may never ask). */
function mapByName(tensors: readonly TensorInfo[]): Map<string, TensorInfo> {
  const byName = new Map<string, TensorInfo>();
  for (const t of tensors) {
    byName.set(t.name, t);
  }
  return byName;
}
