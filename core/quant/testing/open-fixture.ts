import { buildSafetensors } from '../../format/build-safetensors';
import type { TensorSpec } from '../../format/build-safetensors';
import type { Checkpoint } from '../../format/open-checkpoint';
import { parseHeaderBytes } from '../../format/parse-header';
import { openCheckpoint } from '../../format/open-checkpoint';
import type { SafetensorsHeader } from '../../format/tensor-info';
import { memorySource } from '../../io/byte-source';
import { recognizeScheme } from '../recognize-scheme';
import type { SchemeReport } from '../recognize-scheme';
import type { QuantModule } from '../quant-types';
import type { SourceMap } from '../stream/read-exact';
import { sourceMap } from '../stream/read-exact';
import type { QuantFixture } from './fixture-kit';

/** A fixture opened in memory the way the app and CLI open a folder, and recognised. */
export interface OpenedFixture {
  readonly checkpoint: Checkpoint;
  readonly headers: readonly SafetensorsHeader[];
  readonly sources: SourceMap;
  readonly report: SchemeReport;
}

export async function openFixture(fixture: QuantFixture): Promise<OpenedFixture> {
  const sources = fixture.files.map((f) => memorySource(f.name, f.bytes));
  const checkpoint = await openCheckpoint(sources);
  const headers = checkpoint.files.flatMap((f) => (f.header === null ? [] : [f.header]));
  const report = recognizeScheme(headers, checkpoint.config, checkpoint.hfQuantConfig, {
    configFile: 'config.json',
    hfQuantConfigFile: 'hf_quant_config.json',
  });
  return { checkpoint, headers, sources: sourceMap(sources), report };
}

/** A validated header (and a source over its bytes) for a list of tensors: tests' one-liner. */
export function headerOf(
  tensors: readonly TensorSpec[],
  fileName = 'model.safetensors',
): { header: SafetensorsHeader; sources: SourceMap } {
  const bytes = buildSafetensors(tensors);
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const parsed = parseHeaderBytes(fileName, bytes.length, bytes.subarray(8, 8 + n));
  if (!parsed.ok) {
    throw new Error(parsed.error.message);
  }
  return { header: parsed.value, sources: sourceMap([memorySource(fileName, bytes)]) };
}

/** The recognised module `prefix` of a one-file checkpoint made of `tensors`, with its sources. */
export function moduleFrom(
  tensors: readonly TensorSpec[],
  prefix: string,
  hfQuantConfig: unknown = null,
): { module: QuantModule; sources: SourceMap } {
  const { header, sources } = headerOf(tensors);
  const module = recognizeScheme([header], null, hfQuantConfig).modules.find(
    (m) => m.prefix === prefix,
  );
  if (module === undefined) {
    throw new Error(`no module ${prefix}`);
  }
  return { module, sources };
}
