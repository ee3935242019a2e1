import { describe, expect, it } from 'vitest';
import { DEFAULT_REPAIR_POLICY } from '../core/repair/repair-policy';
import { parseRepairArgs } from './repair-args';

describe('parseRepairArgs', () => {
  it('reads IN, -o/--output and the defaults', () => {
    const expected = {
      kind: 'run',
      args: {
        input: 'in.safetensors',
        output: 'out.safetensors',
        policy: DEFAULT_REPAIR_POLICY,
        manifest: null,
        sha256: false,
        dryRun: false,
        force: false,
        json: false,
        chunkBytes: undefined,
        showProgress: true,
      },
    };
    expect(parseRepairArgs(['in.safetensors', '-o', 'out.safetensors'])).toEqual(expected);
    expect(parseRepairArgs(['--output', 'out.safetensors', 'in.safetensors'])).toEqual(expected);
  });

  it('reads every option', () => {
    const r = parseRepairArgs([
      'in',
      '-o',
      'out',
      '--policy',
      'zero,e8m0:127',
      '--manifest',
      'm.json',
      '--sha256',
      '--json',
      '--chunk-bytes',
      '64',
      '--force',
    ]);
    expect(r).toMatchObject({
      kind: 'run',
      args: {
        policy: { fp8: { kind: 'zero' }, e8m0: { byte: 127 }, float: null },
        manifest: 'm.json',
        sha256: true,
        json: true,
        chunkBytes: 64,
        showProgress: false,
        force: true,
      },
    });
    expect(parseRepairArgs(['in', '--dry-run'])).toMatchObject({
      kind: 'run',
      args: { output: null, dryRun: true },
    });
    expect(parseRepairArgs(['-h'])).toEqual({ kind: 'help' });
  });

  it.each([
    [[], 'exactly one IN'],
    [['a', 'b', '-o', 'x'], 'exactly one IN'],
    [['a'], 'needs -o OUT'],
    [['a', '-o', ''], 'needs -o OUT'],
    [['a', '-o'], 'argument missing'],
    [['a', '-o', 'x', '--policy', 'nan'], '--policy: unknown policy item "nan"'],
    [['a', '-o', 'x', '--chunk-bytes', '0'], 'positive whole number'],
    [['a', '-o', 'x', '--chunk-bytes', '1.5'], 'positive whole number'],
    [['a', '--dry-run', '--manifest', 'm'], '--dry-run writes nothing'],
    [['a', '-o', 'x', '--bogus'], 'bogus'],
  ])('rejects %j', (argv, message) => {
    const r = parseRepairArgs(argv);
    expect(r.kind).toBe('usage-error');
    expect(r.kind === 'usage-error' ? r.message : '').toContain(message);
  });
});
