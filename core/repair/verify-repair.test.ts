import { describe, expect, it } from 'vitest';
import { memorySource } from '../io/byte-source';
import { applyParts, openSpecs } from '../../fixtures/repair-fixtures';
import { planRepair } from './plan-repair';
import type { RepairPlan } from './plan-types';
import { repairParts } from './repair-parts';
import { parsePolicy } from './repair-policy';
import { verifyRepair } from './verify-repair';

const POLICY = parsePolicy('max,float-zero');

async function fixture(): Promise<{ input: Uint8Array; output: Uint8Array; plan: RepairPlan }> {
  if (!POLICY.ok) {
    throw new Error(POLICY.error);
  }
  const { bytes, source, header } = await openSpecs([
    {
      name: 's',
      dtype: 'F8_E4M3',
      shape: [2, 3],
      data: Uint8Array.of(0x7f, 0x38, 0xff, 0x80, 0x7f, 0x7e),
    },
    {
      name: 'f',
      dtype: 'F32',
      shape: [2],
      data: new Uint8Array(Float32Array.of(Number.NaN, 1).buffer),
    },
  ]);
  const plan = await planRepair(source, header, POLICY.value);
  if (!plan.ok) {
    throw plan.error;
  }
  return {
    input: bytes,
    output: applyParts(bytes, repairParts(plan.value, bytes.length)),
    plan: plan.value,
  };
}

const src = (name: string, bytes: Uint8Array) => memorySource(name, bytes);

describe('verifyRepair', () => {
  it('passes a correct repair: differing bytes = patches, patched tensors clean', async () => {
    const { input, output, plan } = await fixture();
    for (const chunkBytes of [1, 5, undefined]) {
      const r = await verifyRepair(src('in', input), src('out', output), plan, { chunkBytes });
      expect(r).toEqual({
        ok: true,
        value: {
          differingBytes: plan.patches.length,
          patchedTensorsClean: true,
          uncleanTensors: [],
        },
      });
    }
    expect(plan.patches.length).toBe(5); // 3 FP8 bytes + 2 bytes of the F32 NaN
  });

  it('fails on a stray byte, a missing patch, a size change and an unparsable output', async () => {
    const { input, output, plan } = await fixture();
    const stray = output.slice();
    stray[stray.length - 1] ^= 1;
    const missing = output.slice();
    missing[plan.patches[0].offset] = plan.patches[0].old;
    const cases = [
      await verifyRepair(src('in', input), src('out', stray), plan),
      await verifyRepair(src('in', input), src('out', missing), plan),
      await verifyRepair(src('in', input), src('out', output.subarray(0, output.length - 1)), plan),
      await verifyRepair(src('in', input), src('out', new Uint8Array(output.length)), plan),
    ];
    for (const r of cases) {
      expect(r.ok ? null : r.error.code).toBe('RepairVerifyFailed');
    }
    expect(cases[0].ok ? '' : cases[0].error.message).toContain('no patch was planned');
    expect(cases[3].ok ? '' : cases[3].error.message).toContain('header does not parse');
  });

  it('reports NaN left in a patched tensor (a plan that skipped one)', async () => {
    const { input, plan } = await fixture();
    const partial: RepairPlan = { ...plan, patches: plan.patches.slice(1) };
    const output = applyParts(input, repairParts(partial, input.length));
    const r = await verifyRepair(src('in', input), src('out', output), partial);
    expect(r).toEqual({
      ok: true,
      value: { differingBytes: 4, patchedTensorsClean: false, uncleanTensors: ['s'] },
    });
  });

  it('honours cancellation', async () => {
    const { input, output, plan } = await fixture();
    const r = await verifyRepair(src('in', input), src('out', output), plan, {
      signal: { aborted: true },
    });
    expect(r.ok ? null : r.error.code).toBe('Cancelled');
  });
});
