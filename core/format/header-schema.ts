import type { Dtype } from '../dtype/dtype';
import { DTYPES, isDtype } from '../dtype/dtype';
import type { JsonReader } from './json-reader';
import { JsonError } from './json-reader';
import { describeKind, U64_MAX } from './strict-json';

/** The key the reference reserves for free-form string metadata. */
export const METADATA_KEY = '__metadata__';

/** One tensor entry as written, before any offset rule is applied. Offsets are relative to the data region. */
export interface RawTensorEntry {
  readonly name: string;
  readonly dtype: Dtype;
  readonly shape: readonly bigint[];
  readonly begin: bigint;
  readonly end: bigint;
}

/** A header that satisfies the reference's serde schema (`HashMetadata`), duplicates resolved as it resolves them. */
export interface RawHeader {
  readonly metadata: ReadonlyMap<string, string> | null;
  /** One entry per distinct name, the last occurrence winning, in order of first occurrence. */
  readonly tensors: readonly RawTensorEntry[];
  /** Tensor names that occur more than once (the reference keeps the last silently). */
  readonly duplicateTensorNames: readonly string[];
  /** `__metadata__` keys that occur more than once (last wins there too). */
  readonly duplicateMetadataKeys: readonly string[];
}

/** A schema failure inside one tensor entry. */
export class TensorEntryError extends JsonError {
  readonly tensor: string;

  constructor(tensor: string, detail: string, position: number) {
    super(detail, position);
    this.name = 'TensorEntryError';
    this.tensor = tensor;
  }
}

/** Field order of the reference's `TensorInfo`; the array form of an entry lists them in this order. */
const TENSOR_FIELDS = ['dtype', 'shape', 'data_offsets'] as const;

/**
 * Reads the header JSON the way `serde_json::from_str::<HashMetadata>` does: one object whose
 * `__metadata__` is null or string→string, every other key a tensor entry. Throws `JsonError`.
 */
export function readHeaderJson(reader: JsonReader): RawHeader {
  const kind = reader.peek();
  if (kind !== 'object') {
    reader.fail(`the header must be a JSON object, found ${describeKind(kind)}`);
  }
  reader.beginObject();
  let metadata: Map<string, string> | null = null;
  let sawMetadata = false;
  const tensors = new Map<string, RawTensorEntry>();
  const duplicateTensorNames = new Set<string>();
  const duplicateMetadataKeys = new Set<string>();
  for (let key = reader.nextKey(); key !== null; key = reader.nextKey()) {
    if (key === METADATA_KEY) {
      if (sawMetadata) {
        reader.fail('duplicate field `__metadata__`');
      }
      sawMetadata = true;
      metadata = readMetadata(reader, duplicateMetadataKeys);
    } else {
      const entry = readTensorEntry(reader, key);
      if (tensors.has(key)) {
        duplicateTensorNames.add(key);
      }
      tensors.set(key, entry);
    }
  }
  reader.finish();
  return {
    metadata,
    tensors: [...tensors.values()],
    duplicateTensorNames: [...duplicateTensorNames],
    duplicateMetadataKeys: [...duplicateMetadataKeys],
  };
}

function readMetadata(reader: JsonReader, duplicates: Set<string>): Map<string, string> | null {
  const kind = reader.peek();
  if (kind === 'null') {
    reader.readNull();
    return null;
  }
  if (kind !== 'object') {
    reader.fail(
      `\`__metadata__\` must be an object of strings or null, found ${describeKind(kind)}`,
    );
  }
  reader.beginObject();
  const metadata = new Map<string, string>();
  for (let key = reader.nextKey(); key !== null; key = reader.nextKey()) {
    const valueKind = reader.peek();
    if (valueKind !== 'string') {
      reader.fail(
        `\`__metadata__\` value for ${JSON.stringify(key)} must be a string, found ${describeKind(valueKind)}`,
      );
    }
    if (metadata.has(key)) {
      duplicates.add(key);
    }
    metadata.set(key, reader.readString());
  }
  return metadata;
}

/** serde derives both forms for `TensorInfo`: an object of named fields, or an array of exactly three. */
function readTensorEntry(reader: JsonReader, name: string): RawTensorEntry {
  try {
    return readTensorEntryUnchecked(reader, name);
  } catch (e) {
    // Syntax errors inside the entry are attributed to the tensor too.
    if (e instanceof JsonError && !(e instanceof TensorEntryError)) {
      throw new TensorEntryError(name, e.detail, e.position);
    }
    throw e;
  }
}

/** Throws the schema failure `detail` of tensor `name` at the reader's position. */
function failEntry(reader: JsonReader, name: string, detail: string): never {
  throw new TensorEntryError(name, detail, reader.position);
}

function readTensorEntryUnchecked(reader: JsonReader, name: string): RawTensorEntry {
  // Failures name the tensor through failEntry: no closure per entry (a header of a million
  // tensors made a million of them).
  const kind = reader.peek();
  if (kind === 'array') {
    return readTensorArray(reader, name);
  }
  if (kind !== 'object') {
    failEntry(
      reader,
      name,
      `the entry must be an object with dtype, shape and data_offsets, found ${describeKind(kind)}`,
    );
  }
  reader.beginObject();
  let dtype: Dtype | null = null;
  let shape: bigint[] | null = null;
  let offsets: readonly [bigint, bigint] | null = null;
  for (let key = reader.nextKey(TENSOR_FIELDS); key !== null; key = reader.nextKey(TENSOR_FIELDS)) {
    switch (key) {
      case 'dtype':
        if (dtype !== null) {
          failEntry(reader, name, 'duplicate field `dtype`');
        }
        dtype = readDtype(reader, name);
        break;
      case 'shape':
        if (shape !== null) {
          failEntry(reader, name, 'duplicate field `shape`');
        }
        shape = readShape(reader, name);
        break;
      case 'data_offsets':
        if (offsets !== null) {
          failEntry(reader, name, 'duplicate field `data_offsets`');
        }
        offsets = readOffsets(reader, name);
        break;
      default:
        // The reference ignores unknown fields (catalogue D3) but still parses them strictly.
        reader.skipValue();
    }
  }
  if (dtype === null) {
    return failEntry(reader, name, 'missing field `dtype`');
  }
  if (shape === null) {
    return failEntry(reader, name, 'missing field `shape`');
  }
  if (offsets === null) {
    return failEntry(reader, name, 'missing field `data_offsets`');
  }
  return { name, dtype, shape, begin: offsets[0], end: offsets[1] };
}

function readTensorArray(reader: JsonReader, name: string): RawTensorEntry {
  reader.beginArray();
  const tooShort = (count: number): never =>
    failEntry(
      reader,
      name,
      `invalid length ${count}, expected an array of ${TENSOR_FIELDS.join(', ')}`,
    );
  if (!reader.nextItem()) {
    return tooShort(0);
  }
  const dtype = readDtype(reader, name);
  if (!reader.nextItem()) {
    return tooShort(1);
  }
  const shape = readShape(reader, name);
  if (!reader.nextItem()) {
    return tooShort(2);
  }
  const [begin, end] = readOffsets(reader, name);
  if (reader.nextItem()) {
    failEntry(reader, name, `the entry array has more than ${TENSOR_FIELDS.length} elements`);
  }
  return { name, dtype, shape, begin, end };
}

/**
 * A dtype is a string naming a variant exactly. serde also reads an enum from a one-key object
 * whose value is the unit variant's `null` (`{"F32":null}`), so that form is accepted as well.
 */
function readDtype(reader: JsonReader, tensor: string): Dtype {
  const kind = reader.peek();
  let name: string;
  if (kind === 'string') {
    name = reader.readString(DTYPES);
  } else if (kind === 'object') {
    reader.beginObject();
    const key = reader.nextKey();
    if (key === null) {
      return failEntry(reader, tensor, 'dtype is an empty object; expected a dtype name');
    }
    name = key;
    const valueKind = reader.peek();
    if (valueKind !== 'null') {
      failEntry(
        reader,
        tensor,
        `dtype {${JSON.stringify(key)}: …} must hold null, found ${describeKind(valueKind)}`,
      );
    }
    reader.readNull();
    if (reader.nextKey() !== null) {
      failEntry(reader, tensor, 'dtype object must have a single key');
    }
  } else {
    return failEntry(reader, tensor, `dtype must be a string, found ${describeKind(kind)}`);
  }
  if (!isDtype(name)) {
    return failEntry(
      reader,
      tensor,
      `unknown dtype ${JSON.stringify(name)} (names are case-sensitive: ${DTYPES.join(', ')})`,
    );
  }
  return name;
}

/** `readShape`'s working array (the reader is synchronous: one shape at a time). */
const SHAPE_SCRATCH: bigint[] = [];
/** Ranks up to this keep the working array's room for the next shape. */
const SHAPE_SCRATCH_KEPT = 64;

function readShape(reader: JsonReader, name: string): bigint[] {
  const kind = reader.peek();
  if (kind !== 'array') {
    return failEntry(
      reader,
      name,
      `shape must be an array of unsigned integers, found ${describeKind(kind)}`,
    );
  }
  reader.beginArray();
  // Dimensions gather in a reused array and leave as an exact-size copy: an array grown by push
  // reserves room for ~17 elements, ~150 bytes per tensor that a million tensors keep.
  const scratch = SHAPE_SCRATCH;
  let rank = 0;
  while (reader.nextItem()) {
    scratch[rank++] = readU64(reader, 'shape', name);
  }
  const shape = scratch.slice(0, rank);
  if (rank > SHAPE_SCRATCH_KEPT) {
    scratch.length = 0; // a hostile shape of millions of dimensions does not stay allocated
  }
  return shape;
}

function readOffsets(reader: JsonReader, name: string): readonly [bigint, bigint] {
  const kind = reader.peek();
  if (kind !== 'array') {
    return failEntry(
      reader,
      name,
      `data_offsets must be an array [begin, end], found ${describeKind(kind)}`,
    );
  }
  reader.beginArray();
  if (!reader.nextItem()) {
    return failEntry(reader, name, 'data_offsets must hold exactly two integers, found none');
  }
  const begin = readU64(reader, 'data_offsets', name);
  if (!reader.nextItem()) {
    return failEntry(reader, name, 'data_offsets must hold exactly two integers, found one');
  }
  const end = readU64(reader, 'data_offsets', name);
  if (reader.nextItem()) {
    failEntry(reader, name, 'data_offsets must hold exactly two integers, found more');
  }
  return [begin, end];
}

/**
 * The BigInts of 0…1023, made once: shape dimensions are mostly small, and a header of a million
 * zero-size tensors is three million zeros (BigInts are immutable, so sharing them is safe).
 */
const SMALL_BIGINTS: readonly bigint[] = Array.from({ length: 1024 }, (_, i) => BigInt(i));

/** serde's `usize`: a plain integer token in [0, 2^64); `-0`, `8.0`, `8e0`, `"8"` are refused (D6). */
function readU64(reader: JsonReader, field: string, name: string): bigint {
  const kind = reader.peek();
  if (kind !== 'number') {
    return failEntry(
      reader,
      name,
      `${field} values must be unsigned integers, found ${describeKind(kind)}`,
    );
  }
  const small = reader.readSmallUint();
  if (small >= 0) {
    return small < SMALL_BIGINTS.length ? SMALL_BIGINTS[small] : BigInt(small);
  }
  const { text, integer } = reader.readNumber();
  if (integer === null || integer < 0n || integer > U64_MAX) {
    return failEntry(reader, name, `${field} value ${text} is not an unsigned 64-bit integer`);
  }
  return integer;
}
