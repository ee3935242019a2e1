import { describe, expect, it } from 'vitest';
import type { Candidate } from './classify/candidate';
import { contextScheme, loneFits, mostFrequent } from './scheme-context';

function candidate(
  scheme: Candidate['scheme'],
  producer: Candidate['producer'],
  lone: Candidate['lone'] = null,
): Candidate {
  return {
    scheme,
    producer,
    lone,
    recipe: { decoder: 'none' },
    roles: {},
    scaleEncoding: 'float',
    required: [],
  };
}

describe('scheme context', () => {
  it('breaks frequency ties by the given order', () => {
    expect(mostFrequent(['b', 'a', 'b', 'a'], ['a', 'b'])).toBe('a');
    expect(mostFrequent(['b', 'a', 'b'], ['a', 'b'])).toBe('b');
    expect(mostFrequent([], ['a'])).toBeUndefined();
  });

  it('prefers the config, else the most frequent known scheme', () => {
    expect(
      contextScheme({ kind: 'absent' }, [
        candidate('unknown', null),
        candidate('fp8-block', 'deepseek'),
      ]),
    ).toEqual({ scheme: 'fp8-block', producer: 'deepseek' });
    expect(
      contextScheme({ kind: 'absent' }, [candidate('unknown', null), candidate(null, null, 'fp8')]),
    ).toBeNull();
  });

  it('lets a lone FP8 weight join FP8 schemes and a lone U8 weight join U8-packed schemes only', () => {
    expect(loneFits(candidate(null, null, 'fp8'), { scheme: 'fp8-tensor', producer: null })).toBe(
      true,
    );
    expect(loneFits(candidate(null, null, 'fp8'), { scheme: 'nvfp4', producer: 'modelopt' })).toBe(
      false,
    );
    expect(loneFits(candidate(null, null, 'u8'), { scheme: 'nvfp4', producer: 'modelopt' })).toBe(
      true,
    );
    expect(
      loneFits(candidate(null, null, 'u8'), { scheme: 'nvfp4', producer: 'compressed-tensors' }),
    ).toBe(false);
    expect(loneFits(candidate(null, null, 'u8'), { scheme: 'awq', producer: 'modelopt' })).toBe(
      true,
    );
    expect(loneFits(candidate(null, null, 'u8'), { scheme: 'awq', producer: 'autoawq' })).toBe(
      false,
    );
  });
});
