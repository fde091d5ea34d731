/**
 * The page's link to the package's long-running solvers: fitting and finite differences, run as
 * worker operations beside the exact solution's (see solver.worker.ts).
 */
import {
  fdChromatogramAsync, fitChromatogram, parseChromatogramCsv, type FitResult, type Problem,
  type SolverOperation,
} from 'elution';

/** A measured chromatogram: detector signal (signal units) against time (s). */
export interface Measurement {
  time: Float64Array;
  signal: Float64Array;
}

export { parseChromatogramCsv, type FitResult, type Problem };

/** Worker operations for fitting and finite differences (cancellable through the signal). */
export const extraOperations: Record<string, SolverOperation> = {
  fit: ([problem, data, options]) => fitChromatogram(problem, data as Measurement, options as never),
  fd: ([problem, options], { onProgress, signal }) =>
    fdChromatogramAsync(problem, { ...(options as Record<string, unknown> | undefined), onProgress, signal }),
};
