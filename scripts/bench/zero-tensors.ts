/**
 * Header-only checkpoints of very many tensors for the "1M tensors" rows of `npm run bench`
 * (issue 11: the app and the CLI at a million zero-size tensors). Names follow a MoE layout
 * (`layers.L.experts.E.wK`, 256 experts x 3 projections per layer) so the heatmap has layers and
 * modules to fold; they are short so that a million entries stay under core's 100 MB header limit
 * (MAX_HEADER_BYTES). Written through `ensureCheckpoint`: nothing is kept but the header string.
 *
 * Also runnable on its own: `tsx scripts/bench/zero-tensors.ts OUT COUNT [ELEMENTS]`.
 */
import { ensureCheckpoint } from './checkpoints';
import type { BenchTensor } from './checkpoints';

/** Experts per layer and projections per expert of the generated names. */
const EXPERTS = 256;
const PROJECTIONS = 3;

/**
 * `count` F32 tensors of `elements` elements each (0: zero-size, the header is the whole file;
 * 1: "many tiny tensors", 4 bytes of data each).
 */
export function zeroTensorsLayout(count: number, elements = 0): BenchTensor[] {
  const out: BenchTensor[] = [];
  const shape = [elements];
  const bytes = elements * 4;
  for (let i = 0; i < count; i++) {
    const layer = Math.floor(i / (EXPERTS * PROJECTIONS));
    const expert = Math.floor(i / PROJECTIONS) % EXPERTS;
    const projection = (i % PROJECTIONS) + 1;
    out.push({
      name: `layers.${layer}.experts.${expert}.w${projection}.weight`,
      dtype: 'F32',
      shape,
      bytes,
    });
  }
  return out;
}

/** Writes (unless present with the right size) the checkpoint; returns its path. */
export function ensureZeroTensors(path: string, count: number, elements = 0): string {
  ensureCheckpoint(path, zeroTensorsLayout(count, elements), { format: 'pt' });
  return path;
}

if (process.argv[1]?.endsWith('zero-tensors.ts') === true) {
  const [out, count, elements] = process.argv.slice(2);
  if (out === undefined || count === undefined) {
    process.stderr.write('usage: tsx scripts/bench/zero-tensors.ts OUT COUNT [ELEMENTS]\n');
    process.exit(2);
  }
  ensureZeroTensors(out, Number(count), Number(elements ?? '0'));
}
