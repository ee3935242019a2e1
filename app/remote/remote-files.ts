import type { NamedFile } from '../../workers/scan.worker';
import { DEFAULT_HUB_ENDPOINT, parseRemoteInput, resolveUrl } from '../../core/hub/hub-input';
import { listHubFiles } from '../../core/hub/list-tree';
import { pinRevision } from '../../core/hub/pin-revision';
import { selectCheckpointFiles } from '../../core/hub/select-files';
import {
  isRemoteMarkerType,
  NETWORK_CHANNEL,
  REMOTE_FULL_MARKER_TYPE,
  REMOTE_MARKER_TYPE,
} from '../../core/hub/remote-ref';
import type { NetworkMessage, RemoteRef } from '../../core/hub/remote-ref';
import { HttpClient } from '../../core/io/http-client';
import { runtimeHttpEnv } from '../../core/io/http-types';
import { originOf, parseUrl } from '../../core/io/url-parts';

/** What "Open from Hugging Face" opens: files for the store, the label shown, or why not. */
export type RemoteOpening =
  | { readonly ok: true; readonly files: NamedFile[]; readonly label: string }
  | { readonly ok: false; readonly message: string };

/** Hosts that are this machine: a local mirror or `ckptscope view` (the CSP allows loopback). */
const LOOPBACK_HOSTS = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/;

/**
 * The endpoint for an input: the Hub, unless the input is a URL on this machine (a local mirror,
 * as HF_ENDPOINT would name one for the CLI): then that origin.
 */
export function endpointFor(input: string): string {
  const url = parseUrl(input);
  if (url !== null && LOOPBACK_HOSTS.test(url.host)) {
    return `${url.protocol}//${url.host}`;
  }
  return DEFAULT_HUB_ENDPOINT;
}

/** A new session id: network counts are shown per opened checkpoint. */
export function newSession(): string {
  return Math.random().toString(36).slice(2);
}

/** The marker Blob a remote file travels as (see core/hub/remote-ref.ts). */
export function remoteFile(name: string, ref: RemoteRef, full: boolean): NamedFile {
  return {
    name,
    file: new Blob([JSON.stringify(ref)], {
      type: full ? REMOTE_FULL_MARKER_TYPE : REMOTE_MARKER_TYPE,
    }),
  };
}

/** Whether a file of the store is remote (its bytes are not in this browser). */
export function isRemoteFile(file: Blob | null): boolean {
  return file !== null && isRemoteMarkerType(file.type);
}

/** Whether a remote file is read in full (`--full`), else headers, scales and small tensors. */
export function isFullRemote(file: Blob): boolean {
  return file.type === REMOTE_FULL_MARKER_TYPE;
}

/** Posts the page's own requests (the listing) on the network channel. */
function pageClient(session: string, token: string | null, endpoint: string): HttpClient {
  const env = runtimeHttpEnv();
  if (env === null) {
    throw new Error('this browser has no fetch');
  }
  const channel = new BroadcastChannel(NETWORK_CHANNEL);
  return new HttpClient({
    env,
    token,
    tokenOrigin: originOf(endpoint),
    tokenWhenRefused: true,
    onCount: (counts) => {
      const message: NetworkMessage = { from: 'page', session, ...counts };
      channel.postMessage(message);
    },
  });
}

/**
 * Lists a Hub input (model id, `hf://…` or a Hub URL) and returns its checkpoint files as remote
 * files for the store; a plain URL of a file is opened as it is. The token is only placed in the
 * files' marker Blobs (memory), never in storage or the page URL.
 */
export async function openRemote(
  text: string,
  token: string | null,
  full: boolean,
  session: string,
): Promise<RemoteOpening> {
  const trimmed = text.trim();
  const endpoint = endpointFor(trimmed);
  const asId = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(trimmed) ? `hf://${trimmed}` : trimmed;
  let input;
  try {
    input = parseRemoteInput(asId, endpoint);
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  if (input === null) {
    return { ok: false, message: `${trimmed}: not a model id (ORG/NAME), hf:// input or URL` };
  }
  const tokenOrigin = originOf(endpoint);
  if (input.kind === 'url') {
    const name =
      input.url
        .replace(/[?#].*$/, '')
        .split('/')
        .pop() ?? 'remote.safetensors';
    const ref: RemoteRef = { url: input.url, size: null, token: null, tokenOrigin: null, session };
    return { ok: true, files: [remoteFile(name, ref, full)], label: name };
  }
  const client = pageClient(session, token, endpoint);
  let listed;
  let commit;
  try {
    // Pinned: a push while the page reads cannot mix two versions of the checkpoint.
    commit = await pinRevision(client, endpoint, input.repo, input.revision);
    listed = await listHubFiles(client, endpoint, input.repo, commit);
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  const selection = selectCheckpointFiles(listed, input.path);
  if (!selection.ok) {
    return { ok: false, message: `${selection.message} in ${input.repo}@${input.revision}` };
  }
  const { repo, revision } = input;
  return {
    ok: true,
    label: `${repo}${input.path === '' ? '' : `/${input.path}`}@${revision}`,
    files: selection.files.map((f) =>
      remoteFile(
        `${repo}/${f.path}`,
        {
          url: resolveUrl(endpoint, repo, commit, f.path),
          size: f.size,
          token,
          tokenOrigin,
          session,
        },
        full,
      ),
    ),
  };
}

/** The `?view=TOKEN` of a page opened by `ckptscope view`, or null. */
export function viewToken(search: string): string | null {
  const token = new URLSearchParams(search).get('view');
  return token !== null && /^[0-9a-f]{32}$/.test(token) ? token : null;
}

/** The files `ckptscope view` serves (read in full: they are on this machine). */
export async function openViewFiles(token: string, session: string): Promise<RemoteOpening> {
  const response = await fetch(`/${token}/files.json`, { cache: 'no-store' });
  if (!response.ok) {
    return { ok: false, message: `ckptscope view: the file list answered HTTP ${response.status}` };
  }
  const listing = (await response.json()) as {
    files: { name: string; url: string; size: number }[];
  };
  const origin = window.location.origin;
  return {
    ok: true,
    label: listing.files.length === 1 ? listing.files[0].name : `${listing.files.length} files`,
    files: listing.files.map((f) =>
      remoteFile(
        f.name,
        { url: `${origin}${f.url}`, size: f.size, token: null, tokenOrigin: null, session },
        true,
      ),
    ),
  };
}
