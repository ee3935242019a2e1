import { RemoteReadError } from './http-errors';
import type { BodyReaderLike, HttpEnv, ResponseLike } from './http-types';
import {
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
} from './retry-policy';
import type { RetryPolicy } from './retry-policy';
import { HostSlots } from './host-slots';
import { originOf, parseUrl, resolveLocation } from './url-parts';

/**
 * Requests in flight per host, bodies included. huggingface.js reads 4 ranges at a time in
 * browsers (hub-access.md §6); a scan needs at most two at once per file (a read and its read-ahead).
 */
export const MAX_REQUESTS_PER_HOST = 4;

/** Redirect hops followed per request: the Hub needs one (resolve → CDN) or two (→ resolve-cache). */
export const MAX_REDIRECTS = 5;

/**
 * A request that has not answered (headers) within this time, or a body that delivers nothing for
 * this long, is aborted and retried as a transient failure: a stalled connection never hangs a scan.
 */
export const STALL_TIMEOUT_MS = 30_000;

/** Requests made and body bytes received, over every request of a client. */
export interface NetworkCounts {
  requests: number;
  bytes: number;
}

export interface HttpClientOptions {
  readonly env: HttpEnv;
  /** A bearer token, sent only to `tokenOrigin` (never to a redirect target on another host). */
  readonly token?: string | null;
  readonly tokenOrigin?: string | null;
  readonly maxPerHost?: number;
  readonly retry?: RetryPolicy;
  readonly stallTimeoutMs?: number;
  /** Called after each request is sent and each body chunk received (the app's status line). */
  readonly onCount?: (counts: NetworkCounts) => void;
  /**
   * Send the token only once the endpoint has refused a request without it (401/403), then on
   * every request to the endpoint. For browsers, whose `fetch` follows redirects itself: a public
   * repo then never sends the token anywhere. (The redirect to the storage host does not carry it:
   * browsers drop `Authorization` on a cross-origin redirect, whatwg/fetch#1544, Chrome 119+;
   * e2e/remote.spec.ts checks the storage origin's log.)
   */
  readonly tokenWhenRefused?: boolean;
}

/** An answered request whose body is still to be read; `close` must be called (idempotent). */
export interface OpenResponse {
  readonly response: ResponseLike;
  /** The URL that answered, after redirects. */
  readonly finalUrl: string;
  /** The next body chunk (counted), null at the end; rejects on a stall or a reset. */
  next(): Promise<Uint8Array | null>;
  close(): void;
}

/** Thrown by `send` for failures worth another attempt (status, reset, stall). */
class TransientFailure extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
  }
}

/** One HTTP client per run: the counters, the per-host limit and the token policy live here. */
export class HttpClient {
  readonly counts: NetworkCounts = { requests: 0, bytes: 0 };
  readonly env: HttpEnv;
  private readonly slots: HostSlots;
  private readonly retryPolicy: RetryPolicy;
  private readonly stallMs: number;
  private readonly token: string | null;
  private readonly tokenOrigin: string | null;
  private readonly onCount: (counts: NetworkCounts) => void;
  /** Whether the token is sent (from the start, or since the endpoint refused without it). */
  private tokenArmed: boolean;

  constructor(options: HttpClientOptions) {
    this.env = options.env;
    this.slots = new HostSlots(options.maxPerHost ?? MAX_REQUESTS_PER_HOST);
    this.retryPolicy = options.retry ?? DEFAULT_RETRY_POLICY;
    this.stallMs = options.stallTimeoutMs ?? STALL_TIMEOUT_MS;
    this.token = options.token ?? null;
    this.tokenOrigin = options.tokenOrigin ?? null;
    this.onCount = options.onCount ?? (() => undefined);
    this.tokenArmed = options.tokenWhenRefused !== true;
  }

  /**
   * GETs `url` with `headers`, following redirects, retrying transient failures with backoff
   * (honouring `Retry-After`) up to the policy's bound. `accept(response)` decides: return to keep
   * the response, throw a RemoteReadError to fail for good. Statuses other than 2xx are refused
   * here with a typed error naming `file` and the URL without its query string.
   */
  async open(
    file: string,
    url: string,
    headers: Record<string, string>,
    accept: (r: OpenResponse) => void = () => undefined,
  ): Promise<OpenResponse> {
    for (let attempt = 1; ; attempt++) {
      // Whether this attempt carries the token (concurrent requests may arm it meanwhile).
      const armed = this.tokenArmed;
      try {
        const opened = await this.sendOnce(file, url, headers);
        try {
          accept(opened);
        } catch (e) {
          opened.close();
          throw e;
        }
        return opened;
      } catch (e) {
        if (
          e instanceof RemoteReadError &&
          e.failure === 'unauthorized' &&
          this.token !== null &&
          !armed
        ) {
          // Refused without the token: the repo is gated or private. Again, with it.
          this.tokenArmed = true;
          attempt--;
          continue;
        }
        if (!(e instanceof TransientFailure)) {
          throw e;
        }
        const wait = retryDelay(this.retryPolicy, attempt, e.retryAfterMs);
        if (wait === null) {
          throw new RemoteReadError(
            'gave-up',
            file,
            url,
            `gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${e.message}`,
          );
        }
        await this.env.sleep(wait);
      }
    }
  }

  /** Whether `error` is a transient one that `open` would retry (for callers retrying a body). */
  static isTransient(error: unknown): boolean {
    return error instanceof TransientFailure;
  }

  /** The retry policy (callers that retry a body read share its bound). */
  get retry(): RetryPolicy {
    return this.retryPolicy;
  }

  private headersFor(url: string, headers: Record<string, string>): Record<string, string> {
    if (
      !this.tokenArmed ||
      this.token === null ||
      this.tokenOrigin === null ||
      originOf(url) !== this.tokenOrigin
    ) {
      return headers;
    }
    return { ...headers, authorization: `Bearer ${this.token}` };
  }

  /** One attempt: the request and its redirects, up to an answer that is not a redirect. */
  private async sendOnce(
    file: string,
    url: string,
    headers: Record<string, string>,
  ): Promise<OpenResponse> {
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const opened = await this.fetchOne(file, current, headers);
      const { status } = opened.response;
      if (status >= 300 && status < 400 && this.env.manualRedirects) {
        opened.close();
        const location = opened.response.headers.get('location');
        const next = location === null ? null : resolveLocation(current, location);
        if (next === null) {
          throw new RemoteReadError(
            'redirect',
            file,
            current,
            `redirect ${status} without a usable Location`,
          );
        }
        current = next;
        continue;
      }
      if (status >= 200 && status < 300) {
        return opened;
      }
      opened.close();
      throw this.statusError(file, opened.finalUrl, opened.response);
    }
    throw new RemoteReadError('redirect', file, url, `more than ${MAX_REDIRECTS} redirects`);
  }

  private statusError(file: string, url: string, response: ResponseLike): Error {
    const status = response.status;
    const code = response.headers.get('x-error-code');
    const why = code === null ? '' : ` ${code}`;
    if (isRetryableStatus(status)) {
      return new TransientFailure(
        `HTTP ${status}${why}`,
        parseRetryAfter(response.headers.get('retry-after'), Date.now()),
      );
    }
    if (status === 401 || status === 403) {
      const hint =
        this.token === null
          ? 'a gated or private file needs a token with access (HF_TOKEN or --token)'
          : 'the token given has no access to this file';
      return new RemoteReadError('unauthorized', file, url, `HTTP ${status}${why}: ${hint}`);
    }
    if (status === 404 || status === 410) {
      return new RemoteReadError('not-found', file, url, `HTTP ${status}${why}: no such file`);
    }
    return new RemoteReadError('status', file, url, `unexpected HTTP ${status}${why}`);
  }

  /** One request to one URL: a host slot, the headers within the stall timeout, a counted body. */
  private async fetchOne(
    file: string,
    url: string,
    headers: Record<string, string>,
  ): Promise<OpenResponse> {
    const host = parseUrl(url)?.host;
    if (host === undefined) {
      throw new RemoteReadError('protocol', file, url, 'not an http(s) URL');
    }
    const release = await this.slots.acquire(host);
    const control = this.env.abortable();
    let stalled = false;
    const cancelTimer = this.env.timer(this.stallMs, () => {
      stalled = true;
      control.abort();
    });
    let response: ResponseLike;
    try {
      this.counts.requests++;
      this.onCount(this.counts);
      response = await this.env.fetch(url, {
        method: 'GET',
        headers: this.headersFor(url, headers),
        redirect: this.env.manualRedirects ? 'manual' : 'follow',
        signal: control.signal,
        referrerPolicy: 'no-referrer',
      });
    } catch (e) {
      cancelTimer();
      release();
      throw new TransientFailure(
        stalled ? `no answer within ${this.stallMs} ms` : `connection failed (${messageOf(e)})`,
        null,
      );
    } finally {
      cancelTimer();
    }
    return this.bodyOf(response, url, control, release);
  }

  private bodyOf(
    response: ResponseLike,
    url: string,
    control: { abort(): void },
    release: () => void,
  ): OpenResponse {
    let reader: BodyReaderLike | null = null;
    let closed = false;
    const close = (): void => {
      if (closed) {
        return;
      }
      closed = true;
      control.abort();
      reader?.cancel().catch(() => undefined);
      release();
    };
    const next = async (): Promise<Uint8Array | null> => {
      if (closed) {
        return null;
      }
      reader ??= response.body?.getReader() ?? null;
      if (reader === null) {
        close();
        return null;
      }
      let stalled = false;
      const cancelTimer = this.env.timer(this.stallMs, () => {
        stalled = true;
        control.abort();
      });
      try {
        const { done, value } = await reader.read();
        if (done || value === undefined) {
          close();
          return null;
        }
        this.counts.bytes += value.length;
        this.onCount(this.counts);
        return value;
      } catch (e) {
        close();
        throw new TransientFailure(
          stalled
            ? `the body stalled for ${this.stallMs} ms`
            : `connection lost mid-body (${messageOf(e)})`,
          null,
        );
      } finally {
        cancelTimer();
      }
    };
    return { response, finalUrl: response.url === '' ? url : response.url, next, close };
  }
}

function messageOf(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${e.message}: ${cause.message}` : e.message;
  }
  return String(e);
}
