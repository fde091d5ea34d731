/**
 * Fitting the kinetic constants (k_a, k_d) of every analyte to a measured chromatogram.
 *
 * The detector signal is modelled as a baseline plus one exact outlet peak per analyte (MODEL.md
 * §4), parameterised by the moments of each peak (MODEL.md §5; model.ts). The start is the
 * measured moments (or the problem's k_a, k_d), so a local Levenberg–Marquardt fit suffices.
 *
 * fitChromatogram is the recipe; each step has its module: the data checks and cropping
 * (data.ts), the baseline and noise (baseline.ts), peaks (peaks.ts), their windows and the
 * points that take part (windows.ts), start values (starts.ts), the objective (model.ts), the
 * optimiser run (optimise.ts) and the statistics of the result (statistics.ts). Per-point loops
 * live in those small functions and methods: V8 optimises them after a few calls, whereas a large
 * function body, called once per fit, often runs unoptimised, several times slower.
 */
import { checkMemoryNeed } from '../../model/limits.js';
import { phaseRatio, velocityRatio } from '../../model/flow.js';
import { ProblemError, solverOptions } from '../../model/problem.js';
import { jsKernels, type LaplaceKernels } from '../../engine/kernels/index.js';
import { selectKernels } from '../../engine/wasm.js';
import { MIN_MAX_EVALUATIONS } from './budget.js';
import { parseFitProblem, type FitSettings } from './problem.js';
import { checkData, cropData, DataError } from './data.js';
import { baselineSegments, firstBaseline, peakFreeBaseline } from './baseline.js';
import { assignWindows, fittedPoints, residualWeights, selectPoints } from './windows.js';
import { fixedAreas, holdupGuess, startValues } from './starts.js';
import { PeakModel } from './model.js';
import type { Fitted } from './parameters.js';
import { optimise } from './optimise.js';
import { fitResult } from './statistics.js';
import type { FitOptions, FitResult } from './types.js';

export { checkData, DataError, MIN_DATA_POINTS } from './data.js';
export { parseChromatogramCsv } from '../../io/csv.js';
export { parseFitProblem, type FitProblem, type FitSettings, type TimeWindow } from './problem.js';
export type { BaselineSegment, FitAnalyte, FitBaseline, FitOptions, FitResult } from './types.js';

function kernels(engine: FitOptions['engine']): LaplaceKernels {
  return selectKernels(engine, jsKernels);
}

/** The iteration and work limits of a fit: the options, else the problem's fit settings. */
function limitsOf(settings: FitSettings, options: FitOptions): { maxIterations: number; maxEvaluations: number } {
  const maxIterations = options.maxIterations === undefined ? settings.maxIterations : options.maxIterations;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new ProblemError('options.maxIterations', `must be an integer >= 1, got ${maxIterations}`);
  }
  const maxEvaluations = options.maxEvaluations === undefined ? settings.maxEvaluations : options.maxEvaluations;
  if (typeof maxEvaluations !== 'number' || !(maxEvaluations >= MIN_MAX_EVALUATIONS) || maxEvaluations === Infinity) {
    throw new ProblemError('options.maxEvaluations',
      `must be a finite number >= ${MIN_MAX_EVALUATIONS} (chromatogram evaluations), got ${String(maxEvaluations)}`);
  }
  return { maxIterations, maxEvaluations };
}

/** Which parameters are fitted besides the peaks' means and widths. */
function fittedOf(settings: FitSettings): Fitted {
  return {
    holdup: settings.holdupTime.mode === 'fitted',
    area: settings.response === 'fit',
    baseline: settings.baseline.mode === 'fit',
    slope: settings.baseline.drift === 'linear',
  };
}

/**
 * Fits (k_a, k_d) of every analyte of a fitting problem (parseFitProblem) to a measured
 * chromatogram: time (s, strictly increasing) and detector signal. See the module comment.
 */
export function fitChromatogram(
  input: unknown, data: { time: ArrayLike<number>; signal: ArrayLike<number> }, options: FitOptions = {},
): FitResult {
  const started = performance.now();
  options = solverOptions(options);
  const problem = parseFitProblem(input);
  const settings = problem.fit;
  const engine = kernels(options.engine);
  const { maxIterations, maxEvaluations } = limitsOf(settings, options);
  checkData(data);
  // Per data point: the measured and fitted series, baselines, the selection, and a Jacobian row
  // of about two parameters per analyte (held twice by the least squares): measured 320 bytes a
  // point for BTEX (5 analytes), which this bounds from above.
  const m = problem.analytes.length;
  checkMemoryNeed('data', 8 * data.time.length * (4 * m + 28), `a fit of ${m} analytes to ${data.time.length} points`);
  const { t, y } = cropData(data, settings.crop);
  const tLo = t[0], tHi = t[t.length - 1];
  const tRef = 0.5 * (tLo + tHi);
  const known = settings.geometry === 'known';
  const column = known ? problem.column! : null;
  const alpha = column ? phaseRatio(column) : 1;
  const outletRatio = column ? velocityRatio(column, column.length) : 1;

  // The peaks are found above a first baseline; the baseline is then taken from the points
  // outside every window.
  const first = firstBaseline(t, y, tRef, settings.baseline, problem.detector);
  const holdup = holdupGuess(settings, column);
  const windows = assignWindows(problem, t, first, holdup, alpha);
  const points = selectPoints(t, windows.windows, settings);
  const signal = peakFreeBaseline(t, y, tRef, points.peakFree, settings.baseline, first);

  // The points fitted: those in a window, or all with a run-wide fitted baseline.
  const fitted = fittedOf(settings);
  const perWindow = settings.baseline.scope === 'window';
  const use = fittedPoints(points, fitted.baseline && !perWindow);
  const starts = startValues(problem, t, signal, windows.windows, holdup, alpha);
  const model = new PeakModel({
    engine, pulse: problem.injection.duration, fitted, t, y, use,
    weight: residualWeights(settings.weighting, windows.windows, t, use, signal),
    segments: baselineSegments(windows.windows, perWindow, tLo, tHi), line: signal.line, tRef,
    starts, fixedArea: fixedAreas(problem, starts, outletRatio),
  });
  const run = optimise(model, starts, maxIterations, maxEvaluations);
  if (!Number.isFinite(run.lm.cost)) {
    throw new DataError('data', `the fit reached no finite cost (${run.lm.cost}): the model cannot be evaluated on these data`);
  }
  return fitResult({
    problem, model, ...run, windows, excluded: points.excluded, noise: signal.noise,
    alpha, known, outletRatio, engine: engine.name, maxEvaluations, started,
  });
}
