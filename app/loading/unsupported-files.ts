import { baseName } from './accept-file';

/** Known kinds of files people drop instead of safetensors, by how their name ends (lower case). */
const KINDS: readonly { readonly test: (name: string) => boolean; readonly what: string }[] = [
  {
    test: (n) =>
      n.endsWith('.bin') || n.endsWith('.pt') || n.endsWith('.pth') || n.endsWith('.ckpt'),
    what: 'a PyTorch pickle checkpoint',
  },
  { test: (n) => n.endsWith('.gguf') || n.endsWith('.ggml'), what: 'a GGUF (llama.cpp) model' },
  { test: (n) => n.endsWith('.onnx'), what: 'an ONNX model' },
  { test: (n) => n.endsWith('.h5') || n.endsWith('.keras'), what: 'a Keras/HDF5 model' },
  { test: (n) => n.endsWith('.msgpack'), what: 'a Flax msgpack checkpoint' },
  { test: (n) => n.endsWith('.npz') || n.endsWith('.npy'), what: 'a NumPy array file' },
  { test: (n) => n.endsWith('.json'), what: 'a JSON file that is not an index or a config' },
  {
    test: (n) => n.endsWith('.txt') || n.endsWith('.md') || n.startsWith('readme'),
    what: 'a text file',
  },
];

/**
 * Said when a pick or drop brings no file at all. Chromium leaves symlinks out of folder picks and
 * folder drops (since the fix of CVE-2022-3656), and every file of a Hugging Face cache snapshot is
 * a symlink into `../../blobs/`: such a folder arrives empty. Picking its files (not the folder)
 * works, since the file dialog resolves the links; the CLI follows them too.
 */
const EMPTY_FOLDER_HINT =
  'A folder of symlinks, such as a Hugging Face cache snapshot (models--ORG--NAME/snapshots/REV/), arrives empty from Chromium-based browsers, which leave symlinks out of folder picks and drops: open its files with "Choose files…" (select them all), or scan it with npx ckptscope scan.';

/** How many file names the message lists before "and N more". */
const NAMES_SHOWN = 3;

/** What a file is, by its name: "a PyTorch pickle checkpoint", or null when it is not a known kind. */
export function describeFileKind(path: string): string | null {
  const name = baseName(path).toLowerCase();
  return KINDS.find((k) => k.test(name))?.what ?? null;
}

/**
 * The message for a drop holding no file ckptscope reads: what the files are, and what it reads
 * instead, e.g. `pytorch_model.bin is a PyTorch pickle checkpoint: ckptscope reads .safetensors…`.
 */
export function describeUnsupported(ignored: readonly string[]): string {
  const reads =
    'ckptscope reads .safetensors files (with model.safetensors.index.json, config.json and hf_quant_config.json)';
  if (ignored.length === 0) {
    return `Nothing to open: ${reads}. ${EMPTY_FOLDER_HINT}`;
  }
  const shown = ignored.slice(0, NAMES_SHOWN).map((p) => {
    const kind = describeFileKind(p);
    return kind === null ? `${baseName(p)} is not a checkpoint file` : `${baseName(p)} is ${kind}`;
  });
  const more = ignored.length > NAMES_SHOWN ? ` (and ${ignored.length - NAMES_SHOWN} more)` : '';
  const pickle = ignored.some((p) => describeFileKind(p) === 'a PyTorch pickle checkpoint')
    ? ' A PyTorch checkpoint can be converted with safetensors.torch.save_file, or exported with save_pretrained(..., safe_serialization=True).'
    : '';
  return `${shown.join('; ')}${more}: ${reads}.${pickle}`;
}
