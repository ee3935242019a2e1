import { dtypeBits } from '../dtype/dtype';
import type { Dtype } from '../dtype/dtype';
import type { TensorInfo } from '../format/tensor-info';

/**
 * Name endings of quantization scale tensors (formats.md §4): ModelOpt `weight_scale`,
 * `weight_scale_2`, `input_scale`, KV `k_scale`/`v_scale`; compressed-tensors `*_global_scale`;
 * DeepSeek `weight_scale_inv`; gpt-oss `*_scales`; AWQ/GPTQ `scales`; torchao `:scale`. A NaN in
 * one of these poisons a whole block or tensor, and they are small: scan them first.
 * (`_scale` and `scales` already cover several of the others; they are listed for the reader.)
 */
export const SCALE_NAME_SUFFIXES: readonly string[] = [
  'weight_scale',
  'weight_scale_2',
  'weight_scale_inv',
  'input_scale',
  'k_scale',
  'v_scale',
  '_scale',
  '_scales',
  'scales',
  ':scale',
];

/** Tensors smaller than this (1 MiB) are scanned early too: they cost nothing and are often scales. */
export const SMALL_TENSOR_BYTES = 1024 * 1024;

/** Scanned early by `orderForScan`: a scale by name, or any tensor under SMALL_TENSOR_BYTES. */
export function isPriorityTensor(tensor: TensorInfo): boolean {
  return (
    tensor.nbytes < SMALL_TENSOR_BYTES || SCALE_NAME_SUFFIXES.some((s) => tensor.name.endsWith(s))
  );
}

/**
 * The order in which to scan a file's tensors: scale-like tensors (by name or size) first, then
 * the rest; each group by byte offset. Ties keep the input order, so the result is deterministic.
 */
export function orderForScan(tensors: readonly TensorInfo[]): TensorInfo[] {
  const early: TensorInfo[] = [];
  const late: TensorInfo[] = [];
  for (const tensor of tensors) {
    (isPriorityTensor(tensor) ? early : late).push(tensor);
  }
  return byOffset(early).concat(byOffset(late));
}

/**
 * `list` sorted by byte offset, in place; ties keep their order (the sort is stable). A header's
 * tensors usually come in offset order already: then nothing is sorted (400,000 tensors of a MoE
 * layer went through an object each and a comparator sort, ~100 ms).
 */
function byOffset(list: TensorInfo[]): TensorInfo[] {
  for (let i = 1; i < list.length; i++) {
    if (list[i].offset < list[i - 1].offset) {
      return list.sort((a, b) => a.offset - b.offset);
    }
  }
  return list;
}

/**
 * Dtypes whose byte histogram every scan keeps, whatever their size: the `fnuz-portability` rule
 * counts bytes 0x80 and |x| > 240 of every F8_E4M3 weight, so without them its finding would
 * depend on `--histograms` (the same checkpoint, two answers). 256 counters per tensor: the byte
 * kernel counts them anyway, and they are ~2 KB per tensor kept (~100 MB for DeepSeek-V3's ~47,000
 * FP8 weights, against the 1 GB that every tensor's exponent histogram cost).
 */
const ALWAYS_HISTOGRAM_DTYPES: ReadonlySet<Dtype> = new Set<Dtype>(['F8_E4M3']);

/**
 * Which tensors a scan gives a histogram: all of them, or (`all` false) only the 1-byte scale and
 * small ones, whose byte histograms the quantization analysis reuses (KnownCodeTable), and every
 * F8_E4M3 tensor (ALWAYS_HISTOGRAM_DTYPES); the rest
 * may then be scanned by histogram-free kernels (KernelOptions.histogram) and come without one,
 * every other figure the same. Wider dtypes' exponent histograms are ~550 numbers per F32 tensor:
 * kept for the 100,000 small tensors of a large MoE they took the CLI past 1 GB (measured).
 */
export function histogramTensors(all: boolean): (tensor: TensorInfo) => boolean {
  return all
    ? () => true
    : (t) =>
        (isPriorityTensor(t) && dtypeBits(t.dtype) === 8) || ALWAYS_HISTOGRAM_DTYPES.has(t.dtype);
}
