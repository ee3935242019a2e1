import { appendAll } from '../core/append-all';
import type { DiffInput } from '../core/diff/diff-side';
import { classifySource } from '../core/format/classify-source';
import { CheckpointError } from '../core/format/errors';
import { openCheckpoint } from '../core/format/open-checkpoint';
import type { ByteSource } from '../core/io/byte-source';
import { parseRemoteInput } from '../core/hub/hub-input';
import { openRemoteInput } from '../core/hub/open-hub';
import { HttpClient } from '../core/io/http-client';
import { runtimeHttpEnv } from '../core/io/http-types';
import { originOf } from '../core/io/url-parts';
import { recognizeScheme } from '../core/quant/recognize-scheme';
import { sourceMap } from '../core/quant/stream/read-exact';
import { collectInputs } from './collect-inputs';
import { openNodeFileSource } from './node-file-source';
import type { ReadMode } from './node-file-source';
import { isRemoteArgument } from './remote-scan';
import { hubEndpoint } from './remote-run';

/** One side of `ckptscope diff`, opened: the diff's input, what failed, and how to close it. */
export interface OpenedSide {
  readonly input: DiffInput | null;
  /** Files that could not be opened or parsed, index and config errors (invalid input: exit 2). */
  readonly errors: CheckpointError[];
  /** Wrong arguments (a missing path, two checkpoints in one argument): usage errors. */
  readonly problems: string[];
  close(): Promise<void>;
}

type Closable = ByteSource & { close(): Promise<void> };

async function describe(
  path: string,
  sources: readonly Closable[],
  unreadable: readonly string[] = [],
): Promise<OpenedSide> {
  // A shard that failed to open is reported by its own error, not also as missing from the index.
  const checkpoint = await openCheckpoint(sources, { unreadable });
  const errors: CheckpointError[] = [];
  for (const f of checkpoint.files) {
    if (f.error !== null) {
      errors.push(f.error);
    }
  }
  appendAll(errors, checkpoint.indexErrors);
  appendAll(errors, checkpoint.configErrors);
  const headers = checkpoint.files.flatMap((f) => (f.header === null ? [] : [f.header]));
  const named = (role: 'config' | 'hfQuantConfig'): string | null =>
    sources.find((s) => classifySource(s.name) === role)?.name ?? null;
  const report = recognizeScheme(headers, checkpoint.config, checkpoint.hfQuantConfig, {
    configFile: named('config'),
    hfQuantConfigFile: named('hfQuantConfig'),
  });
  return {
    input: { path, headers, report, sources: sourceMap(sources) },
    errors,
    problems: [],
    close: async () => {
      await Promise.all(sources.map((s) => s.close()));
    },
  };
}

const NOTHING = async (): Promise<void> => {};

async function openLocal(path: string, mode: ReadMode): Promise<OpenedSide> {
  const collected = await collectInputs([path]);
  const problems = collected.problems.map((p) => p.message);
  if (collected.groups.length !== 1 || problems.length > 0 || collected.errors.length > 0) {
    if (collected.groups.length > 1) {
      problems.push(`${path}: holds more than one checkpoint`);
    }
    return { input: null, errors: collected.errors, problems, close: NOTHING };
  }
  const sources: Closable[] = [];
  const errors: CheckpointError[] = [];
  for (const f of collected.groups[0].files) {
    try {
      sources.push(await openNodeFileSource(f.location, f.path, mode));
    } catch (e) {
      errors.push(
        new CheckpointError('ReadFailed', f.path, `cannot open: ${(e as Error).message}`),
      );
    }
  }
  const side = await describe(
    path,
    sources,
    errors.map((e) => e.file),
  );
  return { ...side, errors: errors.concat(side.errors) };
}

export interface RemoteOptions {
  /** `--token`, else `HF_TOKEN`. */
  readonly token: string | undefined;
  /**
   * How local files are read (node-file-source.ts): `async` (default) overlaps reads with the
   * compare on one thread; `sync` for the worker threads of `--threads N`, as the scan's threads
   * do (the page-cache copy is CPU work anyway, and the pool's hop competes for the cores).
   */
  readonly readMode?: ReadMode;
}

async function openRemote(text: string, options: RemoteOptions): Promise<OpenedSide> {
  const env = runtimeHttpEnv();
  if (env === null) {
    return {
      input: null,
      errors: [],
      problems: ['this Node has no fetch: remote inputs need Node 20+'],
      close: NOTHING,
    };
  }
  const endpoint = hubEndpoint();
  const token = options.token ?? process.env.HF_TOKEN;
  const client = new HttpClient({
    env,
    token: token === undefined || token === '' ? null : token,
    tokenOrigin: originOf(endpoint),
  });
  let input;
  try {
    input = parseRemoteInput(text, endpoint);
  } catch (e) {
    return { input: null, errors: [], problems: [(e as Error).message], close: NOTHING };
  }
  if (input === null) {
    return { input: null, errors: [], problems: [`${text}: not a remote input`], close: NOTHING };
  }
  const group = await openRemoteInput(client, endpoint, input, text);
  if (group.sources.length === 0) {
    return { input: null, errors: group.errors, problems: group.problems, close: NOTHING };
  }
  const side = await describe(text, group.sources);
  return {
    ...side,
    errors: group.errors.concat(side.errors),
    problems: group.problems.concat(side.problems),
  };
}

/** Opens one diff argument: a local file, index or folder, or a remote `hf://` / `http(s)://` one. */
export function openDiffSide(path: string, options: RemoteOptions): Promise<OpenedSide> {
  return isRemoteArgument(path)
    ? openRemote(path, options)
    : openLocal(path, options.readMode ?? 'async');
}
