import { useEffect, useMemo, useRef, useState } from 'react';
import type { Finding } from '../../core/quant/index';
import type { ScanState } from '../store/scan-store';
import type { WorkerClient } from '../workers-client/worker-client';
import type { QuantState } from './use-quant-analysis';
import { mergeFindings, nonFiniteRows } from './value-findings';

/**
 * The analysis with the `nan-value` / `inf-value` findings added (issue 13: the findings are the
 * one list of everything wrong), computed in the analysis' worker by the CLI's `nonFiniteValues`
 * from the role-decoded stats the table and heatmap show. Weights are scanned after the analysis,
 * so the list is brought up to date whenever a tensor with NaN/Inf comes in.
 */
export function useValueFindings(
  state: ScanState,
  quant: QuantState,
  client: WorkerClient,
): QuantState {
  // The store keeps the rows with NaN/Inf as results come in (row-tally.ts): no pass over all.
  const bad = state.counts.bad;
  const rows = useMemo(() => nonFiniteRows(bad), [bad]);
  const id = quant.status === 'ready' ? quant.summary.id : null;
  const key = id === null || rows.stats.length === 0 ? null : `${id}|${rows.key}`;
  const [found, setFound] = useState<{ readonly id: number; readonly list: Finding[] } | null>(
    null,
  );
  const statsRef = useRef(rows.stats);
  useEffect(() => {
    statsRef.current = rows.stats;
  });
  useEffect(() => {
    if (key === null || id === null) {
      return;
    }
    let live = true;
    void client.api.valueFindings(id, statsRef.current).then((list) => {
      if (live && list !== null) {
        setFound({ id, list });
      }
    });
    return () => {
      live = false;
    };
  }, [key, id, client]);
  return useMemo(() => {
    // Until a newer list comes in, the last one of the same analysis stays (never a flicker).
    if (quant.status !== 'ready' || found === null || found.id !== id || key === null) {
      return quant;
    }
    return {
      status: 'ready',
      summary: { ...quant.summary, findings: mergeFindings(quant.summary.findings, found.list) },
    };
  }, [quant, found, id, key]);
}
