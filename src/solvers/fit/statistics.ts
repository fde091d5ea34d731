/**
 * What a fit reports: the kinetic constants of every analyte read back from the fitted moments
 * (MODEL.md §5), their standard errors from the covariance σ̂² (JᵀJ)⁻¹ by the delta method, the
 * goodness of fit per window and overall, the baseline, and what the fit cost.
 */
import { exp } from '../portable-math.js';
import { inverseNormalMatrix, type LeastSquaresResult, type LeastSquaresStop } from '../leastsquares.js';
import { status, type Status } from '../status.js';
import { indexRange } from './data.js';
import { constantsOfMoments } from './kinetics.js';
import type { FitProblem } from './problem.js';
import type { Starts } from './starts.js';
import type { AnalyteMechanisms, FitAnalyte, FitBaseline, FitResult, FittedIsotherm, RunMechanisms } from './types.js';
import { loadingDerivative, type PeakModel } from './model.js';
import type { PeakWindows } from './windows.js';

const STATUS_OF_STOP: Record<LeastSquaresStop,
  'converged' | 'max-iterations' | 'no-descent' | 'holdup-at-bound' | 'max-evaluations'> = {
  step: 'converged', cost: 'converged', gradient: 'converged', 'zero-residual': 'converged',
  'max-iterations': 'max-iterations', 'no-descent': 'no-descent', halted: 'holdup-at-bound',
  budget: 'max-evaluations',
};

/** What a fit did, for its result. */
export interface FitOutcome {
  problem: FitProblem;
  model: PeakModel;
  lm: LeastSquaresResult;
  /** Whether the fit was restarted from the measured moments; `starts`: those the result came from. */
  restarted: boolean;
  starts: Starts;
  windows: PeakWindows;
  /** 1 where a (cropped) data point was left out. */
  excluded: Uint8Array;
  /** Noise standard deviation of the data (signal units). */
  noise: number;
  /** Phase ratio α (1 when folded: unknown geometry), whether it is known, and the outlet velocity ratio û_L. */
  alpha: number;
  known: boolean;
  outletRatio: number;
  /** The kernels' name, the work limit (chromatogram evaluations) and the start of the fit (ms, performance.now()). */
  engine: string;
  maxEvaluations: number;
  started: number;
}

/** A gradient, sparse: [parameter index (-1: not fitted), derivative] pairs. */
type Gradient = [number, number][];

/**
 * Standard errors of functions of θ from the covariance σ̂² (JᵀJ)⁻¹ at the solution (the
 * parameter `held` at its bound, if >= 0, left out), by the delta method: √(gᵀ C g).
 */
function deltaMethod(
  lm: LeastSquaresResult, m: number, nP: number, held: number, negligible: (j: number) => boolean = () => false,
): (g: Gradient) => number {
  const variance = (2 * lm.cost) / (m - nP);
  // Parameters at a bound (the hold-up time, a mechanism at its floor) are left out, as fixed there.
  const inv = inverseNormalMatrix(lm.jacobian, m, nP, Array.from({ length: nP }, (_, j) => j !== held && !negligible(j)));
  const cov = (a: number, b: number) => (inv ? variance * inv[a * nP + b] : NaN);
  return (g) => {
    if (!inv) return Infinity;
    let s = 0;
    for (const [a, da] of g) for (const [b, db] of g) if (a >= 0 && b >= 0) s += da * db * cov(a, b);
    return s >= 0 ? Math.sqrt(s) : Infinity;
  };
}

/** SSE and R² of `fitted` against y over the points of [from, to) where `pick` holds. */
function statsOver(
  y: Float64Array, fitted: Float64Array, pick: (j: number) => boolean, from = 0, to = y.length,
): { n: number; sse: number; r2: number } {
  let n = 0, sum = 0;
  for (let j = from; j < to; j++) if (pick(j)) { n++; sum += y[j]; }
  const mean = sum / n;
  let sse = 0, sst = 0;
  for (let j = from; j < to; j++) {
    if (!pick(j)) continue;
    sse += (y[j] - fitted[j]) * (y[j] - fitted[j]);
    sst += (y[j] - mean) * (y[j] - mean);
  }
  return { n, sse, r2: sst > 0 ? 1 - sse / sst : sse === 0 ? 1 : 0 };
}

/** The solution θ, its hold-up time tM (s), the fitted signal, the standard errors and the status. */
interface Solution {
  th: Float64Array;
  tM: number;
  signal: Float64Array;
  se: (g: Gradient) => number;
  status: Status;
  /** Each peak's unit shape over the (cropped) times at θ. */
  shapes: Float64Array[];
  /** αK of the first analyte (β is relative to it). */
  kFirst: number;
}

/** The start of analyte i in kinetic constants (1/s). */
function startOf(o: FitOutcome, i: number): FitAnalyte['start'] {
  const a = o.problem.analytes[i];
  if (o.starts.source[i] === 'problem') return { ka: a.ka as number, kd: a.kd as number, source: 'problem' };
  const { k, kd } = constantsOfMoments(o.starts.mean[i], o.starts.width2[i], o.starts.holdup, o.model.pulse);
  return { ka: (k * kd) / o.alpha, kd, source: 'moments' };
}

/**
 * Gradients of the fast site's α k_a, k_d and αK of peak i by central differences in the
 * parameters that move them (a fit with mechanisms, where no closed form maps them).
 */
function numericGradients(model: PeakModel, th: Float64Array, i: number): { ka: Gradient; kd: Gradient; K: Gradient } {
  const L = model.layout;
  const at = (x: Float64Array) => {
    const kin = model.kinetics(x, i, model.holdupOf(x));
    return kin ? [kin.k * kin.kd, kin.kd, kin.k] : null;
  };
  const base = at(th)!;
  const out: { ka: Gradient; kd: Gradient; K: Gradient } = { ka: [], kd: [], K: [] };
  const x = Float64Array.from(th);
  for (const j of [L.mean[i], L.width[i], L.holdup, ...L.peakMechanisms(i), ...L.sharedMechanisms()]) {
    if (j < 0 || model.negligible(th, j)) continue;
    const h = j === L.mean[i] ? 1e-6 * exp(th[L.width[i]]) : 1e-6 * Math.max(Math.abs(th[j]), 1e-3);
    x[j] = th[j] + h;
    const up = at(x);
    x[j] = th[j] - h;
    const down = at(x);
    x[j] = th[j];
    const d = (n: number) => (up && down ? (up[n] - down[n]) / (2 * h) : up ? (up[n] - base[n]) / h : down ? (base[n] - down[n]) / h : NaN);
    out.ka.push([j, d(0)]);
    out.kd.push([j, d(1)]);
    out.K.push([j, d(2)]);
  }
  return out;
}

/** The mechanisms of analyte i in the result. */
function analyteMechanisms(o: FitOutcome, s: Solution, i: number): AnalyteMechanisms {
  const { model } = o;
  const L = model.layout;
  const v = model.mechanismsOf(s.th, i);
  const column = o.problem.column;
  const held = (j: number) => j >= 0 && model.negligible(s.th, j);
  // 1/Pe and αK2 are squares of their parameters (mechanisms.ts), k_d2 an exponential
  const squareSe = (j: number) => (j < 0 || held(j) ? null : 2 * Math.abs(s.th[j]) * s.se([[j, 1]]));
  const logSe = (j: number, value: number) => (j < 0 || held(j) ? null : value * s.se([[j, 1]]));
  const atBound: string[] = [];
  if (held(L.inversePeclet[i])) atBound.push('inversePeclet');
  if (held(L.slowK[i])) atBound.push('slowRetentionFactor');
  const slowKa = (v.slowK * v.slowKd) / o.alpha;
  return {
    inversePeclet: v.inversePeclet,
    diffusivity: o.known && column ? v.inversePeclet * column.inletVelocity * column.length : null,
    slowKa: v.slowK > 0 ? slowKa : 0,
    slowKd: v.slowK > 0 ? v.slowKd : 0,
    slowRetentionFactor: v.slowK,
    fitted: { diffusion: L.inversePeclet[i] >= 0, slowSite: L.slowK[i] >= 0 },
    standardErrors: {
      inversePeclet: squareSe(L.inversePeclet[i]),
      // α k_a2 = exp(θ_k + θ_kd)
      slowKa: L.slowK[i] < 0 || held(L.slowK[i]) ? null
        : slowKa * s.se([[L.slowK[i], 1], [L.slowKd[i], 1]]),
      slowKd: L.slowK[i] < 0 || held(L.slowK[i]) ? null : logSe(L.slowKd[i], v.slowKd),
    },
    atBound,
  };
}

/** The run's time constants in the result. */
function runMechanisms(o: FitOutcome, s: Solution): RunMechanisms {
  const { model } = o;
  const L = model.layout;
  const v = model.mechanismsOf(s.th, 0);
  const held = (j: number) => j >= 0 && model.negligible(s.th, j);
  const se = (j: number, _value: number) => (j < 0 || held(j) ? null : 2 * Math.abs(s.th[j]) * s.se([[j, 1]]));
  return {
    injectionTime: v.injectionTime,
    detectorTime: v.detectorTime,
    fitted: { injectionTime: L.injectionTime >= 0, detectorTime: L.detectorTime >= 0 },
    standardErrors: { injectionTime: se(L.injectionTime, v.injectionTime), detectorTime: se(L.detectorTime, v.detectorTime) },
    atBound: [...(held(L.injectionTime) ? ['injectionTime'] : []), ...(held(L.detectorTime) ? ['detectorTime'] : [])],
  };
}

/** The result of analyte i. */
function analyteResult(o: FitOutcome, s: Solution, i: number): FitAnalyte {
  const { model, alpha } = o;
  const { th, tM, se } = s;
  const L = model.layout;
  const a = o.problem.analytes[i];
  const pulse = model.pulse;
  const kin = model.kinetics(th, i, tM)!;
  const travel = th[L.mean[i]] - pulse / 2;
  const width2 = exp(2 * th[L.width[i]]);
  const lnT = L.holdup;
  // Gradients (delta method) in (t_R, ln s, ln tM): kd = 2(u − tM)/s², α ka = 2(u − tM)²/(tM s²).
  const gradKd: Gradient = [[L.mean[i], 2 / width2], [L.width[i], -2 * kin.kd], [lnT, (-2 * tM) / width2]];
  const kaFolded = kin.k * kin.kd;
  const gradKa: Gradient = [
    [L.mean[i], (4 * (travel - tM)) / (tM * width2) / alpha],
    [L.width[i], (-2 * kaFolded) / alpha],
    [lnT, ((-4 * (travel - tM)) / width2 - kaFolded) / alpha],
  ];
  const gradK: Gradient = [[L.mean[i], 1 / tM / alpha], [lnT, -travel / tM / alpha]];
  const numeric = model.mechanisms ? numericGradients(model, th, i) : null;
  const scaled = (g: Gradient, c: number): Gradient => g.map(([j, v]) => [j, v * c]);
  const w = o.windows.windows[i];
  const st = statsOver(model.y, s.signal, (j) => !o.excluded[j], ...indexRange(model.t, w));
  const A = model.areaOf(th, i);
  const saturating = L.loading[i] >= 0;
  // a saturating peak's parameters are the linear peak's moments: report the fitted peak's own
  const own = saturating ? shapeMoments(model.t, s.shapes[i]) : null;
  return {
    name: a.name,
    ka: kaFolded / alpha,
    kd: kin.kd,
    K: kin.k / alpha,
    qe: (kin.k / alpha) * a.c0,
    beta: kin.k / s.kFirst,
    retentionFactor: kin.k,
    retentionTime: own ? own.mean : th[L.mean[i]],
    sigma: own ? Math.sqrt(own.variance) : Math.sqrt(width2 + (pulse * pulse) / 12),
    area: A,
    response: (A * o.outletRatio) / (a.c0 * pulse),
    sse: st.sse,
    r2: st.r2,
    standardErrors: numeric
      ? { ka: se(scaled(numeric.ka, 1 / alpha)), kd: se(numeric.kd), K: se(scaled(numeric.K, 1 / alpha)) }
      : { ka: se(gradKa), kd: se(gradKd), K: se(gradK) },
    window: w,
    points: st.n,
    windowSource: o.windows.sources[i],
    restarted: o.restarted,
    start: startOf(o, i),
    iterations: o.lm.iterations,
    evaluations: model.evaluationsOf[i],
    status: s.status,
    ...(model.mechanisms ? { mechanisms: analyteMechanisms(o, s, i) } : {}),
    ...(saturating ? { isotherm: fittedIsotherm(o, s, i, numeric ? scaled(numeric.K, 1 / alpha) : gradK) } : {}),
  };
}

/** Mean and variance (s, s²) of a unit peak sampled at times t (trapezoid weights). */
function shapeMoments(t: Float64Array, h: Float64Array): { mean: number; variance: number } {
  let m0 = 0, m1 = 0, m2 = 0;
  for (let j = 1; j < t.length; j++) {
    const w = 0.5 * (t[j] - t[j - 1]);
    m0 += w * (h[j] + h[j - 1]);
    m1 += w * (h[j] * t[j] + h[j - 1] * t[j - 1]);
    m2 += w * (h[j] * t[j] * t[j] + h[j - 1] * t[j - 1] * t[j - 1]);
  }
  const mean = m1 / m0;
  return { mean, variance: Math.max(m2 / m0 - mean * mean, 0) };
}

/**
 * The fitted loading λ of saturating analyte i with its standard error (delta method in its
 * parameter ℓ), and qMax = K c0/λ with a known geometry (gradient `gradK` of K in θ).
 */
function fittedIsotherm(o: FitOutcome, s: Solution, i: number, gradK: Gradient): FittedIsotherm {
  const { model } = o;
  const j = model.layout.loading[i];
  const form = model.isotherms[i] as FittedIsotherm['form'];
  const lambda = model.loadingOf(s.th, i);
  const atBound = model.negligible(s.th, j);
  const dLambda = loadingDerivative(form, s.th[j]);
  const K = model.kinetics(s.th, i, s.tM)!.k / o.alpha;
  const c0 = o.problem.analytes[i].c0;
  const qMax = o.known ? (K * c0) / lambda : null;
  // qMax = K c0/λ: dqMax = (c0/λ) dK − (K c0/λ²) dλ
  const gradQ: Gradient = [...gradK.map(([k, v]) => [k, (v * c0) / lambda] as [number, number]), [j, (-K * c0 * dLambda) / (lambda * lambda)]];
  return {
    form,
    loading: lambda,
    standardError: atBound ? null : Math.abs(dLambda) * s.se([[j, 1]]),
    qMax,
    qMaxStandardError: qMax === null || atBound ? null : s.se(gradQ),
    atBound,
  };
}

/** The baseline: the run-wide line (fitted, or the estimate) and the fitted segments. */
function baselineResult(o: FitOutcome, s: Solution): FitBaseline {
  const { model } = o;
  const { th, se } = s;
  const { mode, drift, scope } = o.problem.fit.baseline;
  const { offset: iOffset, slope: iSlope } = model.layout;
  const runWide = model.fitted.baseline && scope !== 'window';
  return {
    mode,
    drift,
    scope,
    offset: runWide ? th[iOffset[0]] : model.line[0],
    slope: runWide ? (iSlope[0] >= 0 ? th[iSlope[0]] : 0) : model.line[1],
    referenceTime: model.tRef,
    standardErrors: runWide
      ? { offset: se([[iOffset[0], 1]]), slope: iSlope[0] >= 0 ? se([[iSlope[0], 1]]) : 0 }
      : null,
    segments: scope === 'window'
      ? model.segments.map((g, n) => ({
        start: g.start, end: g.end, referenceTime: model.segmentRef[n],
        offset: th[iOffset[n]], slope: iSlope[n] >= 0 ? th[iSlope[n]] : 0,
        standardErrors: { offset: se([[iOffset[n], 1]]), slope: iSlope[n] >= 0 ? se([[iSlope[n], 1]]) : 0 },
      }))
      : [],
  };
}

/** The result of a fit from what it did. */
export function fitResult(o: FitOutcome): FitResult {
  const { model, lm } = o;
  const { work, layout } = model;
  const th = lm.theta;
  const tM = model.holdupOf(th);
  const holdupHeld = model.fitted.holdup && lm.held[layout.holdup] === 1;
  const m = model.residuals, nP = model.parameters;
  const se = deltaMethod(lm, m, nP, holdupHeld ? layout.holdup : -1, (j) => model.negligible(th, j));
  const curve = model.curveAt(th);
  // A fit that did not converge says why first; a converged one with tM held at its floor says so.
  const stopStatus = status(!lm.converged ? STATUS_OF_STOP[lm.stop] : holdupHeld ? 'holdup-at-bound' : 'converged');
  const s: Solution = { th, tM, signal: curve.signal, shapes: curve.shapes, se, status: stopStatus, kFirst: model.kinetics(th, 0, tM)!.k };
  const analytes = o.problem.analytes.map((_, i) => analyteResult(o, s, i));
  const used = new Uint8Array(model.t.length);
  for (const j of model.use) used[j] = 1;
  const all = statsOver(model.y, curve.signal, (j) => used[j] === 1);
  return {
    analytes,
    fitted: { time: model.t, signal: curve.signal, baseline: curve.baseline, measured: model.y },
    baseline: baselineResult(o, s),
    holdupTime: {
      value: tM,
      mode: o.problem.fit.holdupTime.mode,
      standardError: model.fitted.holdup && !holdupHeld ? se([[layout.holdup, tM]]) : null,
    },
    phaseRatio: o.known ? o.alpha : null,
    phaseRatioFolded: !o.known,
    noise: o.noise,
    points: m,
    parameters: nP,
    sse: 2 * lm.cost,
    r2: all.r2,
    iterations: lm.iterations,
    stop: lm.stop,
    status: stopStatus,
    ...(model.mechanisms ? { mechanisms: runMechanisms(o, s) } : {}),
    cost: {
      engine: o.engine,
      evaluations: model.densityEvaluations,
      chromatogramEvaluations: work.evaluations,
      maxEvaluations: o.maxEvaluations,
      kernelCalls: work.kernelCalls,
      residualEvaluations: work.residuals,
      jacobianEvaluations: work.jacobians,
      wallTimeMs: performance.now() - o.started,
    },
  };
}
