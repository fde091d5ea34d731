/**
 * Fitting with axial diffusion and the linear mechanisms of an instrument (MODEL.md §12.7): the
 * inverse Peclet number 1/Pe = D/(u L) of a peak, a second, slow kind of site (α k_a2, k_d2), the
 * exponential tail of the inlet pulse τ_i and the detector's lag τ_d, each fixed (from the
 * problem) or fitted (the `fit` keys `diffusion`, `slowSites`, `injectionTime`, `detectorTime`).
 * With any of them the unit peak shapes come from the exact inversion of MODEL.md §12 (the
 * dispersion kernel, constant velocity, L/u = tM) instead of §2's Bessel solution.
 *
 * The fitted mechanism parameters are appended to θ after the baseline: √(1/Pe), ln αK2 and
 * ln k_d2 per peak, √τ_i and √τ_d once per run. A peak keeps its mean t_R and kinetic width s
 * (σ² − t1²/12) as parameters; the fast site's αK and k_d are what the moments leave to it
 * (constantsWithMechanisms), so a mechanism changes a peak's shape at fixed moments and the
 * problem stays well scaled. The square roots keep 1/Pe and τ ≥ 0 without a bound: a mechanism
 * that the data do not ask for goes smoothly to 0 (a log parameter would run off to −∞, and a
 * bound held by the optimiser would end the mechanism at the first long step onto it); a slow
 * site's αK2 is a logarithm (its scale spans decades between runs). One that ends below
 * NEGLIGIBLE of its start's value is reported at its bound, 0 (`atBound`).
 */
import type { DispersionKernels } from '../../engine/kernels/index.js';
import { danckwertsVariance } from '../dispersion.js';
import { ProblemError, show, type Json } from '../../model/problem.js';

/** Which mechanisms a fit fits: per analyte 1/Pe and the slow site; the inlet and detector time constants once. */
export interface MechanismSettings {
  diffusion: boolean[];
  slowSites: boolean[];
  injectionTime: boolean;
  detectorTime: boolean;
}

/** The mechanisms of one peak at θ (fixed or fitted): 1/Pe, αK2 (0: no slow site), k_d2 (1/s), τ_i, τ_d (s). */
export interface MechanismValues {
  inversePeclet: number;
  slowK: number;
  slowKd: number;
  injectionTime: number;
  detectorTime: number;
}

/** Tolerance of the inversion in the fit (fraction of the unit peak's scale 1/t1) and its most terms. */
export const FIT_INVERSION_TOLERANCE = 1e-13;
export const FIT_INVERSION_MAX_TERMS = 1 << 14;

/**
 * Default work limit of a fit that fits mechanisms (chromatogram evaluations, of the chromatogram
 * with its mechanisms): its stages (fit.ts), the extra Jacobian columns and the larger allowances
 * (budget.ts MECHANISM_ALLOWANCE) need more than the plain fit's 80.
 */
export const DEFAULT_MAX_EVALUATIONS_MECHANISMS = 1000;

/** A fitted 1/Pe, αK2 or τ below this fraction of its start value is reported at its bound (0). */
export const NEGLIGIBLE = 1e-6;

/** Whether any mechanism is fitted. */
export function fitsMechanisms(m: MechanismSettings): boolean {
  return m.injectionTime || m.detectorTime || m.diffusion.some((v) => v) || m.slowSites.some((v) => v);
}

/** `fit.<key>`: false (none), true (every analyte) or a list of analyte names. */
function perAnalyte(f: Json, key: string, names: string[]): boolean[] {
  const v = f[key];
  if (v === undefined || v === false) return names.map(() => false);
  if (v === true) return names.map(() => true);
  if (Array.isArray(v)) {
    const chosen = names.map(() => false);
    v.forEach((name, j) => {
      const i = typeof name === 'string' ? names.indexOf(name) : -1;
      if (i < 0) {
        throw new ProblemError(`fit.${key}[${j}]`, `must be the name of an analyte (${names.join(', ')}), got ${show(name)}`);
      }
      chosen[i] = true;
    });
    return chosen;
  }
  throw new ProblemError(`fit.${key}`, `must be true, false or an array of analyte names, got ${show(v)}`);
}

function flag(f: Json, key: string): boolean {
  const v = f[key];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new ProblemError(`fit.${key}`, `must be true or false, got ${show(v)}`);
  return v;
}

/** The mechanism keys of `fit` (validated; names checked against the analytes). */
export function parseMechanismSettings(f: Json, names: string[]): MechanismSettings {
  const settings = {
    diffusion: perAnalyte(f, 'diffusion', names),
    slowSites: perAnalyte(f, 'slowSites', names),
    injectionTime: flag(f, 'injectionTime'),
    detectorTime: flag(f, 'detectorTime'),
  };
  if (settings.injectionTime && settings.detectorTime) {
    throw new ProblemError('fit.detectorTime', 'cannot be fitted together with fit.injectionTime: both are first-order ' +
      'lags of the signal (factors 1/(1 + s τ)), which the signal cannot tell apart; fit one and fix the other ' +
      '(injection.timeConstant or detector.timeConstant)');
  }
  return settings;
}

/**
 * αK and k_d (1/s) of the fast site of a peak with mean `mean` (s) and kinetic width² `width2`
 * (σ² − t1²/12, s²), hold-up time tM (s) and pulse t1 (s), given its mechanisms (MODEL.md §12.3,
 * §12.5): the retention R = 1 + αK + αK2 from the mean less τ_i + τ_d, and the width the fast
 * site's kinetics leave: s² − 2 αK2 tM/k_d2 − κ2 R² − τ_i² − τ_d², κ2 the Danckwerts variance.
 * αK or k_d not positive and finite: outside the model's domain (null).
 */
export function constantsWithMechanisms(
  mean: number, width2: number, tM: number, pulse: number, m: MechanismValues,
): { k: number; kd: number } | null {
  const R = (mean - pulse / 2 - m.injectionTime - m.detectorTime) / tM;
  const k = R - 1 - m.slowK;
  const kappa2 = m.inversePeclet > 0 ? tM * tM * danckwertsVariance(1 / m.inversePeclet) : 0;
  const slow = m.slowK > 0 ? (2 * m.slowK * tM) / m.slowKd : 0;
  const fast = width2 - slow - kappa2 * R * R - m.injectionTime * m.injectionTime - m.detectorTime * m.detectorTime;
  const kd = (2 * k * tM) / fast;
  if (!(k > 0) || !(fast > 0) || !(kd > 0) || !Number.isFinite(kd)) return null;
  return { k, kd };
}

/**
 * The unit-area detector peak of one analyte with its mechanisms (the dispersion kernel at constant
 * velocity, tM = L/u) at `times` into `out`. Returns the transform evaluations, or -1 when the
 * spectrum needs more than FIT_INVERSION_MAX_TERMS terms (the caller treats it as outside the domain).
 */
export function mechanismShape(
  kernels: DispersionKernels, times: Float64Array, tM: number, k: number, kd: number, pulse: number,
  m: MechanismValues, out: Float64Array,
): number {
  const slowRetention = m.slowK > 0 ? m.slowK * m.slowKd * tM : 0;
  kernels.setDispersionMechanisms(slowRetention, slowRetention > 0 ? m.slowKd : 1, m.injectionTime, m.detectorTime);
  kernels.setDispersionColumn(1);
  const e = kernels.dispersiveConcentration(times, tM, m.inversePeclet, k * kd * tM, kd, pulse, 1, 1 / pulse,
    FIT_INVERSION_TOLERANCE, FIT_INVERSION_MAX_TERMS, out);
  return e < 0 ? -1 : e;
}
