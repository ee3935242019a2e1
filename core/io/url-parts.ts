/**
 * Just enough URL handling for remote reads, without the `URL` global (not in core's ES2022
 * library): split an absolute http(s) URL, drop what must not be shown, resolve a redirect target.
 */
export interface UrlParts {
  /** `http:` or `https:`, lower case. */
  readonly protocol: string;
  /** Host and port as written, lower case (`127.0.0.1:4207`). */
  readonly host: string;
  /** The path, starting with `/` (`/` when empty). */
  readonly path: string;
  /** `?…` or empty. */
  readonly query: string;
}

const ABSOLUTE_URL = /^(https?:)\/\/(?:[^@/?#]*@)?([^/?#]+)([^?#]*)(\?[^#]*)?(#.*)?$/i;

/** The parts of an absolute http(s) URL, or null. User info (`user:pass@`) is dropped. */
export function parseUrl(url: string): UrlParts | null {
  const m = ABSOLUTE_URL.exec(url.trim());
  if (m === null) {
    return null;
  }
  return {
    protocol: m[1].toLowerCase(),
    host: m[2].toLowerCase(),
    path: m[3] === '' ? '/' : m[3],
    query: m[4] ?? '',
  };
}

/** The origin (`https://huggingface.co`) of an absolute URL, or null. */
export function originOf(url: string): string | null {
  const p = parseUrl(url);
  return p === null ? null : `${p.protocol}//${p.host}`;
}

/** `url` without user info, query string or fragment: what may appear in messages and logs. */
export function redactUrl(url: string): string {
  const p = parseUrl(url);
  if (p !== null) {
    return `${p.protocol}//${p.host}${p.path}`;
  }
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

/** Resolves a `Location` header against the URL that answered with it. */
export function resolveLocation(base: string, location: string): string | null {
  if (parseUrl(location) !== null) {
    return location;
  }
  const b = parseUrl(base);
  if (b === null) {
    return null;
  }
  if (location.startsWith('//')) {
    return `${b.protocol}${location}`;
  }
  if (location.startsWith('/')) {
    return `${b.protocol}//${b.host}${location}`;
  }
  const folder = b.path.slice(0, b.path.lastIndexOf('/') + 1);
  return `${b.protocol}//${b.host}${folder}${location}`;
}
