/** The files ckptscope takes from a drop; anything else is listed as ignored. */
const CONFIG_FILE_NAMES: ReadonlySet<string> = new Set(['config.json', 'hf_quant_config.json']);
const SAFETENSORS_SUFFIX = '.safetensors';
const INDEX_SUFFIX = '.safetensors.index.json';

export function baseName(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? path : path.slice(at + 1);
}

export function isAcceptedFileName(path: string): boolean {
  const name = baseName(path);
  return (
    name.endsWith(SAFETENSORS_SUFFIX) || name.endsWith(INDEX_SUFFIX) || CONFIG_FILE_NAMES.has(name)
  );
}

/** What `accept=` on the file inputs offers; folders are taken whole and filtered by name. */
export const FILE_INPUT_ACCEPT = '.safetensors,.json';
