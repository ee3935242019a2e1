import { describe, expect, it } from 'vitest';
import { INITIAL_STATE } from '../store/scan-store';
import type { FileState, ScanState } from '../store/scan-store';
import { makeRow } from '../components/table/test-rows';
import type { TensorRow } from './tensor-row';
import { verdictModelOf, verdictOf } from './verdict-of';
import type { PlainError } from '../../workers/plain-error';

const header = {
  fileName: 'a.safetensors',
  fileSize: 100,
  headerLength: 10,
  dataStart: 18,
  metadata: null,
  tensors: [],
  byName: new Map(),
};

function file(id: number, valid: boolean, error: PlainError | null = null): FileState {
  return {
    id,
    name: `f${id}.safetensors`,
    size: 100,
    header: valid ? header : null,
    error,
    file: null,
    bytesTotal: 0,
    bytesDone: 0,
  };
}

const readFailed: PlainError = {
  code: 'ReadFailed',
  file: 'f0.safetensors',
  tensor: 'b',
  message: 'f0.safetensors: tensor "b": the file changed or became unreadable',
  detail: 'the file changed',
};

function state(parts: Partial<ScanState>): ScanState {
  return { ...INITIAL_STATE, phase: 'done', files: [file(0, true)], ...parts };
}

describe('verdictOf', () => {
  it('reads the role-decoded stats: a U8 scale decoded as E8M0 with a NaN is an error', () => {
    const row = makeRow('model.layers.1.mlp.experts.down_proj_scales', {
      dtype: 'U8',
      stats: { dtype: 'F8_E8M0', floatLike: true, nan: 1 },
    });
    const v = verdictOf(state({ rows: [row] }), null);
    expect(v).toMatchObject({ level: 'error', text: '1 NaN byte in 1 FP8 scale tensor — layer 1' });
  });

  it('a failed read puts the file in error and its tensors not scanned, never clean', () => {
    const rows: TensorRow[] = [
      makeRow('a', { stats: {} }),
      { ...makeRow('b', { stats: null }), failed: true },
    ];
    const model = verdictModelOf(state({ rows, files: [file(0, true, readFailed)] }), null);
    expect(model).toMatchObject({
      failedTensors: 1,
      files: [{ valid: true, unreadable: true }],
      otherErrors: 0,
    });
    expect(verdictOf(state({ rows, files: [file(0, true, readFailed)] }), null).level).toBe(
      'error',
    );
  });

  it('missing tensors count through the index error, not as unscanned tensors', () => {
    const rows: TensorRow[] = [
      makeRow('a', { stats: {} }),
      { ...makeRow('model.layers.1.mlp.up_proj.weight', { stats: null }), missing: true },
    ];
    const indexErrors: PlainError[] = [
      { ...readFailed, code: 'IndexShardMissing', tensor: null, message: 'missing shard' },
    ];
    const model = verdictModelOf(state({ rows, indexErrors }), null);
    expect(model.tensors).toHaveLength(1);
    expect(verdictOf(state({ rows, indexErrors }), null)).toMatchObject({
      level: 'error',
      text: '1 index error',
    });
  });

  it('is pending while scanning, warning when cancelled, ok when done and clean', () => {
    const rows = [makeRow('a', { stats: {} }), makeRow('b', { stats: null })];
    expect(verdictOf(state({ rows, phase: 'scanning' }), null).level).toBe('pending');
    expect(verdictOf(state({ rows, phase: 'cancelled' }), null).level).toBe('warning');
    expect(verdictOf(state({ rows: [rows[0]] }), null).level).toBe('ok');
    // Not ok while the quantization findings are still to come.
    expect(verdictOf(state({ rows: [rows[0]] }), null, true).level).toBe('pending');
    expect(
      verdictOf(state({ rows: [], files: [file(0, false), file(1, false)] }), null),
    ).toMatchObject({
      level: 'error',
      text: '2 of 2 files are not valid safetensors',
    });
  });
});

describe('verdictModelOf memo', () => {
  it('reuses the per-tensor part for the same rows and files, and equals a fresh computation', () => {
    const rows: TensorRow[] = [
      makeRow('a', { stats: { nan: 2 } }),
      { ...makeRow('b', { stats: null }), failed: true },
      makeRow('c', { stats: null }),
    ];
    const s = state({ rows });
    const first = verdictModelOf(s, null, true);
    const again = verdictModelOf({ ...s, phase: 'done' }, null, false);
    expect(again.tensors).toBe(first.tensors);
    // A fresh rows array with the same rows: computed again, equal.
    const fresh = verdictModelOf(state({ rows: rows.slice() }), null, false);
    expect(fresh.tensors).not.toBe(first.tensors);
    expect(fresh).toEqual(again);
    expect(again.failedTensors).toBe(1);
  });

  it('recomputes when the files change with the same rows', () => {
    const rows: TensorRow[] = [{ ...makeRow('b', { stats: null }), failed: true }];
    const before = verdictModelOf(state({ rows }), null);
    const after = verdictModelOf(state({ rows, files: [file(0, true, readFailed)] }), null);
    expect(after.tensors).not.toBe(before.tensors);
    expect(after.files).toEqual([{ valid: true, unreadable: true }]);
  });
});
