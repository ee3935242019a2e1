import type { ByteSource } from '../core/io/byte-source';
import { HttpClient } from '../core/io/http-client';
import type { NetworkCounts } from '../core/io/http-client';
import { openHttpSource } from '../core/io/http-source';
import type { HttpSource } from '../core/io/http-source';
import { runtimeHttpEnv } from '../core/io/http-types';
import {
  isRemoteMarkerType,
  MAX_REMOTE_MARKER_BYTES,
  NETWORK_CHANNEL,
  parseRemoteRef,
} from '../core/hub/remote-ref';
import type { NetworkMessage, RemoteRef } from '../core/hub/remote-ref';
import type { PlannedRead } from './byob-source';

/** Network counts are posted to the page at most this often per worker. */
const NETWORK_POST_MS = 200;

/** This worker's id on the network channel. */
const WORKER_ID = Math.random().toString(36).slice(2);

/** One client per session and token: its counts are the session's requests from this worker. */
const clients = new Map<string, HttpClient>();
/** Open sources by session and URL: a file's first request (its probe) is made once per worker. */
const sources = new Map<string, Promise<HttpSource>>();

let channel: BroadcastChannel | null = null;
let lastPost = 0;
let postTimer: ReturnType<typeof setTimeout> | null = null;

/** The latest counts not posted yet: a throttled post sends the newest, never a stale one. */
let unposted: { session: string; counts: NetworkCounts } | null = null;

function post(session: string, counts: NetworkCounts): void {
  unposted = { session, counts };
  const send = (): void => {
    postTimer = null;
    lastPost = performance.now();
    if (unposted === null) {
      return;
    }
    channel ??= new BroadcastChannel(NETWORK_CHANNEL);
    const message: NetworkMessage = {
      from: WORKER_ID,
      session: unposted.session,
      requests: unposted.counts.requests,
      bytes: unposted.counts.bytes,
    };
    unposted = null;
    channel.postMessage(message);
  };
  if (postTimer !== null) {
    return;
  }
  const wait = NETWORK_POST_MS - (performance.now() - lastPost);
  if (wait <= 0) {
    send();
  } else {
    postTimer = setTimeout(send, wait);
  }
}

/**
 * Posts the counts a throttled post still holds, now: a call that read over the network ends with
 * this, since the page may end the worker right after (its last counts would be lost).
 */
export function flushNetworkCounts(): void {
  if (postTimer === null || unposted === null) {
    return;
  }
  clearTimeout(postTimer);
  postTimer = null;
  lastPost = 0;
  const { session, counts } = unposted;
  post(session, counts);
}

function clientFor(ref: RemoteRef): HttpClient {
  const key = `${ref.session}\n${ref.tokenOrigin ?? ''}\n${ref.token ?? ''}`;
  let client = clients.get(key);
  if (client === undefined) {
    const env = runtimeHttpEnv();
    if (env === null) {
      throw new Error('this browser has no fetch in workers');
    }
    client = new HttpClient({
      env,
      token: ref.token,
      tokenOrigin: ref.tokenOrigin,
      onCount: (counts) => post(ref.session, counts),
      tokenWhenRefused: true,
    });
    clients.set(key, client);
  }
  return client;
}

/** The session whose sources are open; a new one closes the previous checkpoint's. */
let currentSession: string | null = null;

/** Closes the sources and drops the clients of every session but `session`. */
function forgetOtherSessions(session: string): void {
  if (currentSession === session) {
    return;
  }
  currentSession = session;
  for (const [key, opened] of sources) {
    if (!key.startsWith(`${session}\n`)) {
      sources.delete(key);
      opened.then((s) => s.close()).catch(() => undefined);
    }
  }
  for (const key of clients.keys()) {
    if (!key.startsWith(`${session}\n`)) {
      clients.delete(key);
    }
  }
}

/** The RemoteRef of a marker Blob, or null for a real file. */
async function remoteRefOf(file: Blob): Promise<RemoteRef | null> {
  if (!isRemoteMarkerType(file.type) || file.size > MAX_REMOTE_MARKER_BYTES) {
    return null;
  }
  return parseRemoteRef(await file.text());
}

/** A source that can be told the reads to come (both the BYOB and the HTTP sources can). */
export type PlannedSource = ByteSource & { plan(reads: Iterable<PlannedRead>): void };

/**
 * What a worker that did not open the file already knows of it from the header another worker
 * parsed: its size. Such a source is opened without the header probe (the reads it makes are of
 * tensor data, past the header); its first range request fixes the validator.
 */
export interface KnownFile {
  readonly size: number;
}

/**
 * The source of a named file: an HTTP source when `file` is a remote marker (see remote-ref.ts),
 * else `local()`. Remote sources stay open for the worker's life (their probe made once, and not
 * at all when `known` gives the size: the scan worker already probed and parsed the header).
 */
export async function sourceOf<S extends ByteSource>(
  name: string,
  file: Blob,
  local: () => S,
  known?: KnownFile,
): Promise<S | HttpSource> {
  const ref = await remoteRefOf(file);
  if (ref === null) {
    return local();
  }
  forgetOtherSessions(ref.session);
  const key = `${ref.session}\n${ref.url}`;
  let opened = sources.get(key);
  if (opened === undefined) {
    const client = clientFor(ref);
    const size = known?.size ?? ref.size;
    opened = openHttpSource(
      client,
      ref.url,
      name,
      size === null ? {} : known === undefined ? { size } : { size, probeBytes: 0 },
    );
    sources.set(key, opened);
    opened.catch(() => sources.delete(key));
  }
  return opened;
}

/**
 * A source standing for a remote file that could not be opened: every read fails with `error`,
 * so the file is reported by name with the reason, like a local file that cannot be read.
 */
export function failedSource(name: string, size: number, error: unknown): PlannedSource {
  return {
    name,
    size,
    read: () => Promise.reject(error instanceof Error ? error : new Error(String(error))),
    plan: () => undefined,
  };
}

/** `sourceOf` that never rejects: a remote file that failed to open becomes a `failedSource`. */
export async function sourceOrFailure<S extends ByteSource>(
  name: string,
  file: Blob,
  local: () => S,
  known?: KnownFile,
): Promise<S | HttpSource | PlannedSource> {
  try {
    return await sourceOf(name, file, local, known);
  } catch (e) {
    return failedSource(name, Math.max(8, (await remoteRefOf(file))?.size ?? 8), e);
  }
}
