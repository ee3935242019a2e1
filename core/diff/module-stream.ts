import type { QuantModule } from '../quant/quant-types';
import type { SourceMap, StreamOptions } from '../quant/stream/read-exact';
import { decodedStream } from './decoded-stream';
import type { NibblePairs } from './decoded-stream';
import { bulkFp4Readable, fp4Stream } from './fp4-stream';
import type { ValueStream } from './value-stream';

/**
 * A quantized module's dequantized weight as a value stream: FP4 modules (NVFP4, MXFP4) decoded in
 * bulk by `fp4Stream`, every other layout through core's per-element dequantizer (`decodedStream`).
 * Both give the same values in the same order (tested side by side).
 */
export function moduleStream(
  sources: SourceMap,
  module: QuantModule,
  options: StreamOptions,
  swap: NibblePairs | null,
): ValueStream {
  const layout = module.layout;
  if (layout !== null && layout.kind === 'fp4' && bulkFp4Readable(layout)) {
    return fp4Stream(sources, module, layout, options, swap);
  }
  return decodedStream(sources, module, options, swap);
}
