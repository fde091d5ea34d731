/**
 * What every CLI command shares: argument parsing, reading the problem, writing outputs, tables.
 * Commands throw UsageError for bad command lines (exit 2) and Error for bad input (exit 1).
 */
import {
  chmodSync, closeSync, fstatSync, openSync, readSync, realpathSync, renameSync, statSync, unlinkSync, writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeText } from '../io/text.js';
import { btexProblem } from '../model/examples.js';
import { parseProblem, velocityModel, type Problem, type VelocityModel } from '../model/problem.js';
import { MAX_INPUT_BYTES } from '../model/limits.js';
import { jsonChunks } from '../io/json.js';

export class UsageError extends Error {}

/** A CLI command: its help text and what it does with its arguments. */
export interface Command {
  /** One line for the command list. */
  summary: string;
  /** Full help, printed by `elution <command> --help`. */
  help: string;
  run(args: string[]): void | Promise<void>;
}

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
export type Flags = Record<string, string | boolean | string[] | undefined>;

/**
 * `--name -1` as `--name=-1` for a string option (long form; no string option has a short one): a value that reads as a negative number is
 * taken as the option's value (then checked by its range), not as an unknown short option.
 */
function negativeValues(args: string[], options: OptionSpec): string[] {
  const takesValue = (arg: string) => {
    const long = /^--([^=]+)$/.exec(arg)?.[1];
    return long !== undefined && Object.hasOwn(options, long) && options[long].type === 'string';
  };
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') return out.concat(args.slice(i));
    if (takesValue(args[i]) && i + 1 < args.length && /^-(\d|\.\d|Infinity|inf|nan)/i.test(args[i + 1])) {
      out.push(`${args[i]}=${args[i + 1]}`);
      i++;
    } else out.push(args[i]);
  }
  return out;
}

/** Strict option parsing (unknown options are errors); adds -h/--help. */
export function parse(args: string[], options: OptionSpec): { values: Flags; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args: negativeValues(args, options), options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true,
    });
    return { values: parsed.values as Flags, positionals: parsed.positionals };
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0].replace(/\. To specify .*$/, ''));
  }
}

/** Reads and validates a problem file; without a file, the BTEX example. */
export function loadProblem(file: string | undefined): Problem {
  if (file === undefined) return parseProblem(btexProblem());
  const json = readJson(file, 'problem file');
  try {
    return parseProblem(json);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

/** The files read and written by the running command, by device and inode: no output may replace one. */
const touched = new Map<string, { file: string; role: 'input' | 'output' }>();

/** Forgets the files of the previous command (main() calls it before each command). */
export function beginCommand(): void {
  touched.clear();
}

function fileKey(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

/**
 * Reads a text file of at most MAX_INPUT_BYTES and remembers it as an input, so that no output of
 * this command replaces it. The read is bounded whatever the file is: a larger regular file is
 * refused from its size before it is read, and a device or pipe that never ends (/dev/zero, an
 * endless producer) is refused once the limit is passed.
 */
export function readText(file: string, what: string): string {
  let fd: number | undefined;
  let bytes: Buffer;
  try {
    fd = openSync(file, 'r');
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    touched.set(fileKey(stats), { file, role: 'input' });
    bytes = readBounded(fd, stats.isFile() ? stats.size : undefined, file, what);
  } catch (err) {
    if (err instanceof InputTooLarge) throw new Error(err.message);
    throw new Error(`cannot read ${what} ${file}: ${fileFailure(err as NodeJS.ErrnoException)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return decodeText(bytes);
}

class InputTooLarge extends Error {}

/** At most MAX_INPUT_BYTES from fd, in chunks; `size` is the file's size when it is a regular file. */
function readBounded(fd: number, size: number | undefined, file: string, what: string): Buffer {
  const limit = `the limit of ${MAX_INPUT_BYTES} bytes (${MAX_INPUT_BYTES / 1024 ** 2} MiB) for an input file`;
  if (size !== undefined && size > MAX_INPUT_BYTES) throw new InputTooLarge(`${what} ${file} is ${size} bytes, above ${limit}`);
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(1024 ** 2, MAX_INPUT_BYTES + 1 - total));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    total += n;
    if (total > MAX_INPUT_BYTES) throw new InputTooLarge(`${what} ${file} goes on past ${limit}; reading stopped there`);
  }
  return Buffer.concat(chunks, total);
}

export function readJson(file: string, what: string): unknown {
  const text = readText(file, what);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Refuses an output path that cannot be written or must not be: a directory, a path whose
 * directory does not exist (unless the command creates it: `createsDirectory`), or a file this
 * command read or already wrote (the same file by device and inode, so other spellings, links
 * and symlinks count). `option` names the flag that chose the path. Commands call it before
 * solving, so that a long solve never ends in "cannot write"; write() calls it again.
 */
export function checkOutput(file: string, option: string, createsDirectory = false): void {
  if (file === '-') return;
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch {
    // nothing there yet, so nothing to replace; but its directory must be there to write into
    // (or, for a command that creates it, the nearest existing ancestor must be a directory)
    let parent = dirname(resolve(file));
    let dir = statOrUndefined(parent);
    while (createsDirectory && dir === undefined && dirname(parent) !== parent) {
      parent = dirname(parent);
      dir = statOrUndefined(parent);
    }
    if (dir === undefined) {
      throw new UsageError(`${option} ${file}: the directory ${parent} does not exist; create it or choose another path`);
    }
    if (!dir.isDirectory()) {
      throw new UsageError(`${option} ${file}: ${parent} is a file, not a directory; choose another path`);
    }
    return;
  }
  if (stats.isDirectory()) {
    throw new UsageError(`${option} ${file} is a directory; give the path of a file in it`);
  }
  const seen = touched.get(fileKey(stats));
  if (seen === undefined) return;
  const what = seen.role === 'input' ? 'an input of this command' : 'another output of this command';
  const same = seen.file === file ? '' : ` (${seen.file})`;
  throw new UsageError(`${option} ${file} is ${what}${same}; it would be replaced: choose another file name`);
}

/** checkOutput() for each [file, option] of a command, and no two of them the same path. */
export function checkOutputs(outputs: [file: string, option: string][]): void {
  outputs.forEach(([file, option], i) => {
    checkOutput(file, option);
    if (file === '-') return;
    const twin = outputs.findIndex(([other]) => other !== '-' && resolve(other) === resolve(file));
    if (twin < i) throw new UsageError(`${option} ${file} is also the ${outputs[twin][1]} file; choose two different files`);
  });
}

/** What a command writes: a string, or chunks of one (large CSV and JSON outputs are never one string). */
export type Content = string | Iterable<string>;

/**
 * Writes `content` to `file` (or to stdout for '-') atomically: chunk by chunk into a temporary
 * file in the same directory, then renamed over the target, so an interrupted write leaves the
 * old file as it was. A symlink is written through (its target is replaced); a device or FIFO
 * (/dev/stdout) is written directly, having no old content to keep.
 */
export function write(file: string, content: Content, option = '--out'): void {
  const chunks = typeof content === 'string' ? [content] : content;
  if (file === '-') {
    for (const chunk of chunks) process.stdout.write(chunk);
    return;
  }
  checkOutput(file, option);
  try {
    const existing = existingTarget(file);
    if (existing && !existing.stats.isFile()) writeChunks(file, 'w', chunks);
    else replaceFile(existing?.path ?? file, chunks, existing?.stats.mode);
    touched.set(fileKey(statSync(file)), { file, role: 'output' });
  } catch (err) {
    throw new Error(`cannot write ${file}: ${fileFailure(err as NodeJS.ErrnoException)}`);
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Why a read or a write failed, in words (the system's code in brackets). */
function fileFailure(err: NodeJS.ErrnoException): string {
  const words: Record<string, string> = {
    EISDIR: 'it is a directory', ENOENT: 'no such file or directory', EACCES: 'permission denied',
    EPERM: 'permission denied', EROFS: 'the file system is read-only', ENOSPC: 'no space left on the device',
    EDQUOT: 'the disk quota is exhausted', ENOTDIR: 'a part of the path is a file, not a directory',
  };
  return err.code && words[err.code] ? `${words[err.code]} (${err.code})` : err.code ?? err.message;
}

/** Opens `path` with `flag` and writes the chunks in order. */
function writeChunks(path: string, flag: string, chunks: Iterable<string>): void {
  const fd = openSync(path, flag);
  try {
    for (const chunk of chunks) {
      const bytes = Buffer.from(chunk, 'utf8');
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
    }
  } finally {
    closeSync(fd);
  }
}

/** The real path and status of an existing output file; undefined when there is none yet. */
function existingTarget(file: string): { path: string; stats: Stats } | undefined {
  try {
    return { path: realpathSync(file), stats: statSync(file) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Temporary file beside `path`, then rename (atomic within one file system); keeps the old mode. */
function replaceFile(path: string, chunks: Iterable<string>, mode: number | undefined): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    writeChunks(temporary, 'wx', chunks);
    if (mode !== undefined) chmodSync(temporary, mode & 0o7777);
    renameSync(temporary, path);
  } catch (err) {
    try {
      unlinkSync(temporary);
    } catch {
      // already renamed or never created
    }
    throw err;
  }
}

/**
 * JSON with typed arrays as plain arrays, indented by two spaces, in chunks (src/io/json.ts): a
 * result with millions of numbers is never one string.
 */
export function toJson(value: unknown): Iterable<string> {
  return jsonChunks(value);
}

export function engineOption(value: unknown): 'wasm' | 'js' | undefined {
  if (value === undefined || value === 'wasm' || value === 'js') return value;
  throw new UsageError(`--engine must be "wasm" or "js", got ${JSON.stringify(value)}`);
}

export function velocityOption(value: unknown): VelocityModel | undefined {
  if (value === undefined) return undefined;
  try {
    return velocityModel(value, '--velocity');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/**
 * A number option: finite, within [min, max] (and > above), integer if asked; else a UsageError
 * naming it. A negative value reaches it as a value (parse takes `--dt -1` as `--dt=-1`).
 */
export function numberOption(
  value: unknown, name: string, rule: { min?: number; above?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const x = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  const ok = Number.isFinite(x) && (!rule.integer || Number.isInteger(x)) &&
    (rule.min === undefined || x >= rule.min) && (rule.above === undefined || x > rule.above) &&
    (rule.max === undefined || x <= rule.max);
  if (!ok) {
    const range = [rule.min !== undefined ? `>= ${rule.min}` : '', rule.above !== undefined ? `> ${rule.above}` : '', rule.max !== undefined ? `<= ${rule.max}` : '']
      .filter(Boolean).join(' and ');
    throw new UsageError(`--${name} must be ${rule.integer ? 'an integer' : 'a finite number'}` +
      `${range ? ' ' + range : ''}, got ${JSON.stringify(value)}`);
  }
  return x;
}

export function atMostOne(positionals: string[], command: string): string | undefined {
  if (positionals.length > 1) {
    throw new UsageError(`${command} takes at most one problem file, got ${positionals.length}: ${positionals.join(' ')}`);
  }
  return positionals[0];
}

/** A number for tables: 4 significant digits, exponent form for very small or large values. */
export function fmt(x: number | null, digits = 4): string {
  if (x === null || Number.isNaN(x)) return '-';
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(digits - 1) : x.toPrecision(digits);
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function table(header: string[], body: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
