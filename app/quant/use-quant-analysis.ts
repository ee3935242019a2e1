import { useEffect, useRef, useState } from 'react';
import { transfer } from 'comlink';
import { transferableHeaders } from '../workers-client/transferable-headers';
import type { SafetensorsHeader } from '../../core/format/tensor-info';
import { isPriorityTensor } from '../../core/scan/scan-order';
import type { KnownCodeEntry } from '../../core/quant/analyze/known-codes';
import { knownCodeEntry } from '../../core/quant/analyze/known-codes';
import type { NamedFile, QuantSummary, TinyTensorBytes } from '../../workers/scan.worker';
import type { TensorRow } from '../model/tensor-row';
import type { PlainError } from '../../workers/plain-error';
import type { FileState, ScanState } from '../store/scan-store';
import type { WorkerClient } from '../workers-client/worker-client';
import { timings } from '../store/scan-timings';
import { packHeader } from '../../core/format/packed-tensors';
import type { PackedHeader } from '../../core/format/packed-tensors';
import { analysesAtScanEnd } from '../remote/remote-plan';

export type QuantState =
  | { readonly status: 'idle' }
  | { readonly status: 'running' }
  | { readonly status: 'ready'; readonly summary: QuantSummary }
  | { readonly status: 'error'; readonly error: PlainError };

const IDLE: QuantState = { status: 'idle' };
const RUNNING: QuantState = { status: 'running' };

/** The scan's byte histograms of the scale and small tensors scanned so far. */
function knownScaleCodes(rows: readonly TensorRow[]): KnownCodeEntry[] {
  const known: KnownCodeEntry[] = [];
  for (const row of rows) {
    const entry =
      row.stats === null || !isPriorityTensor(row.info)
        ? null
        : knownCodeEntry(row.fileName, row.stats);
    if (entry !== null) {
      known.push(entry);
    }
  }
  return known;
}

/** The bytes of the tiny tensors scanned so far (global and input scales among them). */
function tinyTensorBytes(rows: readonly TensorRow[]): TinyTensorBytes[] {
  const out: TinyTensorBytes[] = [];
  for (const row of rows) {
    if (row.tinyBytes !== undefined) {
      out.push({ file: row.fileName, offset: row.info.offset, bytes: row.tinyBytes });
    }
  }
  return out;
}

/**
 * Runs the quantization analysis in a worker once every scale tensor has been scanned (or the scan
 * ended): scheme recognition reads headers only; module analysis takes 1-byte scales' byte
 * histograms from the scan (reading only what they cannot stand for: swizzled or per-expert
 * sliced scales, F32 scales), and weights only under zero scales.
 */
export function useQuantAnalysis(state: ScanState, client: WorkerClient): QuantState {
  const [results, setResults] = useState<ReadonlyMap<string, QuantState>>(new Map());
  // A cancelled scan is analysed only if its scales were all scanned (else there is nothing final
  // to recognise from, and "Recognising…" must not outlive the Cancel).
  // A default remote scan reads only the scales and small tensors: its end is the scales' end, and
  // waiting for it means every scale's byte histogram is in (a scale re-read costs the network).
  const atEnd = analysesAtScanEnd(state.files);
  const opened =
    (((state.phase === 'scanning' || state.phase === 'cancelled') &&
      state.scalesScanned &&
      (!atEnd || state.phase === 'cancelled')) ||
      // The pool reports the end only once every outcome is in (scan-pool.ts): every scale
      // scanned has its stats in the rows by then.
      state.phase === 'done') &&
    state.files.some((f) => f.header !== null);
  // The files array is replaced on every progress update; the analysis depends only on which
  // files were opened (their headers and Blobs never change), so key it by the file names.
  const key = opened
    ? `${state.startedAt ?? 0}|${state.files.map((f) => f.name).join('\n')}`
    : null;
  /** The key of the analysis running in the worker, if any. */
  const inFlight = useRef<string | null>(null);
  const cancelled = state.phase === 'cancelled';
  useEffect(() => {
    // Cancel (or a new checkpoint) while an analysis runs: end that worker, whatever it is doing,
    // so a stuck analysis never holds up the next checkpoint's.
    if (inFlight.current !== null && (cancelled || inFlight.current !== key)) {
      inFlight.current = null;
      client.reset();
    }
  }, [key, cancelled, client]);
  const filesRef = useRef<readonly FileState[]>(state.files);
  const rowsRef = useRef<readonly TensorRow[]>(state.rows);
  const packedRef = useRef(state.packedHeaders);
  useEffect(() => {
    filesRef.current = state.files;
    rowsRef.current = state.rows;
    packedRef.current = state.packedHeaders;
  });
  const { config, hfQuantConfig } = state;
  useEffect(() => {
    if (key === null) {
      return undefined;
    }
    // A task of its own, after the render that asked for it: gathering the scan's byte
    // histograms and cloning the headers to the worker take ~100 ms each at a million tensors.
    let post: ReturnType<typeof setTimeout> | undefined;
    const timer = setTimeout(() => {
      const named: NamedFile[] = [];
      const headers: (SafetensorsHeader | PackedHeader)[] = [];
      for (const f of filesRef.current) {
        if (f.header !== null && f.file !== null) {
          named.push({ name: f.name, file: f.file });
          // Packed as the scan worker sent it: a million tensors as objects cost seconds of
          // structured clone, and packing them again here was a long task of its own.
          headers.push(packedRef.current[f.id] ?? packHeader(f.header));
        }
      }
      if (headers.length === 0) {
        return;
      }
      const known = knownScaleCodes(rowsRef.current);
      const tiny = tinyTensorBytes(rowsRef.current);
      // Columns moved, not copied, by the message; sent in the next task (each ~50-100 ms).
      const sent = transferableHeaders(headers);
      post = setTimeout(() => {
        const scanLoadedAt = timings.loadAt;
        inFlight.current = key;
        void client.api
          .analyzeQuant(
            named,
            transfer(sent.headers, sent.buffers),
            config,
            hfQuantConfig,
            known,
            tiny,
          )
          .then((r) => {
            const entry: QuantState =
              'error' in r ? { status: 'error', error: r.error } : { status: 'ready', summary: r };
            if (timings.loadAt === scanLoadedAt) {
              timings.quantDoneAt = performance.now();
            }
            if (inFlight.current === key) {
              inFlight.current = null;
            }
            setResults((prev) => new Map(prev).set(key, entry));
          });
      }, 0);
    }, 0);
    return () => {
      clearTimeout(timer);
      clearTimeout(post);
    };
  }, [key, client, config, hfQuantConfig]);
  if (key === null) {
    return IDLE;
  }
  return results.get(key) ?? (cancelled ? IDLE : RUNNING);
}
