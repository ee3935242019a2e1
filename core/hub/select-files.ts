import { classifySource, dirPrefix } from '../format/classify-source';
import type { HubFile } from './list-tree';

/** The files of a listing that make up the checkpoint `path` names, or why there are none. */
export type Selection =
  | { readonly ok: true; readonly files: HubFile[] }
  | { readonly ok: false; readonly message: string };

/** Checkpoint files (shards, index, configs) directly in `folder` ('' = the root), by path. */
function checkpointFilesIn(files: readonly HubFile[], folder: string): HubFile[] {
  const prefix = folder === '' ? '' : `${folder}/`;
  return files
    .filter(
      (f) =>
        f.path.startsWith(prefix) &&
        !f.path.slice(prefix.length).includes('/') &&
        classifySource(f.path) !== 'ignored',
    )
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Chooses files as the CLI does for local paths: a folder (or the root) gives its shards, index
 * and configs, not recursively; an index gives itself and the checkpoint files beside it; a
 * `.safetensors` file or a config is read alone.
 */
export function selectCheckpointFiles(files: readonly HubFile[], path: string): Selection {
  const exact = files.find((f) => f.path === path);
  if (exact !== undefined) {
    const role = classifySource(exact.path);
    if (role === 'ignored') {
      return { ok: false, message: `${path} is not a .safetensors file, an index or a config` };
    }
    if (role === 'index') {
      const folder = dirPrefix(exact.path).replace(/\/$/, '');
      return { ok: true, files: checkpointFilesIn(files, folder) };
    }
    return { ok: true, files: [exact] };
  }
  const inFolder = checkpointFilesIn(files, path);
  if (!inFolder.some((f) => classifySource(f.path) === 'safetensors')) {
    const any = path === '' || files.some((f) => f.path.startsWith(`${path}/`));
    return {
      ok: false,
      message: any
        ? `${path === '' ? 'the repo root' : path} holds no .safetensors file`
        : `${path}: no such file or folder`,
    };
  }
  return { ok: true, files: inFolder };
}
