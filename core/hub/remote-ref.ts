/**
 * How the page hands a remote file to the scan workers. The app's loading and scanning move
 * `{name, file: Blob}` pairs everywhere (the store, the quantization and repair clients); a remote
 * file travels the same way as a tiny marker Blob of this type whose text is the JSON of a
 * `RemoteRef`: the worker reads the marker and opens the URL itself (the worker is transport: URL
 * in, summaries out). The token stays in memory (Blob and worker), never in storage or the URL.
 */
export interface RemoteRef {
  readonly url: string;
  /** The size the listing gave (null: learnt from the first response). */
  readonly size: number | null;
  /** Sent only to `tokenOrigin` (the endpoint), never to a redirect target. */
  readonly token: string | null;
  readonly tokenOrigin: string | null;
  /** One id per opened checkpoint: network counts are per session. */
  readonly session: string;
}

/** Marker types: headers, scales and small tensors only (the default), or every tensor (`full`). */
export const REMOTE_MARKER_TYPE = 'application/x-ckptscope-remote';
export const REMOTE_FULL_MARKER_TYPE = 'application/x-ckptscope-remote-full';

/** A marker's text is at most this long (a URL, a token and a few fields). */
export const MAX_REMOTE_MARKER_BYTES = 16 * 1024;

export function isRemoteMarkerType(type: string): boolean {
  return type === REMOTE_MARKER_TYPE || type === REMOTE_FULL_MARKER_TYPE;
}

/** Parses a marker's text; null when it is not a RemoteRef. */
export function parseRemoteRef(text: string): RemoteRef | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) {
    return null;
  }
  const r = v as Record<string, unknown>;
  const nullableString = (x: unknown): x is string | null => x === null || typeof x === 'string';
  if (
    typeof r.url !== 'string' ||
    !(r.size === null || (typeof r.size === 'number' && Number.isSafeInteger(r.size))) ||
    !nullableString(r.token) ||
    !nullableString(r.tokenOrigin) ||
    typeof r.session !== 'string'
  ) {
    return null;
  }
  return {
    url: r.url,
    size: r.size as number | null,
    token: r.token,
    tokenOrigin: r.tokenOrigin,
    session: r.session,
  };
}

/** What the scan workers and the page post on the network channel after requests. */
export interface NetworkMessage {
  readonly from: string;
  readonly session: string;
  readonly requests: number;
  readonly bytes: number;
}

/** The BroadcastChannel name of NetworkMessages (the app's status line listens). */
export const NETWORK_CHANNEL = 'ckptscope-network';
