/**
 * Synthetic checkpoints for `npm run bench`, written tensor by tensor (never more than one pattern
 * buffer in memory):
 * - an NVFP4 checkpoint in ModelOpt's layout (U8 packed FP4 weights, F8_E4M3 block scales, F32
 *   global and input scales) with BF16 embeddings, lm_head and norms, Llama-8B shaped, cut to a
 *   byte size by its layer count; a few scale bytes are NaN (0x7F) as the ModelOpt bug wrote them;
 * - headers of many tiny tensors (100,000 F32 tensors; a 94-layer x 256-expert MoE) for the
 *   table and heatmap timings.
 */
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

type BenchDtype = 'BF16' | 'U8' | 'F8_E4M3' | 'F32';

export interface BenchTensor {
  readonly name: string;
  readonly dtype: BenchDtype;
  readonly shape: readonly number[];
  readonly bytes: number;
}

const ELEMENT_BYTES: Record<BenchDtype, number> = { BF16: 2, U8: 1, F8_E4M3: 1, F32: 4 };

function tensor(name: string, dtype: BenchDtype, shape: readonly number[]): BenchTensor {
  return { name, dtype, shape, bytes: shape.reduce((n, d) => n * d, 1) * ELEMENT_BYTES[dtype] };
}

/** Llama-3-8B shapes: hidden 4096, MLP 14336, 8 KV heads of 128. */
const HIDDEN = 4096;
const INTERMEDIATE = 14336;
const KV = 1024;
/** NVFP4: one FP8 scale per 16 FP4 values, two FP4 values per byte. */
const BLOCK = 16;

function nvfp4Linear(prefix: string, out: number, inp: number): BenchTensor[] {
  return [
    tensor(`${prefix}.weight`, 'U8', [out, inp / 2]),
    tensor(`${prefix}.weight_scale`, 'F8_E4M3', [out, inp / BLOCK]),
    tensor(`${prefix}.weight_scale_2`, 'F32', []),
    tensor(`${prefix}.input_scale`, 'F32', []),
  ];
}

function layerTensors(i: number): BenchTensor[] {
  const p = `model.layers.${i}`;
  return [
    tensor(`${p}.input_layernorm.weight`, 'BF16', [HIDDEN]),
    tensor(`${p}.post_attention_layernorm.weight`, 'BF16', [HIDDEN]),
    ...nvfp4Linear(`${p}.self_attn.q_proj`, HIDDEN, HIDDEN),
    ...nvfp4Linear(`${p}.self_attn.k_proj`, KV, HIDDEN),
    ...nvfp4Linear(`${p}.self_attn.v_proj`, KV, HIDDEN),
    ...nvfp4Linear(`${p}.self_attn.o_proj`, HIDDEN, HIDDEN),
    ...nvfp4Linear(`${p}.mlp.gate_proj`, INTERMEDIATE, HIDDEN),
    ...nvfp4Linear(`${p}.mlp.up_proj`, INTERMEDIATE, HIDDEN),
    ...nvfp4Linear(`${p}.mlp.down_proj`, HIDDEN, INTERMEDIATE),
  ];
}

const sum = (ts: readonly BenchTensor[]): number => ts.reduce((n, t) => n + t.bytes, 0);

/**
 * The NVFP4 layout with at least `minBytes` of tensor data: BF16 embed_tokens and lm_head of
 * `vocab` rows, then as many layers as needed (in file order: embeddings, layers, norm, lm_head).
 */
export function nvfp4Layout(minBytes: number, vocab: number): BenchTensor[] {
  const head = [tensor('model.embed_tokens.weight', 'BF16', [vocab, HIDDEN])];
  const tail = [
    tensor('model.norm.weight', 'BF16', [HIDDEN]),
    tensor('lm_head.weight', 'BF16', [vocab, HIDDEN]),
  ];
  const perLayer = sum(layerTensors(0));
  const layers = Math.max(1, Math.ceil((minBytes - sum(head) - sum(tail)) / perLayer));
  return [...head, ...Array.from({ length: layers }, (_, i) => layerTensors(i)).flat(), ...tail];
}

/** Share of the layout's bytes held by FP8 block scales, and by BF16 tensors. */
export function layoutShares(tensors: readonly BenchTensor[]): { scales: number; bf16: number } {
  const total = sum(tensors);
  return {
    scales: sum(tensors.filter((t) => t.dtype === 'F8_E4M3')) / total,
    bf16: sum(tensors.filter((t) => t.dtype === 'BF16')) / total,
  };
}

function headerBytes(tensors: readonly BenchTensor[], metadata: Record<string, string>): Buffer {
  let offset = 0;
  const entries = [`"__metadata__":${JSON.stringify(metadata)}`];
  for (const t of tensors) {
    entries.push(
      `${JSON.stringify(t.name)}:{"dtype":"${t.dtype}","shape":${JSON.stringify(t.shape)},"data_offsets":[${offset},${offset + t.bytes}]}`,
    );
    offset += t.bytes;
  }
  let header = `{${entries.join(',')}}`;
  header += ' '.repeat((8 - (Buffer.byteLength(header) % 8)) % 8);
  const body = Buffer.from(header, 'utf8');
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(body.length));
  return Buffer.concat([prefix, body]);
}

/** The file size `writeCheckpoint` produces for these tensors. */
export function fileSizeOf(tensors: readonly BenchTensor[], metadata: Record<string, string>) {
  return headerBytes(tensors, metadata).length + sum(tensors);
}

/** A cheap deterministic generator (LCG), so files are the same on every machine. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s;
  };
}

/** Pattern bytes per dtype; larger tensors repeat it (with a twist per piece). */
const PATTERN_BYTES = 32 * 1024 * 1024;

/** One pattern buffer per dtype, PATTERN_BYTES each. */
function patterns(): Record<BenchDtype, Uint8Array> {
  const next = lcg(12345);
  // BF16 ~ uniform(-0.025, 0.025): the top half of an F32.
  const bf16 = new Uint16Array(PATTERN_BYTES / 2);
  const f = new Float32Array(1);
  const u = new Uint16Array(f.buffer);
  for (let i = 0; i < bf16.length; i++) {
    f[0] = ((next() >>> 8) / 16777216 - 0.5) * 0.05;
    bf16[i] = u[1];
  }
  // Packed FP4: any byte is two valid E2M1 codes.
  const u8 = new Uint8Array(PATTERN_BYTES);
  for (let i = 0; i < u8.length; i += 4) {
    const r = next();
    u8[i] = r;
    u8[i + 1] = r >>> 8;
    u8[i + 2] = r >>> 16;
    u8[i + 3] = r >>> 24;
  }
  // FP8 E4M3 block scales: finite, positive, 2^-7 .. 2^8 (codes 0x08..0x77).
  const f8 = new Uint8Array(PATTERN_BYTES);
  for (let i = 0; i < f8.length; i++) {
    f8[i] = 0x08 + ((next() >>> 16) % 0x70);
  }
  // F32: NVFP4 global scales (amax / (448 * 6)) and tiny test tensors.
  const f32 = new Float32Array(PATTERN_BYTES / 4).fill(1 / 448 / 6);
  return {
    BF16: new Uint8Array(bf16.buffer),
    U8: u8,
    F8_E4M3: f8,
    F32: new Uint8Array(f32.buffer),
  };
}

/** NaN scale bytes (0x7F) in every this-many-th block-scale tensor. */
const NAN_SCALE_EVERY = 25;

/**
 * Writes the checkpoint to `path` (tensor data follows the given layout). Each piece of each
 * tensor gets a one-byte twist so no two are identical; every NAN_SCALE_EVERY-th block-scale
 * tensor holds one NaN byte.
 */
export function writeCheckpoint(
  path: string,
  tensors: readonly BenchTensor[],
  metadata: Record<string, string>,
): void {
  mkdirSync(dirname(path), { recursive: true });
  const pattern = patterns();
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, headerBytes(tensors, metadata));
    let scaleIndex = 0;
    tensors.forEach((t, k) => {
      const nanScale = t.dtype === 'F8_E4M3' && scaleIndex++ % NAN_SCALE_EVERY === 0;
      for (let done = 0; done < t.bytes; done += PATTERN_BYTES) {
        const data = pattern[t.dtype].subarray(0, Math.min(PATTERN_BYTES, t.bytes - done));
        const at = (k * 7919 + done) % data.length;
        const saved = data[at];
        if (t.dtype === 'F8_E4M3') {
          data[at] = nanScale && done === 0 ? 0x7f : 0x38;
        } else if (t.dtype !== 'F32') {
          data[at] ^= 1;
        }
        writeSync(fd, data);
        data[at] = saved;
      }
    });
  } finally {
    closeSync(fd);
  }
}

/** Writes the file unless it already exists with the expected size; returns whether it wrote. */
export function ensureCheckpoint(
  path: string,
  tensors: readonly BenchTensor[],
  metadata: Record<string, string>,
): boolean {
  if (existsSync(path) && statSync(path).size === fileSizeOf(tensors, metadata)) {
    return false;
  }
  writeCheckpoint(path, tensors, metadata);
  return true;
}

/**
 * `count` tiny F32 [4] tensors named like a DeepSeek-V3 style FP8 checkpoint (the real shape of a
 * 100,000-tensor file): per layer, norms, attention and router, then 256 experts with three
 * projections, each a weight and its `weight_scale_inv`; as many layers as `count` needs.
 */
export function manyTensorsLayout(count: number): BenchTensor[] {
  const out: BenchTensor[] = [];
  for (let l = 0; out.length < count; l++) {
    const p = `model.layers.${l}`;
    for (const n of ['input_layernorm', 'post_attention_layernorm', 'mlp.gate']) {
      out.push(tensor(`${p}.${n}.weight`, 'F32', [4]));
    }
    for (const n of ['q_proj', 'kv_a_proj_with_mqa', 'o_proj']) {
      out.push(tensor(`${p}.self_attn.${n}.weight`, 'F32', [4]));
    }
    for (let e = 0; e < 256; e++) {
      for (const proj of ['gate_proj', 'up_proj', 'down_proj']) {
        out.push(tensor(`${p}.mlp.experts.${e}.${proj}.weight`, 'F32', [4]));
        out.push(tensor(`${p}.mlp.experts.${e}.${proj}.weight_scale_inv`, 'F32', [4]));
      }
    }
  }
  return out.slice(0, count);
}

/** A MoE header: `layers` x `experts` experts with three tiny projections each, plus a router. */
export function moeLayout(layers: number, experts: number): BenchTensor[] {
  const out: BenchTensor[] = [];
  for (let l = 0; l < layers; l++) {
    out.push(tensor(`model.layers.${l}.mlp.gate.weight`, 'BF16', [experts, 4]));
    for (let e = 0; e < experts; e++) {
      for (const proj of ['gate_proj', 'up_proj', 'down_proj']) {
        out.push(tensor(`model.layers.${l}.mlp.experts.${e}.${proj}.weight`, 'BF16', [2, 2]));
      }
    }
  }
  return out;
}
