/**
 * Writes the bundled sample checkpoint to public/sample/: a tiny Llama-shaped model quantized to
 * NVFP4 in NVIDIA ModelOpt's export layout, in two shards with an index, config.json and
 * hf_quant_config.json. Two layers carry the ModelOpt 0.44 fault: NaN bytes (0x7F/0xFF) in
 * `weight_scale`. Deterministic: the same bytes on every run.
 *
 *   layer 3 self_attn.o_proj.weight_scale: 2 NaN bytes whose FP4 blocks are all zero (a neutral repair)
 *   layer 6 mlp.down_proj.weight_scale:    3 NaN bytes over non-zero blocks (a lossy repair)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSafetensors } from '../core/format/build-safetensors';
import type { TensorSpec } from '../core/format/build-safetensors';

const OUT = join(import.meta.dirname, '..', 'public', 'sample');
const HIDDEN = 128;
const INTERMEDIATE = 256;
const LAYERS = 8;
const VOCAB = 512;
const NVFP4_BLOCK = 16;
const E2M1 = [0, 0.5, 1, 1.5, 2, 3, 4, 6];

/** Planted faults: [layer, module, scale row, scale column, byte]. */
export const PLANTED_NAN_SCALES: readonly [number, string, number, number, number][] = [
  [3, 'self_attn.o_proj', 5, 2, 0x7f],
  [3, 'self_attn.o_proj', 77, 6, 0xff],
  [6, 'mlp.down_proj', 10, 3, 0x7f],
  [6, 'mlp.down_proj', 10, 4, 0x7f],
  [6, 'mlp.down_proj', 100, 15, 0xff],
];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20261123);
function gaussian(): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function e4m3Value(code: number): number {
  const s = code & 0x80 ? -1 : 1;
  const e = (code >> 3) & 0xf;
  const m = code & 7;
  return e === 0 ? s * 2 ** -6 * (m / 8) : s * 2 ** (e - 7) * (1 + m / 8);
}
/** Nearest finite E4M3 code (saturating, as a clamped cast would); positive inputs only here. */
function encodeE4M3(x: number): number {
  let best = 0;
  for (let c = 0; c < 0x7f; c++) {
    if (Math.abs(e4m3Value(c) - x) < Math.abs(e4m3Value(best) - x)) {
      best = c;
    }
  }
  return best;
}
function encodeE2M1(x: number): number {
  let best = 0;
  for (let c = 0; c < 8; c++) {
    if (Math.abs(E2M1[c] - Math.abs(x)) < Math.abs(E2M1[best] - Math.abs(x))) {
      best = c;
    }
  }
  return best === 0 ? 0 : best | (x < 0 ? 8 : 0);
}

function bf16(values: Float32Array): Uint8Array {
  const u32 = new Uint32Array(values.buffer);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    out[i] = (u32[i] + 0x7fff + ((u32[i] >> 16) & 1)) >>> 16;
  }
  return new Uint8Array(out.buffer);
}
function f32(value: number): Uint8Array {
  return new Uint8Array(Float32Array.of(value).buffer);
}
function randomMatrix(rows: number, cols: number, std: number): Float32Array {
  return Float32Array.from({ length: rows * cols }, () => gaussian() * std);
}

/** ModelOpt NVFP4: weight U8 [R, C/2] low nibble first, weight_scale F8_E4M3 [R, C/16], globals F32 []. */
function nvfp4Linear(
  prefix: string,
  [rows, cols, w]: Drawn,
  layer: number,
  module: string,
  globalScale = amaxOf(w) / (6 * 448),
): TensorSpec[] {
  const blocksPerRow = cols / NVFP4_BLOCK;
  const scales = new Uint8Array(rows * blocksPerRow);
  const packed = new Uint8Array((rows * cols) / 2);
  const planted = PLANTED_NAN_SCALES.filter(([l, m]) => l === layer && m === module);
  for (let r = 0; r < rows; r++) {
    for (let b = 0; b < blocksPerRow; b++) {
      const fault = planted.find(([, , pr, pc]) => pr === r && pc === b);
      const neutral = fault !== undefined && module === 'self_attn.o_proj';
      let blockAmax = 0;
      for (let k = 0; k < NVFP4_BLOCK; k++) {
        blockAmax = Math.max(blockAmax, Math.abs(w[r * cols + b * NVFP4_BLOCK + k]));
      }
      const scaleCode = encodeE4M3(blockAmax / 6 / globalScale);
      const scale = e4m3Value(scaleCode) * globalScale;
      scales[r * blocksPerRow + b] = fault === undefined ? scaleCode : fault[4];
      for (let k = 0; k < NVFP4_BLOCK; k += 2) {
        const i = r * cols + b * NVFP4_BLOCK + k;
        const lo = neutral || scale === 0 ? 0 : encodeE2M1(w[i] / scale);
        const hi = neutral || scale === 0 ? 0 : encodeE2M1(w[i + 1] / scale);
        packed[i / 2] = lo | (hi << 4);
      }
    }
  }
  return [
    { name: `${prefix}.weight`, dtype: 'U8', shape: [rows, cols / 2], data: packed },
    { name: `${prefix}.weight_scale`, dtype: 'F8_E4M3', shape: [rows, blocksPerRow], data: scales },
    { name: `${prefix}.weight_scale_2`, dtype: 'F32', shape: [], data: f32(globalScale) },
    { name: `${prefix}.input_scale`, dtype: 'F32', shape: [], data: f32(0.5 / (6 * 448)) },
  ];
}

/** A weight drawn before it is quantized: [rows, cols, values]. */
type Drawn = [number, number, Float32Array];

function draw(rows: number, cols: number): Drawn {
  return [rows, cols, randomMatrix(rows, cols, 0.02)];
}

function amaxOf(w: Float32Array): number {
  return w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

/**
 * The global scale ModelOpt writes for siblings a runtime fuses (q/k/v, gate/up): one amax over
 * all of them, so they carry the same `weight_scale_2` (fused-scale-mismatch otherwise).
 */
function fusedGlobal(siblings: readonly Drawn[]): number {
  return siblings.reduce((m, [, , w]) => Math.max(m, amaxOf(w)), 0) / (6 * 448);
}

function layerTensors(n: number): TensorSpec[] {
  const p = `model.layers.${n}`;
  const norm = (name: string): TensorSpec => ({
    name,
    dtype: 'BF16',
    shape: [HIDDEN],
    data: bf16(Float32Array.from({ length: HIDDEN }, () => 1 + gaussian() * 0.05)),
  });
  // Drawn in the order the tensors are written, so the random stream is what it always was.
  const inputNorm = norm(`${p}.input_layernorm.weight`);
  const [q, k, v, o] = [0, 1, 2, 3].map(() => draw(HIDDEN, HIDDEN));
  const postNorm = norm(`${p}.post_attention_layernorm.weight`);
  const [gate, up] = [0, 1].map(() => draw(INTERMEDIATE, HIDDEN));
  const down = draw(HIDDEN, INTERMEDIATE);
  const qkv = fusedGlobal([q, k, v]);
  const gateUp = fusedGlobal([gate, up]);
  return [
    inputNorm,
    ...nvfp4Linear(`${p}.self_attn.q_proj`, q, n, 'self_attn.q_proj', qkv),
    ...nvfp4Linear(`${p}.self_attn.k_proj`, k, n, 'self_attn.k_proj', qkv),
    ...nvfp4Linear(`${p}.self_attn.v_proj`, v, n, 'self_attn.v_proj', qkv),
    ...nvfp4Linear(`${p}.self_attn.o_proj`, o, n, 'self_attn.o_proj'),
    postNorm,
    ...nvfp4Linear(`${p}.mlp.gate_proj`, gate, n, 'mlp.gate_proj', gateUp),
    ...nvfp4Linear(`${p}.mlp.up_proj`, up, n, 'mlp.up_proj', gateUp),
    ...nvfp4Linear(`${p}.mlp.down_proj`, down, n, 'mlp.down_proj'),
  ];
}

const SHARDS = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
const shard1: TensorSpec[] = [
  {
    name: 'model.embed_tokens.weight',
    dtype: 'BF16',
    shape: [VOCAB, HIDDEN],
    data: bf16(randomMatrix(VOCAB, HIDDEN, 0.02)),
  },
  ...[0, 1, 2, 3].flatMap(layerTensors),
];
const shard2: TensorSpec[] = [
  ...[4, 5, 6, 7].flatMap(layerTensors),
  {
    name: 'model.norm.weight',
    dtype: 'BF16',
    shape: [HIDDEN],
    data: bf16(Float32Array.from({ length: HIDDEN }, () => 1)),
  },
  {
    name: 'lm_head.weight',
    dtype: 'BF16',
    shape: [VOCAB, HIDDEN],
    data: bf16(randomMatrix(VOCAB, HIDDEN, 0.02)),
  },
];

mkdirSync(OUT, { recursive: true });
const metadata = { format: 'pt' };
const weightMap: Record<string, string> = {};
let totalSize = 0;
[shard1, shard2].forEach((tensors, i) => {
  writeFileSync(join(OUT, SHARDS[i]), buildSafetensors(tensors, metadata));
  for (const t of tensors) {
    weightMap[t.name] = SHARDS[i];
    totalSize += t.data.length;
  }
});
const sortedMap = Object.fromEntries(
  Object.entries(weightMap).sort(([a], [b]) => a.localeCompare(b)),
);
writeFileSync(
  join(OUT, 'model.safetensors.index.json'),
  `${JSON.stringify({ metadata: { total_size: totalSize }, weight_map: sortedMap }, null, 2)}\n`,
);
const excluded = ['lm_head'];
writeFileSync(
  join(OUT, 'hf_quant_config.json'),
  `${JSON.stringify(
    {
      producer: { name: 'modelopt', version: '0.44.0' },
      quantization: {
        quant_algo: 'NVFP4',
        kv_cache_quant_algo: null,
        group_size: NVFP4_BLOCK,
        exclude_modules: excluded,
      },
    },
    null,
    2,
  )}\n`,
);
writeFileSync(
  join(OUT, 'config.json'),
  `${JSON.stringify(
    {
      architectures: ['LlamaForCausalLM'],
      model_type: 'llama',
      hidden_size: HIDDEN,
      intermediate_size: INTERMEDIATE,
      num_hidden_layers: LAYERS,
      vocab_size: VOCAB,
      torch_dtype: 'bfloat16',
      quantization_config: {
        quant_method: 'modelopt',
        quant_algo: 'NVFP4',
        ignore: excluded,
        config_groups: {
          group_0: {
            weights: { num_bits: 4, type: 'float', group_size: NVFP4_BLOCK },
            input_activations: { num_bits: 4, type: 'float', group_size: NVFP4_BLOCK },
          },
        },
      },
    },
    null,
    2,
  )}\n`,
);
const files = [...SHARDS, 'model.safetensors.index.json', 'config.json', 'hf_quant_config.json'];
writeFileSync(
  join(OUT, 'manifest.json'),
  `${JSON.stringify(
    {
      name: 'tiny-llama-nvfp4 (ModelOpt 0.44 export with NaN scales)',
      description:
        'An 8-layer Llama-shaped model quantized to NVFP4 in ModelOpt layout, two shards and an index. Layers 3 and 6 carry NaN bytes in weight_scale, as unclamped FP8 casts wrote them.',
      files,
    },
    null,
    2,
  )}\n`,
);
process.stdout.write(`sample checkpoint written to ${OUT} (${files.length} files)\n`);
