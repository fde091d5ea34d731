/**
 * The outlet chromatogram of a run from its migration moments (MODEL.md §9): each analyte a
 * Gaussian peak in time at its retention time with its width, scaled so that the outlet carries
 * exactly the injected amount. Milliseconds for a programmed run of many analytes, where the
 * finite-difference solver takes seconds; the full model (tails, diffusion, weak retention) is
 * the finite-difference solver's.
 *
 * Mass balance fixes the scale. The migration moments describe when molecules *arrive* at the
 * outlet, so the Gaussian is the outlet flux: molecules per unit cross-section and time,
 *   u(L, t) c(L, t) = n phi(t; t_R, sigma),   n = c0 int_0^t1 u(0, s) ds,
 * n being what the inlet pulse u(0, s) c0 brought in. Hence
 *   c(L, t) = n phi(t) / u(L, t),   int c dt ~ n / u(L, t_R),
 * which is the exact area c0 t1 p_L/p_0 of the isothermal model (MODEL.md §5) and c0 t1 with a
 * constant velocity; under a program the outlet velocity changes during the peak, and dividing
 * the flux (not the concentration) by it keeps the outlet amount exact.
 *
 * The rectangular pulse is in the moments already: the migration starts the pulse's centre at
 * t1/2 with the variance t1^2/12 of the box, and its variance equation carries that width
 * through the program (compressing it as the band speeds up), so isothermal runs get the exact
 * moments tM(1 + k) + t1/2 and 2 k tM/kd + t1^2/12 (MODEL.md §5).
 */
import {
  holdupTimeAt, retentionFactorAt, temperatureAt, velocityAt, type RunConditions,
} from '../model/conditions.js';
import { givenTimes } from './grid.js';
import { status as statusOf, type SolveCost, type Status } from './status.js';
import { chromatogramStatus } from './checks.js';
import type { AnalyteChromatogram } from './laplace.js';
import { migrate, type MigrationOptions, type MigrationResult } from './migration.js';

export interface GaussianOptions {
  /** Output times (s), ascending; default `peakTimes` (covering every peak). */
  times?: ArrayLike<number>;
  /** Detector baseline (signal units), added to the signal when every analyte has a response. */
  baseline?: number;
}

/** Moments and derived quantities of a Gaussian outlet peak. */
export interface GaussianMoments {
  /** Gas hold-up time tM (s) with the conditions at the retention time. */
  holdupTime: number;
  /** Retention factor alpha K at the oven temperature at the retention time. */
  retentionFactor: number;
  /** Oven temperature at the retention time (K). */
  elutionTemperature: number;
  /** Mean retention time t_R (s). */
  mean: number;
  /** Variance sigma^2 (s^2). */
  variance: number;
  sigma: number;
  /** Plate number t_R^2 / sigma^2. */
  plates: number;
  /** Amount injected per unit cross-section, n = c0 int_0^t1 u(0, s) ds (mol/m2); the outlet flux integrates to it. */
  amount: number;
  /** Peak area int c(L, t) dt = n int phi/u(L, t) dt (mol s/m3), by quadrature over the peak. */
  area: number;
}

export interface GaussianAnalyte {
  name: string;
  /** Outlet concentration c(L, t) at each output time (mol/m3). */
  concentration: Float64Array;
  moments: GaussianMoments;
  /** Maximum of c(L, t): time (s), height (mol/m3). */
  peak: { time: number; height: number };
  /** Trapezoid-rule area over the output times (mol s/m3). */
  area: number;
  /** Resolution to the next analyte in retention order (null for the last). */
  resolutionToNext: number | null;
}

export interface GaussianResult {
  method: 'gaussian';
  /** Output times (s). */
  times: Float64Array;
  analytes: GaussianAnalyte[];
  /** Detector signal baseline + sum f_i c_i, when every analyte has a response factor. */
  signal: Float64Array | null;
  status: Status;
  /** Analytes whose peaks the output times do not hold, one line each. */
  warnings: string[];
  cost: SolveCost;
}

/** Half-width of a peak's support in sigmas: phi there is e^-72 ~ 5e-32 of its height. */
const SUPPORT = 12;

/** Output points per sigma of the narrowest peak in `peakTimes`. */
const POINTS_PER_SIGMA = 8;

/** Most output points `peakTimes` chooses. */
export const MAX_GAUSSIAN_POINTS = 200_001;

/**
 * Equally spaced times (s) from 0 to past the last peak (mean + 6 sigma, and 5% more), at
 * POINTS_PER_SIGMA points per sigma of the narrowest peak, at most MAX_GAUSSIAN_POINTS.
 */
export function peakTimes(peaks: readonly { mean: number; sigma: number }[]): Float64Array {
  if (peaks.length === 0) throw new RangeError('peakTimes: peaks must hold at least one peak');
  const end = 1.05 * Math.max(...peaks.map((p) => p.mean + 6 * p.sigma));
  const narrowest = Math.min(...peaks.map((p) => p.sigma));
  const count = Math.min(MAX_GAUSSIAN_POINTS, Math.max(101, Math.ceil((POINTS_PER_SIGMA * end) / narrowest) + 1));
  const t = new Float64Array(count);
  for (let j = 0; j < count; j++) t[j] = (end * j) / (count - 1);
  t[count - 1] = end;
  return t;
}

/**
 * int phi(t; mean, sigma) / u(L, t) dt by the trapezoid rule on steps of sigma/4 over +-12 sigma:
 * for a Gaussian times a smooth function the rule converges faster than any power of the step
 * (the error is of order e^{-2 pi^2 (sigma/h)^2}, below rounding at this step).
 */
function meanInverseVelocity(c: RunConditions, mean: number, sigma: number): number {
  const steps = 4 * SUPPORT;
  let s = 0;
  for (let i = -steps; i <= steps; i++) {
    const z = i / 4;
    const w = i === -steps || i === steps ? 0.5 : 1;
    s += (w * Math.exp(-0.5 * z * z)) / velocityAt(c, c.length, mean + sigma * z);
  }
  return s / (4 * Math.sqrt(2 * Math.PI));
}

/** u(0, s) integrated over the pulse [0, t1] (m), by Gauss–Legendre on 5 points (the inlet velocity is smooth in s). */
function inletVolume(c: RunConditions): number {
  const t1 = c.injection.duration;
  if (!(t1 > 0)) return 0;
  const nodes = [0, -0.5384693101056831, 0.5384693101056831, -0.906179845938664, 0.906179845938664];
  const weights = [0.5688888888888889, 0.47862867049936647, 0.47862867049936647, 0.23692688505618908, 0.23692688505618908];
  let sum = 0;
  for (let i = 0; i < 5; i++) sum += weights[i] * velocityAt(c, 0, (t1 / 2) * (1 + nodes[i]));
  return (t1 / 2) * sum;
}

/** Where the peak of n phi(t)/u(L, t) is: t = mean - sigma^2 d ln u(L, t)/dt, by fixed-point steps. */
function locatePeak(c: RunConditions, mean: number, sigma: number): number {
  const L = c.length;
  const h = Math.max(1e-3 * sigma, 1e-9 * Math.abs(mean));
  let t = mean;
  for (let it = 0; it < 8; it++) {
    const slope = (Math.log(velocityAt(c, L, t + h)) - Math.log(velocityAt(c, L, t - h))) / (2 * h);
    const next = mean - sigma * sigma * slope;
    if (Math.abs(next - t) <= 1e-12 * Math.max(1, Math.abs(t))) return next;
    t = next;
  }
  return t;
}

/**
 * Outlet chromatogram of every analyte of `conditions` from its peak moments (`peaks[i]` for
 * `conditions.analytes[i]`, the pulse included, as the migration gives them): Gaussian peaks in the flux,
 * c(L, t) = n phi(t) / u(L, t), on `options.times` (default `peakTimes`).
 */
export function gaussianChromatogram(
  conditions: RunConditions, peaks: readonly { mean: number; sigma: number }[], options: GaussianOptions = {},
): GaussianResult {
  const started = performance.now();
  const c = conditions;
  if (peaks.length !== c.analytes.length) {
    throw new RangeError(`peaks must hold one peak per analyte (${c.analytes.length}), got ${peaks.length}`);
  }
  peaks.forEach((p, i) => {
    if (!(Number.isFinite(p.mean) && p.mean > 0)) {
      throw new RangeError(`peaks[${i}].mean (${c.analytes[i].name}) must be a finite time > 0 (s), got ${p.mean}`);
    }
    if (!(Number.isFinite(p.sigma) && p.sigma > 0)) {
      throw new RangeError(`peaks[${i}].sigma (${c.analytes[i].name}) must be a finite width > 0 (s), got ${p.sigma}`);
    }
  });
  const times = options.times === undefined ? peakTimes(peaks) : givenTimes(options.times, true);
  const L = c.length;
  const volume = inletVolume(c);
  // u(L, t) once per output time: shared by every analyte.
  const outletVelocity = times.map((t) => velocityAt(c, L, t));
  let evaluations = 0;
  const analytes: GaussianAnalyte[] = c.analytes.map((a, i) => {
    const { mean, sigma } = peaks[i];
    const amount = a.c0 * volume;
    const concentration = new Float64Array(times.length);
    const scale = amount / (sigma * Math.sqrt(2 * Math.PI));
    const lo = lowerIndex(times, mean - SUPPORT * sigma);
    for (let j = lo; j < times.length && times[j] <= mean + SUPPORT * sigma; j++) {
      const z = (times[j] - mean) / sigma;
      concentration[j] = (scale * Math.exp(-0.5 * z * z)) / outletVelocity[j];
      evaluations++;
    }
    const area = amount * meanInverseVelocity(c, mean, sigma);
    const peakTime = locatePeak(c, mean, sigma);
    const z = (peakTime - mean) / sigma;
    const T = temperatureAt(c, mean);
    return {
      name: a.name,
      concentration,
      moments: {
        holdupTime: holdupTimeAt(c, mean),
        retentionFactor: retentionFactorAt(a, T),
        elutionTemperature: T,
        mean,
        variance: sigma * sigma,
        sigma,
        plates: (mean * mean) / (sigma * sigma),
        amount,
        area,
      },
      peak: { time: peakTime, height: (scale * Math.exp(-0.5 * z * z)) / velocityAt(c, L, peakTime) },
      area: trapezoidOf(times, concentration),
      resolutionToNext: null,
    };
  });
  const order = analytes.map((_, i) => i).sort((i, j) => analytes[i].moments.mean - analytes[j].moments.mean);
  for (let r = 0; r + 1 < order.length; r++) {
    analytes[order[r]].resolutionToNext = resolution(analytes[order[r]].moments, analytes[order[r + 1]].moments);
  }
  const signal = detectorSignalOf(c, analytes, options.baseline ?? 0);
  // The checks of the other solvers: they read each analyte's name, samples, area, peak and the
  // moments mean, sigma, plates and area, which a Gaussian peak has with the same meaning.
  const checked = chromatogramStatus(times, analytes as unknown as AnalyteChromatogram[], signal,
    statusOf('success', 'Gaussian peaks from the migration moments'));
  return {
    method: 'gaussian',
    times,
    analytes,
    signal,
    status: checked.status,
    warnings: checked.warnings,
    cost: { engine: 'js', evaluations, wallTimeMs: performance.now() - started },
  };
}

/** First index j with times[j] >= t (times ascending). */
/** Resolution Rs = |t_R2 - t_R1| / (2 (sigma_1 + sigma_2)), as for the exact moments. */
function resolution(a: { mean: number; sigma: number }, b: { mean: number; sigma: number }): number {
  return Math.abs(b.mean - a.mean) / (2 * (a.sigma + b.sigma));
}

function lowerIndex(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function trapezoidOf(t: Float64Array, c: Float64Array): number {
  let s = 0;
  for (let j = 1; j < t.length; j++) s += (t[j] - t[j - 1]) * (0.5 * c[j] + 0.5 * c[j - 1]);
  return s;
}

function detectorSignalOf(c: RunConditions, analytes: GaussianAnalyte[], baseline: number): Float64Array | null {
  if (c.analytes.some((a) => a.response === undefined)) return null;
  const n = analytes[0]?.concentration.length ?? 0;
  const signal = new Float64Array(n).fill(baseline);
  c.analytes.forEach((a, i) => {
    const f = a.response as number;
    const y = analytes[i].concentration;
    for (let j = 0; j < n; j++) signal[j] += f * y[j];
  });
  return signal;
}

export interface MigrationChromatogramOptions extends GaussianOptions, MigrationOptions {}

/** A Gaussian chromatogram with the migration it was drawn from. */
export interface MigrationChromatogramResult extends GaussianResult {
  /** The migration: per analyte retention time, sigma, status, steps; its cost. */
  migration: MigrationResult;
}

/**
 * The chromatogram of a run by the migration equation and Gaussian peaks (MODEL.md §8.6, §9): the
 * moments of every analyte by `migrate`, then `gaussianChromatogram`. An analyte that does not
 * leave the column (status not-eluted or step-limit) has no peak: its concentration is 0 on every
 * output time, its moments NaN, and the result takes the migration's status naming it.
 */
export function migrationChromatogram(conditions: RunConditions, options: MigrationChromatogramOptions = {}): MigrationChromatogramResult {
  const started = performance.now();
  const { times, baseline, ...migrationOptions } = options;
  const migration = migrate(conditions, migrationOptions);
  const eluted = (a: MigrationResult['analytes'][number]) => a.status.code === 'eluted' || a.status.code === 'eluted-after-program';
  const keep = migration.analytes.map(eluted);
  if (!keep.some(Boolean)) {
    throw new RangeError(`no analyte leaves the column: ${migration.status.message}`);
  }
  const sub: RunConditions = { ...conditions, analytes: conditions.analytes.filter((_, i) => keep[i]) };
  const peaks = migration.analytes.filter((_, i) => keep[i]).map((a) => ({ mean: a.retentionTime, sigma: a.sigma }));
  const drawn = gaussianChromatogram(sub, peaks, { times, baseline });
  let next = 0;
  const analytes = conditions.analytes.map((a, i): GaussianAnalyte => {
    if (keep[i]) return drawn.analytes[next++];
    const nan = Number.NaN;
    return {
      name: a.name,
      concentration: new Float64Array(drawn.times.length),
      moments: {
        holdupTime: nan, retentionFactor: nan, elutionTemperature: nan, mean: nan, variance: nan, sigma: nan, plates: nan,
        amount: nan, area: 0,
      },
      peak: { time: nan, height: 0 },
      area: 0,
      resolutionToNext: null,
    };
  });
  // The detector sums only the drawn peaks; it needs a response of every analyte, as elsewhere.
  const signal = conditions.analytes.some((a) => a.response === undefined) ? null : drawn.signal;
  const notEluted = migration.status.code !== 'eluted' && migration.status.code !== 'eluted-after-program';
  return {
    ...drawn,
    analytes,
    signal,
    status: notEluted || drawn.status.code === 'success' ? migration.status : drawn.status,
    migration,
    cost: {
      engine: migration.cost.engine,
      evaluations: migration.cost.evaluations + drawn.cost.evaluations,
      wallTimeMs: performance.now() - started,
    },
  };
}

/** Equally spaced times (s) of an output grid (CONFIG.md `output`), the last exactly `end`. */
export function gridTimes(output: { start: number; end: number; count: number }): Float64Array {
  const { start, end, count } = output;
  const t = new Float64Array(count);
  for (let j = 0; j < count; j++) t[j] = start + ((end - start) * j) / (count - 1);
  t[count - 1] = end;
  return t;
}
