import type { ScanState } from '../../store/scan-store';
import { formatBytes, formatDuration } from '../../../core/report/format-units';

interface Props {
  readonly state: ScanState;
  readonly now: number;
  readonly onCancel: () => void;
}

/** The DOM contract's scan state: idle | scanning | done | error. */
export function contractState(state: ScanState): 'idle' | 'scanning' | 'done' | 'error' {
  switch (state.phase) {
    case 'idle':
      return 'idle';
    case 'opening':
    case 'scanning':
      return 'scanning';
    case 'done':
    case 'cancelled':
      return 'done';
    case 'error':
      return 'error';
  }
}

function rateAndEta(state: ScanState, now: number): { rate: number; eta: number } {
  const end = state.finishedAt ?? now;
  const seconds = state.startedAt === null ? 0 : (end - state.startedAt) / 1000;
  const rate = seconds > 0 ? state.bytesDone / seconds : 0;
  const eta = rate > 0 ? (state.bytesTotal - state.bytesDone) / rate : Number.POSITIVE_INFINITY;
  return { rate, eta };
}

/** Whole-checkpoint progress: bytes, percent, MB/s, time left, and the cancel button. */
export function ScanStatus({ state, now, onCancel }: Props) {
  const dataState = contractState(state);
  const { rate, eta } = rateAndEta(state, now);
  const percent =
    state.bytesTotal > 0
      ? (100 * state.bytesDone) / state.bytesTotal
      : state.phase === 'done'
        ? 100
        : 0;
  let text: string;
  switch (state.phase) {
    case 'idle':
      text = 'No checkpoint loaded';
      break;
    case 'opening':
      text = 'Reading headers…';
      break;
    case 'scanning':
      text = `Scanning ${formatBytes(state.bytesDone)} of ${formatBytes(state.bytesTotal)} (${percent.toFixed(1)}%) · ${formatBytes(rate)}/s · ${formatDuration(eta)} left`;
      break;
    case 'done':
      text = `Scanned ${formatBytes(state.bytesDone)} in ${formatDuration(((state.finishedAt ?? now) - (state.startedAt ?? now)) / 1000)} · ${formatBytes(rate)}/s`;
      break;
    case 'cancelled':
      text = `Cancelled after ${formatBytes(state.bytesDone)} of ${formatBytes(state.bytesTotal)}`;
      break;
    case 'error':
      text = state.fatal ?? 'Nothing could be scanned';
      break;
  }
  return (
    <div
      className="scan-status"
      data-testid="scan-status"
      data-state={dataState}
      role="status"
      aria-live="polite"
    >
      <div className="progress" aria-hidden="true">
        <div
          className="progress-bar"
          style={{ transform: `scaleX(${Math.min(100, percent) / 100})` }}
        />
      </div>
      <span className="scan-text">{text}</span>
      {dataState === 'scanning' && (
        <button type="button" data-testid="cancel-scan" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
