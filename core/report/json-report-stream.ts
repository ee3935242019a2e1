import type { FileResult, JsonReportOptions, ReportableError } from './json-report';
import { jsonFileHead, jsonFileTail, jsonReportTail, jsonTensor } from './json-report';

/**
 * Characters gathered before one `write`: per-tensor writes of a million tensors cost a call each,
 * one string of the whole document cost 2 GB (the CLI's `--json` on a million zero-size tensors).
 */
export const JSON_STREAM_CHUNK_CHARS = 1 << 16;

/**
 * Writes the `--json` document of `buildJsonReport` piece by piece (a file's fields, then one
 * tensor at a time), so its memory does not grow with the tensor count. The text is byte-identical
 * to `JSON.stringify({ ...buildJsonReport(files, errors, options), ...extra })` (both build every
 * piece with the same functions, and an object's JSON is its members' JSON joined by commas),
 * except that dimensions above 2^53 are written exactly, as the header has them (`exactShape`).
 * `extra` holds top-level fields that follow `complete` (the CLI's `network`).
 */
export function writeJsonReport(
  write: (text: string) => void,
  files: readonly FileResult[],
  errors: readonly ReportableError[],
  options: JsonReportOptions,
  extra: Readonly<Record<string, unknown>> = {},
): void {
  let pending = '';
  const out = (text: string): void => {
    pending += text;
    if (pending.length >= JSON_STREAM_CHUNK_CHARS) {
      write(pending);
      pending = '';
    }
  };
  const histograms = options.histograms === true;
  out(`{"tool":${JSON.stringify({ name: 'ckptscope', version: options.version })},"files":[`);
  files.forEach((f, i) => {
    out(`${i === 0 ? '' : ','}${JSON.stringify(jsonFileHead(f)).slice(0, -1)},"tensors":[`);
    (f.header?.tensors ?? []).forEach((t, k) => {
      const json = JSON.stringify(jsonTensor(t, f.stats.get(t.name), histograms));
      out(
        `${k === 0 ? '' : ','}${t.exactShape === undefined ? json : withExactShape(json, t.shape, t.exactShape)}`,
      );
    });
    out(`],${JSON.stringify(jsonFileTail(f)).slice(1)}`);
  });
  out(`],${JSON.stringify({ ...jsonReportTail(errors, options), ...extra }).slice(1)}`);
  write(pending);
}

/**
 * A tensor's JSON with its shape written in the header's digits (dimensions above 2^53, which a
 * JS number rounds). The first `"shape":[…]` is the field itself: a name's quotes are escaped, so
 * the key cannot occur inside it.
 */
function withExactShape(json: string, shape: readonly number[], exact: readonly string[]): string {
  return json.replace(`"shape":${JSON.stringify(shape)}`, () => `"shape":[${exact.join(',')}]`);
}
