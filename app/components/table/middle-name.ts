/**
 * How a long tensor name is cut when its column is too narrow: the start gives way (ellipsis)
 * and the end stays whole, starting at the layer (`layers.47.mlp.experts.63.down_proj.weight`),
 * so two rows that differ only in layer, expert or suffix never look the same.
 */

/** Names up to this long are never split (they fit the default column). */
const SPLIT_FROM_CHARS = 48;
/** The kept end is at most this long when it starts at the layer; else the last TAIL_CHARS. */
const MAX_LAYER_TAIL_CHARS = 64;
const TAIL_CHARS = 40;
/** `layers.47.`, `h.3.`, `blocks.12.`: a word followed by an index. */
const LAYER_RE = /[A-Za-z_]+\.\d+\./;

export function splitForMiddle(name: string): readonly [head: string, tail: string] {
  if (name.length <= SPLIT_FROM_CHARS) {
    return [name, ''];
  }
  const layer = LAYER_RE.exec(name);
  if (layer !== null && layer.index > 0 && name.length - layer.index <= MAX_LAYER_TAIL_CHARS) {
    return [name.slice(0, layer.index), name.slice(layer.index)];
  }
  let cut = name.length - TAIL_CHARS;
  const dot = name.indexOf('.', cut);
  if (dot > 0 && dot < name.length - 1) {
    cut = dot + 1;
  }
  return [name.slice(0, cut), name.slice(cut)];
}
