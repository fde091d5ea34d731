/**
 * The exact solution of the column model without diffusion (MODEL.md §2): outlet chromatograms,
 * axial profiles and the detector signal, from the wasm kernels (default) or their TS twin.
 */
import { outputTimes, trapezoid } from './grid.js';
import { holdupTime, phaseRatio, velocityRatio } from '../model/flow.js';
import { jsKernels, type LaplaceKernels } from '../engine/kernels/index.js';
import { peakMoments, resolution, type PeakMoments } from '../model/moments.js';
import { parseSolverProblem, ProblemError, type Analyte, type Problem, type VelocityModel } from '../model/problem.js';
import { status, type SolveCost, type Status } from './status.js';
import { selectKernels } from '../engine/wasm.js';

export interface LaplaceOptions {
  /** Kernels to run: 'wasm' (default), 'js' (the plain-TypeScript twin) or an engine object. */
  engine?: 'wasm' | 'js' | LaplaceKernels;
  /** Overrides `column.velocity`. */
  velocity?: VelocityModel;
}

export interface ChromatogramOptions extends LaplaceOptions {
  /** Output times (s), ascending; default: the problem's `output` grid. */
  times?: ArrayLike<number>;
}

export interface AnalyteChromatogram {
  name: string;
  /** Outlet concentration c(L, t) at each output time (mol/m3). */
  concentration: Float64Array;
  /** Exact moments of the peak (retention time, variance, plates, exact area). */
  moments: PeakMoments;
  /** Maximum of c(L, t), located to ~1e-4 of the grid spacing: time (s), height (mol/m3). */
  peak: { time: number; height: number };
  /** Trapezoid-rule area of the computed chromatogram over the output grid (mol s/m3). */
  area: number;
  /** Resolution to the next analyte in retention order (null for the last). */
  resolutionToNext: number | null;
}

export interface ChromatogramResult {
  method: 'laplace' | 'fd';
  velocity: VelocityModel;
  /** Output times (s). */
  times: Float64Array;
  analytes: AnalyteChromatogram[];
  /** Detector signal baseline + sum f_i c_i, when every analyte has a response factor. */
  signal: Float64Array | null;
  /** Largest quadrature error of the peak areas, as a fraction of the injected amount. */
  errorEstimate: number;
  status: Status;
  cost: SolveCost;
}

export interface ProfileOptions extends LaplaceOptions {
  /** Times (s) at which to take the profiles. */
  times: number[];
  /** Number of equally spaced positions from inlet to outlet (default 201). */
  points?: number;
}

export interface ProfileResult {
  method: 'laplace' | 'fd';
  velocity: VelocityModel;
  /** Positions from the inlet (m). */
  x: Float64Array;
  /** Times of the profiles (s). */
  times: number[];
  /** concentrations[k][i]: c_i(x, times[k]) (mol/m3). */
  concentrations: Float64Array[][];
  analyteNames: string[];
  status: Status;
  cost: SolveCost;
}

/** Largest profile grid accepted (positions). */
export const MAX_PROFILE_POINTS = 10_000_000;

/** Gap between the computed and exact adsorbed fraction above which a solve is flagged. */
const AREA_TOLERANCE = 1e-12;

function kernels(engine: LaplaceOptions['engine']): LaplaceKernels {
  return selectKernels(engine, jsKernels);
}

function prepare(input: Problem | unknown, options: LaplaceOptions): Problem {
  return parseSolverProblem(input, options.velocity);
}

/** Retention exponent B = alpha ka tM(x) of an analyte at a hold-up time tM. */
function retention(problem: Problem, analyte: Analyte, holdup: number): number {
  return phaseRatio(problem.column) * analyte.ka * holdup;
}

/** Locates the maximum of c(L, t) near the grid maximum by zooming with point evaluations. */
function refinePeak(
  k: LaplaceKernels, times: Float64Array, c: Float64Array, holdup: number, B: number, kd: number,
  pulse: number, scale: number,
): { time: number; height: number; evaluations: number } {
  let j = 0;
  for (let i = 1; i < c.length; i++) if (c[i] > c[j]) j = i;
  let best = { time: times[j], height: c[j] };
  if (c.length < 3) return { ...best, evaluations: 0 };
  let lo = times[Math.max(0, j - 1)];
  let hi = times[Math.min(c.length - 1, j + 1)];
  const m = 9;
  const t = new Float64Array(m);
  const v = new Float64Array(m);
  let evaluations = 0;
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < m; i++) t[i] = lo + ((hi - lo) * i) / (m - 1);
    evaluations += k.pointConcentration(t, new Float64Array(m).fill(holdup), new Float64Array(m).fill(B),
      new Float64Array(m).fill(scale), kd, pulse, v);
    let b = 0;
    for (let i = 1; i < m; i++) if (v[i] > v[b]) b = i;
    if (v[b] > best.height) best = { time: t[b], height: v[b] };
    lo = t[Math.max(0, b - 1)];
    hi = t[Math.min(m - 1, b + 1)];
  }
  return { ...best, evaluations };
}

/**
 * Outlet chromatogram of every analyte on the problem's output grid (or `options.times`), with
 * exact moments, the located peak maximum, the trapezoid area, resolution and the detector signal.
 */
export function chromatogram(input: Problem | unknown, options: ChromatogramOptions = {}): ChromatogramResult {
  const started = performance.now();
  const problem = prepare(input, options);
  const k = kernels(options.engine);
  const times = outputTimes(problem, options.times);
  const column = problem.column;
  const pulse = problem.injection.duration;
  const holdup = holdupTime(column, column.length);
  const ratio = velocityRatio(column, column.length);
  let evaluations = 0;
  let errorEstimate = 0;
  const analytes: AnalyteChromatogram[] = problem.analytes.map((a) => {
    const B = retention(problem, a, holdup);
    const scale = a.c0 / ratio;
    const concentration = new Float64Array(times.length);
    evaluations += k.outletConcentration(times, holdup, B, a.kd, pulse, scale, concentration);
    errorEstimate = Math.max(errorEstimate, Math.abs(k.adsorbedFraction(B) + Math.exp(-B) - 1));
    const peak = refinePeak(k, times, concentration, holdup, B, a.kd, pulse, scale);
    evaluations += peak.evaluations;
    return {
      name: a.name,
      concentration,
      moments: peakMoments(column, a, pulse),
      peak: { time: peak.time, height: peak.height },
      area: trapezoid(times, concentration),
      resolutionToNext: null,
    };
  });
  const order = analytes.map((_, i) => i).sort((i, j) => analytes[i].moments.mean - analytes[j].moments.mean);
  for (let r = 0; r + 1 < order.length; r++) {
    analytes[order[r]].resolutionToNext = resolution(analytes[order[r]].moments, analytes[order[r + 1]].moments);
  }
  return {
    method: 'laplace',
    velocity: column.velocity,
    times,
    analytes,
    signal: detectorSignal(problem, analytes.map((a) => a.concentration)),
    errorEstimate,
    status: status(errorEstimate <= AREA_TOLERANCE ? 'success' : 'inaccurate'),
    cost: { engine: k.name, evaluations, wallTimeMs: performance.now() - started },
  };
}

/** baseline + sum_i f_i c_i(t) when every analyte has a response factor; otherwise null. */
export function detectorSignal(problem: Problem, concentrations: Float64Array[]): Float64Array | null {
  if (problem.analytes.some((a) => a.response === undefined)) return null;
  const n = concentrations[0]?.length ?? 0;
  const signal = new Float64Array(n).fill(problem.detector?.baseline ?? 0);
  problem.analytes.forEach((a, i) => {
    const c = concentrations[i];
    for (let j = 0; j < n; j++) signal[j] += (a.response as number) * c[j];
  });
  return signal;
}

/** Concentration of every analyte along the column, c_i(x, t), at each requested time. */
export function profiles(input: Problem | unknown, options: ProfileOptions): ProfileResult {
  const started = performance.now();
  const problem = prepare(input, options);
  const k = kernels(options.engine);
  const points = options.points ?? 201;
  if (!Number.isInteger(points) || points < 2 || points > MAX_PROFILE_POINTS) {
    throw new ProblemError('options.points', `must be an integer from 2 to ${MAX_PROFILE_POINTS}, got ${points}`);
  }
  if (!Array.isArray(options.times) || options.times.length === 0) {
    throw new ProblemError('options.times', 'must be a non-empty array of times (s)');
  }
  options.times.forEach((t, i) => {
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
      throw new ProblemError(`options.times[${i}]`, `must be a finite time >= 0 (s), got ${String(t)}`);
    }
  });
  const column = problem.column;
  const pulse = problem.injection.duration;
  const x = new Float64Array(points);
  const holdups = new Float64Array(points);
  const ratios = new Float64Array(points);
  for (let i = 0; i < points; i++) {
    x[i] = i === points - 1 ? column.length : (column.length * i) / (points - 1);
    holdups[i] = holdupTime(column, x[i]);
    ratios[i] = velocityRatio(column, x[i]);
  }
  let evaluations = 0;
  const retentions = new Float64Array(points);
  const scales = new Float64Array(points);
  const at = new Float64Array(points);
  const concentrations = options.times.map((t) => {
    at.fill(t);
    return problem.analytes.map((a) => {
      for (let i = 0; i < points; i++) {
        retentions[i] = retention(problem, a, holdups[i]);
        scales[i] = a.c0 / ratios[i];
      }
      const c = new Float64Array(points);
      evaluations += k.pointConcentration(at, holdups, retentions, scales, a.kd, pulse, c);
      return c;
    });
  });
  return {
    method: 'laplace',
    velocity: column.velocity,
    x,
    times: [...options.times],
    concentrations,
    analyteNames: problem.analytes.map((a) => a.name),
    status: status('success'),
    cost: { engine: k.name, evaluations, wallTimeMs: performance.now() - started },
  };
}
