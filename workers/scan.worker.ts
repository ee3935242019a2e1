/**
 * The scan worker: transport, not logic. Files go in; the worker reads its own slices through core
 * and sends back plain summaries. Everything it calls runs unchanged in Node and in tests.
 */
import { expose, transfer } from 'comlink';
import { blobSource } from '../core/io/byte-source';
import { withKnownBytes } from '../core/io/known-bytes-source';
import { openCheckpoint } from '../core/format/open-checkpoint';
import { scanTensors } from '../core/scan/scan-tensor';
import { withTrimmedHistogram } from '../core/scan/exponent-histogram';
import { byobSource } from './byob-source';
import { scanReads } from './scan-reads';
import { isPriorityTensor } from '../core/scan/scan-order';
import { planRepair } from '../core/repair/plan-repair';
import type { RepairPlan } from '../core/repair/plan-repair';
import type { RepairPolicy } from '../core/repair/repair-policy';
import { sha256OfSource } from '../core/repair/sha256-stream';
import {
  analyzeModule,
  checkpointScaleTrends,
  dequantizedHistogram,
  knownCodesOf,
  lintCheckpoint,
  ModuleLookup,
  recognizeScheme,
  scaleRoles,
  sourceMap,
} from '../core/quant/index';
import type {
  DequantHistogram,
  KnownCodeEntry,
  ModuleAnalysis,
  QuantModule,
} from '../core/quant/index';
import type { QuantModuleDetail, QuantSummary } from './quant-summary';
import type { SafetensorsHeader, TensorInfo } from '../core/format/tensor-info';
import type { TensorStats } from '../core/scan/tensor-stats';
import { summarizeCheckpoint } from './checkpoint-summary';
import { packedBuffers, packSummary } from './packed-summary';
import { plainHeader, tensorList } from '../core/format/packed-tensors';
import type { PackedHeader, PackedTensors } from '../core/format/packed-tensors';
import type { PackedCheckpointSummary } from './packed-summary';
import { plainError } from './plain-error';
import type { PlainError } from './plain-error';
import { localReadFailure } from './read-failure';
import { checkpointDecodings } from '../core/scan/role-decode';
import type { RoleDecoding } from '../core/scan/role-decode';
import { isRemoteMarkerType } from '../core/hub/remote-ref';
import { nonFiniteValues } from '../core/quant/lint/nan-value';
import { fnuzFindingOfTensors } from '../core/quant/lint/fnuz-portability';
import type { FnuzTensorCounts } from '../core/quant/lint/fnuz-portability';
import type { Finding } from '../core/quant/index';
import type { ValueStats } from './value-stats';
import { flushNetworkCounts, sourceOrFailure } from './remote-files';
import { sharedEmptyStats } from './shared-empty-stats';
import type { PlannedSource } from './remote-files';

/** Progress messages cost a postMessage each: send at most one per this many ms per batch. */
const PROGRESS_INTERVAL_MS = 100;
/**
 * Outcomes per message at most: the page deserializes a message in one task, ~25 µs per outcome on
 * the 2-core VM, and a batch of zero-size tensors finishes thousands per millisecond (issue 11: a
 * main-thread task under 200 ms at a million tensors).
 */
const MAX_OUTCOMES_PER_MESSAGE = 2000;

/**
 * Chunk size of the quantization analysis: it decodes each chunk of scales into a Float64Array
 * (8 bytes per FP8 byte), so core's 8 MiB default means 64 MiB of garbage per read, in a worker
 * that runs beside the scan.
 */
const ANALYSIS_CHUNK_BYTES = 1024 * 1024;

/** How `scanBatch` reads (see `byobSource`); unset fields take core's and byob-source's defaults. */
export interface ScanBatchOptions {
  readonly chunkBytes?: number;
  /** Parallel BYOB streams each chunk read is split into. */
  readonly streamsPerRead?: number;
  /** Read-ahead limits of the source: reads and bytes in flight ahead of the scan. */
  readonly readAheadReads?: number;
  readonly readAheadBytes?: number;
}

export interface NamedFile {
  /** Path relative to what the user dropped (`folder/model-00001-of-00002.safetensors`). */
  readonly name: string;
  readonly file: Blob;
}

/**
 * The result of one tensor of a batch. `at` is its position in the batch as given: the page knows
 * which row it asked for there (a name per outcome cost a clone and a lookup each, at a million
 * tensors seconds of main-thread time).
 */
export type TensorOutcome =
  /** `bytes`: the raw bytes of a tensor of at most TINY_TENSOR_BYTES, for the quant analysis. */
  | { readonly at: number; readonly stats: TensorStats; readonly bytes?: Uint8Array }
  /** `skipped`: not read because an earlier read of the same batch failed with `error`. */
  | { readonly at: number; readonly error: PlainError; readonly skipped?: true };

/**
 * What `scanBatch` returns once every outcome has been posted: how many outcomes it sent through
 * `onTensors` and the bytes it read. The outcomes travel on the callback's own message port, so
 * they can reach the page after this reply; the page waits for that many (scan-pool.ts).
 */
export interface ScanBatchResult {
  readonly outcomes: number;
  readonly bytesDone: number;
}

/** Bytes of a tiny tensor the scan read, at its offset in the file (see withKnownBytes). */
export interface TinyTensorBytes {
  readonly file: string;
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/**
 * The latest quantization analysis: the page gets its findings (`QuantSummary`) and asks for one
 * module at a time. Only the latest is kept, so memory holds one checkpoint's modules.
 */
let latestQuant: {
  readonly id: number;
  readonly modules: readonly QuantModule[];
  readonly analyses: readonly ModuleAnalysis[];
  readonly lookup: ModuleLookup;
} | null = null;
let nextQuantId = 1;

/** The headers and configs of the checkpoint `openCheckpoint` opened last, for `roleDecodings`. */
let lastOpened: {
  readonly headers: readonly SafetensorsHeader[];
  readonly config: unknown;
  readonly hfQuantConfig: unknown;
} | null = null;

const api = {
  /**
   * Parses every header, the index and the configs; reads no tensor data. Headers go back packed
   * (a million tensors as objects froze the page for seconds to receive).
   */
  async openCheckpoint(files: readonly NamedFile[]): Promise<PackedCheckpointSummary> {
    // A remote file (a marker Blob, see core/hub/remote-ref.ts) is opened over HTTP here.
    const sources = await Promise.all(
      files.map((f) => sourceOrFailure(f.name, f.file, () => blobSource(f.name, f.file))),
    );
    const checkpoint = await openCheckpoint(sources);
    lastOpened = {
      headers: checkpoint.files.flatMap((f) => (f.header === null ? [] : [f.header])),
      config: checkpoint.config,
      hfQuantConfig: checkpoint.hfQuantConfig,
    };
    const packed = packSummary(summarizeCheckpoint(checkpoint));
    return transfer(packed, packedBuffers(packed));
  },

  /**
   * Drops the headers `openCheckpoint` kept for `roleDecodings`, when the page will not ask for
   * them (no U8 tensor to decode): a million-tensor header held this worker's ~300 MB all scan.
   */
  releaseOpened(): void {
    lastOpened = null;
  },

  /**
   * The role decodings of the checkpoint this worker opened last (U8 tensors its scheme decodes as
   * E8M0/E4M3 scales or packed FP4). The scheme recognition takes seconds on a large NVFP4 MoE, so
   * it runs here after the open, while the other workers start scanning; nothing is sent back and
   * forth but the decodings.
   */
  roleDecodings(): RoleDecoding[] {
    const opened = lastOpened;
    lastOpened = null;
    return opened === null
      ? []
      : checkpointDecodings(opened.headers, opened.config, opened.hfQuantConfig);
  },

  /**
   * Scans a batch of tensors of one file in order, through BYOB streams into reused buffers, the
   * source reading ahead of the scan across the whole batch (see `byobSource`). Each finished
   * tensor goes to `onTensor`; bytes done (for this batch) go to `onProgress`, throttled. A failing
   * tensor is reported, the rest go on.
   */
  async scanBatch(
    file: NamedFile,
    batch: readonly TensorInfo[] | PackedTensors,
    options: ScanBatchOptions | undefined,
    onTensors: (outcomes: TensorOutcome[]) => void,
    onProgress: (bytesDone: number) => void,
  ): Promise<ScanBatchResult> {
    // The pool sends its jobs packed (core/format/packed-tensors.ts); the repair panel as objects.
    const tensors = tensorList(batch);
    const source: PlannedSource = await sourceOrFailure(file.name, file.file, () =>
      byobSource(file.name, file.file, {
        streamsPerRead: options?.streamsPerRead,
        readAheadReads: options?.readAheadReads,
        readAheadBytes: options?.readAheadBytes,
      }),
    );
    let finishedBytes = 0;
    let lastProgress = 0;
    let sent = 0;
    let pending: TensorOutcome[] = [];
    const flush = (force: boolean): void => {
      const now = performance.now();
      if (
        force ||
        now - lastProgress >= PROGRESS_INTERVAL_MS ||
        pending.length >= MAX_OUTCOMES_PER_MESSAGE
      ) {
        lastProgress = now;
        if (pending.length > 0) {
          sent += pending.length;
          onTensors(pending);
          pending = [];
        }
      }
    };
    let next = 0;
    /** Bytes of tiny tensors, by index in `rest`, until their stats go out with them. */
    const tiny = new Map<number, Uint8Array>();
    while (next < tensors.length) {
      const start = next;
      const rest = tensors.slice(start);
      tiny.clear();
      source.plan(scanReads(rest, options?.chunkBytes));
      try {
        await scanTensors(source, rest, {
          chunkBytes: options?.chunkBytes,
          onProgress: (done) => {
            const now = performance.now();
            if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
              flush(true);
              onProgress(finishedBytes + done);
            }
          },
          onTinyTensor: (bytes, index) => {
            tiny.set(index, bytes);
          },
          onTensor: (scanned, index) => {
            // The page keeps every tensor's stats: without the empty ends of exponent histograms.
            // Zero-byte tensors of a dtype share one object, cloned once per message.
            const trimmed = withTrimmedHistogram(scanned);
            const stats = rest[index].nbytes === 0 ? sharedEmptyStats(trimmed) : trimmed;
            const bytes = tiny.get(index);
            tiny.delete(index);
            pending.push(
              // A zero-byte tensor's bytes are not worth a buffer each (byobSource reads 0 bytes
              // without IPC): a million of them cost the page seconds to receive and pass on.
              bytes === undefined || bytes.length === 0
                ? { at: start + index, stats }
                : { at: start + index, stats, bytes },
            );
            finishedBytes += rest[index].nbytes;
            next += 1;
            flush(false);
          },
        });
      } catch (e) {
        const failed = tensors[next];
        // A remote file's failures are its server's to explain; a local File that fails changed.
        const local = !isRemoteMarkerType(file.file.type);
        const error = local
          ? localReadFailure(e, file.name, failed.name)
          : plainError(e, file.name, failed.name);
        pending.push({ at: next, error });
        next += 1;
        if (local && error.code === 'ReadFailed') {
          // A File that changed on disk fails every later read: the rest of the batch is not
          // scanned either (and not counted as read), without a read and an error each.
          for (; next < tensors.length; next++) {
            pending.push({ at: next, error, skipped: true });
          }
        }
        flush(false);
      }
    }
    flush(true);
    onProgress(finishedBytes);
    flushNetworkCounts();
    return { outcomes: sent, bytesDone: finishedBytes };
  },

  /** Plans a repair of one file: streams only the tensors the policy covers. */
  async planRepair(
    file: NamedFile,
    packedHeader: SafetensorsHeader | PackedHeader,
    policy: RepairPolicy,
  ): Promise<{ plan: RepairPlan } | { error: PlainError }> {
    try {
      // The page sends the header packed, as it got it (a million tensors as objects clone slowly).
      const header = plainHeader(packedHeader);
      // FP8 scales stored as U8 (ComfyUI NVFP4, gpt-oss MXFP4) are repaired by their role.
      const roles = scaleRoles(recognizeScheme([header], null, null)).get(header.fileName);
      const source = await sourceOrFailure(
        file.name,
        file.file,
        () => blobSource(file.name, file.file),
        { size: header.fileSize },
      );
      if ('plan' in source && isRemoteMarkerType(file.file.type)) {
        // Remote: the scale and small tensors it may read, each run in one request (not one each).
        source.plan(scanReads(header.tensors.filter(isPriorityTensor), undefined));
      }
      const result = await planRepair(source, header, policy, { roles });
      return result.ok ? { plan: result.value } : { error: plainError(result.error, file.name) };
    } catch (e) {
      return { error: plainError(e, file.name) };
    }
  },

  /**
   * Recognises the quantization scheme from headers and configs, analyses every quantized module
   * (scales decoded by role, from `known` byte histograms where they suffice; weights streamed only
   * under zero scales) and lints the checkpoint. Reads of the `tinyTensors` the scan already read
   * are answered from memory: thousands of scalar scales are otherwise one IPC round trip each.
   */
  async analyzeQuant(
    files: readonly NamedFile[],
    packedHeaders: readonly (SafetensorsHeader | PackedHeader)[],
    config: unknown,
    hfQuantConfig: unknown,
    known: readonly KnownCodeEntry[] = [],
    tinyTensors: readonly TinyTensorBytes[] = [],
  ): Promise<QuantSummary | { error: PlainError }> {
    try {
      const headers = packedHeaders.map(plainHeader);
      const report = recognizeScheme(headers, config, hfQuantConfig);
      const sizes = new Map(headers.map((h) => [h.fileName, h.fileSize]));
      const opened = await Promise.all(
        files.map((f) => {
          const size = sizes.get(f.name);
          return sourceOrFailure(
            f.name,
            f.file,
            () => byobSource(f.name, f.file),
            size === undefined ? undefined : { size },
          );
        }),
      );
      const sources = sourceMap(
        opened.map((source) =>
          withKnownBytes(
            source,
            tinyTensors.filter((t) => t.file === source.name),
          ),
        ),
      );
      const knownCodes = knownCodesOf(known);
      const analyses: ModuleAnalysis[] = [];
      for (const m of report.modules) {
        analyses.push(
          await analyzeModule(sources, m, {
            weights: 'if-zero-scales',
            chunkBytes: ANALYSIS_CHUNK_BYTES,
            knownCodes,
          }),
        );
      }
      const id = nextQuantId++;
      latestQuant = {
        id,
        modules: report.modules,
        analyses,
        lookup: new ModuleLookup(report.modules),
      };
      return {
        id,
        files: report.files,
        moduleCount: report.modules.length,
        findings: lintCheckpoint(report, analyses, undefined, { config, headers, knownCodes }),
        scaleTrends: checkpointScaleTrends(report, analyses),
        configFile: report.configFile,
      };
    } catch (e) {
      return { error: plainError(e, files[0]?.name ?? '') };
    }
  },

  /**
   * The module of analysis `id` that holds `tensor` of `file`, with its analysis; null when the
   * tensor belongs to no module or a newer analysis has replaced `id`.
   */
  quantModule(id: number, file: string, tensor: string): QuantModuleDetail | null {
    if (latestQuant?.id !== id) {
      return null;
    }
    const index = latestQuant.lookup.indexOf(file, tensor);
    const module = index === null ? undefined : latestQuant.modules[index];
    const analysis = index === null ? undefined : latestQuant.analyses[index];
    return module === undefined || analysis === undefined ? null : { module, analysis };
  },

  /**
   * `nan-value` / `inf-value` findings of analysis `id` (the CLI's `nonFiniteValues`) from the
   * page's role-decoded stats of the tensors that hold NaN/Inf; null when a newer analysis has
   * replaced `id`. The page sends only those tensors, so this is small whatever the checkpoint.
   */
  valueFindings(id: number, stats: readonly ValueStats[]): Finding[] | null {
    if (latestQuant?.id !== id) {
      return null;
    }
    const byFile = new Map<string, Map<string, TensorStats>>();
    for (const s of stats) {
      const names = byFile.get(s.file) ?? new Map<string, TensorStats>();
      names.set(s.tensor, s.stats);
      byFile.set(s.file, names);
    }
    return nonFiniteValues({ modules: latestQuant.modules }, byFile);
  },

  /**
   * The `fnuz-portability` finding of analysis `id` from the page's two counts per scanned F8_E4M3
   * tensor (bytes 0x80 and |x| > 240, from the scan's byte histograms, which every scan keeps for
   * F8_E4M3), counting module weights only, as the CLI's lint does: the analysis runs before the
   * large weights are scanned. Null when a newer analysis has replaced `id`.
   */
  fnuzFindings(id: number, counts: readonly FnuzTensorCounts[]): Finding[] | null {
    if (latestQuant?.id !== id) {
      return null;
    }
    return fnuzFindingOfTensors(latestQuant.modules, latestQuant.lookup, counts);
  },

  /** One module in full: code histograms of its weight and the distribution of dequantized values. */
  async analyzeModuleDetail(
    files: readonly NamedFile[],
    module: QuantModule,
  ): Promise<{ analysis: ModuleAnalysis; dequantized: DequantHistogram } | { error: PlainError }> {
    try {
      const sources = sourceMap(
        await Promise.all(
          files.map((f) => sourceOrFailure(f.name, f.file, () => blobSource(f.name, f.file))),
        ),
      );
      const analysis = await analyzeModule(sources, module, { weights: 'always' });
      const dequantized = await dequantizedHistogram(sources, module);
      return { analysis, dequantized };
    } catch (e) {
      return { error: plainError(e, module.file) };
    }
  },

  /** SHA-256 (hex) of a whole file or repaired Blob, streamed; progress in bytes. */
  async sha256(file: NamedFile, onProgress: (bytesDone: number) => void): Promise<string> {
    let last = 0;
    const source = await sourceOrFailure(file.name, file.file, () =>
      blobSource(file.name, file.file),
    );
    return sha256OfSource(source, {
      onProgress: (done) => {
        const now = performance.now();
        if (now - last >= PROGRESS_INTERVAL_MS) {
          last = now;
          onProgress(done);
        }
      },
    });
  },
};

export type ScanWorkerApi = typeof api;
export type { QuantSummary };
export type { RepairPlan };

expose(api);
