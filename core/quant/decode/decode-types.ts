import { assertUnreachable } from '../../dtype/dtype';
import type { QuantModule, QuantRole, TensorRef } from '../quant-types';
import type { SourceMap, StreamOptions } from '../stream/read-exact';

/**
 * Receives a module's weight element by element, in storage order.
 * - `index`: flat index in the layout's `elementShape` (the unpacked weight as laid out on disk).
 * - `code`: the raw stored code (E2M1 / int4 nibble, FP8 byte).
 * - `level`: the code's value before scaling (E2M1 value, q - z, FP8 value, NF4 table entry).
 * - `value`: the dequantized weight.
 */
export interface ElementVisitor {
  element(index: number, code: number, level: number, value: number): void;
  /** A non-zero code under a zero block scale: `scaleIndex` is the flat logical scale index. */
  zeroed(scaleIndex: number): void;
}

/** What a decoder needs besides the module: where the bytes are and how to stream them. */
export interface DecodeInput {
  readonly sources: SourceMap;
  readonly module: QuantModule;
  readonly options: StreamOptions;
}

/** A tensor the decoder cannot do without; `decodeBlocker` has already checked it exists. */
export function roleTensor(module: QuantModule, role: QuantRole): TensorRef {
  const ref = module.tensors[role];
  if (ref === undefined) {
    throw new Error(`${module.prefix}: no ${role} tensor`);
  }
  return ref;
}

/** Combines a block scale with the global scale as the layout says. */
export function combineScale(
  block: number,
  global: number,
  how: 'multiply' | 'divide' | 'none',
): number {
  switch (how) {
    case 'multiply':
      return block * global;
    case 'divide':
      return block / global;
    case 'none':
      return block;
    default:
      return assertUnreachable(how);
  }
}
