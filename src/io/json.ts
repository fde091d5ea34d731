/**
 * JSON written in chunks: the text of `JSON.stringify(value, replacer, 2) + '\n'` (Float64Arrays
 * as arrays) as a sequence of strings of about CHUNK characters, so that a result with millions
 * of numbers (a chromatogram at 10^7 times) is written without ever being one string (V8 refuses
 * strings above ~2^29 characters: 'Invalid string length').
 */

/** Characters per chunk (the pieces are joined until they reach it). */
const CHUNK = 1 << 16;
const GAP = '  ';

/** The JSON text of `value` (indented by two spaces, ending in a line break) in chunks. */
export function* jsonChunks(value: unknown): Generator<string> {
  let buffer = '';
  for (const piece of emit(value, '', '')) {
    if (buffer.length > 0 && buffer.length + piece.length > CHUNK) {
      yield buffer;
      buffer = '';
    }
    buffer += piece;
    if (buffer.length >= CHUNK) {
      yield buffer;
      buffer = '';
    }
  }
  yield buffer + '\n';
}

/** What JSON.stringify does with a value before writing it: toJSON, then the Float64Array replacer. */
function prepared(value: unknown, key: string): unknown {
  let v = value;
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON(key: string): unknown }).toJSON(key);
  }
  return v;
}

/** Values JSON skips as object members (and writes as null in arrays). */
function skipped(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function scalar(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
  return JSON.stringify(v);
}

function* emit(value: unknown, key: string, indent: string): Generator<string> {
  const v = prepared(value, key);
  if (v === null || typeof v !== 'object') {
    yield skipped(v) ? 'null' : scalar(v);
    return;
  }
  const inner = indent + GAP;
  if (v instanceof Float64Array || (Array.isArray(v) && v.every((x) => typeof x === 'number'))) {
    yield* numbers(v as ArrayLike<number>, indent);
    return;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return void (yield '[]');
    yield '[';
    for (let i = 0; i < v.length; i++) {
      yield `${i === 0 ? '' : ','}\n${inner}`;
      const item = prepared(v[i], String(i));
      if (skipped(item)) yield 'null';
      else yield* emit(item, String(i), inner);
    }
    yield `\n${indent}]`;
    return;
  }
  const keys = Object.keys(v).filter((k) => !skipped(prepared((v as Record<string, unknown>)[k], k)));
  if (keys.length === 0) return void (yield '{}');
  yield '{';
  for (let i = 0; i < keys.length; i++) {
    yield `${i === 0 ? '' : ','}\n${inner}${JSON.stringify(keys[i])}: `;
    yield* emit((v as Record<string, unknown>)[keys[i]], keys[i], inner);
  }
  yield `\n${indent}}`;
}

/** An array of numbers, one per line, in pieces of about CHUNK characters. */
function* numbers(a: ArrayLike<number>, indent: string): Generator<string> {
  if (a.length === 0) return void (yield '[]');
  const sep = `,\n${indent}${GAP}`;
  let piece = `[\n${indent}${GAP}`;
  for (let i = 0; i < a.length; i++) {
    piece += (i === 0 ? '' : sep) + scalar(a[i]);
    if (piece.length >= CHUNK) {
      yield piece;
      piece = '';
    }
  }
  yield `${piece}\n${indent}]`;
}
