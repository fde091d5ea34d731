import { chromatogramCsv, chromatogramCsvChunks } from '../io/csv.js';
import { dimensionlessGroups } from '../model/groups.js';
import { fdChromatogram } from '../solvers/fd.js';
import { chromatogram, type ChromatogramResult } from '../solvers/laplace.js';
import type { Problem } from '../model/problem.js';
import { btexProblem, programmedProblem } from '../model/examples.js';
import { parseProblem } from '../model/problem.js';
import { fdChromatogramUnderProgram, type FdProgramResult } from '../solvers/fd-program.js';
import { isRunForm, parseRunProblem, type RunProblem } from '../model/run.js';
import {
  atMostOne, checkOutput, engineOption, fmt, parse, readJson, table, toJson, UsageError, velocityOption, write,
  type Command, type Flags,
} from './common.js';
import { applyRunOptions, givenRunFlags, RUN_OPTION_HELP, RUN_OPTION_SPEC } from './runOptions.js';
import { fdRunSummary, runCsv, runOutputTimes, runSummary, simulateMigration } from './simulateRun.js';
import { FD_OPTION_HELP, FD_OPTION_SPEC, fdCliOptions } from './fdOptions.js';

/** The per-analyte summary printed by `elution simulate`. */
export function summaryTable(problem: Problem, result: ChromatogramResult): string {
  const groups = dimensionlessGroups(problem);
  const first = result.analytes[0].moments;
  const laplace = result.diffusion ? 'Laplace solution with diffusion' : 'Laplace solution';
  const head = `${result.method === 'laplace' ? laplace : 'finite differences (with diffusion)'}, ${result.velocity} velocity, ` +
    `${result.times.length} times ${result.times[0]}..${result.times[result.times.length - 1]} s; ` +
    `hold-up time ${first.holdupTime.toFixed(2)} s; Da = ${fmt(groups.damkohler)}`;
  const body = result.analytes.map((a, i) => [
    a.name,
    a.moments.mean.toFixed(2),
    a.peak.time.toFixed(2),
    fmt(a.peak.height),
    fmt(a.peak.height / problem.analytes[i].c0),
    a.moments.sigma.toFixed(3),
    fmt(a.area),
    Math.round(a.moments.plates).toString(),
    a.resolutionToNext === null ? '-' : a.resolutionToNext.toFixed(2),
  ]);
  const t = table(['analyte', 't_R (s)', 'peak t (s)', 'peak c (mol/m3)', 'peak c/c0', 'sigma (s)',
    'area (mol s/m3)', 'plates', 'Rs next'], body);
  const tail = `status: ${result.status.code} (${result.status.message}); ` +
    `${result.cost.evaluations} evaluations, ${result.cost.wallTimeMs.toFixed(1)} ms (${result.cost.engine})`;
  const warnings = (result.warnings ?? []).map((w) => `warning: ${w}\n`).join('');
  return `${head}\n\n${t}\n\n${warnings}t_R, sigma, plates: exact moments; peak: located maximum; area: trapezoid over the grid; ` +
    `Rs: resolution to the next peak in elution order.\n${tail}\n`;
}

export const simulate: Command = {
  summary: 'outlet chromatograms and a per-analyte summary (default: the BTEX example)',
  help: `Usage: elution simulate [problem.json] [options]

Computes the outlet chromatogram of every analyte, prints a summary table and writes the
chromatogram. A problem in the paper's form (column.inletVelocity, ka, kd; isothermal) is solved
exactly by the Laplace solution, with the analytes' diffusivities at constant velocity (and at
variable velocity with --diffusion on; MODEL.md §12), and overloaded analytes (isotherm
"langmuir" or "anti-langmuir" with qMax) by the Thomas solution (constant velocity, no
diffusion: --velocity constant --diffusion off; MODEL.md §13); a problem in the run form (carrier, oven:
temperature program, carrier gas, retention from thermodynamics; CONFIG.md "Run conditions") by
the migration equation with Gaussian peaks, or with --method fd by finite differences under the
program. Without a problem file the BTEX example of the paper is used, or with a run option
(--program, --gas, --inlet-pressure, --flow) the programmed example (n-alkanes C9-C14,
examples/decane-programmed.json).

Options:
  --velocity <model>   variable | constant   (paper's form; default: the problem's column.velocity)
  --out <file>         .csv (time,<analytes>,signal) or .json (full result); '-' writes CSV to
                       stdout and the summary to stderr   (default: chromatogram.csv)
  --engine <name>      wasm | js   (js: the plain-TypeScript twin of the kernels)
  --diffusion <on|off> laplace: take the diffusivities (on) or not (off); default: at constant
                       velocity only
${FD_OPTION_HELP}
                       Run form: migration (default: migration equation + Gaussian peaks) | fd |
                       laplace (isothermal runs at constant pressure only)
${RUN_OPTION_HELP}
  -h, --help           show this help

With --method fd a progress bar is drawn on stderr when it is a terminal, and t_R, sigma and
plates in the table stay the exact moments of the model without diffusion.`,
  run(args) {
    const { values, positionals } = parse(args, {
      velocity: { type: 'string' }, out: { type: 'string' }, engine: { type: 'string' }, diffusion: { type: 'string' },
      ...FD_OPTION_SPEC, ...RUN_OPTION_SPEC,
    });
    if (values.help) return void console.log(simulate.help);
    const file = atMostOne(positionals, 'simulate');
    const runFlags = givenRunFlags(values);
    const source = file ?? (runFlags.length > 0 ? 'the programmed example' : 'the BTEX example');
    let raw: unknown = file !== undefined ? readJson(file, 'problem file') : runFlags.length > 0 ? programmedProblem() : btexProblem();
    if (runFlags.length > 0 && !isRunForm(raw)) {
      throw new UsageError(`${runFlags[0]} needs a problem in the run form (carrier and oven keys, CONFIG.md "Run conditions"); ` +
        `${source} is in the paper's form (column.inletVelocity, ka, kd)`);
    }
    raw = applyRunOptions(raw, values);
    const out = (values.out as string | undefined) ?? 'chromatogram.csv';
    if (isRunForm(raw)) return simulateRunForm(raw, file ?? source, values, out);
    const { method, fd, done } = fdCliOptions(values);
    const diffusion = diffusionOption(values.diffusion, method);
    let problem: Problem;
    try {
      problem = parseProblem(raw);
    } catch (err) {
      throw new Error(`${file ?? source}: ${(err as Error).message}`);
    }
    checkOutput(out, '--out');
    const common = { velocity: velocityOption(values.velocity), engine: engineOption(values.engine) };
    let result: ChromatogramResult;
    try {
      result = method === 'fd' ? fdChromatogram(problem, { ...common, ...fd }) : chromatogram(problem, { ...common, diffusion });
    } finally {
      done();
    }
    problem.column.velocity = result.velocity;
    const text = summaryTable(problem, result);
    (out === '-' ? process.stderr : process.stdout).write(text);
    write(out, out.endsWith('.json') ? toJson(result) : chromatogramCsvChunks(result));
    if (out !== '-') console.log(`wrote ${out}`);
  },
};

/** --diffusion on|off (laplace only) as the chromatogram option; undefined when not given. */
function diffusionOption(value: unknown, method: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (method !== 'laplace') throw new UsageError(`--diffusion applies to --method laplace, not ${method}`);
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new UsageError(`--diffusion must be "on" or "off", got ${JSON.stringify(value)}`);
}

/** simulate for a problem in the run form. */
function simulateRunForm(raw: unknown, source: string, values: Flags, out: string): void {
  if (values.velocity !== undefined) {
    throw new UsageError('--velocity applies to the paper\'s form; a run form problem sets its flow by carrier (pressure or flow)');
  }
  const { method, fd, done } = fdCliOptions(values, ['migration', 'fd', 'laplace'] as const);
  const diffusion = diffusionOption(values.diffusion, method);
  let run: RunProblem;
  try {
    run = parseRunProblem(raw);
  } catch (err) {
    throw new Error(`${source}: ${(err as Error).message}`);
  }
  checkOutput(out, '--out');
  const engine = engineOption(values.engine);
  const program = (raw as { oven?: { program?: unknown } }).oven?.program;
  let text: string;
  let result: unknown;
  let csv: string;
  try {
    if (method === 'laplace') {
      if (run.problem === undefined) {
        throw new UsageError('--method laplace solves the paper\'s isothermal model at constant pressures; this run is not one ' +
          '(a program, film desorption or a radial term): use --method migration or fd');
      }
      const r = chromatogram(run.problem, { engine, diffusion });
      text = summaryTable(run.problem, r);
      result = r;
      csv = chromatogramCsv(r);
    } else if (method === 'fd') {
      if (fd.scheme !== undefined) throw new UsageError('--scheme applies to the paper\'s form; under a program the scheme is the implicit one');
      const r = withDetector(run, fdChromatogramUnderProgram(run.conditions, {
        engine, times: runOutputTimes(run), cells: fd.cells, dt: fd.dt, accuracy: fd.accuracy, onProgress: fd.onProgress,
      }));
      text = fdRunSummary(run.conditions, r, typeof program === 'string' ? program : undefined);
      result = r;
      csv = runCsv(r);
    } else {
      const r = simulateMigration(run, engine);
      text = runSummary(run.conditions, r, `migration equation + Gaussian peaks, ${r.times.length} times ` +
        `${r.times[0]}..${r.times[r.times.length - 1]} s`, typeof program === 'string' ? program : undefined);
      result = r;
      csv = runCsv(r);
    }
  } finally {
    done();
  }
  (out === '-' ? process.stderr : process.stdout).write(text);
  write(out, out.endsWith('.json') ? toJson(result) : csv);
  if (out !== '-') console.log(`wrote ${out}`);
}

/**
 * The finite-difference result with the detector of the problem: the signal baseline + sum f_i c_i
 * when every analyte has a response (as for the other methods), else none.
 */
function withDetector(run: RunProblem, r: FdProgramResult): Omit<FdProgramResult, 'signal'> & { signal: Float64Array | null } {
  if (run.conditions.analytes.some((a) => a.response === undefined)) return { ...r, signal: null };
  const baseline = run.detector?.baseline ?? 0;
  return baseline === 0 ? r : { ...r, signal: r.signal.map((v) => v + baseline) };
}
