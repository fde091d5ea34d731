/**
 * The exact solution of the column model without diffusion (MODEL.md §2): outlet chromatograms,
 * axial profiles and the detector signal, from the wasm kernels (default) or their TS twin.
 */
import { checkMemoryNeed } from '../model/limits.js';
import { givenTimes, outputTimes, trapezoidAndMaximum } from './grid.js';
import { PeakLocator } from './peak.js';
import { holdupTime, phaseRatio, velocityRatio } from '../model/flow.js';
import {
  jsKernels, type Detector, type LaplaceKernels, type OutletAnalyte, type OutletBatch,
} from '../engine/kernels/index.js';
import { peakMoments, resolution, type PeakMoments } from '../model/moments.js';
import {
  competingAnalytes, extraMechanism, isOverloaded, parseSolverProblem, ProblemError, ProblemTypeError, refuseExtraMechanisms, solverOptions, type Analyte,
  type Problem, type VelocityModel,
} from '../model/problem.js';
import { status, type SolveCost, type Status } from './status.js';
import { chromatogramStatus, profileStatus } from './checks.js';
import { selectKernels } from '../engine/wasm.js';
import { dispersiveChromatogram, dispersiveProfiles, takesDiffusion, type DispersionOptions } from './dispersion.js';
import { checkThomasProblem, thomasChromatogram } from './thomas.js';

export interface LaplaceOptions {
  /** Kernels to run: 'wasm' (default), 'js' (the plain-TypeScript twin) or an engine object. */
  engine?: 'wasm' | 'js' | LaplaceKernels;
  /** Overrides `column.velocity`. */
  velocity?: VelocityModel;
}

export interface ChromatogramOptions extends LaplaceOptions, DispersionOptions {
  /** Output times (s), ascending; default: the problem's `output` grid. */
  times?: ArrayLike<number>;
  /**
   * Whether analytes' diffusivities enter the solution (MODEL.md §12): at constant velocity by
   * default (false: the solution without diffusion of §2); at variable velocity (D ~ 1/p, §12.6)
   * when true (by default §2's solution, the paper's, which its tables and figures reproduce).
   */
  diffusion?: boolean;
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
  /**
   * Without diffusion: largest quadrature error of the peak areas, as a fraction of the injected
   * amount. With diffusion (MODEL.md §12): largest estimated error of an analyte's concentration,
   * as a fraction of its peak height.
   */
  errorEstimate: number;
  status: Status;
  /** Whether diffusion entered the solution (MODEL.md §12): set, true, by the path with diffusion when it did. */
  diffusion?: boolean;
  /** Analytes whose peaks the output times do not hold (outside them or between too few), one line each. */
  warnings?: string[];
  cost: SolveCost;
}

export interface ProfileOptions extends LaplaceOptions, DispersionOptions {
  /**
   * Diffusion (MODEL.md §12.1 inside the column): true takes it at constant velocity for the analytes
   * with a diffusivity (refused at variable velocity); by default profiles neglect it.
   */
  diffusion?: boolean;
  /** Times (s) at which to take the profiles: an array or a Float64Array. */
  times: ArrayLike<number>;
  /** Number of equally spaced positions from inlet to outlet (default 201). */
  points?: number;
}

export interface ProfileResult {
  method: 'laplace' | 'fd';
  velocity: VelocityModel;
  /** Positions from the inlet (m). */
  x: Float64Array;
  /** Present (true) when the profiles took diffusion (MODEL.md §12.1 inside the column). */
  diffusion?: true;
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

/**
 * The Bessel argument z = 2 sqrt(B kd T) of the density (T the time spent in the film, at most
 * the last time asked for) must be finite for every analyte: a kd so large that kd T overflows is
 * refused naming it, before any kernel runs (B is bounded by MAX_RETENTION at parse time).
 */
function checkBesselArgument(problem: Problem, lastTime: number): void {
  const holdup = holdupTime(problem.column, problem.column.length);
  problem.analytes.forEach((a, i) => {
    const kdT = a.kd * lastTime;
    if (!Number.isFinite(kdT) || !Number.isFinite(4 * retention(problem, a, holdup) * kdT)) {
      // B <= MAX_RETENTION = 1e12, so kd t <= 1e296 keeps z^2 = 4 B kd t below 1.8e308
      throw new ProblemError(`analytes[${i}].kd`, `gives a Bessel argument 2*sqrt(B*kd*t) that overflows at t = ${lastTime} s ` +
        `(the last time asked for); kd must be at most ${(1e296 / lastTime).toExponential(3)} 1/s for these times, got ${a.kd}`);
    }
  });
}

/** Retention exponent B = alpha ka tM(x) of an analyte at a hold-up time tM. */
function retention(problem: Problem, analyte: Analyte, holdup: number): number {
  return phaseRatio(problem.column) * analyte.ka * holdup;
}

/**
 * The kernel work of a chromatogram (LaplaceKernels.outletConcentrations): every analyte's outlet
 * concentrations, areas and largest sample, the signal, and each one's quadrature of its whole
 * density (exact 1 - e^{-B}: the check behind errorEstimate), from the kernel's own sums when it
 * made them, else by adsorbedFraction.
 */
function outletConcentrations(
  k: LaplaceKernels, times: Float64Array, holdup: number, pulse: number, analytes: OutletAnalyte[],
  detector: Detector | null,
): OutletBatch {
  const batch = k.outletConcentrations?.(times, holdup, pulse, analytes, detector)
    ?? pieceByPiece(k, times, holdup, pulse, analytes, detector);
  analytes.forEach((a, i) => {
    if (Number.isNaN(batch.integrals[i])) batch.integrals[i] = k.adsorbedFraction(a.retention);
  });
  return batch;
}

/** outletConcentrations for kernels without the batched call. */
function pieceByPiece(
  k: LaplaceKernels, times: Float64Array, holdup: number, pulse: number, analytes: OutletAnalyte[],
  detector: Detector | null,
): OutletBatch {
  let evaluations = 0;
  const concentrations = analytes.map((a) => {
    const c = new Float64Array(times.length);
    evaluations += k.outletConcentration(times, holdup, a.retention, a.kd, pulse, a.scale, c);
    return c;
  });
  const sums = concentrations.map((c) => trapezoidAndMaximum(times, c));
  return {
    concentrations,
    integrals: new Float64Array(analytes.length).fill(Number.NaN),
    areas: Float64Array.from(sums, (x) => x.area),
    peaks: sums.map((x) => x.peak),
    signal: detector ? detectorSum(detector, concentrations) : null,
    evaluations,
  };
}

/** The detector's baseline + sum_i f_i c_i, the analytes summed in order at each time. */
function detectorSum(detector: Detector, concentrations: Float64Array[]): Float64Array {
  const n = concentrations[0]?.length ?? 0;
  const signal = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = detector.baseline;
    for (let i = 0; i < concentrations.length; i++) s += detector.responses[i] * concentrations[i][j];
    signal[j] = s;
  }
  return signal;
}

/** The problem's detector when every analyte has a response factor, else null. */
function detectorOf(problem: Problem): Detector | null {
  if (problem.analytes.some((a) => a.response === undefined)) return null;
  return { baseline: problem.detector?.baseline ?? 0, responses: problem.analytes.map((a) => a.response as number) };
}

/**
 * A chromatogram's memory, refused before any work when above the budget (src/model/limits.ts):
 * per output time, the times and every analyte's concentration with the signal in the result,
 * and times, one concentration and the signal in wasm memory.
 */
export function checkChromatogramMemory(problem: Problem, n: number, given: boolean): void {
  const m = problem.analytes.length;
  checkMemoryNeed(given ? 'options.times' : 'output.count', 8 * n * (m + 5),
    `a chromatogram of ${m} analyte${m === 1 ? '' : 's'} at ${n} times`);
}

/**
 * Outlet chromatogram of every analyte on the problem's output grid (or `options.times`), with
 * exact moments, the located peak maximum, the trapezoid area, resolution and the detector signal.
 */
export function chromatogram(input: Problem | unknown, options: ChromatogramOptions = {}): ChromatogramResult {
  const started = performance.now();
  options = solverOptions(options);
  const problem = prepare(input, options);
  const k = kernels(options.engine);
  const times = outputTimes(problem, options.times);
  checkChromatogramMemory(problem, times.length, options.times !== undefined);
  checkBesselArgument(problem, times[times.length - 1]);
  if (options.diffusion !== undefined && typeof options.diffusion !== 'boolean') {
    throw new ProblemTypeError('options.diffusion', `must be true or false, got ${String(options.diffusion)}`);
  }
  if (competingAnalytes(problem) > 1) {
    throw new ProblemError('competitive', `true couples the ${competingAnalytes(problem)} "langmuir" analytes through shared ` +
      'sites (MODEL.md §14.1), which only finite differences solve (method "fd"); the Thomas solution takes each analyte alone');
  }
  if (problem.analytes.some(isOverloaded)) {
    // saturating films (MODEL.md §13): the Thomas solution, without diffusion at constant velocity
    checkThomasProblem(problem, options.diffusion, times[times.length - 1]);
    const detector = detectorOf(problem);
    return thomasChromatogram(problem, times, options.engine, (c) => detector ? detectorSignal(problem, c) : null, started);
  }
  if (extraMechanism(problem) || takesDiffusion(problem, options.diffusion)) {
    return dispersiveChromatogram(problem, times, options, k, detectorOf(problem), started);
  }
  const column = problem.column;
  const pulse = problem.injection.duration;
  const holdup = holdupTime(column, column.length);
  const ratio = velocityRatio(column, column.length);
  const inputs: OutletAnalyte[] = problem.analytes.map((a) => ({
    retention: retention(problem, a, holdup), kd: a.kd, scale: a.c0 / ratio,
  }));
  const batch = outletConcentrations(k, times, holdup, pulse, inputs, detectorOf(problem));
  const { concentrations: outs, integrals } = batch;
  let evaluations = batch.evaluations;
  const locator = new PeakLocator(k, holdup, pulse);
  let errorEstimate = 0;
  const analytes: AnalyteChromatogram[] = problem.analytes.map((a, i) => {
    const { retention: B, scale } = inputs[i];
    errorEstimate = Math.max(errorEstimate, Math.abs(integrals[i] + Math.exp(-B) - 1));
    locator.locate(times, outs[i], batch.peaks[i], B, a.kd, scale);
    evaluations += locator.evaluations;
    return {
      name: a.name,
      concentration: outs[i],
      moments: peakMoments(column, a, pulse),
      peak: { time: locator.time, height: locator.height },
      area: batch.areas[i],
      resolutionToNext: null,
    };
  });
  const order = analytes.map((_, i) => i).sort((i, j) => analytes[i].moments.mean - analytes[j].moments.mean);
  for (let r = 0; r + 1 < order.length; r++) {
    analytes[order[r]].resolutionToNext = resolution(analytes[order[r]].moments, analytes[order[r + 1]].moments);
  }
  const checked = chromatogramStatus(times, analytes, batch.signal,
    status(errorEstimate <= AREA_TOLERANCE ? 'success' : 'inaccurate'));
  return {
    method: 'laplace',
    velocity: column.velocity,
    times,
    analytes,
    signal: batch.signal,
    errorEstimate,
    status: checked.status,
    warnings: checked.warnings,
    cost: { engine: k.name, evaluations, wallTimeMs: performance.now() - started },
  };
}

/** baseline + sum_i f_i c_i(t) when every analyte has a response factor; otherwise null. */
export function detectorSignal(problem: Problem, concentrations: Float64Array[]): Float64Array | null {
  const detector = detectorOf(problem);
  return detector ? detectorSum(detector, concentrations) : null;
}

/** Concentration of every analyte along the column, c_i(x, t), at each requested time. */
export function profiles(input: Problem | unknown, options: ProfileOptions): ProfileResult {
  const started = performance.now();
  options = solverOptions(options);
  const problem = prepare(input, options);
  refuseExtraMechanisms(problem, 'profiles');
  if (options.diffusion !== undefined && typeof options.diffusion !== 'boolean') {
    throw new ProblemError('options.diffusion', `must be true or false, got ${String(options.diffusion)}`);
  }
  if (options.diffusion === true && problem.column.velocity === 'variable') {
    throw new ProblemError('options.diffusion', 'profiles with diffusion take constant velocity only ' +
      '(column.velocity "constant", or the finite-difference profiles)');
  }
  const diffused = options.diffusion === true && takesDiffusion(problem, true);
  const k = kernels(options.engine);
  const points = options.points ?? 201;
  if (!Number.isInteger(points) || points < 2 || points > MAX_PROFILE_POINTS) {
    throw new ProblemError('options.points', `must be an integer from 2 to ${MAX_PROFILE_POINTS}, got ${points}`);
  }
  const times = givenTimes(options.times, false);
  const m = problem.analytes.length;
  // the profiles, and per position: x, hold-up time, velocity ratio, the kernel's inputs and their wasm copies
  checkMemoryNeed('options.points', 8 * points * (times.length * m + 11),
    `${times.length} profile${times.length === 1 ? '' : 's'} of ${m} analyte${m === 1 ? '' : 's'} at ${points} points`);
  checkBesselArgument(problem, times.reduce((m, t) => Math.max(m, t), 0));
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
  const concentrations = Array.from(times, (t) => {
    at.fill(t);
    return problem.analytes.map((a) => {
      for (let i = 0; i < points; i++) {
        retentions[i] = retention(problem, a, holdups[i]);
        scales[i] = a.c0 / ratios[i];
      }
      const c = new Float64Array(points);
      // analytes with diffusion are replaced below
      if (!(diffused && (a.diffusivity ?? 0) > 0)) evaluations += k.pointConcentration(at, holdups, retentions, scales, a.kd, pulse, c);
      return c;
    });
  });
  let engine = k.name;
  const d = diffused ? dispersiveProfiles(problem, Float64Array.from(times), x, options, concentrations) : null;
  let solved = profileStatus(concentrations);
  if (d) {
    evaluations += d.evaluations;
    engine = d.engine;
    if (solved.code === 'success' && d.truncated.length > 0) {
      solved = status('inaccurate', `the spectrum of ${d.truncated.join(', ')} needs more than options.maxTerms terms`);
    } else if (solved.code === 'success' && d.errorEstimate > 1e-8) {
      solved = status('inaccurate', `estimated error ${d.errorEstimate.toExponential(2)} of the largest value`);
    }
  }
  return {
    method: 'laplace',
    velocity: column.velocity,
    x,
    times: Array.from(times),
    concentrations,
    analyteNames: problem.analytes.map((a) => a.name),
    ...(diffused ? { diffusion: true as const } : {}),
    status: solved,
    cost: { engine, evaluations, wallTimeMs: performance.now() - started },
  };
}
