import { describe, expect, it } from 'vitest';
import { REMOTE_FULL_MARKER_TYPE, REMOTE_MARKER_TYPE } from '../../core/hub/remote-ref';
import { INITIAL_STATE } from '../store/scan-store';
import type { FileState, ScanState } from '../store/scan-store';
import { makeRow } from '../components/table/test-rows';
import type { TensorRow } from './tensor-row';
import { verdictModelOf, verdictOf } from './verdict-of';
import { tallyRows } from '../store/row-tally';

function remoteFile(type: string): FileState {
  return {
    id: 0,
    name: 'acme/x/model.safetensors',
    size: 100_000_000,
    header: {
      fileName: 'model.safetensors',
      fileSize: 100_000_000,
      headerLength: 10,
      dataStart: 18,
      metadata: null,
      tensors: [],
      byName: new Map(),
    },
    error: null,
    file: new Blob(['{}'], { type }),
    bytesTotal: 0,
    bytesDone: 0,
  };
}

/** A scale read, a small norm read, and two 32 MiB weights a default remote scan leaves unread. */
const ROWS: TensorRow[] = [
  makeRow('model.layers.0.mlp.up_proj.weight_scale', { stats: {} }),
  makeRow('model.norm.weight', { stats: {} }),
  makeRow('model.layers.0.mlp.up_proj.weight', { stats: null, shape: [4096, 2048] }),
  makeRow('model.layers.0.mlp.down_proj.weight', { stats: null, shape: [4096, 2048] }),
];

function state(type: string, phase: ScanState['phase'] = 'done'): ScanState {
  const files = [remoteFile(type)];
  return { ...INITIAL_STATE, phase, files, rows: ROWS, counts: tallyRows(ROWS, files) };
}

describe('verdictOf a default remote scan', () => {
  it('names the bulk tensors as not read by choice: a warning, neither failed nor clean', () => {
    expect(verdictModelOf(state(REMOTE_MARKER_TYPE), null)).toMatchObject({
      failedTensors: 0,
      unreadByChoice: 2,
    });
    const v = verdictOf(state(REMOTE_MARKER_TYPE), null);
    expect(v.level).toBe('warning');
    expect(v.invalid).toBe(false);
    expect(v.text).toContain(
      '2 tensors not read (default remote mode: headers, scales and small tensors; --full reads everything)',
    );
  });

  it('a full remote read still waiting for its weights is only incomplete', () => {
    expect(verdictModelOf(state(REMOTE_FULL_MARKER_TYPE), null).unreadByChoice).toBe(0);
    expect(verdictOf(state(REMOTE_FULL_MARKER_TYPE), null).text).not.toContain('not read');
  });

  it('says nothing of it while scanning', () => {
    const v = verdictOf(state(REMOTE_MARKER_TYPE, 'scanning'), null);
    expect(v.level).toBe('pending');
    expect(v.text).not.toContain('not read');
  });
});
