import { describe, expect, it } from 'vitest';
import { info } from '../testing/tensor-info';
import { rolesOf } from './candidate';

describe('rolesOf', () => {
  it('keeps only the roles that have a tensor', () => {
    const weight = { file: 'f', info: info('w', 'U8', [2]) };
    expect(rolesOf({ weight, scale: undefined })).toEqual({ weight });
  });
});
