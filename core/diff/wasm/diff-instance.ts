import { decodeBase64 } from '../../scan/wasm/base64';
import { DIFF_KERNELS_WASM_BASE64 } from './diff-kernels.wasm';

/** Bytes of a WebAssembly memory page. */
const PAGE_BYTES = 65536;
/** Finished instances kept for the next pair; more than this many are left to the GC. */
const MAX_POOLED_INSTANCES = 2;

/** fp4pair(x, bf16, q, sc, blocks, sub, high): see diff-kernels.wat. */
type Fp4PairFn = (
  x: number,
  bf16: number,
  q: number,
  sc: number,
  blocks: number,
  sub: number,
  high: number,
) => void;

/** fp8pair(x, bf16, q, sp, subs, shift, bias, special): see diff-kernels.wat. */
type Fp8PairFn = (
  x: number,
  bf16: number,
  q: number,
  sp: number,
  subs: number,
  shift: number,
  bias: number,
  special: number,
) => void;

/** plainpair(x, xbf16, y, ybf16, n): see diff-kernels.wat. */
type PlainPairFn = (x: number, xbf16: number, y: number, ybf16: number, n: number) => void;

/**
 * One instance of the diff kernels (diff-kernels.wat) for one comparison's exclusive use: its
 * function, the byte offsets of its parts, and views of its memory (remade when it grows).
 */
export class DiffInstance {
  /** Where the kernel's own parts end: read buffers may start here. */
  readonly slotBytes: number;
  readonly state: number;
  readonly levels: number;
  readonly table: number;
  readonly fp4pair: Fp4PairFn;
  readonly plainpair: PlainPairFn;
  readonly fp8pair: Fp8PairFn;
  /** split(): each scale byte's f32 parts for fp4pair, from TABLE (diff-kernels.wat). */
  readonly split: () => void;
  private readonly memory: WebAssembly.Memory;
  private views: {
    bytes: Uint8Array;
    f64: Float64Array;
    i64: BigInt64Array;
  };

  constructor(module: WebAssembly.Module) {
    const exports = new WebAssembly.Instance(module, {}).exports;
    const memory = exports.memory;
    const fp4pair = exports.fp4pair;
    const plainpair = exports.plainpair;
    const fp8pair = exports.fp8pair;
    const split = exports.split;
    if (
      !(memory instanceof WebAssembly.Memory) ||
      typeof fp4pair !== 'function' ||
      typeof plainpair !== 'function' ||
      typeof fp8pair !== 'function' ||
      typeof split !== 'function'
    ) {
      throw new Error('diff kernels: missing exports');
    }
    const global = (name: string): number => {
      const g = exports[name];
      const value = g instanceof WebAssembly.Global ? g.value : undefined;
      if (typeof value !== 'number' || value % 16 !== 0) {
        throw new Error(`diff kernels: bad layout global ${name}`);
      }
      return value;
    };
    this.memory = memory;
    this.fp4pair = fp4pair as Fp4PairFn;
    this.plainpair = plainpair as PlainPairFn;
    this.fp8pair = fp8pair as Fp8PairFn;
    this.split = split as () => void;
    this.slotBytes = global('slotBytes');
    this.state = global('state');
    this.levels = global('levels');
    this.table = global('table');
    this.views = DiffInstance.viewsOf(memory.buffer);
  }

  private static viewsOf(buffer: ArrayBuffer): DiffInstance['views'] {
    return {
      bytes: new Uint8Array(buffer),
      f64: new Float64Array(buffer),
      i64: new BigInt64Array(buffer),
    };
  }

  get bytes(): Uint8Array {
    return this.views.bytes;
  }

  get f64(): Float64Array {
    return this.views.f64;
  }

  get i64(): BigInt64Array {
    return this.views.i64;
  }

  /**
   * Grows the memory to at least `total` bytes. Growing detaches every earlier view of it: call
   * only while no read into it is pending, and take views (`bytes`…) after.
   */
  ensureBytes(total: number): void {
    const missing = total - this.memory.buffer.byteLength;
    if (missing > 0) {
      this.memory.grow(Math.ceil(missing / PAGE_BYTES));
      this.views = DiffInstance.viewsOf(this.memory.buffer);
    }
  }
}

/** The compiled module; null when this runtime cannot compile it (no WebAssembly, no SIMD). */
let compiled: WebAssembly.Module | null | undefined;
const pool: DiffInstance[] = [];

function diffModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      // Synchronous: the diff runs in the CLI and the compare worker, where a module of any size
      // compiles so; a browser main thread refuses one over 4 KB (RangeError): the JS path then.
      const bytes = decodeBase64(DIFF_KERNELS_WASM_BASE64);
      compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Whether the WASM SIMD diff kernels can run here (compiles the module on first call). */
export function diffKernelsAvailable(): boolean {
  return diffModule() !== null;
}

/** An instance for one comparison, or null when WebAssembly SIMD is not available. */
export function acquireDiffInstance(): DiffInstance | null {
  const module = diffModule();
  if (module === null) {
    return null;
  }
  return pool.pop() ?? new DiffInstance(module);
}

/** Hands an instance back once nothing reads into or runs on it any more. */
export function releaseDiffInstance(instance: DiffInstance): void {
  if (pool.length < MAX_POOLED_INSTANCES && !pool.includes(instance)) {
    pool.push(instance);
  }
}
