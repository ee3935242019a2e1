import { RemoteReadError } from './http-errors';
import { HttpClient } from './http-client';
import type { OpenResponse } from './http-client';
import { retryDelay } from './retry-policy';

/** Opens the body of bytes [start, end) of one file (see `HttpSource`). */
export type OpenRange = (start: number, end: number) => Promise<OpenResponse>;

/**
 * One ranged response read front to back: reads ("takes") are queued in increasing offset order,
 * bytes between them are skipped (that is the coalescing), and a connection lost mid-body is
 * re-requested from the byte reached, within the retry policy's bound. Memory: one network chunk.
 */
export class RangeStream {
  /** Absolute offset of the next byte the stream delivers. */
  private pos: number;
  /** End of the last queued take: later takes must start at or after it. */
  queuedTo: number;
  private response: OpenResponse | null = null;
  private chunk: Uint8Array = new Uint8Array(0);
  private chunkAt = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private retries = 0;
  private closed = false;
  /** Last use, for the source's choice of which idle stream to close. */
  lastUsed = 0;

  constructor(
    private readonly client: HttpClient,
    private readonly file: string,
    private readonly url: string,
    private readonly openRange: OpenRange,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
    this.queuedTo = start;
  }

  get idle(): boolean {
    return this.pending === 0;
  }

  get done(): boolean {
    return this.closed || this.queuedTo >= this.end;
  }

  /** Whether a take of [offset, offset + length) can be queued here. */
  holds(offset: number, length: number): boolean {
    return !this.closed && offset >= this.queuedTo && offset + length <= this.end;
  }

  take(offset: number, length: number): Promise<Uint8Array> {
    this.queuedTo = offset + length;
    this.pending++;
    const result = this.chain.then(() => this.readAt(offset, length));
    this.chain = result.then(
      () => this.pending--,
      () => this.pending--,
    );
    return result;
  }

  close(): void {
    this.closed = true;
    this.response?.close();
    this.response = null;
  }

  private async readAt(offset: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      if (this.chunkAt >= this.chunk.length) {
        await this.nextChunk();
      }
      const available = this.chunk.length - this.chunkAt;
      const skip = Math.min(available, Math.max(0, offset - this.pos));
      this.chunkAt += skip;
      this.pos += skip;
      const n = Math.min(this.chunk.length - this.chunkAt, length - filled);
      if (n > 0) {
        out.set(this.chunk.subarray(this.chunkAt, this.chunkAt + n), filled);
        this.chunkAt += n;
        this.pos += n;
        filled += n;
      }
    }
    if (this.pos >= this.end) {
      this.close();
    }
    return out;
  }

  /** Loads the next body chunk, (re)opening the response from `pos` when needed. */
  private async nextChunk(): Promise<void> {
    for (;;) {
      if (this.closed) {
        throw new RemoteReadError('protocol', this.file, this.url, 'the read was cancelled');
      }
      try {
        this.response ??= await this.openRange(this.pos, this.end);
        const chunk = await this.response.next();
        if (chunk !== null && chunk.length > 0) {
          this.chunk = chunk;
          this.chunkAt = 0;
          return;
        }
        if (chunk === null) {
          this.response = null;
          throw new EndedEarly();
        }
      } catch (e) {
        if (!(e instanceof EndedEarly) && !HttpClient.isTransient(e)) {
          throw e;
        }
        this.response?.close();
        this.response = null;
        const wait = retryDelay(this.client.retry, ++this.retries, null);
        if (wait === null) {
          throw new RemoteReadError(
            'gave-up',
            this.file,
            this.url,
            `gave up at byte ${this.pos} after ${this.retries} broken responses: ${(e as Error).message}`,
          );
        }
        await this.client.env.sleep(wait);
      }
    }
  }
}

class EndedEarly extends Error {
  constructor() {
    super('the response ended before the bytes asked for');
  }
}
