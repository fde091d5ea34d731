/**
 * The exact solution of the column model WITH diffusion (MODEL.md §12): the
 * Laplace transform of the outlet concentration in closed form, inverted numerically by a Fourier
 * series on the imaginary axis over a window that Chernoff bounds place around the peak. The
 * chromatogram of `method: 'laplace'` comes from here when an analyte has a diffusivity and the
 * velocity is constant; analytes without one keep the D = 0 solution (MODEL.md §2).
 */
import type { Detector, DispersionKernels, LaplaceKernels } from '../engine/kernels/index.js';
import { jsDispersionKernels } from '../engine/kernels/index.js';
import { selectKernels } from '../engine/wasm.js';
import { holdupTime, phaseRatio } from '../model/flow.js';
import { peakMoments, resolution, type PeakMoments } from '../model/moments.js';
import { ProblemError, type Analyte, type Column, type Problem } from '../model/problem.js';
import { chromatogramStatus } from './checks.js';
import { trapezoidAndMaximum } from './grid.js';
import type { AnalyteChromatogram, ChromatogramResult, LaplaceOptions } from './laplace.js';
import { status } from './status.js';

/** Default tolerance of the inversion (fraction of c0): the window's tails and the cut series. */
export const DISPERSION_TOLERANCE = 1e-15;
/** Most Fourier terms per analyte by default (a spectrum that needs more is reported inaccurate). */
export const DISPERSION_MAX_TERMS = 1 << 16;
/**
 * Most multiply-adds of the series for one analyte (terms x outputs inside its window), about a
 * second of the kernel: beyond it the request is refused before the sum.
 */
export const DISPERSION_WORK_LIMIT = 2e9;
/** Estimated error (fraction of the peak height) above which the solve is reported inaccurate. */
const INACCURATE = 1e-8;

export interface DispersionOptions {
  /** Tolerance of the inversion as a fraction of c0 (default 1e-15, from 1e-16 to 1e-3). */
  tolerance?: number;
  /** Most Fourier terms per analyte (default 65536, 16 to 1048576). */
  maxTerms?: number;
}

/**
 * Whether the Laplace solution of this problem takes diffusion: a diffusivity, and constant velocity
 * (unless `diffusion` is false) or variable velocity with `diffusion` true (see also extraMechanism).
 */
export function takesDiffusion(problem: Problem, diffusion?: boolean): boolean {
  const any = problem.analytes.some((a) => (a.diffusivity ?? 0) > 0);
  return any && (problem.column.velocity === 'constant' ? diffusion !== false : diffusion === true);
}

/**
 * Exact moments with diffusion (MODEL.md §12.4): the finite Danckwerts column keeps the mean
 * residence time tM, its variance is tM^2 (2/Pe - 2(1 - e^{-Pe})/Pe^2), and the kinetics map the
 * mobile-phase cumulants through g(s) = s (1 + alpha ka/(s + kd)), so
 * sigma^2 = 2 alpha K tM/kd + kappa2 (1 + alpha K)^2 + t1^2/12.
 */
export function dispersivePeakMoments(column: Column, analyte: Analyte, pulse: number, injectionTime = 0): PeakMoments {
  const base = peakMoments(column, analyte, pulse);
  const d = analyte.diffusivity ?? 0;
  const tM = base.holdupTime;
  // a second kind of site adds its retention factor and its kinetic variance (g(s) has both terms)
  const k2 = analyte.slowKa !== undefined && analyte.slowKd !== undefined
    ? (phaseRatio(column) * analyte.slowKa) / analyte.slowKd : 0;
  const slowVariance = k2 > 0 ? (2 * k2 * tM) / (analyte.slowKd as number) : 0;
  const pe = d > 0 ? (column.inletVelocity * column.length) / d : Infinity;
  // variable velocity (D ~ 1/p, u ~ 1/p): int 2 D/u^3 dx = 2 (D0 L/u0^3)(1 - beta/2), beta = 1 - (pL/p0)^2, to
  // first order in 1/Pe (the variance equation of §8.6 without the closed ends' O(1/Pe^2) terms)
  const beta = column.velocity === 'variable' ? 1 - (column.outletPressure / column.inletPressure) ** 2 : 0;
  const kappa2 = !(d > 0) ? 0 : column.velocity === 'variable'
    ? ((2 * d * column.length) / column.inletVelocity ** 3) * (1 - beta / 2)
    : tM * tM * danckwertsVariance(pe);
  const retentionFactor = base.retentionFactor + k2;
  // the inlet's exponential adds its mean tau and variance tau^2
  const mean = base.mean + tM * k2 + injectionTime;
  const variance = base.variance + slowVariance + kappa2 * (1 + retentionFactor) ** 2 + injectionTime * injectionTime;
  const unretainedFraction = base.unretainedFraction * Math.exp(-phaseRatio(column) * (analyte.slowKa ?? 0) * tM);
  return {
    ...base, retentionFactor, mean, variance, sigma: Math.sqrt(variance), plates: (mean * mean) / variance, unretainedFraction,
  };
}

/**
 * 2/Pe - 2(1 - e^{-Pe})/Pe^2, the Danckwerts column's variance in units of tM^2. Below Pe = 1e-2
 * the two terms cancel to 1 - Pe/3 + ..., and Pe^2 underflows for very short columns, so the
 * series is used there (its first omitted term is 2 Pe^5/7!, below 1e-13 of the sum).
 */
export function danckwertsVariance(pe: number): number {
  if (pe < 1e-2) return 1 + pe * (-1 / 3 + pe * (1 / 12 + pe * (-1 / 60 + pe / 360)));
  return 2 / pe - (2 * -Math.expm1(-pe)) / (pe * pe);
}

function checkOptions(options: DispersionOptions): { tolerance: number; maxTerms: number } {
  const tolerance = options.tolerance ?? DISPERSION_TOLERANCE;
  if (typeof tolerance !== 'number' || !(tolerance >= 1e-16 && tolerance <= 1e-3)) {
    throw new ProblemError('options.tolerance', `must be a number from 1e-16 to 1e-3 (fraction of c0), got ${String(tolerance)}`);
  }
  const maxTerms = options.maxTerms ?? DISPERSION_MAX_TERMS;
  if (typeof maxTerms !== 'number' || !Number.isInteger(maxTerms) || maxTerms < 16 || maxTerms > 1 << 20) {
    throw new ProblemError('options.maxTerms', `must be an integer from 16 to ${1 << 20}, got ${String(maxTerms)}`);
  }
  return { tolerance, maxTerms };
}

/** One analyte's inputs to the kernel. */
interface Inputs {
  holdup: number;
  inversePeclet: number;
  retention: number;
  kd: number;
  pulse: number;
  scale: number;
  /** Slow sites (MODEL.md §12.5): B2 = alpha ka2 tM (0: none), kd2 (1/s); the inlet's time constant (s). */
  slowRetention: number;
  slowKd: number;
  injectionTime: number;
  /** pL/p0: 1 for constant velocity, below 1 for variable velocity with D ~ 1/p (MODEL.md §12.6). */
  pressureRatio: number;
}

/** One kernel call for an analyte, its mechanisms set first (they hold for one call); `detectorTime` (s) for the signal. */
function invert(k: DispersionKernels, a: Inputs, times: Float64Array, tolerance: number, maxTerms: number,
  out: Float64Array, detectorTime = 0): number {
  k.setDispersionMechanisms(a.slowRetention, a.slowKd, a.injectionTime, detectorTime);
  k.setDispersionColumn(a.pressureRatio);
  return k.dispersiveConcentration(times, a.holdup, a.inversePeclet, a.retention, a.kd, a.pulse, 1, a.scale, tolerance,
    maxTerms, out);
}

/**
 * The maximum of c near sample `peak`: c on 33 points across the two neighbouring intervals, then
 * on 33 across the two around the best of those, then the parabola through the best three.
 */
function locatePeak(k: DispersionKernels, a: Inputs, times: Float64Array, c: Float64Array, peak: number,
  tolerance: number, maxTerms: number): { time: number; height: number; evaluations: number } {
  let lo = times[Math.max(0, peak - 1)];
  let hi = times[Math.min(times.length - 1, peak + 1)];
  let best = { time: times[peak], height: c[peak] };
  let evaluations = 0;
  const m = 33;
  const t = new Float64Array(m);
  const v = new Float64Array(m);
  for (let pass = 0; pass < 2 && hi > lo; pass++) {
    for (let j = 0; j < m; j++) t[j] = lo + ((hi - lo) * j) / (m - 1);
    evaluations += Math.abs(invert(k, a, t, tolerance, maxTerms, v));
    let j = 0;
    for (let i = 1; i < m; i++) if (v[i] > v[j]) j = i;
    if (v[j] > best.height) best = { time: t[j], height: v[j] };
    const h = (hi - lo) / (m - 1);
    if (pass === 1 && j > 0 && j < m - 1) {
      // vertex of the parabola through (t_{j-1}, t_j, t_{j+1})
      // (a ratio first: squaring the difference would overflow for c0 near 1e154 and above)
      const curvature = v[j - 1] - 2 * v[j] + v[j + 1];
      if (curvature < 0) {
        const slope = v[j - 1] - v[j + 1];
        const ratio = slope / curvature;
        const shift = 0.5 * h * ratio;
        const height = v[j] - 0.125 * slope * ratio;
        if (Math.abs(shift) <= h && height >= best.height) best = { time: t[j] + shift, height };
      }
    }
    lo = t[Math.max(0, j - 1)];
    hi = t[Math.min(m - 1, j + 1)];
  }
  return { ...best, evaluations };
}

const NO_TIMES = new Float64Array(0);

/**
 * Position r = x/L at which profiles take the inlet face: the kernel takes r > 0 (a delay r tM), and
 * c is continuous in x inside the column, so r = 1e-12 differs from c(0+, t) by O(1e-12 Pe) of c0.
 */
const INLET_POSITION = 1e-12;

/**
 * Profiles c(x, t) with diffusion at constant velocity (MODEL.md §12.1 at r = x/L < 1): for every
 * analyte with a diffusivity and every position, one inversion at all the times (ascending). Writes
 * into `concentrations[time][analyte]` (the other analytes' profiles stay as given). Returns the
 * density evaluations, the largest estimated error as a fraction of the largest value, and the
 * names of analytes whose spectrum needed more than maxTerms terms (the inlet face named apart:
 * its spectrum decays slowly, and it usually does).
 */
export function dispersiveProfiles(
  problem: Problem, times: Float64Array, x: Float64Array, options: DispersionOptions & { engine?: unknown },
  concentrations: Float64Array[][],
): { evaluations: number; errorEstimate: number; truncated: string[]; engine: string } {
  const { tolerance, maxTerms } = checkOptions(options);
  const k = selectKernels(options.engine as 'wasm' | 'js' | DispersionKernels | undefined, jsDispersionKernels);
  const column = problem.column;
  const holdup = column.length / column.inletVelocity;
  const alpha = phaseRatio(column);
  const order = Array.from(times.keys()).sort((i, j) => times[i] - times[j]);
  const sorted = Float64Array.from(order, (i) => times[i]);
  const out = new Float64Array(times.length);
  let evaluations = 0;
  let errorEstimate = 0;
  const truncated: string[] = [];
  problem.analytes.forEach((a, n) => {
    const d = a.diffusivity ?? 0;
    if (!(d > 0)) return;
    const inputs: Inputs = {
      holdup, inversePeclet: d / (column.inletVelocity * column.length), retention: alpha * a.ka * holdup, kd: a.kd,
      pulse: problem.injection.duration, scale: a.c0, slowRetention: 0, slowKd: 1, injectionTime: 0, pressureRatio: 1,
    };
    let error = 0, largest = 0;
    for (let i = 0; i < x.length; i++) {
      k.setDispersionMechanisms(0, 1, 0, 0);
      k.setDispersionColumn(1);
      checkWork(k, inputs, sorted, tolerance, maxTerms, a.name, 'options.times');
      k.setDispersionMechanisms(0, 1, 0, 0);
      k.setDispersionColumn(1);
      const e = k.dispersiveConcentration(sorted, holdup, inputs.inversePeclet, inputs.retention, a.kd, inputs.pulse,
        Math.max(x[i] / column.length, INLET_POSITION), a.c0, tolerance, maxTerms, out);
      // the inlet face: c(0+, t) has square-root edges at the pulse's start and end, its spectrum
      // decays as s^(-3/2) and needs more terms than the interior
      const where = i === 0 && x[i] === 0 ? `${a.name} at the inlet face x = 0` : a.name;
      if (e < 0 && !truncated.includes(where)) truncated.push(where);
      evaluations += Math.abs(e);
      error = Math.max(error, k.dispersionError() * a.c0);
      order.forEach((t, j) => {
        concentrations[t][n][i] = out[j];
        largest = Math.max(largest, out[j]);
      });
    }
    if (largest > 0) errorEstimate = Math.max(errorEstimate, error / largest);
  });
  return { evaluations, errorEstimate, truncated, engine: k.name };
}

/**
 * The series' work for these outputs, refused above DISPERSION_WORK_LIMIT: a first call without
 * outputs gives the terms and the window (K + 1 transform values, no sum).
 */
function checkWork(k: DispersionKernels, a: Inputs, times: Float64Array, tolerance: number, maxTerms: number,
  name: string, key: string): void {
  if (times.length * maxTerms <= DISPERSION_WORK_LIMIT) return;
  const terms = Math.abs(invert(k, a, NO_TIMES, tolerance, maxTerms, NO_TIMES)) - 1;
  const { start, period } = k.dispersionWindow();
  let inside = 0;
  for (let j = 0; j < times.length; j++) if (times[j] >= start && times[j] <= start + period) inside++;
  if (inside * terms > DISPERSION_WORK_LIMIT) {
    throw new ProblemError(key, `${name}: ${inside} output times inside its peak's window ` +
      `(${start.toPrecision(6)} to ${(start + period).toPrecision(6)} s) with ${terms} Fourier terms need ` +
      `${(inside * terms).toExponential(2)} multiply-adds, above the limit of ${DISPERSION_WORK_LIMIT.toExponential(0)}; ` +
      'ask for fewer output times there, or use the finite-difference solver');
  }
}

/**
 * The outlet chromatogram with diffusion (MODEL.md §12.1, §12.6): every analyte with a diffusivity or
 * a mechanism of MODEL.md §12.5 by the dispersion kernel, the others by the D = 0 kernel of §2;
 * with a detector lag the signal comes from a second inversion per analyte, with the lag.
 * errorEstimate is the largest estimated error of an analyte's c as a fraction of its peak height.
 */
export function dispersiveChromatogram(
  problem: Problem, times: Float64Array, options: LaplaceOptions & DispersionOptions & { times?: unknown }, laplace: LaplaceKernels,
  detector: Detector | null, started: number,
): ChromatogramResult {
  const { tolerance, maxTerms } = checkOptions(options);
  const k = selectKernels(options.engine as 'wasm' | 'js' | DispersionKernels | undefined, jsDispersionKernels);
  const column = problem.column;
  const pulse = problem.injection.duration;
  // the kernel takes L/u0 and B = alpha ka L/u0 (the constant-velocity groups) with the pressure ratio;
  // the D = 0 kernel the true hold-up time and scale c0 u0/u(L)
  const variable = column.velocity === 'variable';
  const ratio = variable ? column.outletPressure / column.inletPressure : 1;
  const holdup = column.length / column.inletVelocity;
  const trueHoldup = holdupTime(column, column.length);
  const alpha = phaseRatio(column);
  const injectionTime = problem.injection.timeConstant ?? 0;
  const detectorTime = problem.detector?.timeConstant ?? 0;
  const asked = (options as { diffusion?: boolean }).diffusion;
  const withDiffusion = variable ? asked === true : asked !== false;
  const key = options.times !== undefined ? 'options.times' : 'output.count';
  let evaluations = 0;
  let errorEstimate = 0;
  let truncated = '';
  let diffused = false;
  const note = (e: number, name: string) => {
    if (e < 0 && !truncated.split(', ').includes(name)) truncated += `${truncated ? ', ' : ''}${name}`;
    evaluations += Math.abs(e);
  };
  const detected: Float64Array[] = [];
  const analytes: AnalyteChromatogram[] = problem.analytes.map((a) => {
    const d = withDiffusion ? a.diffusivity ?? 0 : 0;
    const inputs: Inputs = {
      holdup, inversePeclet: d / (column.inletVelocity * column.length), retention: alpha * a.ka * holdup, kd: a.kd,
      pulse, scale: a.c0, slowRetention: a.slowKa === undefined ? 0 : alpha * a.slowKa * holdup, slowKd: a.slowKd ?? 1,
      injectionTime, pressureRatio: ratio,
    };
    const kernel = d > 0 || inputs.slowRetention > 0 || injectionTime > 0;
    if (d > 0) diffused = true;
    const c = new Float64Array(times.length);
    let error = 0;
    if (kernel) {
      checkWork(k, inputs, times, tolerance, maxTerms, a.name, key);
      note(invert(k, inputs, times, tolerance, maxTerms, c), a.name);
      error = k.dispersionError() * a.c0;
    } else {
      evaluations += laplace.outletConcentration(times, trueHoldup, alpha * a.ka * trueHoldup, a.kd, pulse, a.c0 * ratio, c);
    }
    if (detector && detectorTime > 0) {
      const lagged = new Float64Array(times.length);
      checkWork(k, inputs, times, tolerance, maxTerms, a.name, key);
      note(invert(k, inputs, times, tolerance, maxTerms, lagged, detectorTime), a.name);
      detected.push(lagged);
    } else {
      detected.push(c);
    }
    const { area, peak } = trapezoidAndMaximum(times, c);
    let located = { time: times[peak], height: c[peak] };
    if (kernel) {
      const p = locatePeak(k, inputs, times, c, peak, tolerance, maxTerms);
      evaluations += p.evaluations;
      located = { time: p.time, height: p.height };
    }
    if (located.height > 0) errorEstimate = Math.max(errorEstimate, error / located.height);
    return {
      name: a.name,
      concentration: c,
      moments: dispersivePeakMoments(column, { ...a, diffusivity: d > 0 ? d : undefined }, pulse, injectionTime),
      peak: located,
      area,
      resolutionToNext: null,
    };
  });
  const order = analytes.map((_, i) => i).sort((i, j) => analytes[i].moments.mean - analytes[j].moments.mean);
  for (let r = 0; r + 1 < order.length; r++) {
    analytes[order[r]].resolutionToNext = resolution(analytes[order[r]].moments, analytes[order[r + 1]].moments);
  }
  let signal: Float64Array | null = null;
  if (detector) {
    signal = new Float64Array(times.length).fill(detector.baseline);
    detected.forEach((c, i) => {
      for (let j = 0; j < times.length; j++) signal![j] += detector.responses[i] * c[j];
    });
  }
  const solved = truncated
    ? status('inaccurate', `the spectrum of ${truncated} needs more than options.maxTerms = ${maxTerms} terms`)
    : errorEstimate <= INACCURATE
      ? { code: 'success' as const, message: `solved; the estimated error of the inversion is ${errorEstimate.toExponential(1)} of the peak height or less` }
      : status('inaccurate', `estimated error ${errorEstimate.toExponential(2)} of the peak height`);
  const checked = chromatogramStatus(times, analytes, signal, solved);
  return {
    method: 'laplace',
    velocity: column.velocity,
    times,
    analytes,
    signal,
    ...(diffused ? { diffusion: true } : {}),
    errorEstimate,
    status: checked.status,
    warnings: checked.warnings,
    cost: { engine: k.name, evaluations, wallTimeMs: performance.now() - started },
  };
}
