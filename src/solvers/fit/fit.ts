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
import { exp } from '../portable-math.js';
import { checkMemoryNeed } from '../../model/limits.js';
import { phaseRatio, velocityRatio } from '../../model/flow.js';
import { ProblemError, solverOptions } from '../../model/problem.js';
import { jsDispersionKernels, jsKernels, type DispersionKernels, type LaplaceKernels } from '../../engine/kernels/index.js';
import { selectKernels } from '../../engine/wasm.js';
import { MIN_MAX_EVALUATIONS } from './budget.js';
import { parseFitProblem, type FitSettings } from './problem.js';
import { checkData, cropData, DataError } from './data.js';
import { baselineSegments, firstBaseline, peakFreeBaseline } from './baseline.js';
import { assignWindows, fittedPoints, residualWeights, selectPoints } from './windows.js';
import { fixedAreas, holdupGuess, startValues } from './starts.js';
import { PeakModel, type ModelMechanisms, type ModelSpec } from './model.js';
import type { Starts } from './starts.js';
import { fitsMechanisms } from './mechanisms.js';
import { constantsOfMoments } from './kinetics.js';
import type { FitProblem } from './problem.js';
import type { Fitted } from './parameters.js';
import { optimise } from './optimise.js';
import { fitResult } from './statistics.js';
import type { FitOptions, FitResult } from './types.js';

export { checkData, DataError, MIN_DATA_POINTS } from './data.js';
export { parseChromatogramCsv } from '../../io/csv.js';
export { parseFitProblem, type FitProblem, type FitSettings, type TimeWindow } from './problem.js';
export type { AnalyteMechanisms, BaselineSegment, FitAnalyte, FitBaseline, FitOptions, FitResult, FittedIsotherm, RunMechanisms } from './types.js';

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
 * The mechanisms of a fit (mechanisms.ts), or undefined when it has none, fixed or fitted: then
 * the shapes are §2's, as before mechanisms existed. Fixed values and given starts from the
 * problem: slowKa, slowKd (α k_a2 with an unknown geometry, like ka), the time constants, and with
 * a known column the diffusivity as the start of a fitted 1/Pe = D/(u0 L).
 */
function mechanismsOf(problem: FitProblem, engine: FitOptions['engine'], alpha: number): ModelMechanisms | undefined {
  const settings = problem.fit.mechanisms;
  const injectionTime = problem.injection.timeConstant ?? 0;
  const detectorTime = problem.detector?.timeConstant ?? 0;
  const slow = problem.analytes.some((a) => a.slowKa !== undefined);
  if (!fitsMechanisms(settings) && !slow && !(injectionTime > 0) && !(detectorTime > 0)) return undefined;
  const column = problem.column;
  return {
    kernels: selectKernels(engine as 'wasm' | 'js' | DispersionKernels | undefined, jsDispersionKernels),
    settings,
    values: problem.analytes.map((a, i) => ({
      inversePeclet: settings.diffusion[i] && column && a.diffusivity !== undefined
        ? a.diffusivity / (column.inletVelocity * column.length) : 0,
      slowK: a.slowKa !== undefined ? (alpha * a.slowKa) / (a.slowKd as number) : 0,
      slowKd: a.slowKd ?? 1,
      injectionTime,
      detectorTime,
    })),
  };
}

/**
 * A fit whose mechanisms have parameters, in stages, each started from the solution of the one
 * before (parameters that both have copied, the new ones from their starts,
 * PeakModel.startVector): first without any (the mechanisms at their fixed values or none: the
 * plain fit's shapes and parameters), then with the slow sites and time constants, then with
 * diffusion too. Diffusion and the fast site's kinetics both broaden a peak nearly symmetrically,
 * so a fit that starts with both tends to trade one for the other into a poorer minimum; in
 * stages, every fitted mechanism starts from the best fit without it, and since each stage only
 * descends, the result is never worse than the fit without the mechanisms. The stages share the
 * one work budget: the first may take up to 40% of it, the second up to 70%, the last the rest.
 */
function fitWithMechanisms(spec: ModelSpec, maxIterations: number, maxEvaluations: number): { model: PeakModel; run: ReturnType<typeof optimise> } {
  const fixed = spec.mechanisms!;
  const full = fixed.settings;
  const noneOf = () => fixed.values.map(() => false);
  const hasFixed = fixed.values.some((v) => v.slowK > 0 || v.injectionTime > 0 || v.detectorTime > 0);
  const stages: (ModelMechanisms | undefined)[] = [
    hasFixed ? { ...fixed, settings: { diffusion: noneOf(), slowSites: noneOf(), injectionTime: false, detectorTime: false } } : undefined,
  ];
  const withoutDiffusion = { ...full, diffusion: noneOf() };
  if (full.diffusion.some((v) => v) && fitsMechanisms(withoutDiffusion)) stages.push({ ...fixed, settings: withoutDiffusion });
  stages.push(fixed);
  const shares = [0.4, 0.7, 1];
  let model: PeakModel | null = null;
  let run: ReturnType<typeof optimise> | null = null;
  let iterations = 0;
  for (const [n, mechanisms] of stages.entries()) {
    const next = new PeakModel({ ...spec, mechanisms });
    const last = n === stages.length - 1;
    const limit = last ? maxEvaluations : Math.max(shares[n] * maxEvaluations, MIN_MAX_EVALUATIONS);
    let from: Float64Array | undefined;
    if (model && run) {
      const before = model as PeakModel;
      // the work so far, counted once (the fixed allowance is in both counts), at this stage's allowances
      next.work.kernelCalls += before.work.kernelCalls;
      next.work.residuals += before.work.residuals;
      next.work.jacobians += before.work.jacobians;
      // Room for this stage's start (a residual), a Jacobian and a step, besides the final
      // evaluation on the whole grid; else the fit ends with the stage before, its budget spent.
      const need = 2 * next.work.residualCost + next.work.jacobianCost(next.jacobianCalls) + 1;
      if (next.work.evaluations + need > maxEvaluations) {
        const r = run as ReturnType<typeof optimise>;
        run = { ...r, lm: { ...r.lm, stop: 'budget', converged: false } };
        break;
      }
      next.densityEvaluations += before.densityEvaluations;
      before.evaluationsOf.forEach((v, i) => { next.evaluationsOf[i] += v; });
      from = carryOver(before, run.lm.theta, next);
    }
    const result = optimise(next, spec.starts, Math.max(1, maxIterations - iterations), Math.max(limit, next.work.evaluations), from);
    iterations += result.lm.iterations;
    run = model && run ? { ...result, restarted: (run as ReturnType<typeof optimise>).restarted, starts: (run as ReturnType<typeof optimise>).starts } : result;
    model = next;
  }
  const done = run as unknown as ReturnType<typeof optimise>;
  return { model: model as unknown as PeakModel, run: { ...done, lm: { ...done.lm, iterations } } };
}

/**
 * The start of model `to` from the solution `th` of model `from` (mechanisms.ts: the peaks'
 * moments, areas, baseline and hold-up time, and the mechanisms both fit), the rest from its
 * starts at the moments of that solution.
 */
function carryOver(from: PeakModel, th: Float64Array, to: PeakModel): Float64Array {
  const A = from.layout, B = to.layout;
  const at: Starts = {
    ...to.startsOf(), holdup: from.holdupOf(th), source: A.mean.length ? Array.from(A.mean, () => 'moments' as const) : [],
    mean: Float64Array.from(A.mean, (j) => th[j]),
    width2: Float64Array.from(A.width, (j) => exp(2 * th[j])),
  };
  const theta = to.startVector(at);
  const pairs: [Int32Array | number, Int32Array | number][] = [
    [A.mean, B.mean], [A.width, B.width], [A.area, B.area], [A.offset, B.offset], [A.slope, B.slope],
    [A.inversePeclet, B.inversePeclet], [A.slowK, B.slowK], [A.slowKd, B.slowKd], [A.holdup, B.holdup],
    [A.injectionTime, B.injectionTime], [A.detectorTime, B.detectorTime], [A.loading, B.loading],
  ];
  const carried = new Set<number>();
  for (const [a, b] of pairs) {
    if (typeof a === 'number' && typeof b === 'number') {
      if (a >= 0 && b >= 0) { theta[b] = th[a]; carried.add(b); }
    } else {
      const x = a as Int32Array, y = b as Int32Array;
      x.forEach((j, i) => { if (j >= 0 && y[i] >= 0) { theta[y[i]] = th[j]; carried.add(y[i]); } });
    }
  }
  // A new mechanism's start may ask for more width than the carried ones leave the fast site:
  // its value is then quartered (its square-root parameter halved) until every peak is in the domain.
  const fresh = [...B.sharedMechanisms(), ...Array.from(B.mean, (_, i) => B.peakMechanisms(i)).flat()]
    .filter((j) => !carried.has(j) && !B.slowKd.includes(j));
  const tM = to.holdupOf(theta);
  for (let n = 0; n < 40 && !Array.from(B.mean, (_, i) => to.kinetics(theta, i, tM) !== null).every(Boolean); n++) {
    for (const j of fresh) theta[j] *= 0.5;
  }
  return theta;
}

/**
 * The starts of the fitted loadings λ = K c0/qMax (MODEL.md §13.6): from the problem's qMax (known
 * geometry, parseFitProblem) with its k_a/k_d, or the start's K where they are not given; NaN
 * (LOADING_START) without a qMax. Above 0.9 an anti-Langmuir start is taken as 0.9.
 */
function loadingStarts(problem: FitProblem, starts: Starts, alpha: number): Float64Array {
  return Float64Array.from(problem.analytes, (a, i) => {
    if (a.qMax === undefined || problem.fit.isotherms[i] === 'linear') return NaN;
    const K = a.ka !== undefined ? a.ka / (a.kd as number)
      : constantsOfMoments(starts.mean[i], starts.width2[i], starts.holdup, problem.injection.duration).k / alpha;
    const lambda = (K * a.c0) / a.qMax;
    return problem.fit.isotherms[i] === 'anti-langmuir' ? Math.min(lambda, 0.9) : lambda;
  });
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
  const spec = {
    engine, pulse: problem.injection.duration, fitted, t, y, use,
    weight: residualWeights(settings.weighting, windows.windows, t, use, signal),
    segments: baselineSegments(windows.windows, perWindow, tLo, tHi), line: signal.line, tRef,
    starts, fixedArea: fixedAreas(problem, starts, outletRatio), mechanisms: mechanismsOf(problem, options.engine, alpha),
    isotherms: settings.isotherms, loadingStart: loadingStarts(problem, starts, alpha),
  };
  const { model, run } = fitsMechanisms(settings.mechanisms)
    ? fitWithMechanisms(spec, maxIterations, maxEvaluations)
    : (() => {
      const m = new PeakModel(spec);
      return { model: m, run: optimise(m, starts, maxIterations, maxEvaluations) };
    })();
  if (!Number.isFinite(run.lm.cost)) {
    throw new DataError('data', `the fit reached no finite cost (${run.lm.cost}): the model cannot be evaluated on these data`);
  }
  return fitResult({
    problem, model, ...run, windows, excluded: points.excluded, noise: signal.noise,
    alpha, known, outletRatio, engine: engine.name, maxEvaluations, started,
  });
}
