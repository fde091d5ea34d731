/**
 * The page's link to solvers that live in other parts of the package: fitting (`fitChromatogram`,
 * `parseChromatogramCsv`) and the finite-difference solver. Each is looked up on the package at run
 * time, so the page builds and runs with or without them; where one is missing the page says so.
 * When they are part of the package, nothing here needs to change (the names below are the
 * contracts); switching to named imports only adds type checking.
 */
import * as elution from 'elution';
import type { ChromatogramResult, Problem, SolverOperation } from 'elution';
import { SOLVER_EXPORTS } from './solver-names.js';

/** A measured chromatogram: detector signal (signal units) against time (s). */
export interface Measurement {
  time: Float64Array;
  signal: Float64Array;
}

export interface FittedAnalyte {
  name: string;
  /** Adsorption rate constant (1/s). */
  ka: number;
  /** Desorption rate constant (1/s). */
  kd: number;
  /** Equilibrium constant ka/kd (dimensionless). */
  K: number;
  qe: number;
  beta: number;
  sse: number;
  r2: number;
  standardErrors: { ka: number; kd: number };
  iterations: number;
  evaluations: number;
  status: unknown;
}

export interface FitResult {
  analytes: FittedAnalyte[];
  fitted: Measurement;
  status: unknown;
  cost: unknown;
}

type FitChromatogram = (problem: unknown, data: Measurement, options?: unknown) => FitResult;
type ParseChromatogramCsv = (text: string, options?: { timeColumn?: string; signalColumn?: string }) => Measurement;
/** Like `chromatogram`, plus `onProgress(fraction)` and `signal: AbortSignal`; result `method: 'fd'`. */
type FdChromatogram = (problem: unknown, options?: Record<string, unknown>) => ChromatogramResult | Promise<ChromatogramResult>;

const lib = elution as unknown as Record<string, unknown>;
const fn = <T>(name: string): T | undefined => (typeof lib[name] === 'function' ? lib[name] as T : undefined);

/** The package's fit of each analyte's (ka, kd) to a measured chromatogram, if built in. */
export const fitChromatogram = fn<FitChromatogram>(SOLVER_EXPORTS.fit);
/** The package's finite-difference chromatogram, if built in. */
export const fdChromatogram = fn<FdChromatogram>(SOLVER_EXPORTS.fd);

export const FIT_MISSING = `Fitting is not available in this build of elution (the package does not export ${SOLVER_EXPORTS.fit}).`;
export const FD_MISSING = `The finite-difference solver is not available in this build of elution (the package does not export ${SOLVER_EXPORTS.fd}).`;

/**
 * Reads a chromatogram CSV: the package's reader when present, otherwise a small one that takes
 * the `time` column (or the first) and the `signal` column (or the last).
 */
export const parseChromatogramCsv: ParseChromatogramCsv = fn<ParseChromatogramCsv>(SOLVER_EXPORTS.parseCsv) ?? readCsv;

function readCsv(text: string, options: { timeColumn?: string; signalColumn?: string } = {}): Measurement {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length < 3) throw new RangeError(`csv: needs a header and at least 2 rows, got ${lines.length} lines`);
  const header = lines[0].split(',').map((h) => h.trim());
  const find = (name: string | undefined, fallback: number, what: string) => {
    if (name === undefined) return fallback;
    const i = header.indexOf(name);
    if (i < 0) throw new RangeError(`csv: no ${what} column "${name}"; columns: ${header.join(', ')}`);
    return i;
  };
  const ti = find(options.timeColumn ?? (header.includes('time') ? 'time' : undefined), 0, 'time');
  const si = find(options.signalColumn ?? (header.includes('signal') ? 'signal' : undefined), header.length - 1, 'signal');
  if (ti === si) throw new RangeError('csv: needs a time column and a signal column');
  const n = lines.length - 1;
  const time = new Float64Array(n);
  const signal = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const cells = lines[j + 1].split(',');
    time[j] = Number(cells[ti]);
    signal[j] = Number(cells[si]);
    if (!Number.isFinite(time[j]) || !Number.isFinite(signal[j])) {
      throw new RangeError(`csv: line ${j + 2}: time and signal must be finite numbers, got "${lines[j + 1]}"`);
    }
    if (j > 0 && !(time[j] > time[j - 1])) {
      throw new RangeError(`csv: line ${j + 2}: times must increase, got ${time[j]} after ${time[j - 1]}`);
    }
  }
  return { time, signal };
}

/** Worker operations for the solvers found above (the worker adds them to the Laplace ones). */
export const extraOperations: Record<string, SolverOperation> = {};
if (fitChromatogram) {
  extraOperations.fit = ([problem, data, options]) => fitChromatogram(problem, data as Measurement, options);
}
if (fdChromatogram) {
  extraOperations.fd = ([problem, options], { onProgress, signal }) =>
    fdChromatogram(problem, { ...(options as Record<string, unknown> | undefined), onProgress, signal });
}

export type { Problem };
