import { appendAll } from '../core/append-all';
import { classifySource } from '../core/format/classify-source';
import type { CheckpointError } from '../core/format/errors';
import { isCheckpointError } from '../core/format/errors';
import { openCheckpoint } from '../core/format/open-checkpoint';
import type { Checkpoint } from '../core/format/open-checkpoint';
import type { TensorInfo } from '../core/format/tensor-info';
import { parseRemoteInput } from '../core/hub/hub-input';
import { openRemoteInput } from '../core/hub/open-hub';
import { HttpClient } from '../core/io/http-client';
import type { NetworkCounts } from '../core/io/http-client';
import type { HttpSource } from '../core/io/http-source';
import type { HttpEnv } from '../core/io/http-types';
import type { RetryPolicy } from '../core/io/retry-policy';
import { originOf } from '../core/io/url-parts';
import { analyzeModule } from '../core/quant/analyze/analyze-module';
import type { ModuleAnalysis } from '../core/quant/analyze/analyze-module';
import { knownCodeEntry, knownCodesOf } from '../core/quant/analyze/known-codes';
import type { KnownCodeEntry } from '../core/quant/analyze/known-codes';
import { lintCheckpoint } from '../core/quant/lint/lint-checkpoint';
import type { Finding } from '../core/quant/quant-types';
import { recognizeScheme } from '../core/quant/recognize-scheme';
import type { SchemeReport } from '../core/quant/recognize-scheme';
import { sourceMap } from '../core/quant/stream/read-exact';
import type { FileResult } from '../core/report/json-report';
import { isPriorityTensor, orderForScan } from '../core/scan/scan-order';
import { decodeTensors, decodingsByFile, roleDecodings } from '../core/scan/role-decode';
import type { TensorStats } from '../core/scan/tensor-stats';
import { createProgress } from './progress';
import type { Progress } from './progress';
import { ANALYSIS_CHUNK_BYTES, scanFile } from './scan-file';
import type { FileScan } from './scan-file';
import type { ScanRun } from './scan-command';

export interface RemoteScanOptions {
  readonly env: HttpEnv;
  /** The Hub endpoint (`HF_ENDPOINT`, else https://huggingface.co). */
  readonly endpoint: string;
  /** Sent only to the endpoint's own origin. */
  readonly token: string | null;
  /** Read every tensor (`--full`); default: headers, scales and small tensors only. */
  readonly full: boolean;
  readonly chunkBytes?: number;
  readonly histograms?: boolean;
  readonly showProgress: boolean;
  /** Tests shorten the waits; the defaults are DEFAULT_RETRY_POLICY and STALL_TIMEOUT_MS. */
  readonly retry?: RetryPolicy;
  readonly stallTimeoutMs?: number;
}

/** A scan of remote inputs: a ScanRun plus what it cost on the network. */
export interface RemoteScanRun extends ScanRun {
  readonly network: NetworkCounts;
  /** Tensors of valid files that were not read (default remote mode), over all files. */
  readonly notScanned: number;
}

/** Whether a PATH argument is remote (`hf://…`, `http://…`, `https://…`) rather than a local path. */
export function isRemoteArgument(text: string): boolean {
  return /^(hf|https?):\/\//i.test(text);
}

/** The tensors a remote scan reads, in scan order: all (`full`), else scales and small tensors. */
export function remoteScanTensors(tensors: readonly TensorInfo[], full: boolean): TensorInfo[] {
  const ordered = orderForScan(tensors);
  return full ? ordered : ordered.filter(isPriorityTensor);
}

/**
 * Scans remote checkpoints: each input is listed (Hub) and opened over HTTP Range, validated,
 * recognised and scanned like a local group, on this thread (threads would each need their own
 * connections and repeat the header requests). Failures are values in the run, as for local files.
 */
export async function runRemoteScan(
  inputs: readonly string[],
  options: RemoteScanOptions,
): Promise<RemoteScanRun> {
  const started = performance.now();
  const client = new HttpClient({
    env: options.env,
    token: options.token,
    tokenOrigin: originOf(options.endpoint),
    retry: options.retry,
    stallTimeoutMs: options.stallTimeoutMs,
  });
  const files: FileResult[] = [];
  const errors: CheckpointError[] = [];
  const findings: Finding[] = [];
  const usageProblems: string[] = [];
  let notScanned = 0;
  for (const text of inputs) {
    let input;
    try {
      input = parseRemoteInput(text, options.endpoint);
    } catch (e) {
      usageProblems.push((e as Error).message);
      continue;
    }
    if (input === null) {
      usageProblems.push(`${text}: not a remote input`);
      continue;
    }
    const group = await openRemoteInput(client, options.endpoint, input, text);
    appendAll(usageProblems, group.problems);
    appendAll(errors, group.errors);
    if (group.sources.length === 0) {
      continue;
    }
    try {
      notScanned += await scanRemoteGroup(group.sources, options, files, errors, findings);
    } finally {
      await Promise.all(group.sources.map((s) => s.close()));
    }
  }
  return {
    files,
    errors,
    findings,
    usageProblems,
    elapsedSeconds: (performance.now() - started) / 1000,
    network: { ...client.counts },
    notScanned,
  };
}

/** Scans one group's files in turn and analyses its modules; returns how many tensors were left unread. */
async function scanRemoteGroup(
  sources: readonly HttpSource[],
  options: RemoteScanOptions,
  files: FileResult[],
  errors: CheckpointError[],
  findings: Finding[],
): Promise<number> {
  const checkpoint = await openCheckpoint(sources);
  appendAll(errors, checkpoint.indexErrors);
  appendAll(errors, checkpoint.configErrors);
  const report = recognize(checkpoint, sources);
  const schemes = new Map(report.files.map((f) => [f.file, f]));
  // Tensors whose role decodes their U8 bytes (E8M0 / E4M3 scales, packed FP4) are scanned as
  // such, as in a local scan.
  const roles = decodingsByFile(roleDecodings(report));
  const plans = checkpoint.files.map((entry) =>
    entry.header === null
      ? []
      : remoteScanTensors(
          decodeTensors(entry.header.tensors, roles.get(entry.header.fileName)),
          options.full,
        ),
  );
  const total = plans.reduce((n, p) => n + p.reduce((m, t) => m + t.nbytes, 0), 0);
  const progress = options.showProgress ? createProgress(total) : undefined;
  const statsByFile = new Map<string, ReadonlyMap<string, TensorStats>>();
  const known: KnownCodeEntry[] = [];
  let notScanned = 0;
  // Files are scanned REMOTE_FILES_AT_ONCE at a time (their requests overlap each other's round
  // trips); results are taken in file order, as a local scan reports them.
  const scans = await mapLimited(checkpoint.files, REMOTE_FILES_AT_ONCE, (entry, i) =>
    entry.error !== null || entry.header === null
      ? Promise.resolve(null)
      : scanRemoteFile(entry.source, plans[i], options, progress),
  );
  for (const [i, entry] of checkpoint.files.entries()) {
    const scan = scans[i];
    if (entry.error !== null || entry.header === null || scan === null) {
      if (entry.error !== null) {
        errors.push(entry.error);
      }
      files.push({
        path: entry.source.name,
        size: entry.source.size,
        header: null,
        stats: new Map(),
      });
      continue;
    }
    if (scan.error !== null) {
      errors.push(scan.error);
    }
    for (const s of scan.stats.values()) {
      const k = knownCodeEntry(entry.source.name, s);
      if (k !== null) {
        known.push(k);
      }
    }
    notScanned += entry.header.tensors.length - scan.stats.size;
    statsByFile.set(entry.source.name, scan.stats);
    files.push({
      path: entry.source.name,
      size: entry.source.size,
      header: entry.header,
      stats: scan.stats,
      quant: schemes.get(entry.source.name),
    });
  }
  progress?.done();
  const analyses = await analyzeRemote(report, sources, options, known, errors);
  appendAll(findings, lintCheckpoint(report, analyses, statsByFile));
  return notScanned;
}

/**
 * Files of a group scanned at once. Each scan keeps at most two responses open (a read and its
 * read-ahead), so two files stay within MAX_REQUESTS_PER_HOST (4) on the storage host.
 */
export const REMOTE_FILES_AT_ONCE = 2;

/** `fn` over `items` with at most `limit` calls in flight; results in input order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** Scans `tensors` of one file, the ranges announced first so nearby ones share a request. */
async function scanRemoteFile(
  source: HttpSource,
  tensors: readonly TensorInfo[],
  options: RemoteScanOptions,
  progress: Progress | undefined,
): Promise<FileScan> {
  source.plan(tensors.map((t) => ({ offset: t.offset, length: t.nbytes })));
  try {
    return await scanFile(source, tensors, options, progress);
  } finally {
    source.closeStreams();
  }
}

/**
 * The module analyses, on the scan's byte histograms (block scales are not read again) and the
 * small reads the sources keep; weights are streamed only with `--full` (to check blocks under
 * zero scales), as a local scan does.
 */
async function analyzeRemote(
  report: SchemeReport,
  sources: readonly HttpSource[],
  options: RemoteScanOptions,
  known: readonly KnownCodeEntry[],
  errors: CheckpointError[],
): Promise<ModuleAnalysis[]> {
  const byName = sourceMap(sources);
  const knownCodes = knownCodesOf(known);
  const analyses: ModuleAnalysis[] = [];
  for (const module of report.modules) {
    try {
      analyses.push(
        await analyzeModule(byName, module, {
          chunkBytes: options.chunkBytes ?? ANALYSIS_CHUNK_BYTES,
          weights: options.full ? 'if-zero-scales' : 'never',
          knownCodes,
        }),
      );
    } catch (e) {
      if (!isCheckpointError(e)) {
        throw e;
      }
      errors.push(e);
    }
  }
  for (const s of sources) {
    s.closeStreams();
  }
  return analyses;
}

function recognize(checkpoint: Checkpoint, sources: readonly HttpSource[]): SchemeReport {
  const headers = checkpoint.files.flatMap((f) => (f.header === null ? [] : [f.header]));
  const named = (role: 'config' | 'hfQuantConfig'): string | null =>
    sources.find((s) => classifySource(s.name) === role)?.name ?? null;
  return recognizeScheme(headers, checkpoint.config, checkpoint.hfQuantConfig, {
    configFile: named('config'),
    hfQuantConfigFile: named('hfQuantConfig'),
  });
}
