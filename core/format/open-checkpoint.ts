import { appendAll } from '../append-all';
import { assertUnreachable } from '../dtype/dtype';
import type { ByteSource } from '../io/byte-source';
import type { Result } from '../result';
import { err, ok } from '../result';
import { checkIndex, checkIndexTotalSize } from './check-index';
import { classifySource, dirPrefix } from './classify-source';
import type { ErrorCode } from './errors';
import { CheckpointError } from './errors';
import { readHeader } from './parse-header';
import type { ShardIndex } from './parse-index';
import { INDEX_MAX_BYTES, parseIndex } from './parse-index';
import { readFailed } from './read-failed';
import { CONFIG_MAX_BYTES, readConfig } from './read-config';
import type { SafetensorsHeader } from './tensor-info';

/** One `.safetensors` file: exactly one of `header` and `error` is non-null. */
export interface CheckpointFile<S extends ByteSource = ByteSource> {
  readonly source: S;
  readonly header: SafetensorsHeader | null;
  readonly error: CheckpointError | null;
}

/** Everything learned from a set of files; one bad file never hides the others. */
export interface Checkpoint<S extends ByteSource = ByteSource> {
  /** The `.safetensors` files, in the order given, with the caller's own source objects. */
  readonly files: readonly CheckpointFile<S>[];
  /** The parsed `*.safetensors.index.json`, or null when there is none or it failed to parse. */
  readonly index: ShardIndex | null;
  /** Why the index failed to parse, or what its cross-check against the shards found. */
  readonly indexErrors: readonly CheckpointError[];
  readonly indexWarnings: readonly string[];
  /** `config.json` as plain JSON values, or null. */
  readonly config: unknown;
  /** `hf_quant_config.json` as plain JSON values, or null. */
  readonly hfQuantConfig: unknown;
  readonly configErrors: readonly CheckpointError[];
  /** Names of the sources that play no part (other files, second copies of a config). */
  readonly ignored: readonly string[];
}

/** What the caller knows of files it could not give as sources. */
export interface OpenOptions {
  /**
   * Names (as sources are named: paths beside the index) of files that exist but failed before they
   * could be opened (a FIFO, a dangling link, a link loop: the CLI's `ReadFailed` errors, reported
   * by the caller). A shard the index names among them is present but unreadable, not missing.
   */
  readonly unreadable?: readonly string[];
}

/**
 * Opens a checkpoint from its files: reads every safetensors header, the index (checked against the
 * shards it names, resolved next to it) and the configs. Never rejects; every failure is a value.
 * Sources are read one after another so that memory stays bounded by one header at a time.
 */
export async function openCheckpoint<S extends ByteSource>(
  sources: readonly S[],
  options: OpenOptions = {},
): Promise<Checkpoint<S>> {
  const files: CheckpointFile<S>[] = [];
  const indexSources: ByteSource[] = [];
  const configSources: ByteSource[] = [];
  const quantSources: ByteSource[] = [];
  const ignored: string[] = [];
  for (const source of sources) {
    const role = classifySource(source.name);
    switch (role) {
      case 'safetensors': {
        const header = await readHeader(source);
        files.push(
          header.ok
            ? { source, header: header.value, error: null }
            : { source, header: null, error: header.error },
        );
        break;
      }
      case 'index':
        indexSources.push(source);
        break;
      case 'config':
        configSources.push(source);
        break;
      case 'hfQuantConfig':
        quantSources.push(source);
        break;
      case 'ignored':
        ignored.push(source.name);
        break;
      default:
        assertUnreachable(role);
    }
  }

  const indexErrors: CheckpointError[] = [];
  const indexWarnings: string[] = [];
  let index: ShardIndex | null = null;
  const [indexSource, ...extraIndexes] = indexSources;
  for (const extra of extraIndexes) {
    indexErrors.push(
      new CheckpointError(
        'IndexInvalid',
        extra.name,
        `only one index is checked per checkpoint and ${JSON.stringify(indexSource.name)} was given first`,
      ),
    );
  }
  if (indexSource !== undefined) {
    const parsed = await readAndParse(indexSource, INDEX_MAX_BYTES, 'IndexInvalid', parseIndex);
    if (parsed.ok) {
      index = parsed.value;
      const shards = shardHeaders(indexSource.name, index, files, options.unreadable ?? []);
      appendAll(indexErrors, checkIndex(index, shards));
      appendAll(indexWarnings, checkIndexTotalSize(index, shards));
    } else {
      indexErrors.push(parsed.error);
    }
  }

  const configErrors: CheckpointError[] = [];
  const config = await firstConfig(configSources, configErrors, ignored);
  const hfQuantConfig = await firstConfig(quantSources, configErrors, ignored);
  return { files, index, indexErrors, indexWarnings, config, hfQuantConfig, configErrors, ignored };
}

/** Shard name → header (null when it failed) for the shards found in the index's own folder. */
function shardHeaders(
  indexName: string,
  index: ShardIndex,
  files: readonly CheckpointFile<ByteSource>[],
  unreadable: readonly string[],
): Map<string, SafetensorsHeader | null> {
  // Present but unreadable: like a shard whose header failed, its own error says why.
  const failed = new Set(unreadable.map(normalizeSeparators));
  const byPath = new Map<string, CheckpointFile<ByteSource>>();
  for (const f of files) {
    const key = normalizeSeparators(f.source.name);
    if (!byPath.has(key)) {
      byPath.set(key, f);
    }
  }
  const folder = normalizeSeparators(dirPrefix(indexName));
  const shards = new Map<string, SafetensorsHeader | null>();
  for (const shard of index.shardNames) {
    const file = byPath.get(folder + shard);
    if (file !== undefined) {
      shards.set(shard, file.header);
    } else if (failed.has(folder + shard)) {
      shards.set(shard, null);
    }
  }
  return shards;
}

async function firstConfig(
  sources: readonly ByteSource[],
  errors: CheckpointError[],
  ignored: string[],
): Promise<unknown> {
  const [first, ...rest] = sources;
  appendAll(
    ignored,
    rest.map((s) => s.name),
  );
  if (first === undefined) {
    return null;
  }
  const parsed = await readAndParse(first, CONFIG_MAX_BYTES, 'ConfigInvalid', readConfig);
  if (parsed.ok) {
    return parsed.value;
  }
  errors.push(parsed.error);
  return null;
}

/** Reads a whole small file (refusing one above `cap` before reading it) and parses it. */
async function readAndParse<T>(
  source: ByteSource,
  cap: number,
  tooLargeCode: ErrorCode,
  parse: (fileName: string, bytes: Uint8Array) => Result<T, CheckpointError>,
): Promise<Result<T, CheckpointError>> {
  if (source.size > cap) {
    return err(
      new CheckpointError(
        tooLargeCode,
        source.name,
        `the file is ${source.size} bytes, more than the ${cap}-byte limit`,
      ),
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await source.read(0, source.size);
    if (bytes.length !== source.size) {
      throw new RangeError(`asked for ${source.size} bytes, got ${bytes.length}`);
    }
  } catch (e) {
    return err(readFailed(source.name, e));
  }
  const parsed = parse(source.name, bytes);
  return parsed.ok ? ok(parsed.value) : parsed;
}

function normalizeSeparators(name: string): string {
  return name.replaceAll('\\', '/');
}
