import { appendAll } from '../append-all';
import type { HttpClient, OpenResponse } from '../io/http-client';
import { RemoteReadError } from '../io/http-errors';
import { resolveLocation } from '../io/url-parts';
import { nextLink } from './link-header';
import { treeUrl } from './hub-input';

/** One file of a repo listing. */
export interface HubFile {
  readonly path: string;
  readonly size: number;
}

/** A listing page above this is refused (the Hub sends ~1,000 entries, well under 1 MB, per page). */
export const MAX_LISTING_PAGE_BYTES = 32 * 1024 * 1024;
/** Pages followed at most: 10,000 pages of 1,000 entries is more than any model repo holds. */
export const MAX_LISTING_PAGES = 10_000;

/** Reads a whole (small, capped) response body as text. */
export async function readSmallBody(
  opened: OpenResponse,
  label: string,
  url: string,
  cap: number,
): Promise<string> {
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (let chunk = await opened.next(); chunk !== null; chunk = await opened.next()) {
      total += chunk.length;
      if (total > cap) {
        throw new RemoteReadError('protocol', label, url, `the answer is larger than ${cap} bytes`);
      }
      parts.push(chunk);
    }
  } finally {
    opened.close();
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new TextDecoder().decode(all);
}

function entriesOf(json: unknown, label: string, url: string): HubFile[] {
  if (!Array.isArray(json)) {
    throw new RemoteReadError('protocol', label, url, 'the tree listing is not a JSON array');
  }
  const files: HubFile[] = [];
  for (const e of json as unknown[]) {
    if (typeof e !== 'object' || e === null) {
      continue;
    }
    const { type, path, size } = e as { type?: unknown; path?: unknown; size?: unknown };
    if (type === 'file' && typeof path === 'string' && typeof size === 'number') {
      files.push({ path, size });
    }
  }
  return files;
}

/**
 * Every file of `repo` at `revision` with its size, from the tree API, following the `Link`
 * header's `rel="next"` pages. Errors are RemoteReadErrors naming the repo.
 */
export async function listHubFiles(
  client: HttpClient,
  endpoint: string,
  repo: string,
  revision: string,
): Promise<HubFile[]> {
  const files: HubFile[] = [];
  const label = `${repo}@${revision}`;
  let url: string | null = treeUrl(endpoint, repo, revision);
  for (let page = 0; url !== null; page++) {
    if (page >= MAX_LISTING_PAGES) {
      throw new RemoteReadError(
        'protocol',
        label,
        url,
        `more than ${MAX_LISTING_PAGES} listing pages`,
      );
    }
    const opened = await client.open(label, url, { accept: 'application/json' });
    const link = nextLink(opened.response.headers.get('link'));
    const text = await readSmallBody(opened, label, url, MAX_LISTING_PAGE_BYTES);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new RemoteReadError('protocol', label, url, 'the tree listing is not JSON');
    }
    appendAll(files, entriesOf(json, label, url));
    url = link === null ? null : resolveLocation(opened.finalUrl, link);
  }
  return files;
}
