import { CheckpointError, isCheckpointError } from '../format/errors';
import type { HttpClient } from '../io/http-client';
import { openHttpSource } from '../io/http-source';
import type { HttpSource } from '../io/http-source';
import type { RemoteInput } from './hub-input';
import { resolveUrl } from './hub-input';
import { listHubFiles } from './list-tree';
import { pinRevision } from './pin-revision';
import { selectCheckpointFiles } from './select-files';

/** The opened files of one remote input, and what failed (a listing, a file's first request). */
export interface RemoteGroup {
  readonly label: string;
  readonly sources: HttpSource[];
  readonly errors: CheckpointError[];
  /** Input problems (nothing to scan there): reported like a missing local path. */
  readonly problems: string[];
}

function asError(label: string, e: unknown): CheckpointError {
  return isCheckpointError(e)
    ? e
    : new CheckpointError('ReadFailed', label, e instanceof Error ? e.message : String(e));
}

/** The last path segment of a URL, for a plain URL input's name. */
function urlFileName(url: string): string {
  const path = url.replace(/[?#].*$/, '');
  const base = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(base) || 'remote.safetensors';
  } catch {
    return base;
  }
}

/**
 * Lists (for the Hub) and opens the files of one input: each file's first Range request (its
 * header probe) runs concurrently, bounded by the client's per-host limit. A Hub revision is
 * pinned to its commit sha first, and the listing and every file are read at that sha. Names are
 * `ORG/NAME/PATH` for the Hub, the file name for a plain URL.
 */
export async function openRemoteInput(
  client: HttpClient,
  endpoint: string,
  input: RemoteInput,
  label: string,
): Promise<RemoteGroup> {
  if (input.kind === 'url') {
    try {
      const source = await openHttpSource(client, input.url, urlFileName(input.url));
      return { label, sources: [source], errors: [], problems: [] };
    } catch (e) {
      return { label, sources: [], errors: [asError(label, e)], problems: [] };
    }
  }
  let listed;
  let commit;
  try {
    commit = await pinRevision(client, endpoint, input.repo, input.revision);
    listed = await listHubFiles(client, endpoint, input.repo, commit);
  } catch (e) {
    return { label, sources: [], errors: [asError(label, e)], problems: [] };
  }
  const selection = selectCheckpointFiles(listed, input.path);
  if (!selection.ok) {
    return {
      label,
      sources: [],
      errors: [],
      problems: [`${label}: ${selection.message} in ${input.repo}@${input.revision}`],
    };
  }
  const opened = await Promise.all(
    selection.files.map(async (f) => {
      const name = `${input.repo}/${f.path}`;
      try {
        const url = resolveUrl(endpoint, input.repo, commit, f.path);
        return await openHttpSource(client, url, name, { size: f.size });
      } catch (e) {
        return asError(name, e);
      }
    }),
  );
  const sources: HttpSource[] = [];
  const errors: CheckpointError[] = [];
  for (const o of opened) {
    if (isCheckpointError(o)) {
      errors.push(o);
    } else {
      sources.push(o);
    }
  }
  return { label, sources, errors, problems: [] };
}
