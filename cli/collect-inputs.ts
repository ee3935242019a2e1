import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** One file to open: `path` is how the user will see it named, relative to what they typed. */
export interface InputFile {
  readonly path: string;
}

/** Files that belong to one checkpoint (one PATH argument, or the loose files given together). */
export interface InputGroup {
  readonly label: string;
  readonly files: readonly InputFile[];
}

export interface UsageProblem {
  readonly path: string;
  readonly message: string;
}

/** The companion files a checkpoint folder may hold besides its shards. */
const CONFIG_FILE_NAMES: ReadonlySet<string> = new Set(['config.json', 'hf_quant_config.json']);
const SAFETENSORS_SUFFIX = '.safetensors';
const INDEX_SUFFIX = '.safetensors.index.json';

export function isCheckpointFileName(name: string): boolean {
  return (
    name.endsWith(SAFETENSORS_SUFFIX) || name.endsWith(INDEX_SUFFIX) || CONFIG_FILE_NAMES.has(name)
  );
}

/**
 * Expands the PATH arguments of `scan`: a folder gives its .safetensors files, index and configs
 * (not recursively: a sub-folder is another checkpoint); an index gives itself, the configs beside it
 * and the shards beside it (the index check then reports shards it names that are missing, and
 * shards it does not name); loose .safetensors files given together form one group.
 */
export async function collectInputs(
  paths: readonly string[],
): Promise<{ groups: InputGroup[]; problems: UsageProblem[] }> {
  const groups: InputGroup[] = [];
  const problems: UsageProblem[] = [];
  const loose: InputFile[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch {
      problems.push({ path, message: `${path}: no such file or folder` });
      continue;
    }
    if (isDirectory) {
      const files = await checkpointFilesIn(path);
      if (!files.some((f) => f.path.endsWith(SAFETENSORS_SUFFIX))) {
        problems.push({ path, message: `${path}: the folder holds no .safetensors file` });
        continue;
      }
      groups.push({ label: path, files });
    } else if (path.endsWith(INDEX_SUFFIX)) {
      const folder = dirname(path);
      const siblings = await checkpointFilesIn(folder);
      const others = siblings.filter((f) => !f.path.endsWith(INDEX_SUFFIX));
      groups.push({ label: path, files: [{ path }, ...others] });
    } else if (path.endsWith(SAFETENSORS_SUFFIX) || CONFIG_FILE_NAMES.has(basename(path))) {
      loose.push({ path });
    } else {
      problems.push({
        path,
        message: `${path}: not a .safetensors file, a model.safetensors.index.json or a folder`,
      });
    }
  }
  if (loose.length > 0) {
    groups.push({ label: loose.length === 1 ? loose[0].path : 'files', files: loose });
  }
  return { groups, problems };
}

async function checkpointFilesIn(folder: string): Promise<InputFile[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && isCheckpointFileName(e.name))
    .map((e) => e.name)
    .sort()
    .map((name) => ({ path: join(folder, name) }));
}
