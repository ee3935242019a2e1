import type { ByteSource } from './byte-source';
import { COALESCE_GAP_BYTES, coalesceRanges, spanHolding } from './coalesce-ranges';
import type { ByteRange, Span } from './coalesce-ranges';
import { parseContentRange, rangeHeader } from './content-range';
import type { HttpClient, OpenResponse } from './http-client';
import { RemoteReadError } from './http-errors';
import { RangeStream } from './range-stream';

/**
 * The first request of a file asks for this many bytes: the 8-byte length and the header of
 * nearly every shard (a 1,000-tensor header is ~100 KB), the small scales the reference writer puts
 * right after it (F32 sorts first), and the whole of a config or index. One request where
 * huggingface.js makes two or three (hub-access.md §6).
 */
export const HEADER_PROBE_BYTES = 512 * 1024;

/**
 * Reads of at most this many bytes are kept (up to SMALL_CACHE_MAX_BYTES per file): the
 * quantization analysis re-reads every global and input scale (4 bytes each) the scan just read,
 * which would otherwise cost a request each.
 */
export const SMALL_READ_CACHE_BYTES = 4096;
export const SMALL_CACHE_MAX_BYTES = 16 * 1024 * 1024;

/** Open ranged responses per file: a read and its read-ahead may sit in two different spans. */
export const MAX_STREAMS_PER_FILE = 2;

/** How a file's version is recognised: a strong ETag, else Last-Modified. */
interface Validator {
  readonly etag: string | null;
  readonly lastModified: string | null;
}

export interface HttpSourceOptions {
  /** The size the listing gave; a server that says otherwise means the file changed. */
  readonly size?: number;
  readonly gapBytes?: number;
  readonly probeBytes?: number;
}

/** A `ByteSource` over HTTP Range requests. */
export interface HttpSource extends ByteSource {
  /** The URL as given (before redirects). */
  readonly url: string;
  /**
   * Announces reads to come: ranges closer than the gap threshold are then fetched in one request
   * each run (streamed, never held whole). Reads outside the plan cost a request each.
   */
  plan(ranges: Iterable<ByteRange>): void;
  /** Cancels open responses (reads in progress fail); the source can still be read afterwards. */
  closeStreams(): void;
  close(): Promise<void>;
}

/**
 * Opens `url` with one ranged GET of its first HEADER_PROBE_BYTES: the answer gives the size
 * (`Content-Range` total) and the validator every later request sends as `If-Range` and checks,
 * so a file that changes on the server during a scan fails with `changed`, never mixing versions.
 */
export async function openHttpSource(
  client: HttpClient,
  url: string,
  name: string,
  options: HttpSourceOptions = {},
): Promise<HttpSource> {
  const probe = options.probeBytes ?? HEADER_PROBE_BYTES;
  const state = new HttpFileState(client, url, name, options.size ?? null);
  const head = await state.fetchHead(probe);
  return new HttpFile(state, head, options.gapBytes ?? COALESCE_GAP_BYTES);
}

/** What every request of one file shares: the size, the validator, the URL reads go to. */
class HttpFileState {
  size: number | null;
  validator: Validator | null = null;
  /** After the first redirect, later ranges go straight to the storage URL (no Resolver hit). */
  readUrl: string;

  constructor(
    readonly client: HttpClient,
    readonly url: string,
    readonly name: string,
    size: number | null,
  ) {
    this.size = size;
    this.readUrl = url;
  }

  async fetchHead(probe: number): Promise<Uint8Array> {
    const end = this.size === null ? probe : Math.min(probe, this.size);
    if (end === 0) {
      return new Uint8Array(0);
    }
    // The server may hold fewer bytes than the probe: the first answer says how many it has.
    let first: OpenResponse | null = await this.openRange(0, end, true);
    const have = Math.min(end, this.size ?? end);
    const stream = new RangeStream(
      this.client,
      this.name,
      this.url,
      (s, e) => {
        const opened = first;
        first = null;
        return opened === null ? this.openRange(s, e) : Promise.resolve(opened);
      },
      0,
      have,
    );
    try {
      return have === 0 ? new Uint8Array(0) : await stream.take(0, have);
    } finally {
      stream.close();
    }
  }

  /** Opens bytes [start, end), checking status, range, size and validator. */
  async openRange(start: number, end: number, probing = false): Promise<OpenResponse> {
    const headers: Record<string, string> = { range: rangeHeader(start, end) };
    const ifRange = this.ifRange();
    if (ifRange !== null) {
      headers['if-range'] = ifRange;
    }
    const target = this.readUrl;
    try {
      return await this.client.open(this.name, target, headers, (r) =>
        this.check(r, start, end, probing),
      );
    } catch (e) {
      const expired =
        e instanceof RemoteReadError &&
        (e.failure === 'unauthorized' || e.failure === 'not-found') &&
        target !== this.url;
      if (!expired) {
        throw e;
      }
      // A signed storage URL expired: resolve again from the URL as given.
      this.readUrl = this.url;
      return this.openRange(start, end, probing);
    }
  }

  private ifRange(): string | null {
    const v = this.validator;
    if (v === null) {
      return null;
    }
    if (v.etag !== null && !v.etag.startsWith('W/')) {
      return v.etag;
    }
    return v.lastModified;
  }

  private fail(failure: 'changed' | 'no-range' | 'bad-range', url: string, detail: string): never {
    throw new RemoteReadError(failure, this.name, url, detail);
  }

  private check(r: OpenResponse, start: number, end: number, probing: boolean): void {
    const { response } = r;
    const etag = response.headers.get('etag');
    const lastModified = response.headers.get('last-modified');
    const changed = this.validator !== null && differs(this.validator, etag, lastModified);
    if (changed) {
      this.fail(
        'changed',
        r.finalUrl,
        'changed on the server during the scan (its ETag or date differs)',
      );
    }
    if (response.status !== 206) {
      this.fail(
        'no-range',
        r.finalUrl,
        `answered a Range request with HTTP ${response.status} instead of 206 (partial content): the server does not serve byte ranges`,
      );
    }
    const range = parseContentRange(response.headers.get('content-range'));
    const asked = `bytes ${start}-${end - 1}`;
    if (range === null || range.total === null) {
      this.fail(
        'bad-range',
        r.finalUrl,
        `asked for ${asked}, the answer has no usable Content-Range`,
      );
    }
    if (this.size !== null && range.total !== this.size) {
      this.fail(
        'changed',
        r.finalUrl,
        `changed on the server during the scan (its size is now ${range.total} bytes, not ${this.size})`,
      );
    }
    const last = probing ? Math.min(end, range.total) - 1 : end - 1;
    if (range.first !== start || range.last !== last) {
      this.fail(
        'bad-range',
        r.finalUrl,
        `asked for ${asked}, got bytes ${range.first}-${range.last} (Content-Range)`,
      );
    }
    this.size = range.total;
    this.validator ??= { etag, lastModified };
    // Later ranges go straight to where the first was answered (the storage host): no Resolver
    // request each, and no token sent there (the client sends it to the endpoint only).
    if (r.finalUrl !== this.readUrl) {
      this.readUrl = r.finalUrl;
    }
  }
}

function differs(v: Validator, etag: string | null, lastModified: string | null): boolean {
  if (v.etag !== null && etag !== null) {
    return v.etag !== etag;
  }
  if (v.etag === null && v.lastModified !== null && lastModified !== null) {
    return v.lastModified !== lastModified;
  }
  return false;
}

class HttpFile implements HttpSource {
  readonly name: string;
  readonly url: string;
  readonly size: number;
  private spans: Span[] = [];
  private streams: RangeStream[] = [];
  private readonly cache = new Map<number, Uint8Array>();
  private cacheBytes = 0;
  private uses = 0;

  constructor(
    private readonly state: HttpFileState,
    private readonly head: Uint8Array,
    private readonly gapBytes: number,
  ) {
    this.name = state.name;
    this.url = state.url;
    this.size = state.size ?? head.length;
  }

  plan(ranges: Iterable<ByteRange>): void {
    this.spans = coalesceRanges(Array.from(ranges), this.gapBytes);
  }

  closeStreams(): void {
    for (const s of this.streams) {
      s.close();
    }
    this.streams = [];
  }

  async close(): Promise<void> {
    this.closeStreams();
    this.cache.clear();
    this.cacheBytes = 0;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new RangeError(`${this.name}: read [${offset}, +${length}) past end ${this.size}`);
    }
    if (offset + length <= this.head.length) {
      return this.head.slice(offset, offset + length);
    }
    const cached = this.cache.get(offset);
    if (cached !== undefined && length <= cached.length) {
      return cached.slice(0, length);
    }
    const bytes = await this.streamFor(offset, length).take(offset, length);
    if (length <= SMALL_READ_CACHE_BYTES && this.cacheBytes + length <= SMALL_CACHE_MAX_BYTES) {
      this.cache.set(offset, bytes.slice());
      this.cacheBytes += length;
    }
    return bytes;
  }

  private streamFor(offset: number, length: number): RangeStream {
    this.streams = this.streams.filter((s) => !s.done);
    const use = ++this.uses;
    const found = this.streams.find((s) => s.holds(offset, length));
    if (found !== undefined) {
      found.lastUsed = use;
      return found;
    }
    const span = spanHolding(this.spans, offset, length);
    const end = span === null ? offset + length : span.end;
    while (this.streams.length >= MAX_STREAMS_PER_FILE) {
      const idle = this.streams.filter((s) => s.idle).sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (idle === undefined) {
        break;
      }
      idle.close();
      this.streams = this.streams.filter((s) => s !== idle);
    }
    const stream = new RangeStream(
      this.state.client,
      this.name,
      this.url,
      (s, e) => this.state.openRange(s, e),
      offset,
      end,
    );
    stream.lastUsed = use;
    this.streams.push(stream);
    return stream;
  }
}
