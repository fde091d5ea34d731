import { fitChromatogram, type FitResult } from '../solvers/fit/fit.js';
import { columnsCsvChunks } from '../io/csv.js';
import { parseFitProblem, type FitProblem } from '../solvers/fit/problem.js';
import { DEFAULT_MAX_EVALUATIONS, DEFAULT_MAX_EVALUATIONS_ISOTHERM, MIN_MAX_EVALUATIONS } from '../solvers/fit/budget.js';
import { DEFAULT_MAX_EVALUATIONS_MECHANISMS } from '../solvers/fit/mechanisms.js';
import {
  checkOutputs, engineOption, fmt, numberOption, parse, readJson, table, toJson, UsageError, write, type Command,
} from './common.js';
import { csvOptionHelp, CSV_OPTION_SPEC, csvCliOptions, readMeasuredFile } from './csvOptions.js';

/** A number with its standard error, e.g. "579.0 ± 1.2" (or "± inf" when not identifiable). */
function withError(x: number, se: number): string {
  return `${fmt(x)} ± ${Number.isFinite(se) ? fmt(se, 2) : 'inf'}`;
}

/** Isotherm cells of a row: the form, the loading K c0/qMax ± se and, with a known geometry, qMax ± se. */
function isothermCells(a: FitResult['analytes'][number], known: boolean): string[] {
  const i = a.isotherm;
  if (!i) return ['linear', '-', ...(known ? ['-'] : [])];
  const v = (x: number | null, se: number | null) => (x === null ? '-' : i.atBound ? `${fmt(x)} (at its bound)` : withError(x, se ?? Infinity));
  return [i.form, v(i.loading, i.standardError), ...(known ? [v(i.qMax, i.qMaxStandardError)] : [])];
}

/** The per-analyte table printed by `elution fit` (the paper's Table 3 plus fit diagnostics). */
export function fitTable(result: FitResult): string {
  const folded = result.phaseRatioFolded;
  const h = result.holdupTime;
  const head = `Fit of ${result.analytes.length} analyte(s) to ${result.points} points ` +
    `(${result.parameters} parameters); hold-up time ${h.value.toFixed(3)} s (${h.mode}` +
    `${h.standardError !== null ? `, ± ${fmt(h.standardError, 2)} s` : ''}); baseline ${result.baseline.mode}, ` +
    `${result.baseline.drift}${result.baseline.scope === 'window' ? ', per window' : ''}` +
    (folded ? '; geometry unknown: k_a, K, q_e include the phase ratio alpha' : `; alpha = ${fmt(result.phaseRatio)}`);
  // the isotherm columns only when a film saturates (MODEL.md §13.6): a linear fit's table as before
  const saturating = result.analytes.some((a) => a.isotherm !== undefined);
  const body = result.analytes.map((a) => [
    a.name,
    withError(a.ka, a.standardErrors.ka),
    withError(a.kd, a.standardErrors.kd),
    fmt(a.K),
    fmt(a.qe),
    fmt(a.beta),
    ...(saturating ? isothermCells(a, !folded) : []),
    a.retentionTime.toFixed(3),
    fmt(a.sse),
    a.r2.toFixed(5),
    `${a.window.start.toFixed(2)}-${a.window.end.toFixed(2)}`,
    String(a.iterations),
    String(a.evaluations),
    a.status.code,
  ]);
  const a = folded ? 'alpha ' : '';
  const t = table([
    'analyte', `${a}k_a (1/s)`, 'k_d (1/s)', `${a}K`, `${a}q_e (mol/m3)`, 'beta',
    ...(saturating ? ['isotherm', 'K c0/qMax', ...(folded ? [] : ['qMax (mol/m3)'])] : []), 't_R (s)', 'SSE', 'R2',
    'window (s)', 'iterations', 'evaluations', 'status',
  ], body);
  const tail = `status: ${result.status.code} (${result.status.message}); optimiser stop: ${result.stop}; ` +
    `work ${result.cost.chromatogramEvaluations.toFixed(1)} of ${result.cost.maxEvaluations} chromatogram evaluations ` +
    `(${result.cost.kernelCalls} kernel calls), ${result.cost.wallTimeMs.toFixed(1)} ms (${result.cost.engine})`;
  return `${head}\n\n${t}\n${mechanismLines(result)}\n± one standard error from the covariance; SSE and R2 over each analyte's window; ` +
    `evaluations: kernel calls for that analyte.\n${tail}\n`;
}

/** A value with its standard error, "(fixed)" when not fitted, or "0 (at its bound)". */
function mechanismValue(x: number, se: number | null, fitted: boolean, atBound: boolean): string {
  if (atBound) return '0 (at its bound)';
  if (!fitted) return `${fmt(x)} (fixed)`;
  return withError(x, se ?? Infinity);
}

/** Lines of the mechanisms of a fit with any (MODEL.md §12.7): per analyte and the run's time constants. */
function mechanismLines(result: FitResult): string {
  if (!result.mechanisms) return '';
  const lines = result.analytes.map((a) => {
    const m = a.mechanisms!;
    const parts = [];
    if (m.fitted.diffusion || m.inversePeclet > 0) {
      parts.push(`1/Pe ${mechanismValue(m.inversePeclet, m.standardErrors.inversePeclet, m.fitted.diffusion, m.atBound.includes('inversePeclet'))}` +
        (m.diffusivity !== null ? ` (D ${fmt(m.diffusivity)} m2/s)` : ''));
    }
    if (m.fitted.slowSite || m.slowKa > 0) {
      const bound = m.atBound.includes('slowRetentionFactor');
      parts.push(`slow site k_a2 ${mechanismValue(m.slowKa, m.standardErrors.slowKa, m.fitted.slowSite, bound)} 1/s, ` +
        `k_d2 ${mechanismValue(m.slowKd, m.standardErrors.slowKd, m.fitted.slowSite, bound)} 1/s`);
    }
    return parts.length ? `${a.name}: ${parts.join('; ')}\n` : '';
  }).join('');
  const r = result.mechanisms;
  const times = [
    r.fitted.injectionTime || r.injectionTime > 0
      ? `inlet time constant ${mechanismValue(r.injectionTime, r.standardErrors.injectionTime, r.fitted.injectionTime, r.atBound.includes('injectionTime'))} s` : '',
    r.fitted.detectorTime || r.detectorTime > 0
      ? `detector time constant ${mechanismValue(r.detectorTime, r.standardErrors.detectorTime, r.fitted.detectorTime, r.atBound.includes('detectorTime'))} s` : '',
  ].filter(Boolean).join('; ');
  return `\nMechanisms (k_a, k_d above are the fast site's):\n${lines}${times ? `${times}\n` : ''}`;
}

/** `time,measured,fitted,baseline`: the measured chromatogram beside the fitted one (time in s). */
export function fitCsv(result: FitResult): string {
  return [...fitCsvChunks(result)].join('');
}

/** fitCsv in chunks (a fit of a million points writes a 60 MB file). */
export function fitCsvChunks(result: FitResult): Iterable<string> {
  const { time, measured, signal, baseline } = result.fitted;
  return columnsCsvChunks(['time', 'measured', 'fitted', 'baseline'], [time, measured, signal, baseline]);
}

/**
 * The default --csv: the --out name with `.fitted.csv` for `.json` (fit.fitted.csv for '-'). Not `.csv`
 * alone, which would name the data file of the natural `fit p.json data.csv --out data.json`.
 */
export function fittedCsvName(out: string): string {
  return (out === '-' ? 'fit' : out.replace(/\.json$/, '')) + '.fitted.csv';
}

export const fit: Command = {
  summary: 'fit k_a and k_d of every analyte to a measured chromatogram',
  help: `Usage: elution fit problem.json data.csv [options]

Fits the adsorption and desorption rate constants of every analyte of the problem to a measured
chromatogram, prints the fitted table (k_a, k_d, K, q_e, beta, SSE, R2, standard errors,
iterations, evaluations, status) and writes the result as JSON and the measured and fitted
chromatograms side by side as CSV. The data file has a header and columns time (s) and signal by
default; comma-, semicolon- or tab-separated files, decimal commas and metadata lines above the
header are recognised, other columns and units set with the options below (docs/CONFIG.md). The
problem's "fit" key sets windows, crop, exclusions, baseline, response factors and the hold-up
time (README, "Fitting").

Options:
  --out <file>          JSON result (default: fit.json); '-' writes it to stdout, the table to stderr
  --csv <file>          measured and fitted chromatogram (default: the --out name with .fitted.csv
                        in place of .json, e.g. fit.fitted.csv); neither may be the problem or
                        data file (refused)
${csvOptionHelp(24)}
  --max-iterations <n>  overrides fit.maxIterations
  --max-evaluations <n> overrides fit.maxEvaluations (work limit in chromatogram evaluations, default ${DEFAULT_MAX_EVALUATIONS};
                        ${DEFAULT_MAX_EVALUATIONS_ISOTHERM} with fit.isotherm, ${DEFAULT_MAX_EVALUATIONS_MECHANISMS} with fitted mechanisms)
  --engine <name>       wasm | js   (js: the plain-TypeScript twin of the kernels)
  -h, --help            show this help`,
  run(args) {
    const { values, positionals } = parse(args, {
      out: { type: 'string' }, csv: { type: 'string' }, 'max-iterations': { type: 'string' }, engine: { type: 'string' },
      'max-evaluations': { type: 'string' }, ...CSV_OPTION_SPEC,
    });
    if (values.help) return void console.log(fit.help);
    if (positionals.length !== 2) {
      throw new UsageError(`fit takes a problem file and a data file, got ${positionals.length} argument(s)`);
    }
    const [problemFile, dataFile] = positionals;
    let problem: FitProblem;
    try {
      problem = parseFitProblem(readJson(problemFile, 'problem file'));
    } catch (err) {
      throw new Error(`${problemFile}: ${(err as Error).message}`);
    }
    const data = readMeasuredFile(dataFile, csvCliOptions(values));
    const out = (values.out as string | undefined) ?? 'fit.json';
    const csv = (values.csv as string | undefined) ?? fittedCsvName(out);
    checkOutputs([[out, '--out'], [csv, values.csv === undefined ? '--csv (default)' : '--csv']]);
    const maxIterations = numberOption(values['max-iterations'], 'max-iterations', { integer: true, min: 1, max: 100000 });
    const maxEvaluations = numberOption(values['max-evaluations'], 'max-evaluations', { min: MIN_MAX_EVALUATIONS, max: 1e9 });
    let result: FitResult;
    try {
      result = fitChromatogram(problem, data, { engine: engineOption(values.engine), maxIterations, maxEvaluations });
    } catch (err) {
      throw new Error(`${problemFile} with ${dataFile}: ${(err as Error).message}`);
    }
    (out === '-' ? process.stderr : process.stdout).write(fitTable(result));
    write(out, toJson(result));
    write(csv, fitCsvChunks(result), '--csv');
    if (out !== '-') console.log(`wrote ${out} and ${csv}`);
    else process.stderr.write(`wrote ${csv}\n`);
  },
};
