import { chromatogramCsv } from '../csv.js';
import { dimensionlessGroups } from '../groups.js';
import { fdChromatogram } from '../fd.js';
import { chromatogram, type ChromatogramResult } from '../laplace.js';
import type { Problem } from '../problem.js';
import {
  atMostOne, engineOption, fmt, loadProblem, numberOption, parse, table, toJson, UsageError, velocityOption, write,
  type Command,
} from './common.js';

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
  return `${head}\n\n${t}\n\nt_R, sigma, plates: exact moments; peak: located maximum; area: trapezoid over the grid; ` +
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
  --method <name>      laplace (exact, no diffusion; default) | fd (time stepping with diffusion;
                       needs analytes[i].diffusivity)
  --accuracy <f>       fd: target error as a fraction of peak height (default 1e-3)
  --cells <n>          fd: number of cells (default: chosen from --accuracy per analyte)
  --dt <s>             fd: time step (s) (default: chosen from --accuracy per analyte)
  --scheme <name>      fd: implicit (default) | explicit (the paper's scheme; refuses unstable --dt)
  -h, --help           show this help

With --method fd a progress bar is drawn on stderr when it is a terminal.`,
  run(args) {
    const { values, positionals } = parse(args, {
      velocity: { type: 'string' }, out: { type: 'string' }, engine: { type: 'string' },
      method: { type: 'string' }, cells: { type: 'string' }, dt: { type: 'string' },
      accuracy: { type: 'string' }, scheme: { type: 'string' },
    });
    if (values.help) return void console.log(simulate.help);
    const method = (values.method as string | undefined) ?? 'laplace';
    if (method !== 'laplace' && method !== 'fd') {
      throw new UsageError(`--method must be "laplace" or "fd", got ${JSON.stringify(method)}`);
    }
    const scheme = values.scheme as string | undefined;
    if (scheme !== undefined && scheme !== 'implicit' && scheme !== 'explicit') {
      throw new UsageError(`--scheme must be "implicit" or "explicit", got ${JSON.stringify(scheme)}`);
    }
    const cells = numberOption(values.cells, 'cells', { min: 4, integer: true });
    const dt = numberOption(values.dt, 'dt', { min: Number.MIN_VALUE });
    const accuracy = numberOption(values.accuracy, 'accuracy', { min: 1e-8, max: 0.1 });
    if (method === 'laplace' && (cells ?? dt ?? accuracy ?? scheme) !== undefined) {
      throw new UsageError('--cells, --dt, --accuracy and --scheme apply to --method fd only');
    }
    const problem = loadProblem(atMostOne(positionals, 'simulate'));
    const common = { velocity: velocityOption(values.velocity), engine: engineOption(values.engine) };
    const bar = method === 'fd' ? progressBar() : undefined;
    let result: ChromatogramResult;
    try {
      result = method === 'fd'
        ? fdChromatogram(problem, { ...common, cells, dt, accuracy, scheme: scheme as 'implicit' | 'explicit' | undefined, onProgress: bar?.update })
        : chromatogram(problem, common);
    } finally {
      bar?.done();
    }
    problem.column.velocity = result.velocity;
    const out = (values.out as string | undefined) ?? 'chromatogram.csv';
    const text = summaryTable(problem, result);
    (out === '-' ? process.stderr : process.stdout).write(text);
    write(out, out.endsWith('.json') ? toJson(result) : chromatogramCsv(result));
    if (out !== '-') console.log(`wrote ${out}`);
  },
};

/** A one-line progress bar on stderr, drawn only when stderr is a terminal (CI logs stay clean). */
function progressBar(): { update: (fraction: number) => void; done: () => void } | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  let drawn = false;
  const started = performance.now();
  return {
    update(fraction) {
      const now = performance.now();
      if (now - started < 300 || (now - last < 100 && fraction < 1)) return;
      last = now;
      drawn = true;
      const width = 30;
      const full = Math.round(fraction * width);
      process.stderr.write(`\r[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(fraction * 100).toFixed(0).padStart(3)}%`);
    },
    done() {
      if (drawn) process.stderr.write('\r' + ' '.repeat(40) + '\r');
    },
  };
}
