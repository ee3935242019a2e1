/**
 * Canonical column order for the modules of a block: attention before MLP, and inside each
 * q, k, v, o then router, gate, up, down. Modules not recognised keep their first-seen order
 * (after the recognised ones of their family); modules of neither family come last.
 */

/** A segment naming an attention module (`self_attn`, `attn`, T5 `SelfAttention`, Flux `img_attn`). */
const ATTENTION_RE = /attn|attention/i;

/** A segment naming a feed-forward module: exactly one of these names, or containing `mlp`. */
const MLP_SEGMENT_RE =
  /^(?:ffn|ff|feed_forward|block_sparse_moe|moe|experts|shared_experts?|densereludense)$|mlp/i;

/** Projection names per role, in column order. Lower-cased; compared with the module's last segment. */
const ATTENTION_ROLES: readonly (readonly string[])[] = [
  ['q_proj', 'q', 'query', 'wq', 'to_q', 'q_a_proj', 'q_a_layernorm', 'q_b_proj', 'q_norm'],
  ['qkv_proj', 'qkv', 'c_attn', 'query_key_value', 'wqkv', 'w_pack'],
  [
    'k_proj',
    'k',
    'key',
    'wk',
    'to_k',
    'kv_a_proj_with_mqa',
    'kv_a_layernorm',
    'kv_b_proj',
    'k_norm',
  ],
  ['v_proj', 'v', 'value', 'wv', 'to_v'],
  ['o_proj', 'o', 'out_proj', 'wo', 'dense', 'c_proj', 'to_out', 'proj', 'output'],
];

const MLP_ROLES: readonly (readonly string[])[] = [
  ['gate', 'router'],
  ['gate_proj', 'w1', 'fc1', 'c_fc', 'wi', 'wi_0', 'mlp1_weight', 'dense_h_to_4h'],
  ['gate_up_proj'],
  ['up_proj', 'w3', 'wi_1'],
  ['down_proj', 'w2', 'fc2', 'c_proj', 'wo', 'mlp2_weight', 'dense_4h_to_h'],
];

const FAMILY_ATTENTION = 0;
const FAMILY_MLP = 1;
const FAMILY_OTHER = 2;

/** A norm is not part of the module it is named after (`post_attention_layernorm`). */
const NORM_RE = /norm/i;

/**
 * The family comes from the containing path (`self_attn` of `self_attn.q_norm`); a single-segment
 * module (`attn`, `input_layernorm`) is its own container unless it is a norm.
 */
function familyOf(segments: readonly string[]): number {
  const containers =
    segments.length > 1 ? segments.slice(0, -1) : segments.filter((s) => !NORM_RE.test(s));
  if (containers.some((s) => ATTENTION_RE.test(s))) {
    return FAMILY_ATTENTION;
  }
  if (containers.some((s) => MLP_SEGMENT_RE.test(s))) {
    return FAMILY_MLP;
  }
  return FAMILY_OTHER;
}

function roleOf(roles: readonly (readonly string[])[], segment: string): number {
  const lower = segment.toLowerCase();
  const index = roles.findIndex((names) => names.includes(lower));
  return index < 0 ? roles.length : index;
}

interface SortKey {
  readonly module: string;
  readonly family: number;
  /** First-seen index of the module's parent path: `mlp.experts.*` stays apart from `mlp.shared_experts.*`. */
  readonly group: number;
  readonly role: number;
  readonly seen: number;
}

function compareKeys(a: SortKey, b: SortKey): number {
  return a.family - b.family || a.group - b.group || a.role - b.role || a.seen - b.seen;
}

/** Orders module names given in first-seen order into column order. */
export function orderModules(firstSeen: readonly string[]): string[] {
  const groups = new Map<string, number>();
  const keys = firstSeen.map((module, seen): SortKey => {
    const segments = module.split('.');
    const parent = segments.slice(0, -1).join('.');
    const last = segments[segments.length - 1];
    const family = familyOf(segments);
    if (!groups.has(parent)) {
      groups.set(parent, groups.size);
    }
    if (family === FAMILY_OTHER) {
      return { module, family, group: 0, role: 0, seen };
    }
    return {
      module,
      family,
      group: groups.get(parent) ?? 0,
      role: roleOf(family === FAMILY_ATTENTION ? ATTENTION_ROLES : MLP_ROLES, last),
      seen,
    };
  });
  return keys.sort(compareKeys).map((k) => k.module);
}
