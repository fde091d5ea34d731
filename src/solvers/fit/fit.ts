/**
 * Fitting the kinetic constants (k_a, k_d) of every analyte to a measured chromatogram.
 *
 * Model of the detector signal (MODEL.md §4): I(t) = b(t) + Σ_i A_i h_i(t), where h_i is the exact
 * outlet chromatogram of analyte i without diffusion (MODEL.md §2) normalised to unit area, A_i its
 * peak area (signal s) and b(t) a constant or linear baseline. h_i depends on the hold-up time tM
 * (shared by all peaks of a run), the retention factor αK_i and k_d,i only.
 *
 * Parameters are the moments of each peak (MODEL.md §5), which makes the least-squares problem
 * well scaled and nearly diagonal: the mean t_R,i = tM (1 + αK_i) + t1/2, the log of the kinetic
 * width s_i, s_i² = 2 αK_i tM / k_d,i = σ_i² − t1²/12, the areas A_i when fitted, ln tM when
 * fitted, and the baseline coefficients when fitted. The start is the measured moments (or the
 * problem's k_a, k_d), so a local Levenberg–Marquardt fit suffices. Jacobian columns of a peak's
 * parameters are forward differences of that peak alone (one kernel call each); areas and
 * baseline enter linearly and get exact columns.
 */
import { phaseRatio, velocityRatio } from '../../model/flow.js';
import { parseFitProblem, type FitProblem, type TimeWindow } from './problem.js';
import { jsKernels, type LaplaceKernels } from '../../engine/kernels/index.js';
import { FitWork, MIN_MAX_EVALUATIONS } from './budget.js';
import { inverseNormalMatrix, levenbergMarquardt, type LeastSquaresStop } from '../leastsquares.js';
import { MAX_RETENTION, ProblemError } from '../../model/problem.js';
import { status } from '../status.js';
import type { FitAnalyte, FitOptions, FitResult } from './types.js';
import { selectKernels } from '../../engine/wasm.js';
import { checkData, cropData, DataError, gather, indexRange } from './data.js';
import { baselineInto, baselineSegments, firstBaseline, peakFreeBaseline, segmentOfPoints } from './baseline.js';
import { assignWindows, fittedPoints, residualWeights, selectPoints } from './windows.js';
import { fixedAreas, holdupGuess, startValues } from './starts.js';

export { checkData, DataError, MIN_DATA_POINTS } from './data.js';
export { parseChromatogramCsv } from '../../io/csv.js';
export { parseFitProblem, type FitProblem, type FitSettings, type TimeWindow } from './problem.js';

/**
 * Largest parameter change (relative to the peak's kinetic width for its mean; absolute for ln
 * width and ln tM) over which a peak's Jacobian columns are reused rather than recomputed.
 */
const COLUMN_REUSE = 1e-3;

export type { BaselineSegment, FitAnalyte, FitBaseline, FitOptions, FitResult } from './types.js';

function kernels(engine: FitOptions['engine']): LaplaceKernels {
  return selectKernels(engine, jsKernels);
}

/** out[j] += a x[j]. */
function accumulate(out: Float64Array, a: number, x: Float64Array): void {
  for (let j = 0; j < out.length; j++) out[j] += a * x[j];
}

const STATUS_OF_STOP: Record<LeastSquaresStop,
  'converged' | 'max-iterations' | 'no-descent' | 'holdup-at-bound' | 'max-evaluations'> = {
  step: 'converged', cost: 'converged', gradient: 'converged', 'zero-residual': 'converged',
  'max-iterations': 'max-iterations', 'no-descent': 'no-descent', halted: 'holdup-at-bound',
  budget: 'max-evaluations',
};

/**
 * Fits (k_a, k_d) of every analyte of a fitting problem (parseFitProblem) to a measured
 * chromatogram: time (s, strictly increasing) and detector signal. See the module comment.
 */
export function fitChromatogram(
  input: unknown, data: { time: ArrayLike<number>; signal: ArrayLike<number> }, options: FitOptions = {},
): FitResult {
  const started = performance.now();
  const problem: FitProblem = parseFitProblem(input);
  const settings = problem.fit;
  const engine = kernels(options.engine);
  const maxIterations = options.maxIterations === undefined ? settings.maxIterations : options.maxIterations;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new ProblemError('options.maxIterations', `must be an integer >= 1, got ${maxIterations}`);
  }
  const maxEvaluations = options.maxEvaluations === undefined ? settings.maxEvaluations : options.maxEvaluations;
  if (typeof maxEvaluations !== 'number' || !(maxEvaluations >= MIN_MAX_EVALUATIONS) || maxEvaluations === Infinity) {
    throw new ProblemError('options.maxEvaluations',
      `must be a finite number >= ${MIN_MAX_EVALUATIONS} (chromatogram evaluations), got ${String(maxEvaluations)}`);
  }
  checkData(data);

  // --- crop -------------------------------------------------------------------------------
  const { t, y } = cropData(data, settings.crop);
  const nData = t.length;
  const tLo = t[0], tHi = t[nData - 1];
  const tRef = 0.5 * (tLo + tHi);

  // --- constants of the model --------------------------------------------------------------
  const pulse = problem.injection.duration;
  const known = settings.geometry === 'known';
  const column = known ? problem.column! : null;
  const alpha = column ? phaseRatio(column) : 1;
  const outletRatio = column ? velocityRatio(column, column.length) : 1;
  const analytes = problem.analytes;
  const nA = analytes.length;

  // --- first baseline and noise, to find the peaks ----------------------------------------
  const linearDrift = settings.baseline.drift === 'linear';
  let signal = firstBaseline(t, y, tRef, settings.baseline, problem.detector);
  const { noise } = signal;

  // --- hold-up time (start) -------------------------------------------------------------
  const hMode = settings.holdupTime.mode;

  // --- windows --------------------------------------------------------------------------
  const { windows, sources } = assignWindows(problem, t, signal, holdupGuess(settings, column), alpha);

  // --- which points take part -----------------------------------------------------------
  const rangeOf = (w: TimeWindow) => indexRange(t, w);
  const points = selectPoints(t, windows, settings);
  const { excluded } = points;

  // --- baseline from the peak-free points ---------------------------------------------------
  signal = peakFreeBaseline(t, y, tRef, points.peakFree, settings.baseline, signal);
  const base = signal.line;

  const fitBaseline = settings.baseline.mode === 'fit';
  const perWindow = settings.baseline.scope === 'window';
  const segments = baselineSegments(windows, perWindow, tLo, tHi);
  const use = fittedPoints(points, fitBaseline && !perWindow);
  const T = gather(t, use);
  const Y = gather(y, use);
  const m = T.length;
  const segmentOfData = segmentOfPoints(t, segments);
  const segmentOf = Int32Array.from(gather(segmentOfData, use));
  const segmentRef = segments.map((g) => 0.5 * (g.start + g.end));

  // --- start values -------------------------------------------------------------------------
  const starts = startValues(problem, t, signal, windows, holdupGuess(settings, column), alpha);
  const startMean = starts.mean;
  const startWidth2 = starts.width2;
  const startSource = starts.source;
  const momentMean = starts.momentMean;
  const momentWidth2 = starts.momentWidth2;
  const holdup = starts.holdup;
  const holdupStart = holdup;

  // --- response factors ---------------------------------------------------------------------
  const areaMode = settings.response;
  const fixedArea = fixedAreas(problem, starts, outletRatio);

  // --- parameter layout -----------------------------------------------------------------------
  const fitHoldup = hMode === 'fitted';
  const fitArea = areaMode === 'fit';
  let p = 0;
  const iHoldup = fitHoldup ? p++ : -1;
  const iMean = new Int32Array(nA), iWidth = new Int32Array(nA), iArea = new Int32Array(nA).fill(-1);
  for (let i = 0; i < nA; i++) {
    iMean[i] = p++;
    iWidth[i] = p++;
    if (fitArea) iArea[i] = p++;
  }
  const iOffset = new Int32Array(segments.length).fill(-1), iSlope = new Int32Array(segments.length).fill(-1);
  if (fitBaseline) {
    for (let g = 0; g < segments.length; g++) {
      iOffset[g] = p++;
      if (linearDrift) iSlope[g] = p++;
    }
  }
  const nP = p;
  if (m <= nP) {
    throw new DataError('data', `${m} usable points for ${nP} parameters; widen the windows or the crop`);
  }
  const theta0 = new Float64Array(nP);
  if (fitHoldup) theta0[iHoldup] = Math.log(holdup);
  for (let i = 0; i < nA; i++) {
    theta0[iMean[i]] = startMean[i];
    theta0[iWidth[i]] = 0.5 * Math.log(startWidth2[i]);
    if (fitArea) theta0[iArea[i]] = Math.log(fixedArea[i]);
  }
  for (let g = 0; g < segments.length && fitBaseline; g++) {
    theta0[iOffset[g]] = base[0] + base[1] * (segmentRef[g] - tRef);
    if (iSlope[g] >= 0) theta0[iSlope[g]] = base[1];
  }

  const weight = residualWeights(settings.weighting, windows, T, t, signal);

  // --- the model ----------------------------------------------------------------------------
  const holdupOf = (th: Float64Array) => (fitHoldup ? Math.exp(th[iHoldup]) : holdup);
  // A fitted hold-up time below this (1e-3 of the first peak's travel time) is outside the domain:
  // peaks more symmetric than the kinetic model allows (a fronting peak) push tM towards 0,
  // where it is no longer determined; the fit then stops at this bound and says so.
  const holdupFloor = 1e-3 * Math.min(...Array.from(startMean, (v) => v - pulse / 2));
  // The bound on the parameter ln tM: a step that crosses it is cut back to it and tM is then held
  // there (leastsquares.ts), at once rather than after many damped steps towards it.
  const lnHoldupFloor = Math.log(holdupFloor);
  let holdupFrozen = false;
  /** (tM, αK, kd, B) of analyte i, or null outside the model's domain. */
  const kinetics = (th: Float64Array, i: number, tM: number) => {
    const travel = th[iMean[i]] - pulse / 2;
    const k = travel / tM - 1;
    const width2 = Math.exp(2 * th[iWidth[i]]);
    const kd = (2 * k * tM) / width2;
    const B = k * kd * tM;
    if (!(k > 0) || !(kd > 0) || !Number.isFinite(kd) || !(B <= MAX_RETENTION)) return null;
    return { k, kd, B };
  };
  const evaluationsOf = new Float64Array(nA);
  const work = new FitWork(nA);
  let densityEvaluations = 0;
  /** Unit-area chromatogram of analyte i at times `times` into `out`; false outside the domain. */
  const shape = (th: Float64Array, i: number, tM: number, times: Float64Array, out: Float64Array): boolean => {
    const kin = kinetics(th, i, tM);
    if (!kin) return false;
    out.fill(0);
    // scale 1/t1: the outlet peak then has unit area (MODEL.md §5, area = scale t1).
    densityEvaluations += engine.outletConcentration(times, tM, kin.B, kin.kd, pulse, 1 / pulse, out);
    evaluationsOf[i]++;
    work.kernelCalls++;
    return true;
  };
  // Fitted areas are ln A: positive by construction.
  const areaOf = (th: Float64Array, i: number) => (fitArea ? Math.exp(th[iArea[i]]) : fixedArea[i]);
  /** Baseline at `times` (segment of each in `seg`; -1: outside every segment: the run-wide estimate). */
  const segmentOffset = new Float64Array(segments.length);
  const segmentSlope = new Float64Array(segments.length);
  const segmentRefs = Float64Array.from(segmentRef);
  const baselineAt = (th: Float64Array, times: Float64Array, seg: Int32Array, out: Float64Array) => {
    for (let g = 0; g < segments.length && fitBaseline; g++) {
      segmentOffset[g] = th[iOffset[g]];
      segmentSlope[g] = iSlope[g] >= 0 ? th[iSlope[g]] : 0;
    }
    baselineInto(times, seg, fitBaseline, segmentOffset, segmentSlope, segmentRefs, base[0], base[1], tRef, out);
  };

  // Unit shapes at the last evaluated parameters (the Jacobian needs those at the accepted ones).
  let shapes = Array.from({ length: nA }, () => new Float64Array(m));
  let trialShapes = Array.from({ length: nA }, () => new Float64Array(m));
  const scratch = new Float64Array(m);
  let shapesAt: Float64Array | null = null; // parameters at which `shapes` hold
  let trialAt: Float64Array | null = null; // parameters at which `trialShapes` hold
  const same = (a: Float64Array | null, b: Float64Array) => a !== null && a.every((v, j) => v === b[j]);
  const residual = (th: Float64Array, out: Float64Array): boolean => {
    const tM = holdupOf(th);
    work.residuals++;
    // The same parameters as the last residual (the start, checked before the fit): shapes reused.
    if (!same(trialAt, th)) {
      trialAt = null;
      if (fitHoldup && !(th[iHoldup] >= lnHoldupFloor)) return false;
      for (let i = 0; i < nA; i++) if (!shape(th, i, tM, T, trialShapes[i])) return false;
      trialAt = Float64Array.from(th);
    }
    baselineAt(th, T, segmentOf, out);
    for (let k = 0; k < m; k++) out[k] -= Y[k];
    for (let i = 0; i < nA; i++) {
      const A = areaOf(th, i);
      const h = trialShapes[i];
      for (let k = 0; k < m; k++) out[k] += A * h[k];
    }
    for (let k = 0; k < m; k++) out[k] *= weight[k];
    return true;
  };
  // Derivatives of each unit shape h_i at the fitted points with respect to its mean, its ln
  // width and ln tM (unweighted, unit area): the Jacobian's columns are w A_i times these (the tM
  // column sums them over the peaks).
  const dMean = Array.from({ length: nA }, () => new Float64Array(m));
  const dWidth = Array.from({ length: nA }, () => new Float64Array(m));
  const dHoldup = fitHoldup ? Array.from({ length: nA }, () => new Float64Array(m)) : [];
  /** Takes the shapes at th (usually those of the last residual evaluation, the accepted step). */
  const shapesTo = (th: Float64Array, tM: number) => {
    if (same(trialAt, th)) {
      [shapes, trialShapes] = [trialShapes, shapes];
      [shapesAt, trialAt] = [trialAt, null];
    } else if (!same(shapesAt, th)) {
      for (let i = 0; i < nA; i++) {
        if (!shape(th, i, tM, T, shapes[i])) throw new Error('fit: Jacobian requested outside the model domain');
      }
      shapesAt = Float64Array.from(th);
    }
  };
  /** The Jacobian at th from the derivatives, the areas and the baseline layout. */
  const assemble = (th: Float64Array, jac: Float64Array) => {
    const column = (j: number, fill: (k: number) => number) => {
      const o = j * m;
      for (let k = 0; k < m; k++) jac[o + k] = fill(k);
    };
    for (let i = 0; i < nA; i++) {
      const A = areaOf(th, i);
      const dm = dMean[i], dw = dWidth[i], h = shapes[i];
      column(iMean[i], (k) => weight[k] * A * dm[k]);
      column(iWidth[i], (k) => weight[k] * A * dw[k]);
      if (iArea[i] >= 0) column(iArea[i], (k) => weight[k] * A * h[k]);
    }
    if (fitHoldup) {
      const o = iHoldup * m;
      jac.fill(0, o, o + m);
      for (let i = 0; i < nA && !holdupFrozen; i++) {
        const A = areaOf(th, i);
        const d = dHoldup[i];
        for (let k = 0; k < m; k++) jac[o + k] += weight[k] * A * d[k];
      }
    }
    for (let g = 0; g < segments.length && fitBaseline; g++) {
      column(iOffset[g], (k) => (segmentOf[k] === g ? weight[k] : 0));
      if (iSlope[g] >= 0) column(iSlope[g], (k) => (segmentOf[k] === g ? weight[k] * (T[k] - segmentRef[g]) : 0));
    }
  };
  // Where each peak's derivatives were last computed: (mean, ln width, ln tM).
  const derivativesAt = Array.from({ length: nA }, () => new Float64Array([NaN, NaN, NaN]));
  /**
   * Whether peak i's derivatives from the last Jacobian still serve at th: its mean moved by less
   * than COLUMN_REUSE of its kinetic width, and its ln width and ln tM by less than COLUMN_REUSE.
   * The columns then differ from the new ones by O(COLUMN_REUSE) relative, which changes the
   * steps by as little (Gauss–Newton on noisy data converges linearly anyway) and the standard
   * errors by as little; it saves the 2 (3) kernel calls of that peak. Late iterations, whose
   * steps are tiny, then cost one evaluation of the model each.
   */
  const reusable = (th: Float64Array, i: number) => {
    const at = derivativesAt[i];
    const lnTM = fitHoldup ? th[iHoldup] : 0;
    return Math.abs(th[iMean[i]] - at[0]) < COLUMN_REUSE * Math.exp(th[iWidth[i]])
      && Math.abs(th[iWidth[i]] - at[1]) < COLUMN_REUSE && Math.abs(lnTM - at[2]) < COLUMN_REUSE;
  };
  /** Jacobian: forward differences of each peak alone (2 kernel calls per peak, 3 with tM). */
  const jacobian = (th: Float64Array, _r: Float64Array, jac: Float64Array, held: Uint8Array): void => {
    const tM = holdupOf(th);
    work.jacobians++;
    const frozenBefore = holdupFrozen;
    holdupFrozen = fitHoldup && held[iHoldup] === 1;
    shapesTo(th, tM);
    const perturbed = Float64Array.from(th);
    // Peaks whose derivatives are recomputed (all when tM has just been held: its column changes).
    const fresh = Array.from({ length: nA }, (_, i) => frozenBefore !== holdupFrozen || !reusable(th, i));
    for (let i = 0; i < nA; i++) {
      if (!fresh[i]) continue;
      derivativesAt[i].set([th[iMean[i]], th[iWidth[i]], fitHoldup ? th[iHoldup] : 0]);
      for (const j of [iMean[i], iWidth[i]]) {
        const d = j === iMean[i] ? dMean[i] : dWidth[i];
        // Forward difference of this peak alone; the step is ~1e-7 of the peak's width. An
        // infeasible side is found before any kernel call (kinetics() is null there).
        const h = j === iMean[i] ? 1e-7 * Math.exp(th[iWidth[i]]) : 1e-7;
        perturbed[j] = th[j] + h;
        const ok = shape(perturbed, i, tM, T, scratch);
        const hh = ok ? h : -h;
        let feasible = true;
        if (!ok) {
          perturbed[j] = th[j] - h;
          feasible = shape(perturbed, i, tM, T, scratch);
        }
        perturbed[j] = th[j];
        // No feasible side (θ on the edge of the domain both ways): a zero column freezes θ_j.
        const hi = shapes[i];
        for (let k = 0; k < m; k++) d[k] = feasible ? (scratch[k] - hi[k]) / hh : 0;
      }
    }
    if (fitHoldup && !holdupFrozen) {
      const h = 1e-7;
      for (let i = 0; i < nA; i++) {
        if (!fresh[i]) continue;
        const d = dHoldup[i], hi = shapes[i];
        // Raising tM can leave the domain (αK <= 0); lowering it is always feasible.
        let sign = 1;
        if (!shape(th, i, Math.exp(th[iHoldup] + h), T, scratch)) {
          sign = -1;
          if (!shape(th, i, Math.exp(th[iHoldup] - h), T, scratch)) { d.fill(0); continue; }
        }
        for (let k = 0; k < m; k++) d[k] = (scratch[k] - hi[k]) / (sign * h);
      }
    }
    assemble(th, jac);
  };
  const r0 = new Float64Array(m);
  if (!residual(theta0, r0)) {
    throw new DataError('data', 'the start values lie outside the model domain (a peak before the hold-up time?)');
  }
  const leastSquares = { parameters: nP, residuals: m, residual, jacobian };
  // A fitted hold-up time that runs down to its floor is not determined by the data: it is held
  // at the floor (its Jacobian column no longer computed) and the other parameters are fitted.
  const lower = new Float64Array(nP).fill(-Infinity);
  if (fitHoldup) lower[iHoldup] = lnHoldupFloor;
  // Work budget: the optimiser checks before every step that the step and a Jacobian after it
  // fit; the final evaluation of the model on the whole grid (one chromatogram) is reserved.
  const budget = {
    limit: maxEvaluations - 1,
    spent: () => work.evaluations,
    residualCost: work.residualCost,
    jacobianCost: work.jacobianCost(fitHoldup ? 3 : 2),
  };
  const run = (from: Float64Array, limit = budget.limit, iterations = maxIterations) =>
    levenbergMarquardt(leastSquares, from, { maxIterations: iterations, lower, budget: { ...budget, limit } });
  // A start from the problem's ka, kd can be so far off that its peak misses the data (zero
  // gradient: a false minimum). That start gets half the budget; if the measured moments alone
  // then give a lower cost than the fit reached, it is fitted again from them (if the budget
  // leaves room for a start and a step) and the better result is kept; otherwise the fit from the
  // problem's start goes on with the rest of the budget.
  const fromProblem = startSource.includes('problem');
  let lm = run(theta0, fromProblem ? 0.5 * (budget.limit + work.evaluations) : budget.limit);
  let restarted = false;
  if (fromProblem) {
    const thetaMoments = Float64Array.from(theta0);
    for (let i = 0; i < nA; i++) {
      thetaMoments[iMean[i]] = momentMean[i];
      thetaMoments[iWidth[i]] = 0.5 * Math.log(momentWidth2[i]);
    }
    const r1 = new Float64Array(m);
    // Room for the moments' residual, the restarted fit's start (residual, Jacobian) and one step.
    const room = budget.limit - work.evaluations >= 3 * budget.residualCost + 2 * budget.jacobianCost;
    if (room && residual(thetaMoments, r1)) {
      let c1 = 0;
      for (let k = 0; k < m; k++) c1 += 0.5 * r1[k] * r1[k];
      // "Lower" by more than 1e-12 of the data's weighted variance: both at rounding level is a tie.
      let mean = 0, variance = 0;
      for (let k = 0; k < m; k++) mean += (weight[k] * Y[k]) / m;
      for (let k = 0; k < m; k++) variance += 0.5 * (weight[k] * Y[k] - mean) ** 2;
      const margin = 1e-12 * variance;
      if (c1 < lm.cost - margin) {
        const second = run(thetaMoments, budget.limit, Math.max(1, maxIterations - lm.iterations));
        if (second.cost < lm.cost - margin) {
          lm = { ...second, iterations: lm.iterations + second.iterations };
          restarted = true;
          for (let i = 0; i < nA; i++) {
            startMean[i] = momentMean[i];
            startWidth2[i] = momentWidth2[i];
            startSource[i] = 'moments';
          }
        }
      }
    }
    const roomToGoOn = budget.limit - work.evaluations >= budget.residualCost + 2 * budget.jacobianCost;
    if (!restarted && lm.stop === 'budget' && roomToGoOn && lm.iterations < maxIterations) {
      // The problem's start is still the better one: go on from where its half ended.
      const more = run(lm.theta, budget.limit, maxIterations - lm.iterations);
      lm = { ...more, iterations: lm.iterations + more.iterations };
    }
  }
  const th = lm.theta;
  const tM = holdupOf(th);
  holdupFrozen = fitHoldup && lm.held[iHoldup] === 1;

  // --- covariance: σ̂² (JᵀJ)⁻¹ ---------------------------------------------------------------
  const variance = (2 * lm.cost) / (m - nP);
  const inv = inverseNormalMatrix(lm.jacobian, m, nP, Array.from({ length: nP }, (_, j) => !(holdupFrozen && j === iHoldup)));
  const cov = (a: number, b: number) => (inv ? variance * inv[a * nP + b] : NaN);
  /** Standard error of a function with gradient g (sparse: [index, derivative] pairs). */
  const se = (g: [number, number][]) => {
    if (!inv) return Infinity;
    let s = 0;
    for (const [a, da] of g) for (const [b, db] of g) if (a >= 0 && b >= 0) s += da * db * cov(a, b);
    return s >= 0 ? Math.sqrt(s) : Infinity;
  };

  // --- the model over all cropped times, and per-peak statistics -----------------------------
  const fittedSignal = new Float64Array(nData);
  const fittedBaseline = new Float64Array(nData);
  baselineAt(th, t, segmentOfData, fittedBaseline);
  fittedSignal.set(fittedBaseline);
  const full = new Float64Array(nData);
  for (let i = 0; i < nA; i++) {
    if (!shape(th, i, tM, t, full)) throw new Error('fit: solution outside the model domain');
    accumulate(fittedSignal, areaOf(th, i), full);
  }
  /** SSE and R² over the points of [from, to) where `pick` holds. */
  const statsOver = (pick: (j: number) => boolean, from = 0, to = nData) => {
    let n = 0, sum = 0;
    for (let j = from; j < to; j++) if (pick(j)) { n++; sum += y[j]; }
    const mean = sum / n;
    let sse = 0, sst = 0;
    for (let j = from; j < to; j++) {
      if (!pick(j)) continue;
      sse += (y[j] - fittedSignal[j]) ** 2;
      sst += (y[j] - mean) ** 2;
    }
    return { n, sse, r2: sst > 0 ? 1 - sse / sst : sse === 0 ? 1 : 0 };
  };

  // A fit that did not converge says why first; a converged one with tM held at its floor says so.
  const stopStatus = status(!lm.converged ? STATUS_OF_STOP[lm.stop] : holdupFrozen ? 'holdup-at-bound' : 'converged');
  const holdupSe = fitHoldup && !holdupFrozen ? se([[iHoldup, tM]]) : null;
  const kFirst = kinetics(th, 0, tM)!.k;
  const fitted: FitAnalyte[] = analytes.map((a, i) => {
    const kin = kinetics(th, i, tM)!;
    const travel = th[iMean[i]] - pulse / 2;
    const width2 = Math.exp(2 * th[iWidth[i]]);
    const lnT = fitHoldup ? iHoldup : -1;
    // Gradients (delta method) in (t_R, ln s, ln tM): kd = 2(u − tM)/s², α ka = 2(u − tM)²/(tM s²).
    const gradKd: [number, number][] = [[iMean[i], 2 / width2], [iWidth[i], -2 * kin.kd], [lnT, (-2 * tM) / width2]];
    const kaFolded = kin.k * kin.kd;
    const gradKa: [number, number][] = [
      [iMean[i], (4 * (travel - tM)) / (tM * width2) / alpha],
      [iWidth[i], (-2 * kaFolded) / alpha],
      [lnT, ((-4 * (travel - tM)) / width2 - kaFolded) / alpha],
    ];
    const gradK: [number, number][] = [[iMean[i], 1 / tM / alpha], [lnT, -travel / tM / alpha]];
    const w = windows[i];
    const st = statsOver((j) => !excluded[j], ...rangeOf(w));
    const A = areaOf(th, i);
    return {
      name: a.name,
      ka: kaFolded / alpha,
      kd: kin.kd,
      K: kin.k / alpha,
      qe: (kin.k / alpha) * a.c0,
      beta: kin.k / kFirst,
      retentionFactor: kin.k,
      retentionTime: th[iMean[i]],
      sigma: Math.sqrt(width2 + (pulse * pulse) / 12),
      area: A,
      response: (A * outletRatio) / (a.c0 * pulse),
      sse: st.sse,
      r2: st.r2,
      standardErrors: { ka: se(gradKa), kd: se(gradKd), K: se(gradK) },
      window: w,
      points: st.n,
      windowSource: sources[i],
      restarted,
      start: startSource[i] === 'problem'
        ? { ka: a.ka as number, kd: a.kd as number, source: 'problem' as const }
        : (() => {
          const k = (startMean[i] - pulse / 2) / holdupStart - 1;
          const kd = (2 * k * holdupStart) / startWidth2[i];
          return { ka: (k * kd) / alpha, kd, source: 'moments' as const };
        })(),
      iterations: lm.iterations,
      evaluations: evaluationsOf[i],
      status: stopStatus,
    };
  });
  const used = new Uint8Array(nData);
  for (const j of use) used[j] = 1;
  const all = statsOver((j) => used[j] === 1);
  return {
    analytes: fitted,
    fitted: { time: t, signal: fittedSignal, baseline: fittedBaseline, measured: y },
    baseline: {
      mode: settings.baseline.mode,
      drift: settings.baseline.drift,
      scope: settings.baseline.scope,
      offset: fitBaseline && !perWindow ? th[iOffset[0]] : base[0],
      slope: fitBaseline && !perWindow ? (iSlope[0] >= 0 ? th[iSlope[0]] : 0) : base[1],
      referenceTime: tRef,
      standardErrors: fitBaseline && !perWindow
        ? { offset: se([[iOffset[0], 1]]), slope: iSlope[0] >= 0 ? se([[iSlope[0], 1]]) : 0 }
        : null,
      segments: perWindow
        ? segments.map((g, n) => ({
          start: g.start, end: g.end, referenceTime: segmentRef[n],
          offset: th[iOffset[n]], slope: iSlope[n] >= 0 ? th[iSlope[n]] : 0,
          standardErrors: { offset: se([[iOffset[n], 1]]), slope: iSlope[n] >= 0 ? se([[iSlope[n], 1]]) : 0 },
        }))
        : [],
    },
    holdupTime: { value: tM, mode: hMode, standardError: holdupSe },
    phaseRatio: known ? alpha : null,
    phaseRatioFolded: !known,
    noise,
    points: m,
    parameters: nP,
    sse: 2 * lm.cost,
    r2: all.r2,
    iterations: lm.iterations,
    stop: lm.stop,
    status: stopStatus,
    cost: {
      engine: engine.name,
      evaluations: densityEvaluations,
      chromatogramEvaluations: work.evaluations,
      maxEvaluations,
      kernelCalls: work.kernelCalls,
      residualEvaluations: work.residuals,
      jacobianEvaluations: work.jacobians,
      wallTimeMs: performance.now() - started,
    },
  };
}
