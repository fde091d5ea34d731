/**
 * The overload series of one saturating analyte (MODEL.md §13): its outlet peak at several
 * dimensionless loadings λ = K c0/qMax, by the Thomas solution, each divided by its c0 so that all
 * share the area t1 (the injection's duration). At fixed qMax the loading is the injected amount in
 * the film's own unit: the classic figure of peak shape against the amount injected.
 */
import { isOverloaded, parseSolverProblem, ProblemError, show, type Analyte, type Problem } from '../model/problem.js';
import type { PeakMoments } from '../model/moments.js';
import { chromatogram, type LaplaceOptions } from './laplace.js';
import { status, type SolveCost, type Status } from './status.js';

/** Smallest loading taken: below it the peak is the linear one to far better than 1e-12 of its height. */
export const MIN_LOADING = 1e-12;
/** Largest Langmuir loading taken: the front then runs at t_M (1 + k0/101), an unretained spike. */
export const MAX_LANGMUIR_LOADING = 100;
/**
 * Largest relative miss of a curve's area over the output times against t1 for status success:
 * beyond it the grid does not resolve the peak (a front sharper than the spacing) or cuts it off,
 * and the curve's status is off-grid.
 */
export const OVERLOAD_AREA_TOLERANCE = 1e-6;
/** Most curves in one series. */
export const MAX_LOADINGS = 12;

export interface OverloadOptions extends LaplaceOptions {
  /**
   * Dimensionless loadings λ = K c0/qMax, K = ka/kd (MODEL.md §13.6), each in [1e-12, 100]
   * (Langmuir) or [1e-12, 1) (anti-Langmuir: its isotherm diverges at λ = 1); at most 12.
   * Default: overloadLoadings of the analyte's own loading.
   */
  loadings?: readonly number[];
  /** Output times (s), ascending; default: the problem's `output` grid. */
  times?: ArrayLike<number>;
  /** Whether a diffusivity is refused (default) or neglected (false), as for chromatogram. */
  diffusion?: boolean;
}

export interface OverloadCurve {
  /** λ = K c0/qMax. */
  loading: number;
  /** Inlet concentration of this curve (mol/m3): λ qMax/K at the analyte's qMax. */
  c0: number;
  /** Outlet concentration divided by c0 at each output time (dimensionless). */
  concentration: Float64Array;
  /** Trapezoid-rule area of concentration over the output times (s); t1 when the peak is on the grid. */
  area: number;
  /** Largest sample of c/c0: its time (s) and height. */
  peak: { time: number; height: number };
  /** Moments of the sampled peak (MODEL.md §13: the closed forms of §5 do not hold for a saturating film). */
  moments: PeakMoments;
  /**
   * The solver's status of this curve: off-grid when the peak leaves the output times or its area
   * misses t1 by more than OVERLOAD_AREA_TOLERANCE (a front sharper than the spacing).
   */
  status: Status;
  warnings: string[];
}

export interface OverloadSeries {
  /** The analyte's name and index in the problem. */
  analyte: string;
  index: number;
  isotherm: 'langmuir' | 'anti-langmuir';
  /** K = ka/kd (dimensionless) and the analyte's qMax (mol/m3 of film). */
  K: number;
  qMax: number;
  /** The analyte's own loading K c0/qMax in the problem. */
  ownLoading: number;
  /** Injection duration t1 (s): every curve's area. */
  pulse: number;
  times: Float64Array;
  curves: OverloadCurve[];
  /** success when every curve is; otherwise the first other status, naming its loading. */
  status: Status;
  warnings: string[];
  cost: SolveCost;
}

/** Three significant digits, for loadings in legends and defaults. */
function round3(x: number): number {
  return Number(x.toPrecision(3));
}

/**
 * The default loadings around an analyte's own λ: λ/10, λ/3, λ and 3λ (Langmuir, at most 100) or
 * (1 + λ)/2 (anti-Langmuir, which stays below 1), rounded to three significant digits.
 */
export function overloadLoadings(isotherm: 'langmuir' | 'anti-langmuir', own: number): number[] {
  const top = isotherm === 'langmuir' ? 3 * own : (1 + own) / 2;
  const out: number[] = [];
  for (const l of [own / 10, own / 3, own, top]) {
    const r = l === own ? l : round3(l);
    // an anti-Langmuir loading stays below 1 (own < 1, so l < 1 even where rounding reaches 1)
    const x = isotherm === 'langmuir' ? Math.min(Math.max(r, MIN_LOADING), MAX_LANGMUIR_LOADING) : Math.max(r < 1 ? r : l, MIN_LOADING);
    if (!out.includes(x)) out.push(x);
  }
  return out;
}

/** Finds the analyte by name and checks that its film saturates. */
function saturatingAnalyte(problem: Problem, name: unknown): { a: Analyte; i: number } {
  if (typeof name !== 'string') throw new ProblemError('options.analyte', `must be an analyte's name (a string), got ${show(name)}`);
  const i = problem.analytes.findIndex((a) => a.name === name);
  if (i < 0) {
    throw new ProblemError('options.analyte', `names no analyte of the problem: got ${show(name)}; the analytes are ` +
      problem.analytes.map((a) => show(a.name)).join(', '));
  }
  const a = problem.analytes[i];
  if (!isOverloaded(a)) {
    throw new ProblemError(`analytes[${i}].isotherm`, `is "linear" for ${show(a.name)}, whose peak does not change shape ` +
      `with the amount injected; for its overload series set analytes[${i}].isotherm to "langmuir" or "anti-langmuir" ` +
      `and analytes[${i}].qMax (saturation capacity, mol/m3 of film)`);
  }
  return { a, i };
}

/** Checks the loadings: finite numbers in the isotherm's range, at most MAX_LOADINGS. */
function checkLoadings(loadings: unknown, isotherm: 'langmuir' | 'anti-langmuir'): number[] {
  if (!Array.isArray(loadings) && !ArrayBuffer.isView(loadings)) {
    throw new ProblemError('options.loadings', `must be an array of loadings K c0/qMax, got ${show(loadings)}`);
  }
  const list = Array.from(loadings as ArrayLike<unknown>);
  if (list.length < 1 || list.length > MAX_LOADINGS) {
    throw new ProblemError('options.loadings', `must hold 1 to ${MAX_LOADINGS} loadings, got ${list.length}`);
  }
  const range = isotherm === 'langmuir'
    ? `[${MIN_LOADING}, ${MAX_LANGMUIR_LOADING}] for a Langmuir film`
    : `[${MIN_LOADING}, 1) for an anti-Langmuir film (its isotherm q = K c/(1 - K c/qMax) diverges at K c0/qMax = 1)`;
  list.forEach((l, k) => {
    const ok = typeof l === 'number' && l >= MIN_LOADING &&
      (isotherm === 'langmuir' ? l <= MAX_LANGMUIR_LOADING : l < 1);
    if (!ok) throw new ProblemError(`options.loadings[${k}]`, `the loading K c0/qMax must be in ${range}, got ${show(l)}`);
  });
  return list as number[];
}

/**
 * The overload series of the analyte named `analyte` of a problem whose analyte has a Langmuir
 * or anti-Langmuir film: one outlet peak c/c0 per loading λ, with c0 = λ qMax/K at the analyte's
 * own qMax and the rest of the problem unchanged (the other analytes are not solved). Each peak
 * is the exact Thomas solution (MODEL.md §13), so the problem must be one it takes (constant
 * velocity, no diffusion or `diffusion: false`, no slow sites or lags); its errors name the
 * problem's keys.
 */
export function overloadSeries(input: Problem | unknown, analyte: string, options: OverloadOptions = {}): OverloadSeries {
  const started = performance.now();
  const problem = parseSolverProblem(input, options.velocity);
  const { a, i } = saturatingAnalyte(problem, analyte);
  const isotherm = a.isotherm as 'langmuir' | 'anti-langmuir';
  const K = a.ka / a.kd;
  const qMax = a.qMax as number;
  const ownLoading = K * a.c0 / qMax;
  const loadings = checkLoadings(options.loadings ?? overloadLoadings(isotherm, ownLoading), isotherm);
  const curves: OverloadCurve[] = [];
  let engine = '';
  let evaluations = 0;
  let times: Float64Array | null = null;
  for (const loading of loadings) {
    const c0 = loading * qMax / K;
    const one: Problem = { ...problem, analytes: [{ ...a, c0 }] };
    let r;
    try {
      r = chromatogram(one, { engine: options.engine, diffusion: options.diffusion, times: times ?? options.times });
    } catch (err) {
      // the one-analyte problem's keys are the analyte's own in the problem
      if (err instanceof ProblemError) {
        const own = (text: string) => text.replaceAll('analytes[0]', `analytes[${i}]`);
        throw new ProblemError(own(err.path), `${own(err.message.slice(err.path.length + 2))} (overload series at K c0/qMax = ${loading})`);
      }
      throw err;
    }
    times = r.times;
    engine = r.cost.engine;
    evaluations += r.cost.evaluations;
    const peak = r.analytes[0];
    const concentration = peak.concentration.map((c) => c / c0);
    const area = peak.area / c0;
    const miss = Math.abs(area / problem.injection.duration - 1);
    let curveStatus = r.status;
    const warnings = (r.warnings ?? []).map((w) => `K c0/qMax = ${loading}: ${w}`);
    if (curveStatus.code === 'success' && !(miss <= OVERLOAD_AREA_TOLERANCE)) {
      const detail = `the area of c/c0 over the output times is ${area.toPrecision(8)} s against t1 = ` +
        `${problem.injection.duration} s (relative miss ${miss.toExponential(2)}): the output times cut the peak off or ` +
        'do not resolve its sharpened edge; widen or refine output';
      curveStatus = status('off-grid', detail);
      warnings.push(`K c0/qMax = ${loading}: ${detail}`);
    }
    curves.push({
      loading,
      c0,
      concentration,
      area,
      peak: { time: peak.peak.time, height: peak.peak.height / c0 },
      moments: peak.moments,
      status: curveStatus,
      warnings,
    });
  }
  const bad = curves.find((c) => c.status.code !== 'success');
  return {
    analyte: a.name,
    index: i,
    isotherm,
    K,
    qMax,
    ownLoading,
    pulse: problem.injection.duration,
    times: times as Float64Array,
    curves,
    status: bad ? { code: bad.status.code, message: `${bad.status.message} (at K c0/qMax = ${bad.loading})` } : status('success'),
    warnings: curves.flatMap((c) => c.warnings),
    cost: { engine, evaluations, wallTimeMs: performance.now() - started },
  };
}
