import { useEffect, useMemo, useState } from 'react';
import type { RepairPlan } from '../../core/repair/plan-repair';
import { packHeader } from '../../core/format/packed-tensors';
import type { RepairPolicy } from '../../core/repair/repair-policy';
import type { PlainError } from '../../workers/plain-error';
import type { ScanState } from '../store/scan-store';
import type { WorkerClient } from '../workers-client/worker-client';

export type PlanEntry =
  | { readonly status: 'planning' }
  | { readonly status: 'ready'; readonly plan: RepairPlan }
  | { readonly status: 'error'; readonly error: PlainError };

/**
 * Files worth planning: scanned, valid, holding NaN or Inf somewhere, or named by a NaN/Inf scale
 * finding (FP8 scales stored as U8 hold no NaN as U8: only their role reveals it).
 */
export function repairCandidates(
  state: ScanState,
  faultyFiles: ReadonlySet<string> = new Set(),
): number[] {
  const ids = new Set<number>(state.files.filter((f) => faultyFiles.has(f.name)).map((f) => f.id));
  // The rows with NaN/Inf, kept by the store as results come in (row-tally.ts).
  for (const row of state.counts.bad) {
    ids.add(row.fileId);
  }
  return state.files.filter((f) => f.header !== null && ids.has(f.id)).map((f) => f.id);
}

const PLANNING: PlanEntry = { status: 'planning' };

/**
 * Plans a repair for every candidate file once the scan is done, again whenever the policy changes.
 * Planning streams only the tensors the policy covers, in a worker. Results are keyed by the request
 * (files + policy), so a stale answer never shows under a newer policy.
 */
export function useRepairPlans(
  state: ScanState,
  /** Null plans nothing (an override nobody uses). */
  policy: RepairPolicy | null,
  client: WorkerClient,
  faultyFiles: ReadonlySet<string>,
): ReadonlyMap<number, PlanEntry> {
  const [results, setResults] = useState<ReadonlyMap<string, PlanEntry>>(new Map());
  const ids = useMemo(
    () => (state.phase === 'done' && policy !== null ? repairCandidates(state, faultyFiles) : []),
    [state, faultyFiles, policy],
  );
  const request = `${ids.join(',')}|${JSON.stringify(policy)}`;
  const stateFiles = state.files;
  const packedHeaders = state.packedHeaders;
  useEffect(() => {
    if (policy === null) {
      return;
    }
    for (const id of request
      .split('|')[0]
      .split(',')
      .filter((s) => s !== '')
      .map(Number)) {
      const f = stateFiles.find((x) => x.id === id);
      if (f === undefined || f.header === null || f.file === null) {
        continue;
      }
      const key = `${request}#${id}`;
      // Packed, as the scan worker sent it (the page's header builds its byName lazily).
      const header = packedHeaders[id] ?? packHeader(f.header);
      void client.api.planRepair({ name: f.name, file: f.file }, header, policy).then((r) => {
        const entry: PlanEntry =
          'plan' in r ? { status: 'ready', plan: r.plan } : { status: 'error', error: r.error };
        setResults((prev) => new Map(prev).set(key, entry));
      });
    }
  }, [request, stateFiles, packedHeaders, policy, client]);
  return useMemo(
    () => new Map(ids.map((id) => [id, results.get(`${request}#${id}`) ?? PLANNING])),
    [ids, results, request],
  );
}
