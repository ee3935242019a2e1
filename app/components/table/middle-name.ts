/**
 * How a tensor name gives way when its column is narrow: `model.language_model.layers.47.mlp.
 * experts.63.down_proj.weight_scale` is drawn as four parts, the prefix before the layer shrinks
 * first, then the module path, while the layer (`layers.47.`) and the last part (`weight_scale`)
 * never shrink, so two rows that differ only in layer or suffix never look the same.
 */
export interface NameParts {
  /** Before the layer (`model.language_model.`); gives way first. */
  readonly head: string;
  /** `layers.47.` (a word, an index, a dot), or empty when the name has none. */
  readonly layer: string;
  /** Between the layer and the last part (`mlp.experts.63.down_proj.`); gives way next. */
  readonly middle: string;
  /** The last dotted part (`weight_scale`), never cut. */
  readonly suffix: string;
}

/** `layers.47.`, `h.3.`, `blocks.12.`: a word followed by an index. */
const LAYER_RE = /[A-Za-z_]+\.\d+\./;

export function splitName(name: string): NameParts {
  const dot = name.lastIndexOf('.');
  const suffix = dot < 0 ? name : name.slice(dot + 1);
  const body = dot < 0 ? '' : name.slice(0, dot + 1);
  const layer = LAYER_RE.exec(body);
  if (layer === null) {
    return { head: '', layer: '', middle: body, suffix };
  }
  const end = layer.index + layer[0].length;
  return {
    head: body.slice(0, layer.index),
    layer: layer[0],
    middle: body.slice(end),
    suffix,
  };
}
