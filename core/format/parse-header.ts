import type { ByteSource } from '../io/byte-source';
import type { Result } from '../result';
import { err, ok } from '../result';
import { CheckpointError } from './errors';
import type { RawHeader } from './header-schema';
import { readHeaderJson, TensorEntryError } from './header-schema';
import { SIZE_PREFIX_BYTES, validateHeader } from './header-validate';
import { JsonError, JsonReader, lineAndColumn } from './json-reader';
import { readPlainHeader } from './plain-header';
import { readFailed } from './read-failed';
import type { SafetensorsHeader } from './tensor-info';
import { decodeUtf8Strict } from './utf8';

/**
 * The reference's `MAX_HEADER_SIZE`: a larger N is refused before anything past the prefix is read
 * or allocated (header-size DoS, safetensors attack 1). Inclusive: exactly 100,000,000 is allowed.
 */
export const MAX_HEADER_BYTES = 100_000_000;

/**
 * Reads and validates the header of one safetensors file: the 8-byte prefix first, then, only once N
 * is proven sane against the limit and the file size, the N header bytes. Never rejects; read
 * failures become `ReadFailed`.
 */
export async function readHeader(
  source: ByteSource,
): Promise<Result<SafetensorsHeader, CheckpointError>> {
  const fileSize = source.size;
  if (fileSize < SIZE_PREFIX_BYTES) {
    return err(
      new CheckpointError(
        'HeaderTooSmall',
        source.name,
        `the file has ${fileSize} bytes, fewer than the 8-byte header-length prefix`,
      ),
    );
  }
  let prefix: Uint8Array;
  try {
    prefix = await readExactly(source, 0, SIZE_PREFIX_BYTES);
  } catch (e) {
    return err(readFailed(source.name, e));
  }
  const n = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength).getBigUint64(0, true);
  const lengthProblem = checkHeaderLength(source.name, fileSize, n);
  if (lengthProblem !== null) {
    return err(lengthProblem);
  }
  const headerLength = Number(n);
  let headerBytes: Uint8Array;
  try {
    headerBytes =
      headerLength === 0
        ? new Uint8Array(0)
        : await readExactly(source, SIZE_PREFIX_BYTES, headerLength);
  } catch (e) {
    return err(readFailed(source.name, e));
  }
  return parseHeaderBytes(source.name, fileSize, headerBytes);
}

/** HeaderTooLarge / InvalidHeaderLength for a prefix value N, or null when N fits the limit and the file. */
export function checkHeaderLength(
  fileName: string,
  fileSize: number,
  n: bigint,
): CheckpointError | null {
  if (n > BigInt(MAX_HEADER_BYTES)) {
    return new CheckpointError(
      'HeaderTooLarge',
      fileName,
      `the header-length prefix says ${n} bytes, more than the ${MAX_HEADER_BYTES}-byte limit`,
    );
  }
  if (BigInt(SIZE_PREFIX_BYTES) + n > BigInt(fileSize)) {
    return new CheckpointError(
      'InvalidHeaderLength',
      fileName,
      `the header-length prefix says ${n} bytes but only ${Math.max(0, fileSize - SIZE_PREFIX_BYTES)} follow it`,
    );
  }
  return null;
}

/**
 * Validates header bytes (the N bytes after the prefix) of a file of `fileSize` bytes, in the
 * reference's order: UTF-8, then JSON and schema, then per-tensor offset rules in offset order, then
 * coverage of the data region.
 */
export function parseHeaderBytes(
  fileName: string,
  fileSize: number,
  headerBytes: Uint8Array,
): Result<SafetensorsHeader, CheckpointError> {
  const lengthProblem = checkHeaderLength(fileName, fileSize, BigInt(headerBytes.length));
  if (lengthProblem !== null) {
    return err(lengthProblem);
  }
  const text = decodeUtf8Strict(headerBytes);
  if (!text.ok) {
    return err(
      new CheckpointError('InvalidHeader', fileName, `the header is ${text.error.detail}`),
    );
  }
  const plain = readPlainHeader(fileName, fileSize, headerBytes.length, text.value);
  if (plain !== null) {
    return ok(plain);
  }
  return parseHeaderText(fileName, fileSize, headerBytes.length, text.value);
}

/**
 * The general path for decoded header text, the authority on every verdict and message: schema
 * (`readHeaderJson`), then offsets and sizes (`validateHeader`). `parseHeaderBytes` takes it for
 * every header that `readPlainHeader` does not read itself.
 */
export function parseHeaderText(
  fileName: string,
  fileSize: number,
  headerLength: number,
  text: string,
): Result<SafetensorsHeader, CheckpointError> {
  let raw: RawHeader;
  try {
    raw = readHeaderJson(new JsonReader(text));
  } catch (e) {
    if (e instanceof JsonError) {
      return err(headerJsonError(fileName, text, e));
    }
    throw e;
  }
  return validateHeader(fileName, fileSize, headerLength, raw);
}

function headerJsonError(fileName: string, text: string, e: JsonError): CheckpointError {
  const { line, column } = lineAndColumn(text, e.position);
  const tensor = e instanceof TensorEntryError ? e.tensor : null;
  const what = tensor === null ? 'the header is not valid safetensors JSON' : 'invalid entry';
  const detail = `${what}: ${e.detail} (line ${line}, column ${column})`;
  return new CheckpointError('InvalidHeaderDeserialization', fileName, detail, tensor);
}

async function readExactly(
  source: ByteSource,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  const bytes = await source.read(offset, length);
  if (bytes.length !== length) {
    throw new RangeError(`asked for ${length} bytes at ${offset}, got ${bytes.length}`);
  }
  return bytes;
}
