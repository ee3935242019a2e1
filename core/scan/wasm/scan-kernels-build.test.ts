import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeBase64 } from './base64';
import { acquireScanInstance, releaseScanInstance } from './scan-instance';
import { SCAN_KERNELS_WASM_BASE64 } from './scan-kernels.wasm';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('scan-kernels.wasm.ts (generated from scan-kernels.wat)', () => {
  it('is up to date with scan-kernels.wat', () => {
    // Exits non-zero (and execFileSync throws) when assembling the .wat gives a different file.
    execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { cwd: ROOT });
  });

  it('is a small WebAssembly module', () => {
    const bytes = decodeBase64(SCAN_KERNELS_WASM_BASE64);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x00, 0x61, 0x73, 0x6d]); // "\0asm"
    // Browsers compile modules up to 4 KB synchronously on a main thread.
    expect(bytes.length).toBeLessThan(4096);
  });

  it('exports the memory layout its code assumes', () => {
    const wasm = acquireScanInstance();
    try {
      expect({
        table0: wasm.table0,
        table1: wasm.table1,
        stage: wasm.stage,
        stageBytes: wasm.stageBytes,
        found: wasm.found,
        foundCapacity: wasm.foundCapacity,
        state: wasm.state,
      }).toEqual({
        table0: 0,
        table1: 0x40000,
        stage: 0x80000,
        stageBytes: 0x40000,
        found: 0xc0000,
        foundCapacity: 4096,
        state: 0xc4000,
      });
    } finally {
      releaseScanInstance(wasm);
    }
  });
});
