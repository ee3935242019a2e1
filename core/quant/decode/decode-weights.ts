import { assertUnreachable } from '../../dtype/dtype';
import type { QuantModule } from '../quant-types';
import type { DecodeInput, ElementVisitor } from './decode-types';
import { decodeFp4 } from './decode-fp4';
import { decodeFp8 } from './decode-fp8';
import { decodeInt4 } from './decode-int4';
import { decodeNf4 } from './decode-nf4';
import { MAX_GLOBAL_SCALE_ELEMENTS } from './global-values';

/**
 * Why a module's weight cannot be dequantized, or null when it can: no layout (missing tensors,
 * shapes that do not fit, unknown scheme), a global scale that is missing or not small, or a
 * bitsandbytes state this tool does not decode.
 */
export function decodeBlocker(module: QuantModule): string | null {
  const layout = module.layout;
  if (module.missing.length > 0) {
    return `missing ${module.missing.join(', ')}`;
  }
  if (layout === null) {
    return module.shapeProblem !== null
      ? 'its scale shape does not fit the weight'
      : `no decoder for scheme ${module.scheme}`;
  }
  switch (layout.kind) {
    case 'fp4': {
      const g = module.tensors.globalScale;
      if (
        layout.globalScale !== 'none' &&
        (g === undefined || g.info.elements > MAX_GLOBAL_SCALE_ELEMENTS)
      ) {
        return 'no usable global scale';
      }
      return null;
    }
    case 'nf4':
      if (layout.doubleQuant) {
        return 'double-quantized absmax is not decoded';
      }
      return module.tensors.quantMap === undefined ? 'missing quantMap' : null;
    case 'fp8':
    case 'int4':
      return null;
    default:
      return assertUnreachable(layout);
  }
}

/**
 * Streams a module's weight through `visit`, dequantizing every element with its scales. Rejects
 * with an Error when `decodeBlocker` says it cannot, and with CheckpointErrors on read failures or
 * cancellation.
 */
export async function decodeWeights(input: DecodeInput, visit: ElementVisitor): Promise<void> {
  const blocker = decodeBlocker(input.module);
  const layout = input.module.layout;
  if (blocker !== null || layout === null) {
    throw new Error(`${input.module.prefix} cannot be dequantized: ${blocker ?? 'no layout'}`);
  }
  switch (layout.kind) {
    case 'fp4':
      return decodeFp4(input, layout, visit);
    case 'fp8':
      return decodeFp8(input, layout, visit);
    case 'int4':
      return decodeInt4(input, layout, visit);
    case 'nf4':
      return decodeNf4(input, layout, visit);
    default:
      return assertUnreachable(layout);
  }
}
