import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../../scan/wasm/base64';
import { acquireDiffInstance, diffKernelsAvailable, releaseDiffInstance } from './diff-instance';
import { DIFF_KERNELS_WASM_BASE64 } from './diff-kernels.wasm';

// `node scripts/build-wasm.mjs --check` (run by core/scan/wasm/scan-kernels-build.test.ts) checks
// that diff-kernels.wasm.ts is up to date with diff-kernels.wat, as it does for the scan kernels.
describe('diff-kernels.wasm.ts (generated from diff-kernels.wat)', () => {
  it('is a small WebAssembly module that compiles here', () => {
    const bytes = decodeBase64(DIFF_KERNELS_WASM_BASE64);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x00, 0x61, 0x73, 0x6d]); // "\0asm"
    // Compiled synchronously: the diff runs in the CLI and in the compare worker, where any size
    // compiles; on a browser main thread (over 4 KB) the compile throws and the JS path is used.
    expect(bytes.length).toBeLessThan(16384);
    expect(diffKernelsAvailable()).toBe(true);
  });

  it('exports the memory layout its code assumes', () => {
    const wasm = acquireDiffInstance();
    if (wasm === null) {
      throw new Error('WebAssembly SIMD is not available');
    }
    try {
      expect({
        slotBytes: wasm.slotBytes,
        state: wasm.state,
        levels: wasm.levels,
        table: wasm.table,
      }).toEqual({ slotBytes: 0x1800, state: 0, levels: 0x200, table: 0x400 });
    } finally {
      releaseDiffInstance(wasm);
    }
  });
});
