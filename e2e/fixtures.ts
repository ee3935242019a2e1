import { readFileSync } from 'node:fs';
import { buildSafetensors, assembleSafetensors } from '../core/format/build-safetensors';
import type { TensorSpec } from '../core/format/build-safetensors';
import type { InMemoryFile } from './app-page';

/** A BF16 NaN (quiet, positive). */
const BF16_NAN = 0x7fc0;
const BF16_ONE = 0x3f80;
/** FP8 E4M3 codes: 1.0 and the two NaN codes. */
const E4M3_ONE = 0x38;
const E4M3_NANS = [0x7f, 0xff];

/** Planted NaN flat indices per tensor: the expectations every test compares against. */
export const PLANTED: Readonly<Record<string, readonly number[]>> = {
  'model.layers.1.self_attn.q_proj.weight_scale': [3, 17],
  'model.layers.3.self_attn.q_proj.weight_scale': [30],
  'model.layers.2.mlp.down_proj.weight': [0, 9, 31],
  'model.embed_tokens.weight': [5],
};

function scaleTensor(name: string): TensorSpec {
  const bytes = new Uint8Array(32).fill(E4M3_ONE);
  (PLANTED[name] ?? []).forEach((i, k) => {
    bytes[i] = E4M3_NANS[k % 2] ?? 0x7f;
  });
  return { name, dtype: 'F8_E4M3', shape: [8, 4], data: bytes };
}

function bf16Tensor(name: string): TensorSpec {
  const words = new Uint16Array(32).fill(BF16_ONE);
  for (const i of PLANTED[name] ?? []) {
    words[i] = BF16_NAN;
  }
  return { name, dtype: 'BF16', shape: [4, 8], data: new Uint8Array(words.buffer) };
}

function f32Tensor(name: string): TensorSpec {
  const values = new Float32Array(16).fill(0.5);
  for (const i of PLANTED[name] ?? []) {
    values[i] = Number.NaN;
  }
  return { name, dtype: 'F32', shape: [4, 4], data: new Uint8Array(values.buffer) };
}

/** Four layers with FP8 scales and BF16 weights, NaNs planted as listed in PLANTED. */
export function nanCheckpoint(): InMemoryFile {
  const tensors: TensorSpec[] = [f32Tensor('model.embed_tokens.weight')];
  for (let layer = 0; layer < 4; layer++) {
    tensors.push(scaleTensor(`model.layers.${layer}.self_attn.q_proj.weight_scale`));
    tensors.push(bf16Tensor(`model.layers.${layer}.mlp.down_proj.weight`));
  }
  return { name: 'nan-scales.safetensors', buffer: Buffer.from(buildSafetensors(tensors)) };
}

/** A clean two-shard checkpoint with its index. */
export function shardedCheckpoint(): InMemoryFile[] {
  const shard = (name: string, tensors: string[]): InMemoryFile => ({
    name,
    buffer: Buffer.from(buildSafetensors(tensors.map(bf16Tensor))),
  });
  const a = ['model.layers.0.mlp.up_proj.weight'];
  const b = ['model.layers.1.mlp.up_proj.weight'];
  const index = {
    metadata: { total_size: 128 },
    weight_map: Object.fromEntries([
      ...a.map((n) => [n, 'model-00001-of-00002.safetensors']),
      ...b.map((n) => [n, 'model-00002-of-00002.safetensors']),
    ]),
  };
  return [
    shard('model-00001-of-00002.safetensors', a),
    shard('model-00002-of-00002.safetensors', b),
    { name: 'model.safetensors.index.json', buffer: Buffer.from(JSON.stringify(index)) },
  ];
}

/** Valid header, one byte of trailing garbage: the reference says MetadataIncompleteBuffer. */
export function trailingBytesFile(): InMemoryFile {
  const header = new TextEncoder().encode('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}');
  return {
    name: 'broken.safetensors',
    buffer: Buffer.from(assembleSafetensors(header, [new Uint8Array(9)])),
  };
}

/**
 * NaN bytes per F8_E4M3 tensor of a safetensors file, computed here with JSON.parse and a byte loop,
 * independently of the app's parser and kernels.
 */
export function countE4m3NanBytes(path: string): Map<string, number> {
  const bytes = readFileSync(path);
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<
    string,
    { dtype: string; data_offsets: [number, number] }
  >;
  const out = new Map<string, number>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__' || entry.dtype !== 'F8_E4M3') {
      continue;
    }
    let nan = 0;
    for (let i = 8 + n + entry.data_offsets[0]; i < 8 + n + entry.data_offsets[1]; i++) {
      if ((bytes[i] & 0x7f) === 0x7f) {
        nan += 1;
      }
    }
    out.set(name, nan);
  }
  return out;
}
