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

function post(session: string, counts: NetworkCounts): void {
  const send = (): void => {
    postTimer = null;
    lastPost = performance.now();
    channel ??= new BroadcastChannel(NETWORK_CHANNEL);
    const message: NetworkMessage = {
      from: WORKER_ID,
      session,
      requests: counts.requests,
      bytes: counts.bytes,
    };
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
 * The source of a named file: an HTTP source when `file` is a remote marker (see remote-ref.ts),
 * else `local()`. Remote sources stay open for the worker's life (their probe made once).
 */
export async function sourceOf<S extends ByteSource>(
  name: string,
  file: Blob,
  local: () => S,
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
    opened = openHttpSource(client, ref.url, name, ref.size === null ? {} : { size: ref.size });
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
): Promise<S | HttpSource | PlannedSource> {
  try {
    return await sourceOf(name, file, local);
  } catch (e) {
    return failedSource(name, Math.max(8, (await remoteRefOf(file))?.size ?? 8), e);
  }
}
