import { describe, expect, it } from 'vitest';
import { INITIAL_STATE } from '../store/scan-store';
import type { FileState, ScanState } from '../store/scan-store';
import { makeRow } from '../components/table/test-rows';
import type { TensorRow } from './tensor-row';
import { verdictModelOf, verdictOf } from './verdict-of';
import { tallyRows } from '../store/row-tally';
import { checkpointVerdict } from '../../core/report/verdict';
import fc from 'fast-check';
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

/** A state as the store publishes it: the counts kept with the rows (here counted in one pass). */
function state(parts: Partial<ScanState>): ScanState {
  const s: ScanState = { ...INITIAL_STATE, phase: 'done', files: [file(0, true)], ...parts };
  return { ...s, counts: tallyRows(s.rows, s.files) };
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
    expect(model.counts).toEqual({ tensors: 1, scanned: 1 });
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

/** The verdict the way the page computed it before the counts: every row, one pass. */
function verdictOfEveryRow(s: ScanState): ReturnType<typeof checkpointVerdict> {
  const present = s.rows.filter((r) => r.missing !== true);
  const model = verdictModelOf(s, null);
  return checkpointVerdict({
    ...model,
    counts: undefined,
    tensors: present.map((r) => ({
      name: r.info.name,
      dtype: r.stats?.dtype ?? r.info.dtype,
      stats: r.stats,
    })),
    failedTensors: present.filter((r) => r.failed === true).length,
  });
}

describe('verdictModelOf from the counts', () => {
  it('lists only the tensors with NaN/Inf, with the counts of all', () => {
    const rows: TensorRow[] = [
      makeRow('a', { stats: { nan: 2 } }),
      { ...makeRow('b', { stats: null }), failed: true },
      makeRow('c', { stats: null }),
      makeRow('d', { stats: {} }),
    ];
    const model = verdictModelOf(state({ rows }), null);
    expect(model.tensors.map((t) => t.name)).toEqual(['a']);
    expect(model.counts).toEqual({ tensors: 4, scanned: 2 });
    expect(model.failedTensors).toBe(1);
  });

  it('says what a pass over every row says, for any rows and phase (fast-check)', () => {
    const rowArb = fc
      .record({
        layer: fc.integer({ min: 0, max: 3 }),
        kind: fc.constantFrom('pending', 'clean', 'nan', 'inf', 'failed', 'missing'),
        scale: fc.boolean(),
        dtype: fc.constantFrom('F32' as const, 'F8_E4M3' as const),
      })
      .map(({ layer, kind, scale, dtype }): TensorRow => {
        const name = `model.layers.${layer}.mlp.${scale ? 'weight_scale' : 'weight'}`;
        const stats =
          kind === 'clean'
            ? {}
            : kind === 'nan'
              ? { nan: 3 }
              : kind === 'inf'
                ? { posInf: 1 }
                : null;
        const row = makeRow(name, { dtype, stats });
        return kind === 'failed'
          ? { ...row, failed: true }
          : kind === 'missing'
            ? { ...row, missing: true }
            : row;
      });
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 30 }),
        fc.constantFrom('scanning' as const, 'done' as const, 'cancelled' as const),
        (rows, phase) => {
          const s = state({ rows, phase });
          expect(verdictOf(s, null)).toEqual(verdictOfEveryRow(s));
        },
      ),
    );
  });
});
