import type { Result } from '../result';
import { err, ok } from '../result';
import { CheckpointError } from './errors';
import { decodeUtf8Strict } from './utf8';

/**
 * Largest `config.json` / `hf_quant_config.json` we read. Real ones are a few KB; quantization
 * configs that list every ignored layer reach a few hundred KB. Far above that is not a config.
 */
export const CONFIG_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Parses a JSON config into plain JS values. Objects come from `JSON.parse`, so every key, even
 * `__proto__`, is an own property; read them with `Object.hasOwn`. The top level must be an object.
 */
export function readConfig(fileName: string, bytes: Uint8Array): Result<unknown, CheckpointError> {
  if (bytes.length > CONFIG_MAX_BYTES) {
    return err(
      new CheckpointError(
        'ConfigInvalid',
        fileName,
        `the config is ${bytes.length} bytes, more than the ${CONFIG_MAX_BYTES}-byte limit`,
      ),
    );
  }
  const text = decodeUtf8Strict(bytes);
  if (!text.ok) {
    return err(
      new CheckpointError('ConfigInvalid', fileName, `the config is ${text.error.detail}`),
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text.value);
  } catch (e) {
    // SyntaxError, or RangeError from pathological nesting in older engines.
    const reason = e instanceof Error ? e.message : String(e);
    return err(
      new CheckpointError('ConfigInvalid', fileName, `the config is not valid JSON: ${reason}`),
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return err(new CheckpointError('ConfigInvalid', fileName, 'the config must be a JSON object'));
  }
  return ok(value);
}
