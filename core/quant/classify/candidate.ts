import type { Fp4Options } from '../layouts/fp4-layout';
import type { Int4Packing, ScaleEncoding } from '../quant-layout';
import type {
  ModuleScheme,
  ModuleTensors,
  QuantProducer,
  QuantRole,
  TensorRef,
} from '../quant-types';
import type { MemberSuffix } from '../tensor-names';

/** Which decoder a module needs, with what the names fixed about its layout. */
export type Recipe =
  | { readonly decoder: 'gpt-oss' }
  | { readonly decoder: 'fp4'; readonly options: Fp4Options }
  | { readonly decoder: 'fp8' }
  | { readonly decoder: 'int4'; readonly packing: Int4Packing }
  | { readonly decoder: 'nf4' }
  | { readonly decoder: 'none' };

/** A module as its names, dtypes and shapes describe it, before the config is consulted. */
export interface Candidate {
  /** Null for a lone FP8 / U8 weight without scales: the checkpoint's scheme decides. */
  readonly scheme: ModuleScheme | null;
  readonly producer: QuantProducer | null;
  readonly recipe: Recipe;
  readonly roles: ModuleTensors;
  readonly scaleEncoding: ScaleEncoding;
  /** Roles the scheme cannot do without. */
  readonly required: readonly QuantRole[];
  /** For a lone weight: what it needs the checkpoint's scheme to be (FP8 values or packed U8). */
  readonly lone: 'fp8' | 'u8' | null;
}

export type Classification =
  | { readonly kind: 'module'; readonly candidate: Candidate }
  | { readonly kind: 'orphans'; readonly tensors: readonly TensorRef[] }
  | { readonly kind: 'plain' };

/** A group's members by suffix (the group's own map: no closure per group). */
export type MemberLookup = ReadonlyMap<MemberSuffix, TensorRef>;

export function moduleOf(candidate: Candidate): Classification {
  return { kind: 'module', candidate };
}

/** Drops undefined entries so `roles` only lists tensors that exist. */
export function rolesOf(roles: Partial<Record<QuantRole, TensorRef | undefined>>): ModuleTensors {
  const out: Partial<Record<QuantRole, TensorRef>> = {};
  // `for...in` over the literal's own keys (in its order), not `Object.entries`: that made an array
  // of pairs per module, 100,000 times for a layer of experts.
  for (const key in roles) {
    const role = key as QuantRole;
    const ref = roles[role];
    if (ref !== undefined) {
      out[role] = ref;
    }
  }
  return out;
}
