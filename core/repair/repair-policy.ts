import { assertUnreachable } from '../dtype/dtype';
import { decodeF8E4M3, decodeF8E8M0, F8_E8M0_BIAS, F8_E8M0_NAN_CODE } from '../dtype/fp8';
import type { Result } from '../result';
import { err, ok } from '../result';
import type { FloatReplacement, Fp8Replacement } from './repair-decisions';
import { DESTROYED_SCALE_BYTE } from './repair-decisions';
import { isE4m3Nan } from './replacement';

export type { FloatReplacement, Fp8Replacement } from './repair-decisions';

/**
 * How a repair replaces bad values. A plain serializable object (it crosses the worker boundary and
 * lands in the manifest). `e8m0` and `float` are null when those tensors are left alone.
 */
export interface RepairPolicy {
  readonly fp8: Fp8Replacement;
  /** The byte every F8_E8M0 NaN (0xFF) becomes; null leaves E8M0 tensors alone. */
  readonly e8m0: { readonly byte: number } | null;
  readonly float: FloatReplacement | null;
}

/**
 * The fix users apply by hand to ModelOpt 0.44 exports: a NaN scale → the largest positive finite
 * value (a NaN FP8 weight → the largest finite of its sign); destroyed blocks → the zero scale.
 */
export const DEFAULT_REPAIR_POLICY: RepairPolicy = {
  fp8: { kind: 'max' },
  e8m0: null,
  float: null,
};

/** Shown in usage texts and in every parse error. */
export const POLICY_SYNTAX =
  'max | zero | byte:B, optionally followed by ,e8m0:B and/or ,float-zero | ,float-max ' +
  '(B is a byte, 0-255 or 0x00-0xFF)';

const DECIMAL_BYTE = /^(0|[1-9][0-9]{0,2})$/;
const HEX_BYTE = /^0x[0-9a-fA-F]{1,2}$/;
/** Largest value a byte can hold. */
const BYTE_MAX = 0xff;

/** `126` or `0x7E` → 126; null for anything else (signs, spaces, `0x`, 256, `1e2`, leading zeros). */
export function parseByte(text: string): number | null {
  if (DECIMAL_BYTE.test(text) || HEX_BYTE.test(text)) {
    const value = Number(text);
    return value <= BYTE_MAX ? value : null;
  }
  return null;
}

export function formatByte(value: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Why a policy object cannot be used (bytes out of range, a replacement that is itself NaN), or null. */
export function checkPolicy(policy: RepairPolicy): string | null {
  if (policy.fp8.kind === 'byte') {
    const b = policy.fp8.value;
    if (!Number.isInteger(b) || b < 0 || b > BYTE_MAX) {
      return `the FP8 replacement byte must be 0-255, not ${b}`;
    }
    if (isE4m3Nan(b)) {
      return `the FP8 replacement byte ${formatByte(b)} is itself NaN in F8_E4M3`;
    }
  }
  if (policy.e8m0 !== null) {
    const b = policy.e8m0.byte;
    if (!Number.isInteger(b) || b < 0 || b > BYTE_MAX) {
      return `the E8M0 replacement byte must be 0-255, not ${b}`;
    }
    if (b === F8_E8M0_NAN_CODE) {
      return `the E8M0 replacement byte ${formatByte(b)} is itself NaN in F8_E8M0`;
    }
  }
  return null;
}

/**
 * Parses the `--policy` syntax: one FP8 rule (`max`, `zero`, `byte:0x7E` / `byte:126`; default
 * `max`), then comma-joined additions `e8m0:B` and `float-zero` / `float-max`. Strict: no spaces,
 * lower case only, each kind at most once.
 */
export function parsePolicy(text: string): Result<RepairPolicy, string> {
  if (text === '') {
    return err(`empty policy; expected ${POLICY_SYNTAX}`);
  }
  let fp8: Fp8Replacement | null = null;
  let e8m0: { byte: number } | null = null;
  let float: FloatReplacement | null = null;
  for (const item of text.split(',')) {
    const parsed = parseItem(item);
    if (!parsed.ok) {
      return parsed;
    }
    const rule = parsed.value;
    switch (rule.kind) {
      case 'fp8':
        if (fp8 !== null) {
          return err(`"${text}" names two FP8 rules; give one of max, zero, byte:B`);
        }
        fp8 = rule.value;
        break;
      case 'e8m0':
        if (e8m0 !== null) {
          return err(`"${text}" names e8m0 twice`);
        }
        e8m0 = { byte: rule.byte };
        break;
      case 'float':
        if (float !== null) {
          return err(`"${text}" names two float rules; give float-zero or float-max`);
        }
        float = rule.value;
        break;
      default:
        return assertUnreachable(rule);
    }
  }
  const policy: RepairPolicy = { fp8: fp8 ?? DEFAULT_REPAIR_POLICY.fp8, e8m0, float };
  const problem = checkPolicy(policy);
  return problem === null ? ok(policy) : err(problem);
}

type PolicyItem =
  | { readonly kind: 'fp8'; readonly value: Fp8Replacement }
  | { readonly kind: 'e8m0'; readonly byte: number }
  | { readonly kind: 'float'; readonly value: FloatReplacement };

function parseItem(item: string): Result<PolicyItem, string> {
  switch (item) {
    case 'max':
    case 'zero':
      return ok({ kind: 'fp8', value: { kind: item } });
    case 'float-zero':
      return ok({ kind: 'float', value: 'zero' });
    case 'float-max':
      return ok({ kind: 'float', value: 'max' });
    case '':
      return err(`empty item in the policy; expected ${POLICY_SYNTAX}`);
  }
  const colon = item.indexOf(':');
  const key = colon < 0 ? item : item.slice(0, colon);
  const value = colon < 0 ? '' : item.slice(colon + 1);
  if (key === 'byte' || key === 'e8m0') {
    const byte = parseByte(value);
    if (byte === null) {
      return err(`"${item}": ${key} takes a byte, 0-255 or 0x00-0xFF`);
    }
    return ok(
      key === 'byte'
        ? { kind: 'fp8', value: { kind: 'byte', value: byte } }
        : { kind: 'e8m0', byte },
    );
  }
  return err(`unknown policy item "${item}"; expected ${POLICY_SYNTAX}`);
}

/** The canonical `--policy` text of a policy (parsePolicy(formatPolicy(p)) equals p). */
export function formatPolicy(policy: RepairPolicy): string {
  const items: string[] = [
    policy.fp8.kind === 'byte' ? `byte:${formatByte(policy.fp8.value)}` : policy.fp8.kind,
  ];
  if (policy.e8m0 !== null) {
    items.push(`e8m0:${policy.e8m0.byte}`);
  }
  if (policy.float !== null) {
    items.push(`float-${policy.float}`);
  }
  return items.join(',');
}

/** One plain-words sentence per tensor kind, for the CLI and the app. */
export function describePolicy(policy: RepairPolicy): string {
  return [describeFp8(policy.fp8), describeE8m0(policy.e8m0), describeFloat(policy.float)].join(
    '; ',
  );
}

function describeFp8(rule: Fp8Replacement): string {
  const what = 'F8_E4M3 NaN (0x7F/0xFF)';
  const destroyed = `, except a destroyed block's scale → zero (${formatByte(DESTROYED_SCALE_BYTE)})`;
  switch (rule.kind) {
    case 'max':
      return (
        `${what} scale → largest positive finite (0x7E, +448)${destroyed}; ` +
        `${what} weight → largest finite of the same sign (0x7E/0xFE, ±448)`
      );
    case 'zero':
      return `${what} scale → +0 (0x00); ${what} weight → zero of the same sign (0x00/0x80)`;
    case 'byte':
      return `${what} → ${formatByte(rule.value)} (${decodeF8E4M3(rule.value)})${destroyed}`;
    default:
      return assertUnreachable(rule);
  }
}

function describeE8m0(rule: { readonly byte: number } | null): string {
  if (rule === null) {
    return 'F8_E8M0 NaN left as is';
  }
  const exponent = rule.byte - F8_E8M0_BIAS;
  return (
    `F8_E8M0 NaN (0xFF) → ${formatByte(rule.byte)} (2^${exponent} = ${decodeF8E8M0(rule.byte)}), ` +
    `except a destroyed block's scale → the smallest, ${formatByte(DESTROYED_SCALE_BYTE)} (2^-${F8_E8M0_BIAS})`
  );
}

function describeFloat(rule: FloatReplacement | null): string {
  const what = 'BF16/F16/F32 NaN and ±Inf';
  if (rule === null) {
    return `${what} left as is`;
  }
  switch (rule) {
    case 'zero':
      return `${what} → zero, positive in scales, of the same sign elsewhere (lossy)`;
    case 'max':
      return `${what} → largest finite, positive in scales, of the same sign elsewhere (lossy)`;
    default:
      return assertUnreachable(rule);
  }
}
