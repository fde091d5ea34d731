import { mkdirSync } from 'node:fs';
import { checkFigurePoints } from '../model/limits.js';
import { join } from 'node:path';
import { btexProblem } from '../model/examples.js';
import { fdChromatogram } from '../solvers/fd.js';
import { fitChromatogram, type FitResult } from '../solvers/fit/fit.js';
import { parseProblem, type Problem } from '../model/problem.js';
import { buildFitReport, buildReport, fittedOverloadSeries, reportInputs, type MeasuredSignal, type Progress } from '../figures/report.js';
import { buildRunReport, type FdRunCurves, type RunReportInputs } from '../figures/run-report.js';
import { isRunForm, parseRunProblem, type RunProblem } from '../model/run.js';
import { predictedOverMeasuredSection } from '../figures/programmed.js';
import { migrationChromatogram } from '../solvers/gaussian.js';
import { fdChromatogramUnderProgram } from '../solvers/fd-program.js';
import { runOutputTimes } from './simulateRun.js';
import {
  checkOutput, engineOption, numberOption, parse, readJson, UsageError, write, type Command,
} from './common.js';
import { csvOptionHelp, CSV_OPTION_SPEC, csvCliOptions, givenCsvFlags, readMeasuredFile } from './csvOptions.js';

/**
 * The problem a report draws. A fitting problem (a `fit` section, or analytes without ka/kd) is
 * fitted to the data first and drawn with the fitted constants; it needs the column geometry.
 */
function reportProblem(raw: unknown, file: string, data: MeasuredSignal | undefined,
  engine: 'wasm' | 'js' | undefined): { problem: Problem; fit?: FitResult } | { fitOnly: FitResult; injection?: number } {
  const where = (err: unknown) => new Error(`${file}: ${(err as Error).message}`);
  const r = raw as { fit?: unknown; analytes?: { ka?: unknown; kd?: unknown }[] };
  const fitFirst = typeof raw === 'object' && raw !== null &&
    (r.fit !== undefined || (Array.isArray(r.analytes) && r.analytes.some((a) => a?.ka === undefined || a?.kd === undefined)));
  if (!fitFirst) {
    try {
      return { problem: parseProblem(raw) };
    } catch (err) {
      throw where(err);
    }
  }
  if (!data) throw new UsageError(`${file} is a fitting problem (no ka/kd, or a fit section): give the data .csv too`);
  let fit: FitResult;
  try {
    fit = fitChromatogram(raw, data, { engine });
  } catch (err) {
    throw where(err);
  }
  // With the geometry unknown the fitted constants are α k_a: no column to draw them in, whether the
  // file gives one or not (a column there would pair them with an α they were not fitted with).
  if (fit.phaseRatioFolded) {
    const duration = (raw as { injection?: { duration?: unknown } }).injection?.duration;
    return { fitOnly: fit, injection: typeof duration === 'number' ? duration : undefined };
  }
  const fitted = structuredClone(raw) as Record<string, unknown> & { analytes: Record<string, unknown>[] };
  delete fitted.fit;
  fitted.analytes.forEach((a, i) => {
    const f = fit.analytes[i];
    a.ka = f.ka;
    a.kd = f.kd;
    // a fitted saturating film is drawn with it (the Thomas solution: a constant-velocity column)
    if (f.isotherm && f.isotherm.qMax !== null && !f.isotherm.atBound) {
      a.isotherm = f.isotherm.form;
      a.qMax = f.isotherm.qMax;
    } else {
      delete a.isotherm;
      delete a.qMax;
    }
  });
  try {
    return { problem: parseProblem(fitted), fit };
  } catch (err) {
    throw new Error(`${file}: the report draws the column, so it needs one: ${(err as Error).message}`);
  }
}

/**
 * Progress on stderr: a line rewritten in place on a terminal, one line per 10% otherwise (so logs
 * stay short).
 */
export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let last = { stage: '', step: -1 };
  return (stage, fraction) => {
    const pct = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
    const step = stream.isTTY ? pct : Math.floor(pct / 10);
    if (stage === last.stage && step === last.step) return;
    last = { stage, step };
    stream.write(stream.isTTY ? `\r${stage}: ${pct}%${pct === 100 ? '\n' : ''}` : `${stage}: ${pct}%\n`);
  };
}

export const report: Command = {
  summary: 'one self-contained HTML page: figures, parameters, groups, peak table',
  help: `Usage: elution report [problem.json] [data.csv] [options]

Writes <dir>/report.html, one page with inline SVG figures and no network references. For a
problem in the run form (carrier, oven: CONFIG.md "Run conditions"): the chromatogram by the
migration equation with Gaussian peaks beside the oven temperature, hold-up time, pressures and
column flow against time, the peaks with their elution temperatures, with --fd the
finite-difference chromatogram under the program over it (seconds to minutes: narrow peaks on a
long column need fine grids), with a data .csv of a measured run the predicted chromatogram
drawn over the measured one with a table of predicted and measured apexes, the run's
parameters. For the paper's
form: axial
profiles at four times (Fig. 1), outlet chromatograms with variable and constant velocity
(Fig. 2; with the finite-difference solution including diffusion beside the exact one without,
when the analytes have diffusivities), velocity and pressure along the column (Fig. 3), the measured chromatogram against the
model fitted to data.csv when it is given (Fig. 4 with residuals and the table of fitted
constants; recognised by its .csv extension; read as 'elution fit' reads it, with the same
options for its columns, time unit, separator and decimal mark; a fitting problem is fitted
first and drawn with the fitted constants; with the column's geometry unknown the report holds
what the fit determines: the fitted peaks, Fig. 4 and Table 3, and says which figures need a
column and are left out), for each saturating analyte (isotherm "langmuir" or "anti-langmuir",
given or fitted by fit.isotherm) its peak against injected amount (Fig. 5: the overload series
around its own loading), the parameters, the dimensionless groups and per-analyte retention, width,
plates and resolution. Without a problem file the BTEX example of the paper is used. Progress
goes to stderr.

Options:
  --out <dir>        output directory, created if missing   (default: report)
  --times <list>     Fig. 1 times (s), comma-separated   (default: 5,108,290,470 for BTEX, else
                     automatic from the retention times)
  --engine <name>    wasm | js
  --no-fd            leave out Fig. 2b (finite differences, with diffusion)
  --fd               run form: add the finite-difference chromatogram under the program
  --quiet            no progress on stderr
  -h, --help         show this help

Options for the data .csv:
${csvOptionHelp(23)}`,
  async run(args) {
    const { values, positionals } = parse(args, {
      out: { type: 'string' }, times: { type: 'string' }, engine: { type: 'string' }, quiet: { type: 'boolean' },
      'no-fd': { type: 'boolean' }, fd: { type: 'boolean' }, ...CSV_OPTION_SPEC,
    });
    if (values.help) return void console.log(report.help);
    const csv = positionals.filter((p) => p.toLowerCase().endsWith('.csv'));
    const json = positionals.filter((p) => !p.toLowerCase().endsWith('.csv'));
    if (csv.length > 1 || json.length > 1) {
      throw new UsageError(`report takes at most one problem file and one data .csv, got ${positionals.join(' ')}`);
    }
    let profileTimes: number[] | undefined;
    if (values.times !== undefined) {
      profileTimes = String(values.times).split(',').map((t, i) => numberOption(t.trim(), `times (item ${i + 1})`, { min: 0 }) as number);
    }
    const started = performance.now();
    const csvOptions = csvCliOptions(values);
    const csvFlags = givenCsvFlags(values);
    if (csv[0] === undefined && csvFlags.length > 0) {
      throw new UsageError(`${csvFlags[0]} applies to a data .csv, and none was given`);
    }
    // Read as `elution fit` reads it: the same reader, options and messages.
    const data = csv[0] === undefined ? undefined : readMeasuredFile(csv[0], csvOptions);
    const engine = engineOption(values.engine);
    const raw = json[0] === undefined ? btexProblem() : readJson(json[0], 'problem file');
    const dir = (values.out as string | undefined) ?? 'report';
    if (dir === '-') {
      throw new UsageError('--out names the directory for report.html and its figures; "-" (standard output) cannot hold them');
    }
    const file = join(dir, 'report.html');
    checkOutput(file, '--out', true);
    if (isRunForm(raw)) {
      if (profileTimes) throw new UsageError('--times applies to the paper\'s form (axial profiles); a run-form report has none');
      if (values['no-fd']) throw new UsageError('--no-fd applies to the paper\'s form; a run-form report adds finite differences only with --fd');
      const html = runReport(raw, json[0]!, engine, !values.fd, values.quiet ? undefined : stderrProgress(), data);
      writeReport(dir, file, html, started);
      return;
    }
    if (values.fd) throw new UsageError('--fd applies to a run-form problem; the paper\'s form draws finite differences unless --no-fd');
    const source = json[0] ?? 'built-in BTEX example';
    const chosen = reportProblem(raw, source, data, engine);
    if ('fitOnly' in chosen) {
      const sources = `problem: ${source}; data: ${csv[0]}`;
      // a saturating film's overload series needs only what the fit determines (and t1)
      const overload = chosen.injection === undefined ? undefined : fittedOverloadSeries(chosen.fitOnly, chosen.injection, engine);
      writeReport(dir, file, buildFitReport({
        data: data!, fit: chosen.fitOnly, injection: chosen.injection, source: sources, overload: overload?.series, skipped: overload?.skipped,
      }), started);
      return;
    }
    const { problem, fit } = chosen;
    checkFigurePoints(problem.output.count);
    const inputs = await reportInputs(problem, {
      profileTimes, data, engine,
      onProgress: values.quiet ? undefined : stderrProgress(),
      solvers: {
        // with data, the fit runs first and the report draws the fitted column
        fit: (p, d) => fit ?? fitChromatogram(p, d, { engine }),
        // Fig. 2b, the model with diffusion; left out (and said so) without diffusivities
        fd: values['no-fd'] ? undefined : (p, o) => fdChromatogram(p, { engine, onProgress: o.onProgress }),
      },
    });
    inputs.source = json[0] ?? 'built-in BTEX example';
    writeReport(dir, file, buildReport(inputs), started);
  },
};

function writeReport(dir: string, file: string, html: string, started: number): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new Error(`cannot create directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  write(file, html);
  console.log(`wrote ${file} (${(Buffer.byteLength(html) / 1024).toFixed(0)} kB) in ${(performance.now() - started).toFixed(0)} ms`);
}

/**
 * The report of a run-form problem: migration + Gaussian peaks beside the program's traces, with
 * --fd the finite-difference chromatogram under the program over it, and with a measured run the
 * predicted chromatogram over the measured one.
 */
function runReport(raw: unknown, file: string, engine: 'wasm' | 'js' | undefined, noFd: boolean, progress?: Progress,
  measured?: { time: Float64Array; signal: Float64Array }): string {
  let run: RunProblem;
  try {
    run = parseRunProblem(raw);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  progress?.('migration', 0);
  const result = migrationChromatogram(run.conditions, { engine, times: runOutputTimes(run), baseline: run.detector?.baseline });
  progress?.('migration', 1);
  const program = (raw as { oven?: { program?: unknown } }).oven?.program;
  const inputs: RunReportInputs = {
    conditions: run.conditions, result, program: typeof program === 'string' ? program : undefined, source: file, skipped: [],
    // a measured run of the same program: the prediction drawn over it, apex against apex
    sections: measured === undefined ? [] : [predictedOverMeasuredSection(run.conditions, measured)],
  };
  if (!noFd) {
    progress?.('finite difference', 0);
    try {
      inputs.fd = fdUnderProgramForReport(run, result, engine, (f) => progress?.('finite difference', f));
    } catch (err) {
      if (!(err instanceof RangeError || err instanceof TypeError)) throw err;
      inputs.skipped!.push(`finite difference: ${err.message}`);
    }
    progress?.('finite difference', 1);
  }
  return buildRunReport(inputs);
}

/** The finite-difference chromatogram under the program, on the Gaussian result's times. */
function fdUnderProgramForReport(run: RunProblem, result: { times: Float64Array }, engine: 'wasm' | 'js' | undefined,
  progress: (f: number) => void): FdRunCurves {
  const r = fdChromatogramUnderProgram(run.conditions, { engine, times: result.times, onProgress: progress });
  return { method: r.method, times: r.times, analytes: r.analytes, status: r.status, cost: r.cost };
}
