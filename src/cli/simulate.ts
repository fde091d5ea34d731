import { chromatogramCsvChunks } from '../io/csv.js';
import { dimensionlessGroups } from '../model/groups.js';
import { fdChromatogram } from '../solvers/fd.js';
import { chromatogram, type ChromatogramResult } from '../solvers/laplace.js';
import type { Problem } from '../model/problem.js';
import {
  atMostOne, checkOutput, engineOption, fmt, loadProblem, parse, table, toJson, velocityOption, write, type Command,
} from './common.js';
import { FD_OPTION_HELP, FD_OPTION_SPEC, fdCliOptions } from './fdOptions.js';

/** The per-analyte summary printed by `elution simulate`. */
export function summaryTable(problem: Problem, result: ChromatogramResult): string {
  const groups = dimensionlessGroups(problem);
  const first = result.analytes[0].moments;
  const head = `${result.method === 'laplace' ? 'Laplace solution' : 'finite differences (with diffusion)'}, ${result.velocity} velocity, ` +
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

Computes the outlet chromatogram of every analyte with the exact Laplace solution (no diffusion),
prints a summary table and writes the chromatogram. Without a problem file the BTEX example of
the paper is used.

Options:
  --velocity <model>   variable | constant   (default: the problem's column.velocity)
  --out <file>         .csv (time,<analytes>,signal) or .json (full result); '-' writes CSV to
                       stdout and the summary to stderr   (default: chromatogram.csv)
  --engine <name>      wasm | js   (js: the plain-TypeScript twin of the kernels)
${FD_OPTION_HELP}
  -h, --help           show this help

With --method fd a progress bar is drawn on stderr when it is a terminal, and t_R, sigma and
plates in the table stay the exact moments of the model without diffusion.`,
  run(args) {
    const { values, positionals } = parse(args, {
      velocity: { type: 'string' }, out: { type: 'string' }, engine: { type: 'string' }, ...FD_OPTION_SPEC,
    });
    if (values.help) return void console.log(simulate.help);
    const { method, fd, done } = fdCliOptions(values);
    const problem = loadProblem(atMostOne(positionals, 'simulate'));
    const out = (values.out as string | undefined) ?? 'chromatogram.csv';
    checkOutput(out, '--out');
    const common = { velocity: velocityOption(values.velocity), engine: engineOption(values.engine) };
    let result: ChromatogramResult;
    try {
      result = method === 'fd' ? fdChromatogram(problem, { ...common, ...fd }) : chromatogram(problem, common);
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
