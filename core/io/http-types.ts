/**
 * The part of the web platform's `fetch` that the HTTP byte source needs, declared here so that
 * core stays free of the DOM and Node typings. Node's and the browser's `fetch` satisfy it as is.
 */
export interface HeadersLike {
  get(name: string): string | null;
}

/** A body reader: `fetch`'s `ReadableStreamDefaultReader<Uint8Array>`, structurally. */
export interface BodyReaderLike {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}

export interface ResponseLike {
  readonly status: number;
  readonly url: string;
  readonly headers: HeadersLike;
  readonly body: { getReader(): BodyReaderLike } | null;
  text(): Promise<string>;
}

/** An `AbortSignal`, opaque to core: only handed back to `fetch`. */
export type SignalLike = object;

export interface RequestInitLike {
  readonly method: 'GET';
  readonly headers: Record<string, string>;
  /** `manual` where the runtime exposes redirects (Node), else `follow` (browsers). */
  readonly redirect: 'manual' | 'follow';
  readonly signal: SignalLike;
  /** Hub infrastructure misbehaved with some referrers (hub-access.md §4): send none. */
  readonly referrerPolicy: 'no-referrer';
}

export type FetchLike = (url: string, init: RequestInitLike) => Promise<ResponseLike>;

/** Timers and cancellation, taken from the runtime (see `runtimeHttpEnv`). */
export interface HttpEnv {
  readonly fetch: FetchLike;
  /** Whether `fetch` hands 3xx responses back (Node: yes, with `redirect: 'manual'`). */
  readonly manualRedirects: boolean;
  sleep(ms: number): Promise<void>;
  /** A fresh controller: `signal` for `fetch`, `abort()` to cancel the request and its body. */
  abortable(): { readonly signal: SignalLike; abort(): void };
  /** Calls `fn` after `ms` unless the returned function is called first. */
  timer(ms: number, fn: () => void): () => void;
}

interface RuntimeGlobals {
  fetch?: FetchLike;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
  AbortController?: new () => { signal: SignalLike; abort(): void };
  document?: unknown;
  WorkerGlobalScope?: unknown;
}

/**
 * The HTTP environment of the runtime core runs in (Node 20+, a browser page or worker), or null
 * when it lacks `fetch`, timers or `AbortController`. Browsers cannot read redirects
 * (`redirect: 'manual'` gives an opaque response), so there `fetch` follows them itself.
 */
export function runtimeHttpEnv(): HttpEnv | null {
  const g = globalThis as unknown as RuntimeGlobals;
  const { fetch, setTimeout, clearTimeout, AbortController } = g;
  if (
    fetch === undefined ||
    setTimeout === undefined ||
    clearTimeout === undefined ||
    AbortController === undefined
  ) {
    return null;
  }
  const browser = g.document !== undefined || g.WorkerGlobalScope !== undefined;
  return {
    fetch: (url, init) => fetch.call(globalThis, url, init),
    manualRedirects: !browser,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    abortable: () => new AbortController(),
    timer: (ms, fn) => {
      const id = setTimeout(fn, ms);
      return () => clearTimeout(id);
    },
  };
}
