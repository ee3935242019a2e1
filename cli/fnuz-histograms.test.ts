import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './testing/run-cli';
import { SMALL_TENSOR_BYTES } from '../core/scan/scan-order';
import { modelOptConfig } from '../core/quant/testing/fixture-configs';
import { setBytes } from '../core/quant/testing/fixture-kit';
import { rawFixture } from '../core/quant/testing/lint-fixture';
import { fp8Module, randomMatrix } from '../core/quant/testing/modules-float';

interface Doc {
  findings: { rule: string; module: string | null; tensor: string | null; count: number }[];
}

const MODULE = 'model.layers.0.mlp.down_proj';
/** 1024 × 1040 F8_E4M3 bytes: past SMALL_TENSOR_BYTES, so no "small tensor" histogram. */
const ROWS = 1024;
const COLS = 1040;
/** Planted -0 bytes (NaN on e4m3fnuz). */
const NEG_ZERO_AT = [5, 70_000, 1_000_000];

let dir = '';
let expected = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptscope-fnuz-'));
  // The module's per-tensor scales from a small quantized matrix; its weight replaced by a large
  // one holding every finite E4M3 byte of either sign (quantizing a million values is slow).
  const bytes = new Uint8Array(ROWS * COLS);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = ((i & 1) << 7) | ((i * 7) % 0x7f);
  }
  const tensors = setBytes(
    `${MODULE}.weight`,
    NEG_ZERO_AT.map((i) => [i, 0x80] as const),
  )(
    fp8Module(MODULE, randomMatrix(32, 64, 77), 'modelopt-tensor').tensors.map((t) =>
      t.name === `${MODULE}.weight` ? { ...t, shape: [ROWS, COLS], data: bytes } : t,
    ),
  );
  const weight = tensors.find((t) => t.name === `${MODULE}.weight`);
  expect(weight?.data.length).toBeGreaterThan(SMALL_TENSOR_BYTES);
  // Counted straight from the bytes: 0x80, and magnitudes 0x78..0x7E (256..448) of either sign.
  for (const b of weight?.data ?? []) {
    expected += b === 0x80 || ((b & 0x7f) >= 0x78 && (b & 0x7f) <= 0x7e) ? 1 : 0;
  }
  for (const f of rawFixture(tensors, { hfQuantConfig: modelOptConfig('FP8') }).files) {
    writeFileSync(join(dir, f.name), f.bytes);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function findings(...flags: string[]): Promise<Doc['findings']> {
  const r = await cli('scan', '--json', '--no-progress', ...flags, dir);
  expect(r.stderr).toBe('');
  return (JSON.parse(r.stdout) as Doc).findings;
}

describe('fnuz-portability does not depend on --histograms', () => {
  it('a large F8_E4M3 weight gets the same finding with and without it, threaded or not', async () => {
    const without = await findings();
    const fnuz = without.filter((f) => f.rule === 'fnuz-portability');
    expect(fnuz.map((f) => [f.module, f.tensor, f.count])).toEqual([
      [MODULE, `${MODULE}.weight`, expected],
    ]);
    expect(expected).toBeGreaterThanOrEqual(NEG_ZERO_AT.length);
    expect(await findings('--histograms')).toEqual(without);
    expect(await findings('--threads', '1')).toEqual(without);
    expect(await findings('--threads', '1', '--histograms')).toEqual(without);
  });
});
