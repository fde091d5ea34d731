#!/usr/bin/env node
/**
 * The `elution` command line: simulate, profile, example. Bad input ends with a one-line message
 * on stderr naming the problem and a non-zero exit code (2: usage, 1: invalid problem or I/O).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromatogramCsv, profileCsv } from './csv.js';
import { btexProblem } from './examples.js';
import { dimensionlessGroups } from './groups.js';
import { chromatogram, profiles, type ChromatogramResult, type ProfileResult } from './laplace.js';
import { parseProblem, velocityModel, type Problem } from './problem.js';

class UsageError extends Error {}

const VERSION = '0.1.0';

const HELP: Record<string, string> = {
  main: `elution ${VERSION}: gas-chromatography column simulation

Usage: elution <command> [options]

Commands:
  simulate [problem.json]   outlet chromatograms and a per-analyte summary (default: BTEX example)
  profile [problem.json]    concentration along the column at one time
  example                   print the built-in BTEX problem (CONFIG.md format)

Run 'elution <command> --help' for the options of a command.`,
  simulate: `Usage: elution simulate [problem.json] [options]

Computes the outlet chromatogram of every analyte with the exact Laplace solution (no diffusion),
prints a summary table and writes the chromatogram. Without a problem file the BTEX example of
the paper is used.

Options:
  --velocity <model>   variable | constant   (default: the problem's column.velocity)
  --out <file>         .csv (time,<analytes>,signal) or .json (full result); '-' writes CSV to
                       stdout and the summary to stderr   (default: chromatogram.csv)
  --engine <name>      wasm | js   (js: the plain-TypeScript twin of the kernels)
  -h, --help           show this help`,
  profile: `Usage: elution profile [problem.json] --time <s> [options]

Writes the concentration of every analyte along the column (x from the inlet, m) at one time.

Options:
  --time <s>           time after injection start (s), required
  --points <n>         number of positions from inlet to outlet (default: 201)
  --velocity <model>   variable | constant
  --out <file>         .csv (x,<analytes>) or .json; '-' for stdout   (default: profile.csv)
  --engine <name>      wasm | js
  -h, --help           show this help`,
  example: `Usage: elution example

Prints the built-in BTEX problem (paper Tables 1 and 3) as JSON, a starting point for your own.`,
};

function loadProblem(file: string | undefined): Problem {
  if (file === undefined) return parseProblem(btexProblem());
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read problem file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  try {
    return parseProblem(json);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;
type Flags = Record<string, string | boolean | undefined>;

function parse(args: string[], options: OptionSpec): { values: Flags; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true,
    });
    return { values: parsed.values as Flags, positionals: parsed.positionals };
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

function engineOption(value: unknown): 'wasm' | 'js' | undefined {
  if (value === undefined || value === 'wasm' || value === 'js') return value;
  throw new UsageError(`--engine must be "wasm" or "js", got ${JSON.stringify(value)}`);
}

function velocityOption(value: unknown) {
  if (value === undefined) return undefined;
  try {
    return velocityModel(value, '--velocity');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function single(positionals: string[], command: string): string | undefined {
  if (positionals.length > 1) {
    throw new UsageError(`${command} takes at most one problem file, got ${positionals.length}: ${positionals.join(' ')}`);
  }
  return positionals[0];
}

function write(file: string, text: string): void {
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

function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v instanceof Float64Array ? Array.from(v) : v), 2) + '\n';
}

function fmt(x: number | null, digits = 4): string {
  if (x === null) return '-';
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(digits - 1) : x.toPrecision(digits);
}

function table(header: string[], body: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function summary(problem: Problem, result: ChromatogramResult): string {
  const groups = dimensionlessGroups(problem);
  const first = result.analytes[0].moments;
  const head = `Laplace solution, ${result.velocity} velocity, ${result.times.length} times ` +
    `${result.times[0]}..${result.times[result.times.length - 1]} s; hold-up time ${first.holdupTime.toFixed(2)} s; ` +
    `Da = ${fmt(groups.damkohler)}`;
  const body = result.analytes.map((a) => [
    a.name,
    a.moments.mean.toFixed(2),
    a.peak.time.toFixed(2),
    fmt(a.peak.height),
    fmt(a.peak.height / problem.analytes.find((p) => p.name === a.name)!.c0),
    a.moments.sigma.toFixed(3),
    fmt(a.area),
    Math.round(a.moments.plates).toString(),
    a.resolutionToNext === null ? '-' : a.resolutionToNext.toFixed(2),
  ]);
  const t = table(['analyte', 't_R (s)', 'peak t (s)', 'peak c (mol/m3)', 'peak c/c0', 'sigma (s)',
    'area (mol s/m3)', 'plates', 'Rs next'], body);
  const tail = `status: ${result.status.code} (${result.status.message}); ` +
    `${result.cost.evaluations} evaluations, ${result.cost.wallTimeMs.toFixed(1)} ms (${result.cost.engine})`;
  return `${head}\n\n${t}\n\n${tail}\n`;
}

function simulate(args: string[]): void {
  const { values, positionals } = parse(args, {
    velocity: { type: 'string' }, out: { type: 'string' }, engine: { type: 'string' },
  });
  if (values.help) return void console.log(HELP.simulate);
  const problem = loadProblem(single(positionals, 'simulate'));
  const result = chromatogram(problem, { velocity: velocityOption(values.velocity), engine: engineOption(values.engine) });
  problem.column.velocity = result.velocity;
  const out = (values.out as string | undefined) ?? 'chromatogram.csv';
  const text = summary(problem, result);
  if (out === '-') process.stderr.write(text);
  else process.stdout.write(text);
  write(out, out.endsWith('.json') ? toJson(result) : chromatogramCsv(result));
  if (out !== '-') console.log(`wrote ${out}`);
}

function profile(args: string[]): void {
  const { values, positionals } = parse(args, {
    time: { type: 'string' }, points: { type: 'string' }, velocity: { type: 'string' },
    out: { type: 'string' }, engine: { type: 'string' },
  });
  if (values.help) return void console.log(HELP.profile);
  if (values.time === undefined) throw new UsageError('profile needs --time <s> (time after injection start)');
  const time = Number(values.time);
  if (values.time === '' || !Number.isFinite(time) || time < 0) {
    throw new UsageError(`--time must be a finite time >= 0 (s), got ${JSON.stringify(values.time)}`);
  }
  const points = values.points === undefined ? 201 : Number(values.points);
  if (!Number.isInteger(points) || points < 2) {
    throw new UsageError(`--points must be an integer >= 2, got ${JSON.stringify(values.points)}`);
  }
  const problem = loadProblem(single(positionals, 'profile'));
  const result: ProfileResult = profiles(problem, {
    times: [time], points, velocity: velocityOption(values.velocity), engine: engineOption(values.engine),
  });
  const out = (values.out as string | undefined) ?? 'profile.csv';
  write(out, out.endsWith('.json') ? toJson(result) : profileCsv(result));
  if (out !== '-') {
    console.log(`profile at t = ${time} s, ${points} positions, ${result.velocity} velocity: wrote ${out}`);
  }
}

function example(args: string[]): void {
  const { values, positionals } = parse(args, {});
  if (values.help) return void console.log(HELP.example);
  if (positionals.length > 0) throw new UsageError(`example takes no arguments, got ${positionals.join(' ')}`);
  process.stdout.write(JSON.stringify(btexProblem(), null, 2) + '\n');
}

const COMMANDS: Record<string, (args: string[]) => void> = { simulate, profile, example };

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      const topic = command === 'help' && rest[0] && HELP[rest[0]] ? rest[0] : 'main';
      console.log(HELP[topic]);
      return 0;
    }
    if (command === '--version' || command === '-v') {
      console.log(VERSION);
      return 0;
    }
    const run = COMMANDS[command];
    if (!run) throw new UsageError(`unknown command ${JSON.stringify(command)}; commands: ${Object.keys(COMMANDS).join(', ')}`);
    run(rest);
    return 0;
  } catch (err) {
    const message = (err as Error).message.split('\n')[0];
    process.stderr.write(`elution: ${message}\n`);
    if (err instanceof UsageError) {
      process.stderr.write(`Run 'elution ${command && COMMANDS[command] ? command + ' ' : ''}--help' for usage.\n`);
      return 2;
    }
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
