/**
 * A `ByteSource` over a Blob (a dropped `File`) that reads through BYOB stream readers into reused
 * buffers: the fastest way to read a File in Chromium and the only one whose memory stays flat
 * (feasibility.md §2: `slice().arrayBuffer()` costs 1–2 GB of tab memory on a 2 GiB scan, BYOB
 * ~0.45 GB). Chromium's blob IPC delivers ~0.7 GB/s per stream and ~1.6 GB/s with four or more in
 * flight, and every read costs ~2–5 ms of latency however small, so the source keeps several reads
 * in flight: told the reads a scan will make (`plan`), it reads ahead of the scan, within
 * READ_AHEAD_READS reads and READ_AHEAD_BYTES bytes; large reads may also be split into parallel
 * streams (`streamsPerRead`).
 *
 * Two Chromium hazards are handled here:
 * - a BYOB read of a large file can hang forever when the sliced Blob, its stream or its reader
 *   is garbage-collected while in flight; every one of them stays in `IN_FLIGHT` until done;
 * - should a stream still make no progress for BYOB_STALL_MS, it is cancelled and the rest of
 *   its range is read with `slice().arrayBuffer()`.
 */
import type { ByteSource } from '../core/io/byte-source';

/** A stream that delivers nothing for this long is abandoned for `slice().arrayBuffer()`. */
export const BYOB_STALL_MS = 10_000;
/** Reads kept in flight ahead of the scan, at most (when it has a plan). */
export const READ_AHEAD_READS = 8;
/** Bytes read ahead of the scan, at most (the first read ahead is always allowed). */
export const READ_AHEAD_BYTES = 16 * 1024 * 1024;

/** Streams fill pooled scratch buffers of this size (Chromium delivers ~0.2–0.3 MB per read call). */
const SCRATCH_BYTES = 1024 * 1024;
/** Scratch buffers are never smaller than this (small reads reuse them). */
const MIN_SCRATCH_BYTES = 64 * 1024;
/** Reads are split into parallel streams of at least this many bytes. */
const MIN_STREAM_BYTES = 1024 * 1024;
/** Planned reads at most this far apart are read as one (the gap is read and dropped)… */
const COALESCE_GAP_BYTES = 64 * 1024;
/** …as long as the one read stays within this size. */
const COALESCE_MAX_BYTES = 4 * 1024 * 1024;
/** Scratch buffers kept for the next read: enough for everything read ahead. */
const MAX_POOLED_SCRATCH = 32;

export interface ByobOptions {
  /** Streams one read is split into (each at least MIN_STREAM_BYTES); default 1. */
  readonly streamsPerRead?: number;
  /** Override of BYOB_STALL_MS (tests). */
  readonly stallMs?: number;
  /** Overrides of READ_AHEAD_READS and READ_AHEAD_BYTES (tests, tuning). */
  readonly readAheadReads?: number;
  readonly readAheadBytes?: number;
}

/** One read a scan will make, in order. */
export interface PlannedRead {
  readonly offset: number;
  readonly length: number;
}

export interface ByobSource extends ByteSource {
  readInto(offset: number, target: Uint8Array): Promise<number>;
  /**
   * The reads to expect next, in order (replacing any earlier plan): the source starts them ahead
   * of time. Only a hint: a read that is not the next planned one is read directly.
   */
  plan(reads: Iterable<PlannedRead>): void;
}

/** Counters for tests and the bench: watchdog fallbacks, reads served from the read-ahead, … */
export const byobStats = { stalls: 0, readAheadHits: 0, directReads: 0, scratchAllocations: 0 };

interface InFlight {
  readonly blob: Blob;
  readonly stream: ReadableStream<Uint8Array>;
  readonly reader: ReadableStreamBYOBReader;
  readonly stallMs: number;
  /** performance.now() of the stream's start or its latest delivery. */
  lastProgress: number;
  /** Resolves when the watchdog gives up on the stream. */
  readonly stalled: Promise<typeof STALLED>;
  readonly stall: () => void;
}

const STALLED = Symbol('stalled');

/** Strong references to every stream in flight; see the module comment. */
const IN_FLIGHT = new Set<InFlight>();
const scratchPool: ArrayBuffer[] = [];

/** A scratch buffer for `size` more bytes: a pooled one large enough, or a new one. */
function takeScratch(size: number): ArrayBuffer {
  const want = Math.min(SCRATCH_BYTES, size);
  for (let i = scratchPool.length - 1; i >= 0; i--) {
    if (scratchPool[i].byteLength >= want) {
      return scratchPool.splice(i, 1)[0];
    }
  }
  byobStats.scratchAllocations++;
  return new ArrayBuffer(Math.max(want, MIN_SCRATCH_BYTES));
}

function giveBack(pieces: readonly Uint8Array[]): void {
  for (const p of pieces) {
    const b = p.buffer as ArrayBuffer;
    if (b.byteLength <= SCRATCH_BYTES && scratchPool.length < MAX_POOLED_SCRATCH) {
      scratchPool.push(b);
    }
  }
}

/**
 * One timer for every stream in flight (a timer per read call costs ~20% of a read's CPU in a
 * Chromium worker): fires at the earliest deadline, gives up on the streams past theirs, re-arms.
 */
let watchdog: ReturnType<typeof setTimeout> | null = null;
/** When the armed watchdog fires (performance.now() ms). */
let watchdogAt = Number.POSITIVE_INFINITY;

function armWatchdog(): void {
  let earliest = Number.POSITIVE_INFINITY;
  for (const s of IN_FLIGHT) {
    earliest = Math.min(earliest, s.lastProgress + s.stallMs);
  }
  if (watchdog !== null && watchdogAt <= earliest) {
    return; // fires in time (streams since made progress only push their deadlines later)
  }
  if (watchdog !== null) {
    clearTimeout(watchdog);
    watchdog = null;
  }
  if (earliest === Number.POSITIVE_INFINITY) {
    return; // nothing in flight, or every stream was given up on already
  }
  watchdogAt = earliest;
  watchdog = setTimeout(
    () => {
      watchdog = null;
      watchdogAt = Number.POSITIVE_INFINITY;
      const now = performance.now();
      for (const s of IN_FLIGHT) {
        if (now - s.lastProgress >= s.stallMs) {
          s.lastProgress = Number.POSITIVE_INFINITY;
          s.stall();
        }
      }
      armWatchdog();
    },
    Math.max(0, earliest - performance.now()),
  );
}

function track(blob: Blob, stallMs: number): InFlight {
  const stream = blob.stream();
  let stall = (): void => undefined;
  const stalled = new Promise<typeof STALLED>((resolve) => {
    stall = () => resolve(STALLED);
  });
  const entry: InFlight = {
    blob,
    stream,
    reader: stream.getReader({ mode: 'byob' }),
    stallMs,
    lastProgress: performance.now(),
    stalled,
    stall,
  };
  IN_FLIGHT.add(entry);
  armWatchdog();
  return entry;
}

function shortRead(name: string, offset: number, wanted: number, got: number): RangeError {
  return new RangeError(
    `${name}: asked for ${wanted} bytes at ${offset}, got ${got} (did the file change?)`,
  );
}

/**
 * Reads [offset, offset + length) of `blob` through one BYOB stream into pooled scratch buffers,
 * each filled completely but the last; resolves with the filled views, in order.
 */
async function streamPieces(
  name: string,
  blob: Blob,
  offset: number,
  length: number,
  stallMs: number,
): Promise<Uint8Array[]> {
  const pieces: Uint8Array[] = [];
  if (length === 0) {
    return pieces;
  }
  const slice = blob.slice(offset, offset + length);
  const entry = track(slice, stallMs);
  let done = 0;
  let scratch = takeScratch(length);
  let filled = 0;
  try {
    while (done < length) {
      const room = Math.min(scratch.byteLength - filled, length - done);
      const result = await Promise.race([
        entry.reader.read(new Uint8Array(scratch, filled, room)),
        entry.stalled,
      ]);
      if (result === STALLED) {
        // The scratch buffer now belongs to the abandoned read, with this piece's bytes so far:
        // read the piece again from its start, and everything after it, in one slice.
        byobStats.stalls++;
        entry.reader.cancel().catch(() => undefined);
        const from = done - filled;
        scratch = new ArrayBuffer(0);
        filled = 0;
        const rest = await slice.slice(from).arrayBuffer();
        if (rest.byteLength !== length - from) {
          throw shortRead(name, offset, length, from + rest.byteLength);
        }
        pieces.push(new Uint8Array(rest));
        return pieces;
      }
      entry.lastProgress = performance.now();
      const view = result.value;
      if (view !== undefined && view.buffer.byteLength > 0) {
        scratch = view.buffer as ArrayBuffer;
      }
      if (result.done || view === undefined || view.byteLength === 0) {
        throw shortRead(name, offset, length, done);
      }
      filled += view.byteLength;
      done += view.byteLength;
      if (filled === scratch.byteLength || done === length) {
        pieces.push(new Uint8Array(scratch, 0, filled));
        scratch = done < length ? takeScratch(length - done) : new ArrayBuffer(0);
        filled = 0;
      }
    }
    return pieces;
  } catch (e) {
    giveBack(pieces);
    throw e;
  } finally {
    IN_FLIGHT.delete(entry);
    // Ours unless a read took it away (then it is detached, of length 0) or it is in `pieces`.
    if (scratch.byteLength > 0) {
      giveBack([new Uint8Array(scratch)]);
    }
  }
}

/** One read as `streams` parallel streams; the pieces of all, in order. */
async function readPieces(
  name: string,
  blob: Blob,
  offset: number,
  length: number,
  streams: number,
  stallMs: number,
): Promise<Uint8Array[]> {
  if (offset < 0 || length < 0 || offset + length > blob.size) {
    throw new RangeError(`${name}: read [${offset}, +${length}) past end ${blob.size}`);
  }
  const parts = Math.max(1, Math.min(streams, Math.floor(length / MIN_STREAM_BYTES)));
  const step = Math.ceil(length / parts);
  const reads: Promise<Uint8Array[]>[] = [];
  for (let at = 0; at < length || reads.length === 0; at += step) {
    reads.push(streamPieces(name, blob, offset + at, Math.min(step, length - at), stallMs));
  }
  // Settle every stream, failed or not, so no scratch buffer is still being written.
  const settled = await Promise.allSettled(reads);
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure !== undefined) {
    giveBack(settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : [])));
    throw failure.reason;
  }
  return settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
}

function copyPieces(pieces: readonly Uint8Array[], target: Uint8Array): number {
  let at = 0;
  for (const p of pieces) {
    target.set(p, at);
    at += p.length;
  }
  return at;
}

/** One physical read serving one or more planned reads (adjacent small tensors are read at once). */
interface Physical extends PlannedRead {
  readonly pieces: Promise<Uint8Array[]>;
  /** Planned reads not yet served from it; its buffers go back to the pool at 0. */
  users: number;
}

/** A planned read and the physical read that serves it. */
interface Ahead extends PlannedRead {
  readonly physical: Physical;
}

/** Copies bytes [from, from + target.length) of the concatenated `pieces` into `target`. */
function copyRange(pieces: readonly Uint8Array[], from: number, target: Uint8Array): void {
  let at = 0;
  let written = 0;
  for (const p of pieces) {
    const end = at + p.length;
    if (end > from && written < target.length) {
      const a = Math.max(0, from + written - at);
      const n = Math.min(p.length - a, target.length - written);
      target.set(p.subarray(a, a + n), written);
      written += n;
    }
    at = end;
  }
}

/**
 * A ByteSource over `blob` reading through BYOB streams. `readInto` fills the caller's buffer (a
 * scan's reused chunk buffer, which may live in WASM memory: BYOB readers transfer the buffer they
 * are given, so streams read into pooled scratch buffers and each byte is copied once). `read`
 * allocates its result. Planned reads of adjacent ranges (at most COALESCE_GAP_BYTES apart, up to
 * COALESCE_MAX_BYTES together) are made as one read: every read costs milliseconds of IPC however
 * small, and a checkpoint's scales sit next to their global and input scales.
 */
export function byobSource(name: string, blob: Blob, options: ByobOptions = {}): ByobSource {
  const streams = Math.max(1, Math.floor(options.streamsPerRead ?? 1));
  const stallMs = options.stallMs ?? BYOB_STALL_MS;
  const maxReads = Math.max(0, options.readAheadReads ?? READ_AHEAD_READS);
  const maxBytes = Math.max(0, options.readAheadBytes ?? READ_AHEAD_BYTES);
  let planned: Iterator<PlannedRead> | null = null;
  /** The next planned read, taken from `planned` but not started yet. */
  let pending: PlannedRead | null = null;
  const ahead: Ahead[] = [];
  /** Physical reads started ahead and not fully served, and their bytes. */
  let physicalAhead = 0;
  let bytesAhead = 0;

  const start = (offset: number, length: number): Promise<Uint8Array[]> =>
    readPieces(name, blob, offset, length, streams, stallMs);

  const nextPlanned = (): PlannedRead | null => {
    if (pending === null && planned !== null) {
      const step = planned.next();
      if (step.done === true) {
        planned = null;
      } else {
        pending = step.value;
      }
    }
    return pending;
  };

  /** One planned read served: frees its physical read once nobody else needs it. */
  const release = (physical: Physical): void => {
    physical.users -= 1;
    if (physical.users === 0) {
      physicalAhead -= 1;
      bytesAhead -= physical.length;
      physical.pieces.then(giveBack, () => undefined);
    }
  };

  /** Starts planned reads while within the read-ahead limits, coalescing adjacent ones. */
  const pump = (): void => {
    for (;;) {
      const first = nextPlanned();
      if (first === null || physicalAhead >= maxReads) {
        return;
      }
      if (physicalAhead > 0 && bytesAhead + first.length > maxBytes) {
        return;
      }
      pending = null;
      const group: PlannedRead[] = [first];
      let end = first.offset + first.length;
      for (;;) {
        const more = nextPlanned();
        if (
          more === null ||
          more.offset < end ||
          more.offset - end > COALESCE_GAP_BYTES ||
          more.offset + more.length - first.offset > COALESCE_MAX_BYTES
        ) {
          break;
        }
        pending = null;
        group.push(more);
        end = more.offset + more.length;
      }
      const length = end - first.offset;
      const pieces = start(first.offset, length);
      pieces.catch(() => undefined); // reported when (if) the scan asks for it
      const physical: Physical = { offset: first.offset, length, pieces, users: group.length };
      physicalAhead += 1;
      bytesAhead += length;
      for (const g of group) {
        ahead.push({ offset: g.offset, length: g.length, physical });
      }
    }
  };

  const readInto = async (offset: number, target: Uint8Array): Promise<number> => {
    const hit = ahead.findIndex((a) => a.offset === offset && a.length === target.length);
    if (hit < 0) {
      byobStats.directReads++;
      const pieces = await start(offset, target.length);
      try {
        return copyPieces(pieces, target);
      } finally {
        giveBack(pieces);
      }
    }
    // Reads planned before this one were skipped: the scan will not ask for them.
    for (const stale of ahead.splice(0, hit)) {
      release(stale.physical);
    }
    const { physical } = ahead.shift() as Ahead;
    byobStats.readAheadHits++;
    try {
      const pieces = await physical.pieces;
      copyRange(pieces, offset - physical.offset, target);
      return target.length;
    } finally {
      release(physical);
      pump();
    }
  };

  return {
    name,
    size: blob.size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const target = new Uint8Array(length);
      await readInto(offset, target);
      return target;
    },
    readInto,
    plan(reads: Iterable<PlannedRead>): void {
      for (const stale of ahead.splice(0)) {
        release(stale.physical);
      }
      planned = reads[Symbol.iterator]();
      pending = null;
      pump();
    },
  };
}
