import { assertUnreachable } from '../dtype/dtype';
import type { Result } from '../result';
import { err, ok } from '../result';
import type { JsonKind, JsonNumber } from './json-reader';
import { JsonError, JsonReader, lineAndColumn } from './json-reader';

/**
 * A parsed JSON value that loses nothing JSON.parse would: integers stay exact, objects keep every
 * entry in document order (duplicates included) and keys are never object properties.
 */
export type JsonValue =
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | ({ readonly kind: 'number' } & JsonNumber)
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'array'; readonly items: readonly JsonValue[] }
  | {
      readonly kind: 'object';
      readonly entries: readonly JsonEntry[];
      /** True when some key occurs more than once in `entries`. */
      readonly hasDuplicateKeys: boolean;
    };

export interface JsonEntry {
  readonly key: string;
  readonly value: JsonValue;
}

export interface JsonParseError {
  readonly detail: string;
  /** UTF-16 offset into the text. */
  readonly position: number;
  readonly line: number;
  readonly column: number;
}

/** Largest u64, the type of every shape dimension and offset in a safetensors header. */
export const U64_MAX = 2n ** 64n - 1n;

/** Parses one JSON text with serde_json's strictness. Never throws. */
export function parseStrictJson(text: string): Result<JsonValue, JsonParseError> {
  const reader = new JsonReader(text);
  try {
    const value = readJsonValue(reader);
    reader.finish();
    return ok(value);
  } catch (e) {
    if (e instanceof JsonError) {
      return err(toParseError(text, e));
    }
    throw e;
  }
}

export function toParseError(text: string, e: JsonError): JsonParseError {
  const { line, column } = lineAndColumn(text, e.position);
  return { detail: e.detail, position: e.position, line, column };
}

type Frame =
  | { readonly kind: 'array'; readonly items: JsonValue[] }
  | {
      readonly kind: 'object';
      readonly entries: JsonEntry[];
      readonly keys: Set<string>;
      duplicate: boolean;
      key: string;
    };

/** Reads the next value in full, iteratively (no JS recursion however deep the input). */
export function readJsonValue(reader: JsonReader): JsonValue {
  const stack: Frame[] = [];
  for (;;) {
    let value: JsonValue;
    const kind = reader.peek();
    if (kind === 'object') {
      reader.beginObject();
      const key = reader.nextKey();
      if (key !== null) {
        stack.push({ kind: 'object', entries: [], keys: new Set([key]), duplicate: false, key });
        continue;
      }
      value = { kind: 'object', entries: [], hasDuplicateKeys: false };
    } else if (kind === 'array') {
      reader.beginArray();
      if (reader.nextItem()) {
        stack.push({ kind: 'array', items: [] });
        continue;
      }
      value = { kind: 'array', items: [] };
    } else {
      value = readScalar(reader, kind);
    }
    // Attach the finished value to its container; close every container that ends here.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        return value;
      }
      if (top.kind === 'array') {
        top.items.push(value);
        if (reader.nextItem()) {
          break;
        }
        value = { kind: 'array', items: top.items };
      } else {
        top.entries.push({ key: top.key, value });
        const key = reader.nextKey();
        if (key !== null) {
          if (top.keys.has(key)) {
            top.duplicate = true;
          } else {
            top.keys.add(key);
          }
          top.key = key;
          break;
        }
        value = { kind: 'object', entries: top.entries, hasDuplicateKeys: top.duplicate };
      }
      stack.pop();
    }
  }
}

function readScalar(reader: JsonReader, kind: Exclude<JsonKind, 'object' | 'array'>): JsonValue {
  switch (kind) {
    case 'null':
      reader.readNull();
      return { kind: 'null' };
    case 'boolean':
      return { kind: 'boolean', value: reader.readBoolean() };
    case 'number':
      return { kind: 'number', ...reader.readNumber() };
    case 'string':
      return { kind: 'string', value: reader.readString() };
    default:
      return assertUnreachable(kind);
  }
}

/** The value as a u64 the way serde reads `usize`/`u64`: a plain integer token in [0, 2^64). */
export function jsonU64(value: JsonValue): bigint | null {
  if (value.kind !== 'number' || value.integer === null) {
    return null;
  }
  return value.integer >= 0n && value.integer <= U64_MAX ? value.integer : null;
}

/** A word for a value kind in messages ("found an array"). */
export function describeKind(kind: JsonKind): string {
  switch (kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'null':
      return 'null';
    default:
      return assertUnreachable(kind);
  }
}
