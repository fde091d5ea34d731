/**
 * The least-squares objective of the fit. Model of the detector signal (MODEL.md §4):
 * I(t) = b(t) + Σ_i A_i h_i(t), where h_i is the exact outlet chromatogram of analyte i without
 * diffusion (MODEL.md §2) normalised to unit area, A_i its peak area (signal s) and b(t) a constant
 * or linear baseline. h_i depends on the hold-up time tM (shared by all peaks of a run), the
 * retention factor αK_i and k_d,i only.
 *
 * Parameters are the moments of each peak (MODEL.md §5), which makes the least-squares problem
 * well scaled and nearly diagonal: the mean t_R,i = tM (1 + αK_i) + t1/2, the log of the kinetic
 * width s_i, s_i² = 2 αK_i tM / k_d,i = σ_i² − t1²/12, the areas A_i when fitted, ln tM when
 * fitted, and the baseline coefficients when fitted. Jacobian columns of a peak's parameters are
 * forward differences of that peak alone (one kernel call each); areas and baseline enter
 * linearly and get exact columns.
 *
 * With mechanisms (mechanisms.ts: diffusion, a slow site, the inlet's and the detector's time
 * constants, fixed or fitted) the shapes come from the inversion of MODEL.md §12 instead; fitted
 * mechanisms add their log parameters, with forward-difference columns like the peaks' own.
 *
 * A saturating peak (`fit.isotherm`, MODEL.md §13.6) takes the Thomas solution (§13) at the same
 * (αK, k_d) with the loading λ = K c0/qMax, whose parameter ℓ (λ = ℓ² Langmuir, ℓ²/(1 + ℓ²)
 * anti-Langmuir, so that λ < 1 where the anti-Langmuir isotherm is finite) is appended last; its
 * column is a forward difference like a mechanism's. Its mean and width parameters are then the
 * moments of the linear peak with the same k_a, k_d, not of the saturated peak.
 */
import { exp, log } from '../portable-math.js';
import { MAX_RETENTION } from '../../model/problem.js';
import { jsThomasKernels, type DispersionKernels, type LaplaceKernels, type ThomasKernels } from '../../engine/kernels/index.js';
import type { Isotherm } from '../../model/problem.js';
import type { LeastSquaresProblem } from '../leastsquares.js';
import { FitWork, MECHANISM_ALLOWANCE } from './budget.js';
import { LOADING_START } from './problem.js';
import { DataError, gather } from './data.js';
import { baselineInto, segmentOfPoints } from './baseline.js';
import { constantsOfMoments } from './kinetics.js';
import { ParameterLayout, type Fitted } from './parameters.js';
import type { Starts } from './starts.js';
import type { TimeWindow } from './problem.js';
import { danckwertsVariance } from '../dispersion.js';
import {
  constantsWithMechanisms, mechanismShape, NEGLIGIBLE, type MechanismSettings, type MechanismValues,
} from './mechanisms.js';

/** Mechanisms of a model: the kernels, what is fitted, and per analyte the fixed values and given starts (NaN: none). */
export interface ModelMechanisms {
  kernels: DispersionKernels;
  settings: MechanismSettings;
  values: MechanismValues[];
}

/** Forward-difference step of a mechanism's parameter, relative to its magnitude at the start. */
const MECHANISM_STEP = 1e-6;

/**
 * Largest parameter change (relative to the peak's kinetic width for its mean; absolute for ln
 * width and ln tM) over which a peak's Jacobian columns are reused rather than recomputed.
 */
const COLUMN_REUSE = 1e-3;

export interface ModelSpec {
  engine: LaplaceKernels;
  /** Pulse duration t1 (s). */
  pulse: number;
  fitted: Fitted;
  /** The (cropped) data: times t (s) and signal y; `use`: indices of the fitted points. */
  t: Float64Array;
  y: Float64Array;
  use: Int32Array;
  /** Residual weight of each fitted point. */
  weight: Float64Array;
  /**
   * Baseline segments (s), and the estimate line[0] + line[1] (t − tRef): the baseline when not
   * fitted, the start of fitted segments, and the baseline outside every segment.
   */
  segments: TimeWindow[];
  line: [number, number];
  tRef: number;
  /** The start; its hold-up time (s) is the fixed one when tM is not fitted. */
  starts: Starts;
  /** Peak areas (signal units s) where areas are not fitted. */
  fixedArea: Float64Array;
  /** Mechanisms (fixed or fitted); absent: the Bessel shapes of MODEL.md §2. */
  mechanisms?: ModelMechanisms;
  /**
   * The film of each analyte; a saturating one has its loading fitted, from `loadingStart[i]`
   * (λ0, or NaN for LOADING_START). Absent: every film linear.
   */
  isotherms?: Isotherm[];
  loadingStart?: Float64Array;
}

/** The loading λ = K c0/qMax (MODEL.md §13.6) of parameter ℓ: ℓ² (Langmuir), ℓ²/(1 + ℓ²) (anti-Langmuir, λ < 1). */
export function loadingOfParameter(form: Isotherm, l: number): number {
  const l2 = l * l;
  return form === 'anti-langmuir' ? l2 / (1 + l2) : l2;
}

/** dλ/dℓ. */
export function loadingDerivative(form: Isotherm, l: number): number {
  const l2 = l * l;
  return form === 'anti-langmuir' ? (2 * l) / ((1 + l2) * (1 + l2)) : 2 * l;
}

/**
 * h(t − shift) at the times T (ascending) into out, by linear interpolation in the samples h(T);
 * 0 outside them and across gaps wider than twice the neighbouring spacing (between windows).
 */
function shifted(T: Float64Array, h: Float64Array, shift: number, out: Float64Array): void {
  const m = T.length;
  let k = 0;
  for (let n = 0; n < m; n++) {
    const t = T[n] - shift;
    while (k + 1 < m && T[k + 1] < t) k++;
    if (k + 1 >= m || t < T[k]) { out[n] = 0; continue; }
    const gap = T[k + 1] - T[k];
    const near = Math.min(k > 0 ? T[k] - T[k - 1] : gap, k + 2 < m ? T[k + 2] - T[k + 1] : gap);
    if (gap > 2 * near) { out[n] = 0; continue; }
    const f = (t - T[k]) / gap;
    out[n] = (1 - f) * h[k] + f * h[k + 1];
  }
}

/** Weight, mean and variance of samples h at times T (plain sums: a start needs no more). */
function sampleMoments(T: Float64Array, h: Float64Array): { mass: number; mean: number; variance: number } {
  let m0 = 0, m1 = 0, m2 = 0;
  for (let k = 0; k < T.length; k++) { m0 += h[k]; m1 += h[k] * T[k]; m2 += h[k] * T[k] * T[k]; }
  const mean = m1 / m0;
  return { mass: m0, mean, variance: m2 / m0 - mean * mean };
}

/** Largest fitted loading λ = K c0/qMax (the Langmuir form; the anti-Langmuir one stays below 1). */
export const MAX_LOADING = 100;

/** Loadings λ tried by PeakModel.scanLoadings for a start (the anti-Langmuir form needs λ < 1). */
const LOADING_SCAN = { langmuir: [0.1, 0.5, 2], 'anti-langmuir': [0.1, 0.4, 0.8] } as const;

/** The parameter ℓ of loading λ (loadingOfParameter inverted). */
function parameterOfLoading(form: Isotherm, lambda: number): number {
  return Math.sqrt(form === 'anti-langmuir' ? lambda / (1 - lambda) : lambda);
}

/** Whether a holds the same values as b. */
function same(a: Float64Array | null, b: Float64Array): boolean {
  return a !== null && a.every((v, j) => v === b[j]);
}

/** out[j] += a x[j]. */
function accumulate(out: Float64Array, a: number, x: Float64Array): void {
  for (let j = 0; j < out.length; j++) out[j] += a * x[j];
}

/**
 * The weighted residuals w (I(θ) − y) at the fitted points and their Jacobian, as the
 * Levenberg–Marquardt problem; the unit shapes of the last evaluations are kept, so that the
 * Jacobian at an accepted step costs only the kernel calls of its differences.
 */
export class PeakModel implements LeastSquaresProblem {
  readonly parameters: number;
  readonly residuals: number;
  readonly layout: ParameterLayout;
  readonly fitted: Fitted;
  readonly pulse: number;
  readonly t: Float64Array;
  readonly y: Float64Array;
  readonly use: Int32Array;
  readonly segments: TimeWindow[];
  /** Reference time of each segment's line: its centre (s). */
  readonly segmentRef: Float64Array;
  readonly line: [number, number];
  readonly tRef: number;
  /** The work of the fit, and the kernel calls of each analyte. */
  readonly work: FitWork;
  readonly evaluationsOf: Float64Array;
  /** Density evaluations inside the kernel calls. */
  densityEvaluations = 0;
  /**
   * The bound on the parameter ln tM: a step that crosses it is cut back to it and tM is then held
   * there (leastsquares.ts), at once rather than after many damped steps towards it.
   */
  readonly lnHoldupFloor: number;
  /** The mechanisms, or null (the shapes of MODEL.md §2). */
  readonly mechanisms: ModelMechanisms | null;
  private readonly starts: Starts;
  /**
   * Magnitudes of the fitted mechanisms' parameters at the start: [index in θ, |θ_j|] (steps of
   * the differences, and what `negligible` compares with).
   */
  readonly mechanismScales: [number, number][] = [];

  private readonly engine: LaplaceKernels;
  private readonly thomas: ThomasKernels;
  /** The film of each analyte, and the starts of the fitted loadings (NaN: LOADING_START). */
  readonly isotherms: Isotherm[];
  private readonly loadingStart: Float64Array;
  private readonly peaks: number;
  private readonly holdup: number;
  private readonly fixedArea: Float64Array;
  private readonly weight: Float64Array;
  private readonly T: Float64Array;
  private readonly Y: Float64Array;
  private readonly segmentOfData: Int32Array;
  private readonly segmentOf: Int32Array;
  private readonly segmentOffset: Float64Array;
  private readonly segmentSlope: Float64Array;
  /** Whether ln tM is held at its bound (its column zero), as of the last Jacobian. */
  private holdupFrozen = false;
  // Unit shapes at the last evaluated parameters (the Jacobian needs those at the accepted ones).
  private shapes: Float64Array[];
  private trialShapes: Float64Array[];
  private readonly scratch: Float64Array;
  private shapesAt: Float64Array | null = null; // parameters at which `shapes` hold
  private trialAt: Float64Array | null = null; // parameters at which `trialShapes` hold
  // Derivatives of each unit shape h_i at the fitted points with respect to its mean, its ln
  // width and ln tM (unweighted, unit area): the Jacobian's columns are w A_i times these (the tM
  // column sums them over the peaks).
  private readonly dMean: Float64Array[];
  private readonly dWidth: Float64Array[];
  private readonly dHoldup: Float64Array[];
  // Where each peak's derivatives were last computed: (mean, ln width, ln tM, its mechanisms, the shared ones).
  private readonly derivativesAt: Float64Array[];
  // Derivatives by each peak's fitted mechanisms, and by the shared ones (per peak, like dHoldup).
  private readonly dMechanism: Float64Array[][];
  private readonly dShared: Float64Array[][];
  /** The held mechanism parameters as of the last Jacobian (a change recomputes every column). */
  private heldKey = '';

  constructor(spec: ModelSpec) {
    const { t, use, segments, starts } = spec;
    const nA = starts.mean.length;
    this.engine = spec.engine;
    this.thomas = 'thomasConcentration' in spec.engine ? spec.engine as unknown as ThomasKernels : jsThomasKernels;
    this.isotherms = spec.isotherms ?? Array.from({ length: nA }, () => 'linear' as const);
    this.loadingStart = spec.loadingStart ?? new Float64Array(nA).fill(NaN);
    this.pulse = spec.pulse;
    this.fitted = spec.fitted;
    this.t = t;
    this.y = spec.y;
    this.use = use;
    this.T = gather(t, use);
    this.Y = gather(spec.y, use);
    this.weight = spec.weight;
    this.segments = segments;
    this.segmentOfData = segmentOfPoints(t, segments);
    this.segmentOf = Int32Array.from(gather(this.segmentOfData, use));
    this.segmentRef = Float64Array.from(segments, (g) => 0.5 * (g.start + g.end));
    this.line = spec.line;
    this.tRef = spec.tRef;
    this.peaks = nA;
    this.holdup = starts.holdup;
    this.fixedArea = spec.fixedArea;
    const m = this.T.length;
    this.mechanisms = spec.mechanisms ?? null;
    this.starts = starts;
    this.layout = new ParameterLayout(nA, segments.length, spec.fitted, spec.mechanisms?.settings,
      this.isotherms.map((f) => f !== 'linear'));
    const nP = this.layout.count;
    if (m <= nP) {
      throw new DataError('data', `${m} usable points for ${nP} parameters; widen the windows or the crop`);
    }
    this.parameters = nP;
    this.residuals = m;
    this.work = spec.mechanisms ? new FitWork(nA, MECHANISM_ALLOWANCE) : new FitWork(nA);
    this.evaluationsOf = new Float64Array(nA);
    // A fitted hold-up time below this (1e-3 of the first peak's travel time) is outside the domain:
    // peaks more symmetric than the kinetic model allows (a fronting peak) push tM towards 0,
    // where it is no longer determined; the fit then stops at this bound and says so.
    const holdupFloor = 1e-3 * Math.min(...Array.from(starts.mean, (v) => v - spec.pulse / 2));
    this.lnHoldupFloor = log(holdupFloor);
    this.segmentOffset = new Float64Array(segments.length);
    this.segmentSlope = new Float64Array(segments.length);
    const perPeak = () => Array.from({ length: nA }, () => new Float64Array(m));
    this.shapes = perPeak();
    this.trialShapes = perPeak();
    this.scratch = new Float64Array(m);
    this.dMean = perPeak();
    this.dWidth = perPeak();
    this.dHoldup = spec.fitted.holdup ? perPeak() : [];
    const L = this.layout;
    this.derivativesAt = Array.from({ length: nA }, (_, i) =>
      new Float64Array(3 + L.peakMechanisms(i).length + L.sharedMechanisms().length).fill(NaN));
    this.dMechanism = Array.from({ length: nA }, (_, i) => L.peakMechanisms(i).map(() => new Float64Array(m)));
    this.dShared = L.sharedMechanisms().map(() => perPeak());
    if (this.mechanisms) {
      const theta = new Float64Array(L.count);
      this.mechanismStarts(starts, theta);
      for (let i = 0; i < nA; i++) {
        // log parameters (ln αK2, ln k_d2): the scale of a step is 1, and `negligible` compares with the start's value
        for (const j of L.peakMechanisms(i)) {
          this.mechanismScales.push([j, j === L.slowKd[i] ? 1 : j === L.slowK[i] ? exp(theta[j]) : Math.abs(theta[j])]);
        }
      }
      for (const j of L.sharedMechanisms()) this.mechanismScales.push([j, Math.abs(theta[j])]);
    }
    // the loadings' parameters: steps relative to the start, which `negligible` compares with
    L.loading.forEach((j, i) => { if (j >= 0) this.mechanismScales.push([j, this.loadingParameterStart(i)]); });
  }

  /** ℓ of analyte i at the start: from the problem's qMax, else LOADING_START. */
  private loadingParameterStart(i: number): number {
    const l0 = this.loadingStart[i];
    return parameterOfLoading(this.isotherms[i], Number.isFinite(l0) && l0 > 0 ? l0 : LOADING_START);
  }

  /** The loading λ = K c0/qMax of analyte i at θ (0: a linear film). */
  loadingOf(th: Float64Array, i: number): number {
    const j = this.layout.loading[i];
    return j < 0 ? 0 : loadingOfParameter(this.isotherms[i], th[j]);
  }

  /**
   * Whether fitted mechanism parameter j ended negligible: its square (1/Pe, αK2, τ) below
   * NEGLIGIBLE of the start's (k_d2 with its αK2). Such a parameter is reported as at its bound
   * (zero) and left out of the covariance (its column vanishes there).
   */
  negligible(th: Float64Array, j: number): boolean {
    const L = this.layout;
    const i = L.slowKd.indexOf(j);
    if (j >= 0 && i >= 0) return this.negligible(th, L.slowK[i]);
    const f = this.mechanismScales.find(([k]) => k === j);
    if (f !== undefined && L.slowK.includes(j)) return exp(th[j]) < NEGLIGIBLE * f[1];
    return f !== undefined && th[j] * th[j] < NEGLIGIBLE * f[1] * f[1];
  }

  /** Kernel calls per analyte of a Jacobian with every column fresh (for the work budget). */
  get jacobianCalls(): number {
    const L = this.layout;
    let extra = 0;
    for (let i = 0; i < this.peaks; i++) extra += L.peakMechanisms(i).length;
    return 2 + (this.fitted.holdup ? 1 : 0) + extra / this.peaks + L.sharedMechanisms().length;
  }

  /** The mechanisms of peak i at θ: fitted ones from θ, the others fixed. */
  mechanismsOf(th: Float64Array, i: number): MechanismValues {
    const L = this.layout;
    const v = { ...this.mechanisms!.values[i] };
    const square = (j: number) => th[j] * th[j];
    if (L.inversePeclet[i] >= 0) v.inversePeclet = square(L.inversePeclet[i]);
    if (L.slowK[i] >= 0) {
      v.slowK = exp(th[L.slowK[i]]);
      v.slowKd = exp(th[L.slowKd[i]]);
    }
    if (L.injectionTime >= 0) v.injectionTime = square(L.injectionTime);
    if (L.detectorTime >= 0) v.detectorTime = square(L.detectorTime);
    return v;
  }

  /**
   * The moments of a peak placed by the problem's k_a, k_d (one kind of site, no diffusion) with
   * the mechanisms the problem gives (fixed, or the starts of fitted ones) added (MODEL.md §12.3,
   * §12.5): the fast site's constants then stay the problem's.
   */
  private withGivenMechanisms(s: Starts, i: number): { mean: number; width2: number } {
    const g = this.mechanisms!.values[i];
    const tM = s.holdup;
    const R = (s.mean[i] - this.pulse / 2) / tM + g.slowK;
    const kappa2 = g.inversePeclet > 0 ? tM * tM * danckwertsVariance(1 / g.inversePeclet) : 0;
    return {
      mean: s.mean[i] + tM * g.slowK + g.injectionTime + g.detectorTime,
      width2: s.width2[i] + (g.slowK > 0 ? (2 * g.slowK * tM) / g.slowKd : 0) + kappa2 * R * R + g.injectionTime * g.injectionTime + g.detectorTime * g.detectorTime,
    };
  }

  /**
   * Start values of the fitted mechanisms of the peaks of `s` into θ: the problem's values where
   * given, else 1/Pe whose dispersion is 0.5% of the peak's kinetic variance, a slow site holding
   * 0.5% of its retention and desorbing 30 times slower (15% of the variance), and time constants
   * of a tenth of the narrowest peak's width.
   */
  private mechanismStarts(s: Starts, theta: Float64Array): void {
    const L = this.layout;
    const given = this.mechanisms!.values;
    const narrowest = Math.sqrt(Math.min(...s.width2));
    for (let i = 0; i < this.peaks; i++) {
      const R = (s.mean[i] - this.pulse / 2) / s.holdup;
      const k = R - 1;
      const kd = (2 * k * s.holdup) / s.width2[i];
      const g = given[i];
      if (L.inversePeclet[i] >= 0) {
        theta[L.inversePeclet[i]] = Math.sqrt(g.inversePeclet > 0 ? g.inversePeclet : (0.0025 * s.width2[i]) / ((s.holdup * R) * (s.holdup * R)));
      }
      if (L.slowK[i] >= 0) {
        const given2 = g.slowK > 0;
        theta[L.slowK[i]] = log(given2 ? g.slowK : 0.005 * k);
        theta[L.slowKd[i]] = log(given2 ? g.slowKd : kd / 30);
      }
    }
    const tau = (v: number) => Math.sqrt(v > 0 ? v : 0.1 * narrowest);
    if (L.injectionTime >= 0) theta[L.injectionTime] = tau(given[0].injectionTime);
    if (L.detectorTime >= 0) theta[L.detectorTime] = tau(given[0].detectorTime);
  }

  /** The starts the model was made with. */
  startsOf(): Starts {
    return this.starts;
  }

  /** θ at the start values `s` (the baseline from the estimate). */
  startVector(s: Starts): Float64Array {
    const L = this.layout;
    const [offset, slope] = this.line;
    const theta0 = new Float64Array(L.count);
    if (this.fitted.holdup) theta0[L.holdup] = log(this.holdup);
    for (let i = 0; i < this.peaks; i++) {
      const { mean, width2 } = this.mechanisms && s.source[i] === 'problem' ? this.withGivenMechanisms(s, i) : { mean: s.mean[i], width2: s.width2[i] };
      theta0[L.mean[i]] = mean;
      theta0[L.width[i]] = 0.5 * log(width2);
      if (this.fitted.area) theta0[L.area[i]] = log(this.fixedArea[i]);
    }
    for (let g = 0; g < this.segments.length && this.fitted.baseline; g++) {
      theta0[L.offset[g]] = offset + slope * (this.segmentRef[g] - this.tRef);
      if (L.slope[g] >= 0) theta0[L.slope[g]] = slope;
    }
    if (this.mechanisms) this.mechanismStarts(s, theta0);
    L.loading.forEach((j, i) => { if (j >= 0) theta0[j] = this.loadingParameterStart(i); });
    return theta0;
  }

  /**
   * A start of the fitted loadings better than one guess (MODEL.md §13.6): for each saturating
   * peak without a start from the problem, the loadings LOADING_SCAN are tried, each with its mean
   * parameter moved so that the peak's mean over the fitted points is the measured one, its
   * kinetic width either kept or reduced so that its variance is the measured one too, and the
   * area (when fitted) the best for the rest of the signal at `th`; the candidate of least
   * weighted SSE is kept, in `th`. Two kernel calls of the peak per loading (a moved peak is the
   * computed one shifted in time, interpolated: near enough to choose a start); `th` must be the
   * parameters of the last residual evaluation (its shapes serve the other peaks).
   */
  scanLoadings(th: Float64Array): void {
    if (!same(this.trialAt, th)) return;
    const L = this.layout;
    const tM = this.holdupOf(th);
    const { T, weight, residuals: m } = this;
    const rest = new Float64Array(m);
    const h = new Float64Array(m);
    const trial = Float64Array.from(th);
    const moved = new Float64Array(m);
    for (let i = 0; i < this.peaks; i++) {
      const j = L.loading[i];
      if (j < 0 || Number.isFinite(this.loadingStart[i])) continue;
      // the data less the baseline and the other peaks, weighted
      this.baselineAt(th, T, this.segmentOf, rest);
      for (let k = 0; k < m; k++) rest[k] = this.Y[k] - rest[k];
      for (let n = 0; n < this.peaks; n++) {
        if (n === i) continue;
        const A = this.areaOf(th, n), other = this.trialShapes[n];
        for (let k = 0; k < m; k++) rest[k] -= A * other[k];
      }
      const target = this.starts.momentMean[i];
      const variance = this.starts.momentWidth2[i] + (this.pulse * this.pulse) / 12;
      let best = Infinity;
      const chosen = Float64Array.from(th);
      // a candidate: the computed peak h moved by `shift` (interpolated), with the best area
      const consider = (shift: number) => {
        trial[L.mean[i]] += shift;
        if (this.kinetics(trial, i, tM) === null) return;
        shifted(T, h, shift, moved);
        let hh = 0, hr = 0;
        for (let k = 0; k < m; k++) {
          const w2 = weight[k] * weight[k];
          hh += w2 * moved[k] * moved[k];
          hr += w2 * moved[k] * rest[k];
        }
        const A = this.fitted.area ? (hr > 0 ? hr / hh : this.areaOf(th, i)) : this.areaOf(th, i);
        let sse = 0;
        for (let k = 0; k < m; k++) { const r = weight[k] * (rest[k] - A * moved[k]); sse += r * r; }
        if (sse < best) {
          best = sse;
          chosen.set(trial);
          if (this.fitted.area) chosen[L.area[i]] = log(A);
        }
      };
      for (const lambda of LOADING_SCAN[this.isotherms[i] === 'anti-langmuir' ? 'anti-langmuir' : 'langmuir']) {
        trial.set(th);
        trial[j] = parameterOfLoading(this.isotherms[i], lambda);
        if (!this.shape(trial, i, tM, T, h)) continue;
        let mo = sampleMoments(T, h);
        if (!(mo.mass > 0)) continue;
        // (a) the peak moved to the measured mean, its kinetic width kept
        consider(target - mo.mean);
        // (b) its mean and variance moved to the measured ones: the variances of the kinetics
        // and of the overload taken as adding up (which of the two fits better depends on the
        // share of the overload in the width)
        trial.set(th);
        trial[j] = parameterOfLoading(this.isotherms[i], lambda);
        trial[L.mean[i]] += target - mo.mean;
        const width2 = exp(2 * trial[L.width[i]]) - (mo.variance - variance);
        trial[L.width[i]] = 0.5 * log(Math.max(width2, 0.05 * exp(2 * th[L.width[i]])));
        if (!this.shape(trial, i, tM, T, h)) continue;
        mo = sampleMoments(T, h);
        if (!(mo.mass > 0)) continue;
        consider(target - mo.mean);
      }
      if (best < Infinity) {
        th[j] = chosen[j];
        th[L.mean[i]] = chosen[L.mean[i]];
        th[L.width[i]] = chosen[L.width[i]];
        if (this.fitted.area) th[L.area[i]] = chosen[L.area[i]];
      }
    }
  }

  /** Hold-up time tM (s) at θ. */
  holdupOf(th: Float64Array): number {
    return this.fitted.holdup ? exp(th[this.layout.holdup]) : this.holdup;
  }

  /** Peak area A_i (signal units s) at θ: fitted areas are ln A, positive by construction. */
  areaOf(th: Float64Array, i: number): number {
    return this.fitted.area ? exp(th[this.layout.area[i]]) : this.fixedArea[i];
  }

  /** (αK, kd, B) of analyte i at θ and hold-up time tM (s), or null outside the model's domain. */
  kinetics(th: Float64Array, i: number, tM: number): { k: number; kd: number; B: number } | null {
    const mean = th[this.layout.mean[i]], width2 = exp(2 * th[this.layout.width[i]]);
    // a loading beyond MAX_LOADING is outside the domain: there the peak has left its window and
    // the cost no longer depends on it (a long step would strand it there)
    if (!(this.loadingOf(th, i) <= MAX_LOADING)) return null;
    if (this.mechanisms) {
      const m = this.mechanismsOf(th, i);
      const c = constantsWithMechanisms(mean, width2, tM, this.pulse, m);
      if (!c) return null;
      const B = c.k * c.kd * tM;
      if (!(B <= MAX_RETENTION) || !(m.slowK * m.slowKd * tM <= MAX_RETENTION)) return null;
      return { ...c, B };
    }
    const { k, kd } = constantsOfMoments(mean, width2, tM, this.pulse);
    const B = k * kd * tM;
    if (!(k > 0) || !(kd > 0) || !Number.isFinite(kd) || !(B <= MAX_RETENTION)) return null;
    return { k, kd, B };
  }

  /** Unit-area chromatogram of analyte i at times `times` into `out`; false outside the domain. */
  shape(th: Float64Array, i: number, tM: number, times: Float64Array, out: Float64Array): boolean {
    const kin = this.kinetics(th, i, tM);
    if (!kin) return false;
    out.fill(0);
    if (this.layout.loading[i] >= 0) {
      // κ = k_a c0/qMax = λ k_d, negative for the anti-Langmuir film (MODEL.md §13.2); scale 1/t1: unit area
      const kappa = (this.isotherms[i] === 'anti-langmuir' ? -1 : 1) * this.loadingOf(th, i) * kin.kd;
      this.densityEvaluations += this.thomas.thomasConcentration(times, tM, kin.B, kin.kd, kappa, this.pulse, 1 / this.pulse, out);
      this.evaluationsOf[i]++;
      this.work.kernelCalls++;
      return true;
    }
    if (this.mechanisms) {
      const e = mechanismShape(this.mechanisms.kernels, times, tM, kin.k, kin.kd, this.pulse, this.mechanismsOf(th, i), out);
      this.evaluationsOf[i]++;
      this.work.kernelCalls++;
      if (e < 0) return false;
      this.densityEvaluations += e;
      return true;
    }
    // scale 1/t1: the outlet peak then has unit area (MODEL.md §5, area = scale t1).
    this.densityEvaluations += this.engine.outletConcentration(times, tM, kin.B, kin.kd, this.pulse, 1 / this.pulse, out);
    this.evaluationsOf[i]++;
    this.work.kernelCalls++;
    return true;
  }

  /** Baseline at `times` (segment of each in `seg`; -1: outside every segment: the run-wide estimate). */
  private baselineAt(th: Float64Array, times: Float64Array, seg: Int32Array, out: Float64Array): void {
    const L = this.layout;
    const fitBaseline = this.fitted.baseline;
    for (let g = 0; g < this.segments.length && fitBaseline; g++) {
      this.segmentOffset[g] = th[L.offset[g]];
      this.segmentSlope[g] = L.slope[g] >= 0 ? th[L.slope[g]] : 0;
    }
    const [offset, slope] = this.line;
    baselineInto(times, seg, fitBaseline, this.segmentOffset, this.segmentSlope, this.segmentRef, offset, slope, this.tRef, out);
  }

  /** The model over all (cropped) times at θ: signal, baseline and each peak's unit shape. */
  curveAt(th: Float64Array): { signal: Float64Array; baseline: Float64Array; shapes: Float64Array[] } {
    const nData = this.t.length;
    const tM = this.holdupOf(th);
    const signal = new Float64Array(nData);
    const baseline = new Float64Array(nData);
    this.baselineAt(th, this.t, this.segmentOfData, baseline);
    signal.set(baseline);
    const shapes: Float64Array[] = [];
    for (let i = 0; i < this.peaks; i++) {
      const full = new Float64Array(nData);
      if (!this.shape(th, i, tM, this.t, full)) throw new Error('fit: solution outside the model domain');
      accumulate(signal, this.areaOf(th, i), full);
      shapes.push(full);
    }
    return { signal, baseline, shapes };
  }

  /** ½ Σ (w y − mean)² over the fitted points: the cost of the best constant for the weighted data. */
  dataSpread(): number {
    const { weight, Y, residuals: m } = this;
    let mean = 0, variance = 0;
    for (let k = 0; k < m; k++) mean += (weight[k] * Y[k]) / m;
    for (let k = 0; k < m; k++) variance += 0.5 * (weight[k] * Y[k] - mean) * (weight[k] * Y[k] - mean);
    return variance;
  }

  residual(th: Float64Array, out: Float64Array): boolean {
    const tM = this.holdupOf(th);
    const { weight, Y, residuals: m } = this;
    this.work.residuals++;
    // The same parameters as the last residual (the start, checked before the fit): shapes reused.
    if (!same(this.trialAt, th)) {
      this.trialAt = null;
      if (this.fitted.holdup && !(th[this.layout.holdup] >= this.lnHoldupFloor)) return false;
      for (let i = 0; i < this.peaks; i++) if (!this.shape(th, i, tM, this.T, this.trialShapes[i])) return false;
      this.trialAt = Float64Array.from(th);
    }
    this.baselineAt(th, this.T, this.segmentOf, out);
    for (let k = 0; k < m; k++) out[k] -= Y[k];
    for (let i = 0; i < this.peaks; i++) {
      const A = this.areaOf(th, i);
      const h = this.trialShapes[i];
      for (let k = 0; k < m; k++) out[k] += A * h[k];
    }
    for (let k = 0; k < m; k++) out[k] *= weight[k];
    return true;
  }

  /** Jacobian: forward differences of each peak alone (2 kernel calls per peak, 3 with tM). */
  jacobian(th: Float64Array, _r: Float64Array, jac: Float64Array, held: Uint8Array): void {
    const tM = this.holdupOf(th);
    this.work.jacobians++;
    const frozenBefore = this.holdupFrozen;
    this.holdupFrozen = this.fitted.holdup && held[this.layout.holdup] === 1;
    const heldBefore = this.heldKey;
    this.heldKey = this.mechanismScales.map(([j]) => held[j]).join('');
    this.shapesTo(th, tM);
    const perturbed = Float64Array.from(th);
    // Peaks whose derivatives are recomputed (all when tM or a mechanism has just been held: its column changes).
    const fresh = Array.from({ length: this.peaks },
      (_, i) => frozenBefore !== this.holdupFrozen || heldBefore !== this.heldKey || !this.reusable(th, i));
    for (let i = 0; i < this.peaks; i++) if (fresh[i]) this.peakDerivatives(th, i, tM, perturbed, held);
    if (this.fitted.holdup && !this.holdupFrozen) {
      for (let i = 0; i < this.peaks; i++) if (fresh[i]) this.holdupDerivatives(th, i);
    }
    for (let i = 0; i < this.peaks; i++) if (fresh[i]) this.sharedDerivatives(th, i, tM, perturbed, held);
    this.assemble(th, jac);
  }

  /** Takes the shapes at th (usually those of the last residual evaluation, the accepted step). */
  private shapesTo(th: Float64Array, tM: number): void {
    if (same(this.trialAt, th)) {
      [this.shapes, this.trialShapes] = [this.trialShapes, this.shapes];
      [this.shapesAt, this.trialAt] = [this.trialAt, null];
    } else if (!same(this.shapesAt, th)) {
      for (let i = 0; i < this.peaks; i++) {
        if (!this.shape(th, i, tM, this.T, this.shapes[i])) throw new Error('fit: Jacobian requested outside the model domain');
      }
      this.shapesAt = Float64Array.from(th);
    }
  }

  /**
   * Whether peak i's derivatives from the last Jacobian still serve at th: its mean moved by less
   * than COLUMN_REUSE of its kinetic width, and its ln width and ln tM by less than COLUMN_REUSE.
   * The columns then differ from the new ones by O(COLUMN_REUSE) relative, which changes the
   * steps by as little (Gauss–Newton on noisy data converges linearly anyway) and the standard
   * errors by as little; it saves the 2 (3) kernel calls of that peak. Late iterations, whose
   * steps are tiny, then cost one evaluation of the model each.
   */
  private reusable(th: Float64Array, i: number): boolean {
    const L = this.layout;
    const at = this.derivativesAt[i];
    const lnTM = this.fitted.holdup ? th[L.holdup] : 0;
    const mechanisms = [...L.peakMechanisms(i), ...L.sharedMechanisms()];
    return Math.abs(th[L.mean[i]] - at[0]) < COLUMN_REUSE * exp(th[L.width[i]])
      && Math.abs(th[L.width[i]] - at[1]) < COLUMN_REUSE && Math.abs(lnTM - at[2]) < COLUMN_REUSE
      && mechanisms.every((j, n) => Math.abs(th[j] - at[3 + n]) < COLUMN_REUSE);
  }

  /**
   * A forward difference of peak i's unit shape in parameter j (step h, the other side where the
   * first is outside the domain) into d; zero when neither side is feasible. `perturbed` holds th
   * and is restored.
   */
  private difference(th: Float64Array, i: number, tM: number, perturbed: Float64Array, j: number, h: number, d: Float64Array): void {
    const { scratch, residuals: m } = this;
    perturbed[j] = th[j] + h;
    const ok = this.shape(perturbed, i, tM, this.T, scratch);
    const hh = ok ? h : -h;
    let feasible = true;
    if (!ok) {
      perturbed[j] = th[j] - h;
      feasible = this.shape(perturbed, i, tM, this.T, scratch);
    }
    perturbed[j] = th[j];
    const hi = this.shapes[i];
    for (let k = 0; k < m; k++) d[k] = feasible ? (scratch[k] - hi[k]) / hh : 0;
  }

  /** Difference step of mechanism parameter j: MECHANISM_STEP of its start's magnitude. */
  private mechanismStep(j: number): number {
    const f = this.mechanismScales.find(([k]) => k === j);
    if (this.layout.slowK.includes(j)) return MECHANISM_STEP;
    return MECHANISM_STEP * (f && f[1] > 0 ? f[1] : 1);
  }

  /** Derivatives of peak i's shape by the shared mechanisms (zero where held at a floor). */
  private sharedDerivatives(th: Float64Array, i: number, tM: number, perturbed: Float64Array, held: Uint8Array): void {
    this.layout.sharedMechanisms().forEach((j, n) => {
      if (held[j]) this.dShared[n][i].fill(0);
      else this.difference(th, i, tM, perturbed, j, this.mechanismStep(j), this.dShared[n][i]);
    });
  }

  /** Derivatives of peak i's unit shape by its mean and ln width; `perturbed` holds th and is restored. */
  private peakDerivatives(th: Float64Array, i: number, tM: number, perturbed: Float64Array, held: Uint8Array): void {
    const L = this.layout;
    const { scratch, residuals: m } = this;
    const mechanisms = [...L.peakMechanisms(i), ...L.sharedMechanisms()];
    this.derivativesAt[i].set([th[L.mean[i]], th[L.width[i]], this.fitted.holdup ? th[L.holdup] : 0, ...mechanisms.map((j) => th[j])]);
    L.peakMechanisms(i).forEach((j, n) => {
      if (held[j]) this.dMechanism[i][n].fill(0);
      else this.difference(th, i, tM, perturbed, j, this.mechanismStep(j), this.dMechanism[i][n]);
    });
    for (const j of [L.mean[i], L.width[i]]) {
      const d = j === L.mean[i] ? this.dMean[i] : this.dWidth[i];
      // Forward difference of this peak alone; the step is ~1e-7 of the peak's width. An
      // infeasible side is found before any kernel call (kinetics() is null there).
      const h = j === L.mean[i] ? 1e-7 * exp(th[L.width[i]]) : 1e-7;
      perturbed[j] = th[j] + h;
      const ok = this.shape(perturbed, i, tM, this.T, scratch);
      const hh = ok ? h : -h;
      let feasible = true;
      if (!ok) {
        perturbed[j] = th[j] - h;
        feasible = this.shape(perturbed, i, tM, this.T, scratch);
      }
      perturbed[j] = th[j];
      // No feasible side (θ on the edge of the domain both ways): a zero column freezes θ_j.
      const hi = this.shapes[i];
      for (let k = 0; k < m; k++) d[k] = feasible ? (scratch[k] - hi[k]) / hh : 0;
    }
  }

  /** Derivative of peak i's unit shape by ln tM. */
  private holdupDerivatives(th: Float64Array, i: number): void {
    const h = 1e-7;
    const lnTM = th[this.layout.holdup];
    const { scratch, residuals: m } = this;
    const d = this.dHoldup[i], hi = this.shapes[i];
    // Raising tM can leave the domain (αK <= 0); lowering it is always feasible.
    let sign = 1;
    if (!this.shape(th, i, exp(lnTM + h), this.T, scratch)) {
      sign = -1;
      if (!this.shape(th, i, exp(lnTM - h), this.T, scratch)) { d.fill(0); return; }
    }
    for (let k = 0; k < m; k++) d[k] = (scratch[k] - hi[k]) / (sign * h);
  }

  /** The Jacobian at th from the derivatives, the areas and the baseline layout. */
  private assemble(th: Float64Array, jac: Float64Array): void {
    const L = this.layout;
    const { weight, segmentOf, segmentRef, T, residuals: m } = this;
    const column = (j: number, fill: (k: number) => number) => {
      const o = j * m;
      for (let k = 0; k < m; k++) jac[o + k] = fill(k);
    };
    for (let i = 0; i < this.peaks; i++) {
      const A = this.areaOf(th, i);
      const dm = this.dMean[i], dw = this.dWidth[i], h = this.shapes[i];
      column(L.mean[i], (k) => weight[k] * A * dm[k]);
      column(L.width[i], (k) => weight[k] * A * dw[k]);
      if (L.area[i] >= 0) column(L.area[i], (k) => weight[k] * A * h[k]);
      L.peakMechanisms(i).forEach((j, n) => {
        const d = this.dMechanism[i][n];
        column(j, (k) => weight[k] * A * d[k]);
      });
    }
    L.sharedMechanisms().forEach((j, n) => {
      const o = j * m;
      jac.fill(0, o, o + m);
      for (let i = 0; i < this.peaks; i++) {
        const A = this.areaOf(th, i);
        const d = this.dShared[n][i];
        for (let k = 0; k < m; k++) jac[o + k] += weight[k] * A * d[k];
      }
    });
    if (this.fitted.holdup) {
      const o = L.holdup * m;
      jac.fill(0, o, o + m);
      for (let i = 0; i < this.peaks && !this.holdupFrozen; i++) {
        const A = this.areaOf(th, i);
        const d = this.dHoldup[i];
        for (let k = 0; k < m; k++) jac[o + k] += weight[k] * A * d[k];
      }
    }
    for (let g = 0; g < this.segments.length && this.fitted.baseline; g++) {
      column(L.offset[g], (k) => (segmentOf[k] === g ? weight[k] : 0));
      if (L.slope[g] >= 0) column(L.slope[g], (k) => (segmentOf[k] === g ? weight[k] * (T[k] - segmentRef[g]) : 0));
    }
  }
}
