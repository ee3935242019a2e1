import type { HttpClient } from '../io/http-client';
import { RemoteReadError } from '../io/http-errors';
import { encodePath } from './hub-input';
import { readSmallBody } from './list-tree';

/** A commit sha as the Hub reports it (git SHA-1, 40 lowercase hex digits). */
const COMMIT_SHA = /^[0-9a-f]{40}$/;

/** The revision answer is a model card summary; far below this without `?blobs=true`. */
export const MAX_REVISION_INFO_BYTES = 8 * 1024 * 1024;

/** `{endpoint}/api/models/{repo}/revision/{revision}`: the commit a branch or tag points to. */
export function revisionInfoUrl(endpoint: string, repo: string, revision: string): string {
  return `${endpoint.replace(/\/+$/, '')}/api/models/${encodePath(repo)}/revision/${encodeURIComponent(revision)}`;
}

/**
 * The commit sha `revision` of `repo` points to now, from the revision API's `sha`. The listing
 * and every file are then read at that sha, so a push between the listing and the reads (or
 * between two shards) cannot mix two versions of the checkpoint (hub-access.md §8). A revision
 * that already is a full sha is returned as is (no request).
 */
export async function pinRevision(
  client: HttpClient,
  endpoint: string,
  repo: string,
  revision: string,
): Promise<string> {
  if (COMMIT_SHA.test(revision)) {
    return revision;
  }
  const label = `${repo}@${revision}`;
  const url = revisionInfoUrl(endpoint, repo, revision);
  const opened = await client.open(label, url, { accept: 'application/json' });
  const text = await readSmallBody(opened, label, url, MAX_REVISION_INFO_BYTES);
  let sha: unknown;
  try {
    sha = (JSON.parse(text) as { sha?: unknown } | null)?.sha;
  } catch {
    throw new RemoteReadError('protocol', label, url, 'the revision answer is not JSON');
  }
  if (typeof sha !== 'string' || !COMMIT_SHA.test(sha)) {
    throw new RemoteReadError(
      'protocol',
      label,
      url,
      'the revision answer has no commit sha (40 hex digits)',
    );
  }
  return sha;
}
