import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../quant-types';
import { compareFindings } from './lint-checkpoint';
import { sortFindings } from './sort-findings';

const findingArb: fc.Arbitrary<Finding> = fc.record({
  rule: fc.constantFrom('bad-global-scale', 'nan-scale', 'missing-input-scale'),
  severity: fc.constantFrom('error', 'warning', 'info'),
  file: fc.constantFrom('a.safetensors', 'b.safetensors', null),
  module: fc.constantFrom('m.1', 'm.10', 'm.2', 'M.2', null),
  tensor: fc.constantFrom('m.1.input_scale', 'm.1.weight_scale_2', 'M.1.input_scale', null),
  count: fc.integer({ min: 0, max: 3 }),
  message: fc.constant('x'),
}) as fc.Arbitrary<Finding>;

describe('sortFindings', () => {
  it('gives what a stable sort by compareFindings gives, equal findings in their order', () => {
    fc.assert(
      fc.property(fc.array(findingArb, { maxLength: 60 }), (findings) => {
        const expected = findings.slice().sort(compareFindings);
        const sorted = sortFindings(findings.slice(), compareFindings);
        // The same objects in the same places (equal findings are told apart by identity).
        expect(sorted).toHaveLength(expected.length);
        sorted.forEach((f, i) => expect(f).toBe(expected[i]));
      }),
      { numRuns: 1000 },
    );
  });
});
