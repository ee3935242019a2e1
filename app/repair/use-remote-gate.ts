import { useMemo, useState } from 'react';
import type { FileState, ScanState } from '../store/scan-store';
import { plansOnRequest } from './remote-planning';
import { repairCandidates } from './use-repair-plans';

/** Whether repair planning waits for a click, the files it would plan, and the click. */
export interface RemoteGate {
  readonly waiting: boolean;
  /** The candidate files while waiting and the scan is done; else empty. */
  readonly files: readonly FileState[];
  readonly plan: () => void;
}

/**
 * Remote files are planned only when asked (planning reads their scale tensors again over the
 * network): remembers the scan whose planning was asked for, by its start time. Local files never
 * wait.
 */
export function useRemoteGate(state: ScanState, faultyFiles: ReadonlySet<string>): RemoteGate {
  const [plannedScan, setPlannedScan] = useState<number | null>(null);
  const startedAt = state.startedAt ?? 0;
  const waiting = plansOnRequest(state.files) && plannedScan !== startedAt;
  const files = useMemo(() => {
    if (!waiting || state.phase !== 'done') {
      return [];
    }
    const ids = new Set(repairCandidates(state, faultyFiles));
    return state.files.filter((f) => ids.has(f.id));
  }, [waiting, state, faultyFiles]);
  return { waiting, files, plan: () => setPlannedScan(startedAt) };
}
