/**
 * Where the repeated blocks of a model live in its tensor names. Each entry is a dotted container
 * path that is followed by the block index (`<container>.<N>.`), matched on whole segments
 * anywhere in the name. What comes before the container (`model.`, `transformer.`,
 * `language_model.model.`, `model.diffusion_model.`, ...) is dropped.
 *
 * The leftmost match wins, so T5's `encoder.block.3.layer.1.` is block 3, not sub-layer 1; when two
 * entries match at the same place, the one listed first wins (keep specific entries first).
 */
export interface LayerContainer {
  readonly container: string;
  /**
   * Prepended to the module name. Encoder-decoder and dual-stream models number two stacks from 0;
   * the prefix keeps their modules in different columns instead of merging them into one cell.
   */
  readonly modulePrefix: string;
  /** Which checkpoints name their blocks this way. */
  readonly seenIn: string;
}

export const LAYER_CONTAINERS: readonly LayerContainer[] = [
  { container: 'encoder.layers', modulePrefix: 'encoder.', seenIn: 'BART/Whisper encoder' },
  { container: 'encoder.layer', modulePrefix: 'encoder.', seenIn: 'BERT, RoBERTa' },
  { container: 'encoder.block', modulePrefix: 'encoder.', seenIn: 'T5 encoder' },
  { container: 'double_blocks', modulePrefix: 'double_blocks.', seenIn: 'Flux (original)' },
  { container: 'single_blocks', modulePrefix: 'single_blocks.', seenIn: 'Flux (original)' },
  {
    container: 'single_transformer_blocks',
    modulePrefix: 'single_transformer_blocks.',
    seenIn: 'Flux (diffusers)',
  },
  { container: 'transformer_blocks', modulePrefix: '', seenIn: 'diffusers DiT, Flux' },
  { container: 'layers', modulePrefix: '', seenIn: 'Llama/Qwen/Mistral/DeepSeek/OPT/gpt-oss (HF)' },
  { container: 'blocks', modulePrefix: '', seenIn: 'ComfyUI/Wan, DBRX, MPT, ViT' },
  { container: 'block', modulePrefix: '', seenIn: 'gpt-oss original, T5 decoder' },
  { container: 'layer', modulePrefix: '', seenIn: 'generic' },
  { container: 'h', modulePrefix: '', seenIn: 'GPT-2, Falcon, BLOOM' },
];

/** Escapes a literal for use inside a RegExp. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One alternation over every container: JS regexps try alternatives in order at each position,
 * which gives exactly "leftmost match, then list order". Group 1 is the container, 2 the index.
 */
const LAYER_RE = new RegExp(
  `(?:^|\\.)(${LAYER_CONTAINERS.map((c) => escapeRegExp(c.container)).join('|')})\\.(\\d+)\\.`,
);

/** Block indices above this are not layers (e.g. a hash-like segment); keeps numbers exact. */
const MAX_LAYER_INDEX = 1_000_000;

export interface LayerMatch {
  readonly layer: number;
  readonly modulePrefix: string;
  /** The name after `<container>.<N>.`. */
  readonly rest: string;
}

/** Finds the block index of a tensor name, or null for tensors outside the repeated blocks. */
export function matchLayer(name: string): LayerMatch | null {
  const match = LAYER_RE.exec(name);
  if (match === null) {
    return null;
  }
  const container = LAYER_CONTAINERS.find((c) => c.container === match[1]);
  const layer = Number(match[2]);
  if (container === undefined || layer > MAX_LAYER_INDEX) {
    return null;
  }
  return {
    layer,
    modulePrefix: container.modulePrefix,
    rest: name.slice(match.index + match[0].length),
  };
}
