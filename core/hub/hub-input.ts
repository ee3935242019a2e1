import { parseUrl } from '../io/url-parts';

/** The Hub clients' default endpoint; `HF_ENDPOINT` (a mirror, a test server) replaces it. */
export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

/** The revision used when an input names none. */
export const DEFAULT_REVISION = 'main';

/** What a remote input names. */
export type RemoteInput =
  /** A Hub repo, or a folder or file in it (`path` '' = the repo root). */
  | {
      readonly kind: 'hub';
      readonly repo: string;
      readonly revision: string;
      readonly path: string;
    }
  /** Any other http(s) URL: one file read with Range requests. */
  | { readonly kind: 'url'; readonly url: string };

const HF_SCHEME = 'hf://';
/** `ORG/NAME`: the Hub's repo id rules (letters, digits, `-`, `_`, `.`), without `..`. */
const REPO_PART = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function decodeSegments(segments: readonly string[]): string[] | null {
  try {
    return segments.map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

function hubInput(
  org: string,
  name: string,
  revision: string,
  path: readonly string[],
): RemoteInput | null {
  if (!REPO_PART.test(org) || !REPO_PART.test(name) || name.includes('..') || revision === '') {
    return null;
  }
  if (path.some((p) => p === '..' || p === '.')) {
    return null;
  }
  return {
    kind: 'hub',
    repo: `${org}/${name}`,
    revision,
    path: path.filter((p) => p !== '').join('/'),
  };
}

/**
 * Parses a command-line or app input: `hf://ORG/NAME[@REVISION][/PATH]`, a URL of the endpoint
 * (`/ORG/NAME`, `/ORG/NAME/tree/REV[/PATH]`, `/ORG/NAME/blob/REV/PATH`,
 * `/ORG/NAME/resolve/REV/PATH`), any other http(s) URL (one file), or null: not remote (a local
 * path). Throws a RangeError for a malformed `hf://` input or endpoint URL.
 */
export function parseRemoteInput(text: string, endpoint: string): RemoteInput | null {
  if (text.startsWith(HF_SCHEME)) {
    const segments = decodeSegments(text.slice(HF_SCHEME.length).split('/'));
    const [org, nameRev, ...path] = segments ?? [];
    const at = nameRev === undefined ? -1 : nameRev.indexOf('@');
    const name = at < 0 ? nameRev : nameRev.slice(0, at);
    const revision = at < 0 ? DEFAULT_REVISION : nameRev.slice(at + 1);
    const parsed =
      org === undefined || name === undefined ? null : hubInput(org, name, revision, path);
    if (parsed === null) {
      throw new RangeError(`${text}: not a Hub input (hf://ORG/NAME[@REVISION][/PATH])`);
    }
    return parsed;
  }
  const url = parseUrl(text);
  if (url === null) {
    return null;
  }
  const base = parseUrl(endpoint);
  if (base === null || url.protocol !== base.protocol || url.host !== base.host) {
    return { kind: 'url', url: text };
  }
  const prefix = base.path.replace(/\/+$/, '');
  const rest = url.path.startsWith(`${prefix}/`) ? url.path.slice(prefix.length + 1) : url.path;
  const segments = decodeSegments(rest.split('/').filter((s) => s !== ''));
  const [org, name, kind, revision, ...path] = segments ?? [];
  let parsed: RemoteInput | null = null;
  if (org !== undefined && name !== undefined) {
    if (kind === undefined) {
      parsed = hubInput(org, name, DEFAULT_REVISION, []);
    } else if (kind === 'tree' && revision !== undefined) {
      parsed = hubInput(org, name, revision, path);
    } else if (
      (kind === 'blob' || kind === 'resolve') &&
      revision !== undefined &&
      path.length > 0
    ) {
      parsed = hubInput(org, name, revision, path);
    }
  }
  if (parsed === null) {
    throw new RangeError(
      `${text}: not a model URL of ${endpoint} (ORG/NAME, /tree/REV/PATH, /blob/REV/PATH or /resolve/REV/PATH)`,
    );
  }
  return parsed;
}

/** The repo's id and path segments percent-encoded for a URL path (slashes between segments kept). */
export function encodePath(path: string): string {
  return path
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

/** `{endpoint}/{repo}/resolve/{revision}/{path}`: where a file's bytes are read. */
export function resolveUrl(endpoint: string, repo: string, revision: string, path: string): string {
  return `${endpoint.replace(/\/+$/, '')}/${encodePath(repo)}/resolve/${encodeURIComponent(revision)}/${encodePath(path)}`;
}

/** `{endpoint}/api/models/{repo}/tree/{revision}?recursive=true`: the first page of the listing. */
export function treeUrl(endpoint: string, repo: string, revision: string): string {
  return `${endpoint.replace(/\/+$/, '')}/api/models/${encodePath(repo)}/tree/${encodeURIComponent(revision)}?recursive=true`;
}
