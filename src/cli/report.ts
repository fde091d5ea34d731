import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport, reportInputs, type MeasuredSignal, type Progress } from '../report.js';
import { readChromatogramTable } from './table.js';
import {
  engineOption, loadProblem, numberOption, parse, readText, UsageError, write, type Command,
} from './common.js';

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

/** The measured chromatogram of a CSV with at least `time,signal` (CONFIG.md). */
export function readMeasured(file: string): MeasuredSignal {
  const table = readChromatogramTable(readText(file, 'data file'), file);
  const k = table.names.indexOf('signal');
  if (k < 0) throw new Error(`${file}: needs a "signal" column, got ${table.names.join(', ')}`);
  return { time: table.time, signal: table.values[k] };
}

export const report: Command = {
  summary: 'one self-contained HTML page: figures, parameters, groups, peak table',
  help: `Usage: elution report [problem.json] [data.csv] [options]

Writes <dir>/report.html, one page with inline SVG figures and no network references: axial
profiles at four times (Fig. 1), outlet chromatograms with variable and constant velocity
(Fig. 2), velocity and pressure along the column (Fig. 3), the measured chromatogram against the
model with its residuals when data.csv is given (Fig. 4; columns time,signal; recognised by its
.csv extension), the parameters, the dimensionless groups and per-analyte retention, width,
plates and resolution. Without a problem file the BTEX example of the paper is used. Progress
goes to stderr.

Options:
  --out <dir>        output directory, created if missing   (default: report)
  --times <list>     Fig. 1 times (s), comma-separated   (default: 5,108,290,470 for BTEX, else
                     automatic from the retention times)
  --engine <name>    wasm | js
  --quiet            no progress on stderr
  -h, --help         show this help`,
  async run(args) {
    const { values, positionals } = parse(args, {
      out: { type: 'string' }, times: { type: 'string' }, engine: { type: 'string' }, quiet: { type: 'boolean' },
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
    const problem = loadProblem(json[0]);
    const data = csv[0] === undefined ? undefined : readMeasured(csv[0]);
    const inputs = await reportInputs(problem, {
      profileTimes, data, engine: engineOption(values.engine),
      onProgress: values.quiet ? undefined : stderrProgress(),
      // Further solvers plug in here (ReportSolvers): each gets the problem and an onProgress
      // callback, e.g. solvers: { fd: (p, o) => fdChromatogram(p, o), fit: (p, d, o) => fitChromatogram(p, d, o) }.
    });
    inputs.source = json[0] ?? 'built-in BTEX example';
    const html = buildReport(inputs);
    const dir = (values.out as string | undefined) ?? 'report';
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw new Error(`cannot create directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const file = join(dir, 'report.html');
    write(file, html);
    console.log(`wrote ${file} (${(Buffer.byteLength(html) / 1024).toFixed(0)} kB) in ${(performance.now() - started).toFixed(0)} ms`);
  },
};
