/**
 * What every CLI command shares: argument parsing, reading the problem, writing outputs, tables.
 * Commands throw UsageError for bad command lines (exit 2) and Error for bad input (exit 1).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { btexProblem } from '../model/examples.js';
import { parseProblem, velocityModel, type Problem, type VelocityModel } from '../model/problem.js';

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

/** Strict option parsing (unknown options are errors); adds -h/--help. */
export function parse(args: string[], options: OptionSpec): { values: Flags; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true,
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

export function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export function readJson(file: string, what: string): unknown {
  const text = readText(file, what);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Writes `text` to `file`, or to stdout for '-'. */
export function write(file: string, text: string): void {
  if (file === '-') {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw new Error(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** JSON with typed arrays as plain arrays. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v instanceof Float64Array ? Array.from(v) : v), 2) + '\n';
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

/** A number option: finite, within [min, max], integer if asked; else a UsageError naming it. */
export function numberOption(
  value: unknown, name: string, rule: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const x = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  const ok = Number.isFinite(x) && (!rule.integer || Number.isInteger(x)) &&
    (rule.min === undefined || x >= rule.min) && (rule.max === undefined || x <= rule.max);
  if (!ok) {
    const range = [rule.min !== undefined ? `>= ${rule.min}` : '', rule.max !== undefined ? `<= ${rule.max}` : '']
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
