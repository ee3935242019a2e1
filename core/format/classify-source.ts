/** What a dropped or listed file is to a checkpoint, judged by its base name. */
export type SourceRole = 'safetensors' | 'index' | 'config' | 'hfQuantConfig' | 'ignored';

/** The last path component; both `/` and `\` separate (names may come from Windows paths). */
export function baseName(name: string): string {
  const cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
  return name.slice(cut + 1);
}

/** Everything before the last path component, with its trailing separator ('' for a bare name). */
export function dirPrefix(name: string): string {
  const cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
  return name.slice(0, cut + 1);
}

/** Role by base name, case-insensitively: `*.safetensors`, `*.safetensors.index.json`, the two configs. */
export function classifySource(name: string): SourceRole {
  const base = baseName(name).toLowerCase();
  if (base.endsWith('.safetensors.index.json')) {
    return 'index';
  }
  if (base.endsWith('.safetensors')) {
    return 'safetensors';
  }
  if (base === 'config.json') {
    return 'config';
  }
  if (base === 'hf_quant_config.json') {
    return 'hfQuantConfig';
  }
  return 'ignored';
}
