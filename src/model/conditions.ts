/**
 * Run conditions that change in time: the oven temperature, the carrier gas and how it is driven,
 * and each analyte's retention and mass transfer as functions of temperature and pressure
 * (MODEL.md §8). Plain data in SI units (K, Pa absolute, s, m, m3/s), built once from a validated
 * problem and shared by the migration-equation solver and the finite-difference solver.
 *
 * The oven temperature is uniform along the column; the carrier flow is quasi-steady compressible
 * Poiseuille flow of an ideal gas at each instant (the flow adjusts to T(t) and p(t) much faster
 * than analytes migrate). The paper's isothermal model (MODEL.md §1.1) is the `velocity` control
 * with a constant temperature.
 */

/** A function of time given by breakpoints: linear between them, constant before and after. */
export interface Schedule {
  /** Breakpoint times (s), strictly increasing, at least one. */
  readonly times: Float64Array;
  /** Values at the breakpoints (unit of the quantity scheduled). */
  readonly values: Float64Array;
}

/** Carrier viscosity eta(T) = eta0 (T/T0)^(xi0 + xi1 (T - T0)/T0) (Blumberg 2010); xi0 = xi1 = 0 is a constant eta0. */
export interface Viscosity {
  /** Viscosity at T0 (Pa s). */
  readonly eta0: number;
  /** Reference temperature (K). */
  readonly T0: number;
  /** Exponent at T0 (dimensionless). */
  readonly xi0: number;
  /** Change of the exponent with (T - T0)/T0 (dimensionless). */
  readonly xi1: number;
}

/** The carrier gas: its viscosity law and, when known, its Fuller diffusion parameters. */
export interface CarrierGas {
  readonly name: string;
  readonly viscosity: Viscosity;
  /** Molar mass (g/mol), for Fuller-Schettler-Giddings diffusivities. */
  readonly molarMass?: number;
  /** Fuller diffusion volume (dimensionless, cm3/mol by convention). */
  readonly diffusionVolume?: number;
}

/** How the carrier is driven. */
export type CarrierControl =
  /** Inlet and outlet pressures (Pa absolute) prescribed in time; the velocity follows (Poiseuille). */
  | { readonly kind: 'pressure'; readonly inlet: Schedule; readonly outlet: Schedule }
  /**
   * Column flow (m3/s of gas at referenceTemperature and referencePressure) prescribed in time with
   * the outlet pressure; the inlet pressure follows from Poiseuille at the oven temperature.
   */
  | {
      readonly kind: 'flow';
      readonly flow: Schedule;
      readonly outlet: Schedule;
      /** Reference temperature of the flow (K). */
      readonly referenceTemperature: number;
      /** Reference pressure of the flow (Pa). */
      readonly referencePressure: number;
    }
  /**
   * The paper's model (MODEL.md §1.1): inlet velocity u0 (m/s) given with p0 and pL (Pa), which set
   * the shape of the pressure profile; 'constant' is u = u0 everywhere. Isothermal only.
   */
  | {
      readonly kind: 'velocity';
      readonly inletVelocity: number;
      readonly inletPressure: number;
      readonly outletPressure: number;
      readonly profile: 'variable' | 'constant';
    };

/** How the desorption rate k_d depends on the conditions. */
export type Desorption =
  /** Arrhenius: ln k_d = a + b/T (k_d in 1/s, T in K); b = 0 is a constant k_d. */
  | { readonly kind: 'arrhenius'; readonly a: number; readonly b: number }
  /**
   * Film diffusion: k_d = 3 D_S / delta^2 with D_S = D_M / ratio, which makes the kinetic plate-height
   * term 2 k u / ((1 + k)^2 k_d) equal to Golay's film term (2/3) delta^2 k u / ((1 + k)^2 D_S).
   * Needs `diffusion`.
   */
  | { readonly kind: 'film'; readonly ratio: number };

export interface AnalyteConditions {
  readonly name: string;
  /** Inlet concentration during the pulse c0 (mol/m3). */
  readonly c0: number;
  /** Detector response factor (signal units per mol/m3). */
  readonly response?: number;
  /** Retention factor k = alpha K (dimensionless): ln k(T) = a + b/T + c ln T, T in K. */
  readonly retention: { readonly a: number; readonly b: number; readonly c: number };
  readonly desorption: Desorption;
  /**
   * Mobile-phase diffusivity D_M(T, p) = coefficient T^exponent / p (m2/s with T in K, p in Pa).
   * Fuller-Schettler-Giddings gives exponent 1.75; the paper's D(x) = D0 p0/p(x) is exponent 0,
   * coefficient D0 p0. Omitted: no diffusion (D = 0).
   */
  readonly diffusion?: { readonly coefficient: number; readonly exponent: number };
  /**
   * Add Golay's radial mobile-phase term as axial dispersion:
   * D_eff = D_M + (d^2/192) (1 + 6k + 11k^2)/(1 + k)^2 u^2 / D_M, d = 2R (needs `diffusion`).
   */
  readonly radialDispersion: boolean;
}

export interface RunConditions {
  /** Column length L (m). */
  readonly length: number;
  /** Inner radius R (m). */
  readonly radius: number;
  /** Stationary-film thickness delta (m). */
  readonly filmThickness: number;
  /** Oven temperature (K), uniform along the column. */
  readonly temperature: Schedule;
  readonly gas: CarrierGas;
  readonly control: CarrierControl;
  /** Rectangular inlet pulse of `duration` t1 (s), starting at t = 0. */
  readonly injection: { readonly duration: number };
  readonly analytes: readonly AnalyteConditions[];
}

/** Value of a schedule at time t (s): linear between breakpoints, constant outside. */
export function scheduleAt(s: Schedule, t: number): number {
  const { times, values } = s;
  const n = times.length;
  if (n === 1 || t <= times[0]) return values[0];
  if (t >= times[n - 1]) return values[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) lo = mid;
    else hi = mid;
  }
  const w = (t - times[lo]) / (times[hi] - times[lo]);
  return values[lo] + w * (values[hi] - values[lo]);
}

/** Carrier viscosity eta(T) (Pa s) at temperature T (K). */
export function viscosityAt(v: Viscosity, T: number): number {
  const r = T / v.T0;
  return v.eta0 * Math.pow(r, v.xi0 + v.xi1 * (r - 1));
}

/** Oven temperature (K) at time t (s). */
export function temperatureAt(c: RunConditions, t: number): number {
  return scheduleAt(c.temperature, t);
}

/** Outlet pressure pL (Pa absolute) at time t (s). */
export function outletPressureAt(c: RunConditions, t: number): number {
  const k = c.control;
  return k.kind === 'velocity' ? k.outletPressure : scheduleAt(k.outlet, t);
}

/**
 * Inlet pressure p0 (Pa absolute) at time t (s). Under flow control, from mass conservation of the
 * Poiseuille flow: p0^2 = pL^2 + 16 eta(T) L (T / Tref) pref F / (pi R^4)
 * (F the flow at Tref, pref; GasChromatographySimulator.jl writes 256/pi with the diameter).
 */
export function inletPressureAt(c: RunConditions, t: number): number {
  const k = c.control;
  if (k.kind === 'velocity') return k.inletPressure;
  if (k.kind === 'pressure') return scheduleAt(k.inlet, t);
  const T = temperatureAt(c, t);
  const pL = scheduleAt(k.outlet, t);
  const eta = viscosityAt(c.gas.viscosity, T);
  const r2 = c.radius * c.radius;
  const f = scheduleAt(k.flow, t);
  return Math.sqrt(
    pL * pL + (16 * eta * c.length * (T / k.referenceTemperature) * k.referencePressure * f) / (Math.PI * r2 * r2),
  );
}

/** Pressure p(x) (Pa) at x (m from the inlet) and time t (s): sqrt(p0^2 - (p0^2 - pL^2) x/L). */
export function pressureAt(c: RunConditions, x: number, t: number): number {
  const p0 = inletPressureAt(c, t);
  const pL = outletPressureAt(c, t);
  return Math.sqrt(p0 * p0 - (p0 - pL) * (p0 + pL) * (x / c.length));
}

/**
 * Carrier velocity u(x, t) (m/s). Poiseuille: u = R^2 (p0^2 - pL^2) / (16 eta L p(x)); the
 * `velocity` control: u0 p0/p(x) ('variable') or u0 ('constant').
 */
export function velocityAt(c: RunConditions, x: number, t: number): number {
  const k = c.control;
  if (k.kind === 'velocity') {
    return k.profile === 'constant' ? k.inletVelocity : (k.inletVelocity * k.inletPressure) / pressureAt(c, x, t);
  }
  const p0 = inletPressureAt(c, t);
  const pL = outletPressureAt(c, t);
  const eta = viscosityAt(c.gas.viscosity, temperatureAt(c, t));
  return (c.radius * c.radius * (p0 - pL) * (p0 + pL)) / (16 * eta * c.length * pressureAt(c, x, t));
}

/**
 * Gas hold-up time tM (s) of the column with the conditions frozen at time t (s):
 * tM = 32 eta L^2 (p0^3 - pL^3) / (3 R^2 (p0^2 - pL^2)^2) for Poiseuille flow.
 */
export function holdupTimeAt(c: RunConditions, t: number): number {
  const k = c.control;
  const p0 = inletPressureAt(c, t);
  const pL = outletPressureAt(c, t);
  if (k.kind === 'velocity') {
    if (k.profile === 'constant') return c.length / k.inletVelocity;
    // 2L (1 - (pL/p0)^3) / (3 u0 (1 - (pL/p0)^2))
    const q = pL / p0;
    return (2 * c.length * (1 + q + q * q)) / (3 * k.inletVelocity * (1 + q));
  }
  const eta = viscosityAt(c.gas.viscosity, temperatureAt(c, t));
  const d2 = (p0 - pL) * (p0 + pL);
  const cubes = (p0 - pL) * (p0 * p0 + p0 * pL + pL * pL);
  return (32 * eta * c.length * c.length * cubes) / (3 * c.radius * c.radius * d2 * d2);
}

/** Retention factor k = alpha K (dimensionless) of an analyte at temperature T (K). */
export function retentionFactorAt(a: AnalyteConditions, T: number): number {
  const r = a.retention;
  return Math.exp(r.a + r.b / T + r.c * Math.log(T));
}

/** Mobile-phase diffusivity D_M (m2/s) at temperature T (K) and pressure p (Pa); 0 without diffusion. */
export function diffusivityAt(a: AnalyteConditions, T: number, p: number): number {
  const d = a.diffusion;
  return d === undefined ? 0 : (d.coefficient * (d.exponent === 0 ? 1 : Math.pow(T, d.exponent))) / p;
}

/** Desorption rate k_d (1/s) of an analyte at temperature T (K) and pressure p (Pa), film thickness delta (m). */
export function desorptionRateAt(a: AnalyteConditions, T: number, p: number, filmThickness: number): number {
  const d = a.desorption;
  if (d.kind === 'arrhenius') return Math.exp(d.a + d.b / T);
  return (3 * diffusivityAt(a, T, p)) / (d.ratio * filmThickness * filmThickness);
}

/**
 * Mobile-phase diffusivity D_M (m2/s) of an analyte at x (m from the inlet) and time t (s):
 * diffusivityAt at the local temperature and pressure, except in the paper's constant-velocity
 * model (the `velocity` control with profile 'constant', MODEL.md §1.1), where D = D0 is taken at
 * the inlet pressure all along the column. Solvers should call this rather than pairing
 * diffusivityAt with pressureAt, so that old constant-velocity problems keep their meaning.
 */
export function localDiffusivityAt(c: RunConditions, a: AnalyteConditions, x: number, t: number): number {
  const k = c.control;
  const p = k.kind === 'velocity' && k.profile === 'constant' ? k.inletPressure : pressureAt(c, x, t);
  return diffusivityAt(a, temperatureAt(c, t), p);
}
