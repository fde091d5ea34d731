/**
 * Retention and desorption as functions of temperature (MODEL.md §8.3): the K-centric
 * thermodynamic parameters of Blumberg, van 't Hoff for K = k_a/k_d, Arrhenius for k_d, and the
 * film option that takes k_d from diffusion in the stationary film when only K is known. Each maps
 * onto the forms of conditions.ts: ln k = a + b/T + c ln T and ln k_d = a + b/T (T in K).
 */
import type { Desorption } from './conditions.js';
import { GAS_CONSTANT } from './gases.js';

/** ln k = a + b/T + c ln T (k dimensionless, T in K). */
export interface RetentionCoefficients {
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

/**
 * Blumberg's K-centric retention parameters, as in the Leppert 2020 database and
 * GasChromatographySimulator.jl (there Tchar and thetaChar are in °C; here in K).
 */
export interface KCentric {
  /** Characteristic temperature T_char (K): where the retention factor is phi/phi0 (k = 1 on the reference column). */
  readonly Tchar: number;
  /** Characteristic thermal constant theta_char (K, a temperature difference). */
  readonly thetaChar: number;
  /** Change of isobaric heat capacity on sorption Delta C_p (J/(mol K)). */
  readonly dCp: number;
  /** Dimensionless film thickness phi0 = d_f/d of the column the parameters were measured on. */
  readonly phi0: number;
}

/** Dimensionless film thickness phi = d_f/d = delta/(2R) of a column (radius R, film thickness delta, m). */
export function dimensionlessFilmThickness(radius: number, filmThickness: number): number {
  return filmThickness / (2 * radius);
}

/**
 * The K-centric model mapped onto ln k = a + b/T + c ln T for a column of dimensionless film
 * thickness phi. GasChromatographySimulator.jl defines, with C = Delta C_p / R,
 *   k(T) = (phi/phi0) exp( (C + T_char/theta_char) (T_char/T - 1) + C ln(T/T_char) ),
 * so b = (C + T_char/theta_char) T_char, c = C, a = ln(phi/phi0) - (C + T_char/theta_char) - C ln T_char.
 */
export function kCentricRetention(p: KCentric, phi: number): RetentionCoefficients {
  const C = p.dCp / GAS_CONSTANT;
  const slope = C + p.Tchar / p.thetaChar;
  return { a: Math.log(phi / p.phi0) - slope - C * Math.log(p.Tchar), b: slope * p.Tchar, c: C };
}

/** ln k of the K-centric model written as GasChromatographySimulator.jl writes it (for tests and references). */
export function kCentricLnK(p: KCentric, phi: number, T: number): number {
  const C = p.dCp / GAS_CONSTANT;
  return Math.log(phi / p.phi0) + (C + p.Tchar / p.thetaChar) * (p.Tchar / T - 1) + C * Math.log(T / p.Tchar);
}

/** Distribution constant K = k_a/k_d at a reference temperature with its sorption enthalpy (van 't Hoff). */
export interface VantHoff {
  /** K = k_a/k_d at referenceTemperature (dimensionless). */
  readonly K: number;
  /** Reference temperature (K). */
  readonly referenceTemperature: number;
  /** Enthalpy of sorption Delta H (J/mol), negative when retention falls with temperature. */
  readonly enthalpy: number;
}

/**
 * van 't Hoff, K(T) = K_ref exp(-(Delta H/R)(1/T - 1/T_ref)), with k = alpha K (alpha = 2 delta/R the
 * phase ratio): a = ln(alpha K_ref) + Delta H/(R T_ref), b = -Delta H/R, c = 0.
 */
export function vantHoffRetention(p: VantHoff, alpha: number): RetentionCoefficients {
  const h = p.enthalpy / GAS_CONSTANT;
  return { a: Math.log(alpha * p.K) + h / p.referenceTemperature, b: -h, c: 0 };
}

/** Desorption rate k_d at a reference temperature with its activation energy (Arrhenius). */
export interface Arrhenius {
  /** k_d at referenceTemperature (1/s). */
  readonly kd: number;
  /** Reference temperature (K). */
  readonly referenceTemperature: number;
  /** Activation energy E_a (J/mol), >= 0 for a rate that grows with temperature. */
  readonly activationEnergy: number;
}

/** Arrhenius, k_d(T) = k_ref exp(-(E_a/R)(1/T - 1/T_ref)): ln k_d = ln k_ref + E_a/(R T_ref) - (E_a/R)/T. */
export function arrheniusDesorption(p: Arrhenius): Desorption {
  const e = p.activationEnergy / GAS_CONSTANT;
  return { kind: 'arrhenius', a: Math.log(p.kd) + e / p.referenceTemperature, b: -e };
}

/** A constant k_d (1/s). */
export function constantDesorption(kd: number): Desorption {
  return { kind: 'arrhenius', a: Math.log(kd), b: 0 };
}

/**
 * D_M/D_S of the film option, as GasChromatographySimulator.jl takes D_S = D_M/10000 in its plate
 * height: with k_d = 3 D_S/delta^2 the kinetic term of this model equals its film term, so peak
 * widths agree.
 */
export const FILM_DIFFUSIVITY_RATIO = 1e4;

/** The film option: k_d = 3 D_S/delta^2 with D_S = D_M/ratio. */
export function filmDesorption(ratio = FILM_DIFFUSIVITY_RATIO): Desorption {
  return { kind: 'film', ratio };
}

/** Retention factor k = exp(a + b/T + c ln T) at T (K). */
export function retentionFactor(r: RetentionCoefficients, T: number): number {
  return Math.exp(r.a + r.b / T + r.c * Math.log(T));
}

/**
 * The largest of a + b/T + c ln T over [Tmin, Tmax] (K): at an end of the range or at the one
 * stationary point T = b/c when it lies inside.
 */
export function maxLogOver(r: RetentionCoefficients, Tmin: number, Tmax: number): number {
  const f = (T: number) => r.a + r.b / T + r.c * Math.log(T);
  let m = Math.max(f(Tmin), f(Tmax));
  if (r.c !== 0) {
    const T = r.b / r.c;
    if (T > Tmin && T < Tmax) m = Math.max(m, f(T));
  }
  return m;
}
