import { decodeBase64 } from './base64';
import { SCAN_KERNELS_WASM_BASE64 } from './scan-kernels.wasm';

/** Finished kernels hand their instance back; at most this many small ones wait for the next. */
const MAX_POOLED_INSTANCES = 4;
/** Bytes per u32 count bin. */
const BIN_BYTES = 4;
/** Bytes of a WebAssembly memory page. */
const PAGE_BYTES = 65536;
/** Bytes of a v128: every offset the kernels use is a multiple of it. */
const V128_BYTES = 16;
/**
 * The arena: one instance per thread whose memory also holds two read buffers of
 * ARENA_READ_BYTES (the default chunk size, DEFAULT_CHUNK_BYTES: one read ahead). Its kernel scans
 * chunks read into them in place instead of copying each into the stage (~20% of a BF16 scan).
 * Kernels alive at the same time as the arena's get small instances and copy.
 */
export const ARENA_READ_BYTES = 8 * 1024 * 1024;
const ARENA_READ_BUFFERS = 2;

/** The module's functions (scan-kernels.wat). */
interface ScanExports {
  readonly count16: (p: number, end: number) => void;
  readonly sum32: (p: number, end: number) => number;
  readonly sum32s: (p: number, n: number, stride: number) => number;
  readonly fold16: () => void;
  readonly compact16: () => number;
  readonly foldPairs: () => void;
  readonly find16: (p: number, end: number, limit: number) => number;
  readonly find8: (p: number, end: number, m: number, lo: number, hi: number) => number;
  readonly f32scan: (p: number, end: number) => number;
  readonly moments8: (p: number, end: number, bias: number) => void;
  readonly moments4: (p: number, end: number) => void;
}

/** Byte offsets of the kernel's parts of memory, as the module exports them. */
interface KernelLayout {
  /** Bytes of the kernel's parts; the arena's read buffers start here. */
  readonly slotBytes: number;
  readonly table0: number;
  readonly table1: number;
  readonly stage: number;
  readonly stageBytes: number;
  readonly found: number;
  readonly foundCapacity: number;
  readonly state: number;
  readonly moments: number;
}

/** An instance of the module with views of its memory (made once the memory has its final size). */
class ScanMemory {
  readonly fns: ScanExports;
  readonly layout: KernelLayout;
  readonly bytes: Uint8Array;
  readonly u16: Uint16Array;
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;

  /** `readBytes`: room for read buffers after the kernel's parts, from `layout.slotBytes` on. */
  constructor(module: WebAssembly.Module, readBytes: number) {
    const exports = new WebAssembly.Instance(module, {}).exports;
    const memory = exports.memory;
    if (!(memory instanceof WebAssembly.Memory)) {
      throw new Error('scan kernels: no exported memory');
    }
    const global = (name: string): number => {
      const g = exports[name];
      const value = g instanceof WebAssembly.Global ? g.value : undefined;
      if (typeof value !== 'number' || value % V128_BYTES !== 0) {
        throw new Error(`scan kernels: bad layout global ${name}`);
      }
      return value;
    };
    this.layout = {
      slotBytes: global('slotBytes'),
      table0: global('table0'),
      table1: global('table1'),
      stage: global('stage'),
      stageBytes: global('stageBytes'),
      found: global('found'),
      foundCapacity: global('foundCapacity'),
      state: global('state'),
      moments: global('moments'),
    };
    const missing = this.layout.slotBytes + readBytes - memory.buffer.byteLength;
    if (missing > 0) {
      // Grown once, before any view exists: views taken below never detach.
      memory.grow(Math.ceil(missing / PAGE_BYTES));
    }
    const buffer = memory.buffer;
    this.bytes = new Uint8Array(buffer);
    this.u16 = new Uint16Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.f32 = new Float32Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.fns = {
      count16: exported(exports, 'count16'),
      sum32: exported(exports, 'sum32'),
      sum32s: exported(exports, 'sum32s'),
      fold16: exported(exports, 'fold16'),
      compact16: exported(exports, 'compact16'),
      foldPairs: exported(exports, 'foldPairs'),
      find16: exported(exports, 'find16'),
      find8: exported(exports, 'find8'),
      f32scan: exported(exports, 'f32scan'),
      moments8: exported(exports, 'moments8'),
      moments4: exported(exports, 'moments4'),
    };
  }
}

function exported<F>(exports: Readonly<Record<string, unknown>>, name: string): F {
  const f = exports[name];
  if (typeof f !== 'function') {
    throw new Error(`scan kernels: no exported function ${name}`);
  }
  return f as F;
}

/**
 * One instance of the scan kernels for one kernel's exclusive use (`acquireScanInstance`): views
 * of its memory, the byte offsets of its parts (scan-kernels.wat) and its functions.
 */
export class ScanInstance {
  readonly bytes: Uint8Array;
  readonly u16: Uint16Array;
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  readonly table0: number;
  readonly table1: number;
  readonly stage: number;
  readonly stageBytes: number;
  readonly found: number;
  readonly foundCapacity: number;
  readonly state: number;
  readonly moments: number;
  /** The read buffers this instance's kernel may scan in place: bytes [readStart, readEnd). */
  private readonly readStart: number;
  private readonly readEnd: number;
  private readonly fns: ScanExports;

  constructor(memory: ScanMemory, readStart: number, readEnd: number) {
    const layout = memory.layout;
    this.bytes = memory.bytes;
    this.u16 = memory.u16;
    this.u32 = memory.u32;
    this.f32 = memory.f32;
    this.f64 = memory.f64;
    this.fns = memory.fns;
    this.table0 = layout.table0;
    this.table1 = layout.table1;
    this.stage = layout.stage;
    this.stageBytes = layout.stageBytes;
    this.found = layout.found;
    this.foundCapacity = layout.foundCapacity;
    this.state = layout.state;
    this.moments = layout.moments;
    this.readStart = readStart;
    this.readEnd = readEnd;
  }

  /** Zeroes the first `bins` u32 count bins of both tables. */
  clearTables(bins: number): void {
    this.bytes.fill(0, this.table0, this.table0 + BIN_BYTES * bins);
    this.bytes.fill(0, this.table1, this.table1 + BIN_BYTES * bins);
  }

  /**
   * Where `chunk` sits in this memory when a kernel may scan it in place (it lies in the read
   * buffers, 16-aligned), or -1: then copy it in block by block (`stageBlock`).
   */
  inPlace(chunk: Uint8Array): number {
    const at = chunk.byteOffset;
    const inside =
      chunk.buffer === this.bytes.buffer &&
      at >= this.readStart &&
      at + chunk.length <= this.readEnd;
    return inside && at % V128_BYTES === 0 ? at : -1;
  }

  /** Copies `length` bytes of `chunk` from `from` to the stage; returns the stage offset. */
  stageBlock(chunk: Uint8Array, from: number, length: number): number {
    this.bytes.set(chunk.subarray(from, from + length), this.stage);
    return this.stage;
  }

  /** The sum of the u32 bins [first, end) of the table at byte offset `table`, exact (< 2^32). */
  sumBins(table: number, first: number, end: number): number {
    return this.fns.sum32(table + BIN_BYTES * first, table + BIN_BYTES * end) >>> 0;
  }

  /** The sum of `n` u32 words `stride` bytes apart from byte `p` (< 2^32 for table bins). */
  sumStrided(p: number, n: number, stride: number): number {
    return this.fns.sum32s(p, n, stride) >>> 0;
  }

  /** Counts the 16-bit codes in bytes [p, end) into the tables. */
  count16(p: number, end: number): void {
    this.fns.count16(p, end);
  }

  /** Adds table 1 into table 0 and clears table 1. */
  fold16(): void {
    this.fns.fold16();
  }

  /** After fold16: lists the non-zero bins (codes at the stage, counts in table 1); how many. */
  compact16(): number {
    return this.fns.compact16();
  }

  /** Byte counts of the pair tables: low bytes at FOUND[0, 256), high bytes at [256, 512). */
  foldPairs(): void {
    this.fns.foldPairs();
  }

  /** Positions (to FOUND) of the codes in [p, end) with magnitude >= limit; how many. */
  find16(p: number, end: number, limit: number): number {
    return this.fns.find16(p, end, limit);
  }

  /** Positions (to FOUND) of the bytes in [p, end) with lo <= (b & mask) <= hi; how many. */
  find8(p: number, end: number, mask: number, lo: number, hi: number): number {
    return this.fns.find8(p, end, mask, lo, hi);
  }

  /** Float32Kernel's hot loop over the binary32 parts in [p, end); returns the NaN/Inf count. */
  f32scan(p: number, end: number): number {
    return this.fns.f32scan(p, end);
  }

  /** Integer moments of the bytes in [p, end) (16-byte multiple, <= 8 MiB), read as b ^ bias. */
  moments8(p: number, end: number, bias: number): void {
    this.fns.moments8(p, end, bias);
  }

  /** F4 moments of the packed codes in [p, end) (16-byte multiple, <= 8 MiB). */
  moments4(p: number, end: number): void {
    this.fns.moments4(p, end);
  }
}

/** The compiled module; null when this runtime cannot compile it (no WebAssembly, no SIMD). */
let compiled: WebAssembly.Module | null | undefined;
/** Finished small instances (no read buffers). */
const pool: ScanInstance[] = [];

function scanModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      // Synchronous: the module is small (well under the 4 KB that browsers allow on a main thread).
      const bytes = decodeBase64(SCAN_KERNELS_WASM_BASE64);
      compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Whether the WASM SIMD scan kernels can run here (compiles the module on first call). */
export function wasmKernelsAvailable(): boolean {
  return scanModule() !== null;
}

/**
 * The arena of this thread, made when a scan first asks for a read buffer (never in browsers,
 * whose sources have no `readInto`): an instance whose memory ends in read buffers.
 */
interface Arena {
  readonly instance: ScanInstance;
  instanceFree: boolean;
  readonly freeReads: Uint8Array[];
}
let arena: Arena | undefined;

function theArena(module: WebAssembly.Module): Arena {
  if (arena === undefined) {
    const memory = new ScanMemory(module, ARENA_READ_BUFFERS * ARENA_READ_BYTES);
    const readStart = memory.layout.slotBytes;
    const readEnd = readStart + ARENA_READ_BUFFERS * ARENA_READ_BYTES;
    const freeReads: Uint8Array[] = [];
    for (let i = ARENA_READ_BUFFERS - 1; i >= 0; i--) {
      const at = readStart + i * ARENA_READ_BYTES;
      freeReads.push(memory.bytes.subarray(at, at + ARENA_READ_BYTES));
    }
    const instance = new ScanInstance(memory, readStart, readEnd);
    arena = { instance, instanceFree: true, freeReads };
  }
  return arena;
}

/**
 * An instance for one kernel's exclusive use: the arena's when there is one (a scan took its read
 * buffers) and it is free, else a small one from the pool, else a new one. Its memory holds
 * whatever the previous owner left: kernels clear what they use.
 */
export function acquireScanInstance(): ScanInstance {
  const module = scanModule();
  if (module === null) {
    throw new Error('WebAssembly SIMD is not available');
  }
  if (arena !== undefined && arena.instanceFree) {
    arena.instanceFree = false;
    return arena.instance;
  }
  return pool.pop() ?? new ScanInstance(new ScanMemory(module, 0), 0, 0);
}

/** Returns an instance its kernel no longer uses (after `finish`); never call twice for one. */
export function releaseScanInstance(instance: ScanInstance): void {
  if (arena !== undefined && instance === arena.instance) {
    arena.instanceFree = true;
  } else if (pool.length < MAX_POOLED_INSTANCES && !pool.includes(instance)) {
    pool.push(instance);
  }
}

/**
 * A read buffer of ARENA_READ_BYTES in the arena, which WASM kernels scan without copying, when
 * `size` fits and one is free (two exist); else null.
 */
export function takeArenaReadBuffer(size: number): Uint8Array | null {
  const module = size <= ARENA_READ_BYTES ? scanModule() : null;
  return module === null ? null : (theArena(module).freeReads.pop() ?? null);
}

/** Returns a buffer of `takeArenaReadBuffer`; false (and nothing done) for any other buffer. */
export function giveBackArenaReadBuffer(buffer: Uint8Array): boolean {
  if (arena === undefined || buffer.buffer !== arena.instance.bytes.buffer) {
    return false;
  }
  if (!arena.freeReads.includes(buffer)) {
    arena.freeReads.push(buffer);
  }
  return true;
}

/**
 * The instance a WASM kernel holds from its construction until it finishes or is released: one
 * place for the hand-back rules every kernel shares.
 */
export class HeldInstance {
  /** Undefined until first asked for (a constructor that throws first holds nothing). */
  private instance: ScanInstance | null | undefined = undefined;

  /** The instance; throws once it was handed back (a kernel used after finish or release). */
  get(): ScanInstance {
    if (this.instance === undefined) {
      this.instance = acquireScanInstance();
    }
    if (this.instance === null) {
      throw new Error('scan kernel used after finish');
    }
    return this.instance;
  }

  /** Hands the instance back for the next kernel; later calls do nothing. */
  release(): void {
    if (this.instance !== null && this.instance !== undefined) {
      releaseScanInstance(this.instance);
    }
    this.instance = null;
  }
}
