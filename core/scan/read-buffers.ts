import { giveBackArenaReadBuffer, takeArenaReadBuffer } from './wasm/scan-instance';

/**
 * Read buffers kept for the next scan: allocating (and zeroing) two 8 MiB chunk buffers per tensor
 * costs as much memory traffic as a quarter of a 32 MiB tensor's scan. Two per scan in flight.
 */
const MAX_POOLED_BUFFERS = 4;
const pool: Uint8Array[] = [];

/**
 * A buffer of at least `size` bytes: one of the WASM arena's (kernels scan those without a copy)
 * when one fits and is free, else the most recently returned one that is large enough, or new.
 */
export function takeReadBuffer(size: number): Uint8Array {
  const arena = takeArenaReadBuffer(size);
  if (arena !== null) {
    return arena;
  }
  for (let i = pool.length - 1; i >= 0; i--) {
    if (pool[i].length >= size) {
      return pool.splice(i, 1)[0];
    }
  }
  return new Uint8Array(size);
}

/** Returns buffers no read or kernel uses any more. */
export function giveBackReadBuffers(buffers: readonly Uint8Array[]): void {
  for (const b of buffers) {
    if (!giveBackArenaReadBuffer(b) && pool.length < MAX_POOLED_BUFFERS && !pool.includes(b)) {
      pool.push(b);
    }
  }
}
