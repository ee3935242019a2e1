import type { Result } from '../result';
import { err, ok } from '../result';
import { CheckpointError } from './errors';
import { JsonError, JsonReader, lineAndColumn } from './json-reader';
import { unsafeShardNameReason } from './shard-name';
import { describeKind } from './strict-json';
import { decodeUtf8Strict } from './utf8';

/**
 * Largest index file we read: huggingface.js's cap for `model.safetensors.index.json`. Real indexes
 * are a few MB even for models with 100k tensors.
 */
export const INDEX_MAX_BYTES = 250_000_000;

/** A parsed `model.safetensors.index.json`. */
export interface ShardIndex {
  readonly fileName: string;
  /** `metadata.total_size` (tensor bytes over all shards, headers excluded), or null when absent or unusable. */
  readonly totalSize: bigint | null;
  /** Why `total_size` was present but unusable, or null. Informational, never an error. */
  readonly totalSizeProblem: string | null;
  /** Tensor name → shard file name, in document order. */
  readonly weightMap: ReadonlyMap<string, string>;
  /** Distinct shard names in order of first mention. */
  readonly shardNames: readonly string[];
}

/** Thrown inside the parse for a failure with its own code (an unsafe shard name). */
class IndexProblem extends Error {
  readonly error: CheckpointError;

  constructor(error: CheckpointError) {
    super(error.message);
    this.error = error;
  }
}

/**
 * Parses an index: `{"metadata": {"total_size": N, …}, "weight_map": {"tensor": "shard", …}}`.
 * Strict UTF-8 and JSON; a tensor listed twice, a missing `weight_map` or a non-string shard are
 * `IndexInvalid`; a shard name with path components is `IndexUnsafeShardName`.
 */
export function parseIndex(
  fileName: string,
  bytes: Uint8Array,
): Result<ShardIndex, CheckpointError> {
  if (bytes.length > INDEX_MAX_BYTES) {
    return err(
      new CheckpointError(
        'IndexInvalid',
        fileName,
        `the index is ${bytes.length} bytes, more than the ${INDEX_MAX_BYTES}-byte limit`,
      ),
    );
  }
  const text = decodeUtf8Strict(bytes);
  if (!text.ok) {
    return err(new CheckpointError('IndexInvalid', fileName, `the index is ${text.error.detail}`));
  }
  const reader = new JsonReader(text.value);
  try {
    return ok(readIndex(fileName, reader));
  } catch (e) {
    if (e instanceof IndexProblem) {
      return err(e.error);
    }
    if (e instanceof JsonError) {
      const { line, column } = lineAndColumn(text.value, e.position);
      return err(
        new CheckpointError(
          'IndexInvalid',
          fileName,
          `the index is not valid: ${e.detail} (line ${line}, column ${column})`,
        ),
      );
    }
    throw e;
  }
}

function readIndex(fileName: string, reader: JsonReader): ShardIndex {
  const kind = reader.peek();
  if (kind !== 'object') {
    reader.fail(`the index must be a JSON object, found ${describeKind(kind)}`);
  }
  reader.beginObject();
  let total: { size: bigint | null; problem: string | null } | null = null;
  let sawMetadata = false;
  let weightMap: Map<string, string> | null = null;
  for (let key = reader.nextKey(); key !== null; key = reader.nextKey()) {
    if (key === 'metadata') {
      if (sawMetadata) {
        reader.fail('"metadata" appears twice');
      }
      sawMetadata = true;
      total = readMetadata(reader);
    } else if (key === 'weight_map') {
      if (weightMap !== null) {
        reader.fail('"weight_map" appears twice');
      }
      weightMap = readWeightMap(fileName, reader);
    } else {
      reader.skipValue();
    }
  }
  reader.finish();
  if (weightMap === null) {
    return reader.fail('there is no "weight_map"');
  }
  return {
    fileName,
    totalSize: total?.size ?? null,
    totalSizeProblem: total?.problem ?? null,
    weightMap,
    shardNames: [...new Set(weightMap.values())],
  };
}

function readMetadata(reader: JsonReader): { size: bigint | null; problem: string | null } {
  const kind = reader.peek();
  if (kind !== 'object') {
    return reader.fail(`"metadata" must be an object, found ${describeKind(kind)}`);
  }
  reader.beginObject();
  let size: bigint | null = null;
  let problem: string | null = null;
  for (let key = reader.nextKey(); key !== null; key = reader.nextKey()) {
    if (key !== 'total_size') {
      reader.skipValue();
      continue;
    }
    const valueKind = reader.peek();
    if (valueKind !== 'number') {
      reader.skipValue();
      size = null;
      problem = `metadata.total_size is ${describeKind(valueKind)}, not a number`;
      continue;
    }
    const { text, integer } = reader.readNumber('keep');
    const asNumber = Number(text);
    if (integer !== null && integer >= 0n) {
      size = integer;
      problem = null;
    } else if (Number.isSafeInteger(asNumber) && asNumber >= 0) {
      // Some writers emit sizes as floats (`1234.0`); a whole value is still a size.
      size = BigInt(asNumber);
      problem = null;
    } else {
      size = null;
      problem = `metadata.total_size ${text} is not a non-negative whole number`;
    }
  }
  return { size, problem };
}

function readWeightMap(fileName: string, reader: JsonReader): Map<string, string> {
  const kind = reader.peek();
  if (kind !== 'object') {
    return reader.fail(`"weight_map" must be an object, found ${describeKind(kind)}`);
  }
  reader.beginObject();
  // A Map: tensor names such as "__proto__" must stay ordinary entries.
  const weightMap = new Map<string, string>();
  for (let tensor = reader.nextKey(); tensor !== null; tensor = reader.nextKey()) {
    const valueKind = reader.peek();
    if (valueKind !== 'string') {
      reader.fail(
        `weight_map entry ${JSON.stringify(tensor)} must name a shard file, found ${describeKind(valueKind)}`,
      );
    }
    const shard = reader.readString();
    const reason = unsafeShardNameReason(shard);
    if (reason !== null) {
      throw new IndexProblem(
        new CheckpointError(
          'IndexUnsafeShardName',
          fileName,
          `shard ${JSON.stringify(shard)}: ${reason}`,
          tensor,
        ),
      );
    }
    if (weightMap.has(tensor)) {
      reader.fail(`weight_map lists tensor ${JSON.stringify(tensor)} twice`);
    }
    weightMap.set(tensor, shard);
  }
  return weightMap;
}
