import { useEffect, useMemo, useRef, useState } from 'react';
import type { Finding } from '../../core/quant/index';
import type { ScanState } from '../store/scan-store';
import type { WorkerClient } from '../workers-client/worker-client';
import type { QuantState } from './use-quant-analysis';
import type { TensorRow } from '../model/tensor-row';
import { fnuzRows, withFnuzFinding } from './fnuz-rows';

interface Counted {
  readonly of: readonly TensorRow[];
  readonly rows: ReturnType<typeof fnuzRows>;
}

/**
 * The analysis with its `fnuz-portability` finding counted over every scanned F8_E4M3 weight, as
 * the CLI's (issue 13: findings never depend on what was scanned first). The analysis runs once
 * the scales are scanned, before the large weights; the finding is recounted by the worker's
 * `fnuzFindings` once the scan has ended (done or cancelled), not on every progress update.
 */
export function useFnuzFindings(
  state: ScanState,
  quant: QuantState,
  client: WorkerClient,
): QuantState {
  const ended = state.phase === 'done' || state.phase === 'cancelled';
  const [counted, setCounted] = useState<Counted | null>(null);
  const stateRows = state.rows;
  useEffect(() => {
    if (!ended) {
      return undefined;
    }
    // A task of its own, after the render of the scan's end: a pass over every row (~50 ms at a
    // million) in that render made it a long task.
    const timer = setTimeout(() => setCounted({ of: stateRows, rows: fnuzRows(stateRows) }), 0);
    return () => clearTimeout(timer);
  }, [ended, stateRows]);
  const rows = ended && counted !== null && counted.of === stateRows ? counted.rows : null;
  const id = quant.status === 'ready' ? quant.summary.id : null;
  const key = id === null || rows === null ? null : `${id}|${rows.key}`;
  const [found, setFound] = useState<{ readonly key: string; readonly list: Finding[] } | null>(
    null,
  );
  const countsRef = useRef(rows?.counts ?? []);
  useEffect(() => {
    countsRef.current = rows?.counts ?? [];
  });
  useEffect(() => {
    if (key === null || id === null) {
      return;
    }
    let live = true;
    void client.api.fnuzFindings(id, countsRef.current).then((list) => {
      if (live && list !== null) {
        setFound({ key, list });
      }
    });
    return () => {
      live = false;
    };
  }, [key, id, client]);
  return useMemo(() => {
    if (quant.status !== 'ready' || found === null || found.key !== key) {
      return quant;
    }
    return {
      status: 'ready',
      summary: { ...quant.summary, findings: withFnuzFinding(quant.summary.findings, found.list) },
    };
  }, [quant, found, key]);
}
