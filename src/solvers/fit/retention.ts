/**
 * Retention thermodynamics from measured retention times (MODEL.md §11): the K-centric
 * parameters T_char, θ_char, ΔC_p of each analyte (Blumberg) estimated by weighted least squares
 * from the retention times of one or more runs (temperature programmes), with standard errors,
 * and retention times of another run predicted from them with propagated standard errors.
 *
 * The model of run j is the migration equation (src/solvers/migration.ts) under its conditions,
 * plus optionally two corrections shared by every run:
 *   t_model = t_R(conditions with the analyte's parameters, viscosity × holdupScale) + timeOffset.
 * `timeOffset` is a constant added to every retention time (a delay between the start of the
 * programme and the detector's time origin, or the injector's transfer); `holdupScale` multiplies
 * the carrier viscosity, so under pressure control the hold-up time and every residence time in the
 * mobile phase scale by it (an error of the column's inner diameter or length shows so).
 *
 * Residuals are whitened: (t_model − t_measured)/σ_t for every measured time (σ_t =
 * `timeUncertainty`, the standard uncertainty of one measured time), and (p − p_start)/σ_p for a
 * parameter with a Gaussian prior of standard deviation σ_p around its start value. So the
 * covariance of the estimates is (JᵀJ)⁻¹ of the whitened Jacobian: the standard errors hold if σ_t
 * is the real measurement uncertainty; `rms` and `chiSquare` say whether the residuals agree.
 *
 * Two programmes give two times per analyte: T_char and θ_char are determined by them, ΔC_p is
 * not (its effect is nearly a combination of the other two); hence the defaults: ΔC_p fixed at
 * its start value, θ_char with a prior. Every choice is an option, so their effect can be shown.
 */
import type { RunConditions } from '../../model/conditions.js';
import { dimensionlessFilmThickness, kCentricRetention, type KCentric } from '../../model/retention.js';
import { migrate } from '../migration.js';
import { inverseNormalMatrix, levenbergMarquardt, type LeastSquaresStop } from '../leastsquares.js';

/** One measured run: its conditions and the measured retention times (s) by analyte name. */
export interface RetentionRun {
  /** A label for messages and results, e.g. "A". */
  name: string;
  /** The run's conditions; the analytes' retention is replaced by the parameters being estimated. */
  conditions: RunConditions;
  /** Measured retention times (s from injection) by analyte name; analytes without one are not fitted from this run. */
  measured: Readonly<Record<string, number>>;
}

/** How a parameter kind is treated: estimated freely, held at its start, or estimated with a Gaussian prior of this σ around the start. */
export type ParameterRule = 'free' | 'fixed' | { prior: number };

/** The K-centric start values of one analyte (T_char, θ_char in K; ΔC_p in J/(mol K)). */
export interface RetentionStart extends KCentric {
  name: string;
}

export interface RetentionFitOptions {
  /** θ_char: default { prior: 1 } (K). */
  thetaChar?: ParameterRule;
  /** ΔC_p: default 'fixed'. */
  dCp?: ParameterRule;
  /** Estimate a time offset added to every retention time (s); default true. */
  timeOffset?: boolean;
  /** Estimate a factor on the hold-up time (pressure control only); default false. */
  holdupScale?: boolean;
  /** Standard uncertainty of one measured retention time σ_t (s); default 0.06 (0.001 min, the last digit of the Leppert files). */
  timeUncertainty?: number;
  /** Largest number of Levenberg–Marquardt iterations; default 50. */
  maxIterations?: number;
  /**
   * Retention times (s) of every analyte of the conditions; default: the migration equation at
   * rtol 1e-10 (finite-difference derivatives need the smooth, tight solution).
   */
  retentionTimes?: (c: RunConditions) => Float64Array;
}

/** An estimate and its standard error (NaN for a parameter held fixed). */
export interface Estimate {
  value: number;
  se: number;
}

export interface FittedRetention {
  name: string;
  Tchar: Estimate;
  thetaChar: Estimate;
  dCp: Estimate;
  phi0: number;
}

export interface RetentionFitResult {
  analytes: FittedRetention[];
  /** The time offset (s), null when not estimated. */
  timeOffset: Estimate | null;
  /** The hold-up-time factor, null when not estimated. */
  holdupScale: Estimate | null;
  /** Per run: model − measured retention time (s) of each analyte (NaN where not measured). */
  residuals: { run: string; names: string[]; residual: Float64Array }[];
  /** Root mean square of the time residuals (s). */
  rms: number;
  /** Sum of squared whitened residuals, priors included. */
  chiSquare: number;
  /** Number of measured times used. */
  measurements: number;
  /** Number of estimated parameters. */
  parameters: number;
  /** Covariance of the estimated parameters, row-major, in the order of `parameterNames`. */
  covariance: Float64Array;
  parameterNames: string[];
  stop: LeastSquaresStop;
  converged: boolean;
  iterations: number;
  /** Evaluations of the retention model (one evaluation: all analytes of one run). */
  evaluations: number;
  wallTimeMs: number;
  /** Retention times (s) of `conditions`' analytes predicted with the estimates, and their standard errors. */
  predict(conditions: RunConditions): { name: string; retentionTime: number; se: number }[];
}

const DEFAULT_RETENTION_TIMES = (c: RunConditions): Float64Array => {
  const r = migrate(c, { rtol: 1e-10 });
  return Float64Array.from(r.analytes, (a) => a.retentionTime);
};

type Kind = 'Tchar' | 'thetaChar' | 'dCp';
const KINDS: Kind[] = ['Tchar', 'thetaChar', 'dCp'];

function checkRule(rule: unknown, key: string, fallback: ParameterRule): ParameterRule {
  if (rule === undefined) return fallback;
  if (rule === 'free' || rule === 'fixed') return rule;
  if (typeof rule === 'object' && rule !== null && Object.hasOwn(rule, 'prior')) {
    const s = (rule as { prior: unknown }).prior;
    if (typeof s === 'number' && Number.isFinite(s) && s > 0) return { prior: s };
  }
  throw new RangeError(`options.${key} must be "free", "fixed" or { prior: σ > 0 }, got ${JSON.stringify(rule)}`);
}

/** The conditions of `c` with the analytes' retention from K-centric parameters and the viscosity scaled. */
export function withRetention(c: RunConditions, params: readonly KCentric[], holdupScale = 1): RunConditions {
  const phi = dimensionlessFilmThickness(c.radius, c.filmThickness);
  const v = c.gas.viscosity;
  return {
    ...c,
    gas: holdupScale === 1 ? c.gas : { ...c.gas, viscosity: { ...v, eta0: v.eta0 * holdupScale } },
    analytes: c.analytes.map((a, i) => ({ ...a, retention: kCentricRetention(params[i], phi) })),
  };
}

/**
 * Estimates T_char (and θ_char, ΔC_p, the corrections, as the options say) of the analytes of
 * `start` from the measured retention times of `runs`. Every run's conditions must hold every
 * analyte of `start` (by name).
 */
export function fitRetention(runs: readonly RetentionRun[], start: readonly RetentionStart[], options: RetentionFitOptions = {}): RetentionFitResult {
  const started = performance.now();
  const rules: Record<Kind, ParameterRule> = {
    Tchar: 'free',
    thetaChar: checkRule(options.thetaChar, 'thetaChar', { prior: 1 }),
    dCp: checkRule(options.dCp, 'dCp', 'fixed'),
  };
  const sigmaT = options.timeUncertainty ?? 0.06;
  if (!(Number.isFinite(sigmaT) && sigmaT > 0)) throw new RangeError(`options.timeUncertainty must be a time > 0 (s), got ${sigmaT}`);
  const useOffset = options.timeOffset ?? true;
  const useScale = options.holdupScale ?? false;
  const retentionTimes = options.retentionTimes ?? DEFAULT_RETENTION_TIMES;
  if (runs.length === 0) throw new RangeError('runs must hold at least one measured run');
  if (start.length === 0) throw new RangeError('start must hold at least one analyte');
  if (useScale) {
    runs.forEach((r) => {
      if (r.conditions.control.kind !== 'pressure') {
        throw new RangeError(`options.holdupScale needs pressure control; run ${r.name} has ${r.conditions.control.kind} control`);
      }
    });
  }
  const n = start.length;
  // Each run's conditions reduced to the analytes of `start`, in its order.
  const bases = runs.map((run) => {
    const byName = new Map(run.conditions.analytes.map((a) => [a.name, a]));
    const analytes = start.map((s) => {
      const a = byName.get(s.name);
      if (!a) throw new RangeError(`run ${run.name}: the conditions have no analyte ${JSON.stringify(s.name)}`);
      return a;
    });
    const measured = Float64Array.from(start, (s) => {
      const t = Object.hasOwn(run.measured, s.name) ? run.measured[s.name] : NaN;
      if (!Number.isNaN(t) && !(Number.isFinite(t) && t > 0)) {
        throw new RangeError(`run ${run.name}: measured retention time of ${s.name} must be a time > 0 (s), got ${t}`);
      }
      return t;
    });
    return { conditions: { ...run.conditions, analytes }, measured };
  });
  const rows = bases.map((b) => Array.from(b.measured.keys()).filter((i) => !Number.isNaN(b.measured[i])));
  const measurements = rows.reduce((s, r) => s + r.length, 0);

  // Parameter layout: per kind estimated, n values; then the offset, then the scale.
  const estimated = KINDS.filter((k) => rules[k] !== 'fixed');
  const offsetIndex = estimated.length * n;
  const scaleIndex = offsetIndex + (useOffset ? 1 : 0);
  const p = scaleIndex + (useScale ? 1 : 0);
  const priors = estimated.filter((k) => typeof rules[k] === 'object');
  const m = measurements + priors.length * n;

  const theta0 = new Float64Array(p);
  estimated.forEach((k, b) => start.forEach((s, i) => { theta0[b * n + i] = s[k]; }));
  if (useScale) theta0[scaleIndex] = 1;

  const paramsOf = (theta: Float64Array): KCentric[] => start.map((s, i) => {
    const get = (k: Kind) => (rules[k] === 'fixed' ? s[k] : theta[estimated.indexOf(k) * n + i]);
    return { Tchar: get('Tchar'), thetaChar: get('thetaChar'), dCp: get('dCp'), phi0: s.phi0 };
  });
  const offsetOf = (theta: Float64Array) => (useOffset ? theta[offsetIndex] : 0);
  const scaleOf = (theta: Float64Array) => (useScale ? theta[scaleIndex] : 1);

  let evaluations = 0;
  const model = (theta: Float64Array, j: number): Float64Array | null => {
    const params = paramsOf(theta);
    if (params.some((q) => !(q.Tchar > 0 && q.thetaChar > 0 && Number.isFinite(q.dCp))) || !(scaleOf(theta) > 0)) return null;
    evaluations++;
    const t = retentionTimes(withRetention(bases[j].conditions, params, scaleOf(theta)));
    const offset = offsetOf(theta);
    for (let i = 0; i < t.length; i++) t[i] += offset;
    return t.every(Number.isFinite) ? t : null;
  };
  const fill = (theta: Float64Array, models: Float64Array[], out: Float64Array) => {
    let k = 0;
    bases.forEach((b, j) => rows[j].forEach((i) => { out[k++] = (models[j][i] - b.measured[i]) / sigmaT; }));
    for (const kind of priors) {
      const s = (rules[kind] as { prior: number }).prior;
      const b = estimated.indexOf(kind);
      start.forEach((st, i) => { out[k++] = (theta[b * n + i] - st[kind]) / s; });
    }
  };
  const residual = (theta: Float64Array, out: Float64Array): boolean => {
    const models: Float64Array[] = [];
    for (let j = 0; j < bases.length; j++) {
      const t = model(theta, j);
      if (!t) return false;
      models.push(t);
    }
    fill(theta, models, out);
    return true;
  };
  // Forward differences. A per-analyte parameter moves only its analyte's times, so one model
  // evaluation per run perturbs that parameter kind for every analyte at once.
  const jacobian = (theta: Float64Array, r: Float64Array, jac: Float64Array): void => {
    jac.fill(0);
    const base = bases.map((_, j) => model(theta, j)!);
    const rowOf = (j: number, i: number) => rows.slice(0, j).reduce((s, x) => s + x.length, 0) + rows[j].indexOf(i);
    estimated.forEach((kind, b) => {
      const step = new Float64Array(n);
      const trial = Float64Array.from(theta);
      for (let i = 0; i < n; i++) {
        step[i] = 1e-6 * Math.max(Math.abs(theta[b * n + i]), 1);
        trial[b * n + i] += step[i];
      }
      bases.forEach((_, j) => {
        const t = model(trial, j)!;
        rows[j].forEach((i) => { jac[(b * n + i) * m + rowOf(j, i)] = (t[i] - base[j][i]) / step[i] / sigmaT; });
      });
      const pb = priors.indexOf(kind);
      if (pb >= 0) {
        const s = (rules[kind] as { prior: number }).prior;
        for (let i = 0; i < n; i++) jac[(b * n + i) * m + measurements + pb * n + i] = 1 / s;
      }
    });
    if (useOffset) {
      let k = 0;
      bases.forEach((_, j) => rows[j].forEach(() => { jac[offsetIndex * m + k++] = 1 / sigmaT; }));
    }
    if (useScale) {
      const h = 1e-6;
      const trial = Float64Array.from(theta);
      trial[scaleIndex] += h;
      let k = 0;
      bases.forEach((_, j) => {
        const t = model(trial, j)!;
        rows[j].forEach((i) => { jac[scaleIndex * m + k++] = (t[i] - base[j][i]) / h / sigmaT; });
      });
    }
    void r;
  };

  const lm = levenbergMarquardt({ parameters: p, residuals: m, residual, jacobian }, theta0, {
    maxIterations: options.maxIterations ?? 50,
  });
  const cov = inverseNormalMatrix(lm.jacobian, m, p) ?? new Float64Array(p * p).fill(NaN);
  const se = (j: number) => Math.sqrt(cov[j * p + j]);
  const params = paramsOf(lm.theta);
  const analytes = start.map((s, i): FittedRetention => {
    const est = (k: Kind): Estimate => {
      const b = estimated.indexOf(k);
      return b < 0 ? { value: s[k], se: NaN } : { value: params[i][k], se: se(b * n + i) };
    };
    return { name: s.name, Tchar: est('Tchar'), thetaChar: est('thetaChar'), dCp: est('dCp'), phi0: s.phi0 };
  });
  const finalModels = bases.map((_, j) => model(lm.theta, j)!);
  const residuals = bases.map((b, j) => ({
    run: runs[j].name,
    names: start.map((s) => s.name),
    residual: Float64Array.from(finalModels[j], (t, i) => t - b.measured[i]),
  }));
  let ss = 0;
  residuals.forEach((r) => r.residual.forEach((x) => { if (!Number.isNaN(x)) ss += x * x; }));
  const parameterNames = [
    ...estimated.flatMap((k) => start.map((s) => `${s.name}.${k}`)),
    ...(useOffset ? ['timeOffset'] : []),
    ...(useScale ? ['holdupScale'] : []),
  ];
  const theta = Float64Array.from(lm.theta);

  const predict = (conditions: RunConditions) => {
    const byName = new Map(conditions.analytes.map((a) => [a.name, a]));
    const analytesC = start.map((s) => {
      const a = byName.get(s.name);
      if (!a) throw new RangeError(`predict: the conditions have no analyte ${JSON.stringify(s.name)}`);
      return a;
    });
    const base = { ...conditions, analytes: analytesC };
    const at = (th: Float64Array) => {
      const t = retentionTimes(withRetention(base, paramsOf(th), scaleOf(th)));
      for (let i = 0; i < n; i++) t[i] += offsetOf(th);
      return t;
    };
    const t0 = at(theta);
    // Gradient of each prediction: per-analyte kinds at once (as in the Jacobian), then the globals.
    const grad = Array.from({ length: n }, () => new Float64Array(p));
    estimated.forEach((_, b) => {
      const trial = Float64Array.from(theta);
      const step = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        step[i] = 1e-6 * Math.max(Math.abs(theta[b * n + i]), 1);
        trial[b * n + i] += step[i];
      }
      const t = at(trial);
      for (let i = 0; i < n; i++) grad[i][b * n + i] = (t[i] - t0[i]) / step[i];
    });
    if (useOffset) for (let i = 0; i < n; i++) grad[i][offsetIndex] = 1;
    if (useScale) {
      const trial = Float64Array.from(theta);
      trial[scaleIndex] += 1e-6;
      const t = at(trial);
      for (let i = 0; i < n; i++) grad[i][scaleIndex] = (t[i] - t0[i]) / 1e-6;
    }
    return start.map((s, i) => {
      let v = 0;
      for (let a = 0; a < p; a++) {
        if (grad[i][a] === 0) continue;
        for (let b = 0; b < p; b++) v += grad[i][a] * cov[a * p + b] * grad[i][b];
      }
      return { name: s.name, retentionTime: t0[i], se: Math.sqrt(v) };
    });
  };

  return {
    analytes,
    timeOffset: useOffset ? { value: theta[offsetIndex], se: se(offsetIndex) } : null,
    holdupScale: useScale ? { value: theta[scaleIndex], se: se(scaleIndex) } : null,
    residuals,
    rms: Math.sqrt(ss / measurements),
    chiSquare: 2 * lm.cost,
    measurements,
    parameters: p,
    covariance: cov,
    parameterNames,
    stop: lm.stop,
    converged: lm.converged,
    iterations: lm.iterations,
    evaluations,
    wallTimeMs: performance.now() - started,
    predict,
  };
}
