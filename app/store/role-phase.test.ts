import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../../core/format/tensor-info';
import { planRoleJobs, splitByRole } from './role-phase';

const t = (name: string, dtype: TensorInfo['dtype'], offset: number): TensorInfo => ({
  name,
  dtype,
  shape: [4],
  offset,
  nbytes: 4,
  elements: 4,
});

describe('splitByRole', () => {
  it('scans every dtype but U8 now, and U8 tensors decoded by role once the roles are in', () => {
    const file = { name: 'a.safetensors', file: new Blob([]) };
    const planned = [
      {
        fileId: 0,
        file,
        tensors: [t('x_scales', 'U8', 0), t('x_blocks', 'U8', 4), t('norm.weight', 'F32', 8)],
        rows: [10, 11, 12],
      },
    ];
    const { now, later } = splitByRole(planned);
    expect(now[0]?.tensors.map((x) => x.name)).toEqual(['norm.weight']);
    expect(now[0]?.rows).toEqual([12]);
    expect(later[0]?.tensors.map((x) => x.name)).toEqual(['x_scales', 'x_blocks']);
    expect(later[0]?.rows).toEqual([10, 11]);
    const jobs = planRoleJobs(later, [
      { file: 'a.safetensors', tensor: 'x_scales', as: 'F8_E8M0' },
      { file: 'a.safetensors', tensor: 'x_blocks', as: 'F4' },
    ]);
    const scanned = jobs.flatMap((j) => j.tensors.map((x) => [x.name, x.dtype, x.elements]));
    expect(scanned).toEqual([
      ['x_scales', 'F8_E8M0', 4],
      ['x_blocks', 'F4', 8],
    ]);
    expect(jobs.flatMap((j) => j.rows)).toEqual([10, 11]);
    const plain = { fileId: 1, file, tensors: [t('w', 'BF16', 0)], rows: [0] };
    const split = splitByRole([plain]);
    expect(split.later).toEqual([]);
    // A local file without U8 tensors is planned as given, without a copy of its tensors.
    expect(split.now[0]).toBe(plain);
  });
});
