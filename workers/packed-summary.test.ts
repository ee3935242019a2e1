import { describe, expect, it } from 'vitest';
import { buildSafetensors } from '../core/format/build-safetensors';
import { memorySource } from '../core/io/byte-source';
import { openCheckpoint } from '../core/format/open-checkpoint';
import { summarizeCheckpoint } from './checkpoint-summary';
import { packedBuffers, packSummary } from './packed-summary';

describe('packedBuffers', () => {
  it("lists each column's buffer of every valid file once, and a transfer keeps the summary whole", async () => {
    const shard = (names: readonly string[]) =>
      buildSafetensors(
        names.map((name) => ({ name, dtype: 'F32', shape: [1], data: new Uint8Array(4) })),
        { format: 'pt' },
      );
    const packed = packSummary(
      summarizeCheckpoint(
        await openCheckpoint([
          memorySource('a.safetensors', shard(['x', 'y'])),
          memorySource('b.safetensors', shard(['z'])),
          memorySource('broken.safetensors', new Uint8Array([1, 2, 3])),
        ]),
      ),
    );
    const buffers = packedBuffers(packed);
    expect(buffers).toHaveLength(16);
    expect(new Set(buffers).size).toBe(16);
    const copy = structuredClone(packed);
    const moved = structuredClone(packed, { transfer: buffers });
    expect(moved).toEqual(copy);
    expect(packed.files[0].header?.packed.offsets.length).toBe(0); // detached: moved, not copied
  });
});
