/**
 * The kernel contract shared by the wasm engine and its plain-TypeScript twin, so that every
 * solver can run on either (tests compare them, benchmarks time them).
 */
import {
  adsorbedFraction, outletConcentration, pointConcentration, RULE_AUTO, RULE_EVENTS, RULE_PANELS, setOutletRule,
  supportIntegral,
} from './laplace.js';
import { scaledBesselI1 } from './bessel.js';
import { thomasConcentration } from './thomas.js';
import { addScaled, trapezoidAndMaximum } from './grid.js';
import { fdExplicitAdvance, fdImplicitAdvance } from './fd.js';
import { fdLangmuirAdvance } from './fd-langmuir.js';
import { migrate } from './migration.js';
import { fdProgramAdvance } from './fd-program.js';
import { fdFrameAdvance } from './fd-frame.js';
import {
  dispersionError, dispersionWindowPeriod, dispersionWindowStart, dispersiveConcentration, setDispersionColumn,
  setDispersionMechanisms,
} from './dispersion.js';

export interface LaplaceKernels {
  readonly name: string;
  /** I1e(z) = exp(-z) I1(z). */
  scaledBesselI1(z: number): number;
  /** Quadrature of the whole residence-time density; exact value 1 - e^{-B}. */
  adsorbedFraction(retention: number): number;
  /** c(t_j) at one position for ascending times; returns density evaluations. */
  outletConcentration(
    times: Float64Array, holdup: number, retention: number, kd: number, pulse: number, scale: number,
    out: Float64Array): number;
  /** c at independent points, each with its own hold-up, retention and scale; returns evaluations. */
  pointConcentration(
    times: Float64Array, holdups: Float64Array, retentions: Float64Array, scales: Float64Array,
    kd: number, pulse: number, out: Float64Array): number;
  /**
   * A chromatogram's worth of kernel work on one grid of ascending times (s), hold-up tM (s) and
   * pulse t1 (s): outletConcentration for each analyte, each one's quadrature of its whole density
   * (exact 1 - e^{-B}) when the kernel summed it on the way (the times reach past its support),
   * else NaN, its trapezoid area and largest sample (grid.ts), and, given a detector, the signal
   * baseline + sum_i f_i c_i (analytes summed in order). The wasm engine keeps all of it in its
   * memory until the results leave. Optional: callers do it piece by piece without it.
   */
  outletConcentrations?(
    times: Float64Array, holdup: number, pulse: number, analytes: readonly OutletAnalyte[], detector?: Detector | null,
  ): OutletBatch;
  /**
   * Forces the quadrature rule of outletConcentration: 'events' (integrate between successive
   * events), 'panels' (panel-Chebyshev) or 'auto' (the default: the cheaper by its cost model);
   * for tests and benchmarks. Optional.
   */
  setOutletRule?(rule: OutletRule): void;
}

/** Quadrature rules of outletConcentration (assembly/laplace.ts). */
export type OutletRule = 'auto' | 'events' | 'panels';

/** The kernels' code of a rule. */
export function outletRuleCode(rule: OutletRule): number {
  if (rule === 'events') return RULE_EVENTS;
  if (rule === 'panels') return RULE_PANELS;
  if (rule === 'auto') return RULE_AUTO;
  throw new RangeError(`outlet rule: must be "auto", "events" or "panels", got ${String(rule)}`);
}

/** What `outletConcentrations` returns. */
export interface OutletBatch {
  /** c_i(t_j) (mol/m3), one array per analyte. */
  concentrations: Float64Array[];
  /** Whole-density quadrature of each analyte, or NaN. */
  integrals: Float64Array;
  /** Trapezoid area of each analyte's c over the grid (mol s/m3). */
  areas: Float64Array;
  /** Index of each analyte's largest sample. */
  peaks: number[];
  /** baseline + sum_i f_i c_i(t_j) with a detector, else null. */
  signal: Float64Array | null;
  evaluations: number;
}

/** Detector of `outletConcentrations`: baseline (signal units) and response f_i per analyte. */
export interface Detector {
  baseline: number;
  responses: readonly number[];
}

/** One analyte of `outletConcentrations`: B = alpha ka tM, kd (1/s), scale c0/u_hat (mol/m3). */
export interface OutletAnalyte {
  retention: number;
  kd: number;
  scale: number;
}

/** The plain-TypeScript twin of the wasm kernels. */
export const jsKernels: LaplaceKernels = {
  name: 'js',
  scaledBesselI1,
  adsorbedFraction,
  outletConcentration,
  pointConcentration,
  setOutletRule(rule) {
    setOutletRule(outletRuleCode(rule));
  },
  outletConcentrations(times, holdup, pulse, analytes, detector) {
    const integrals = new Float64Array(analytes.length);
    const areas = new Float64Array(analytes.length);
    const peaks: number[] = [];
    const signal = detector ? new Float64Array(times.length).fill(detector.baseline) : null;
    let evaluations = 0;
    const concentrations = analytes.map((a, i) => {
      const c = new Float64Array(times.length);
      evaluations += outletConcentration(times, holdup, a.retention, a.kd, pulse, a.scale, c);
      const whole = supportIntegral();
      integrals[i] = whole < 0 ? Number.NaN : whole;
      const { area, peak } = trapezoidAndMaximum(times, c);
      areas[i] = area;
      peaks.push(peak);
      if (signal && detector) addScaled(signal, c, detector.responses[i]);
      return c;
    });
    return { concentrations, integrals, areas, peaks, signal, evaluations };
  },
};

/**
 * Time-stepping kernels of the model with diffusion (src/kernels/fd.ts, assembly/fd.ts). The
 * arguments mirror the wasm exports one to one, with Float64Arrays in place of pointers; arrays
 * marked "in and out" are updated in place.
 */
export interface FdKernels {
  readonly name: string;
  /** TR-BDF2 finite-volume steps on the active window; returns steps done or -1 - failed step. */
  fdImplicitAdvance(
    n: number, lower2: Float64Array, lower: Float64Array, diag: Float64Array, upper: Float64Array, alpha: number, ka: number,
    kd: number, c: Float64Array, q: Float64Array, work: Float64Array, steps: number, dts: Float64Array,
    sources: Float64Array, outlet: Float64Array, theta: number, window: Float64Array, negligible: number,
    margin: number): number;
  /** The paper's explicit steps (53)-(63) on n + 1 nodes; returns steps done or -1 - failed step. */
  fdExplicitAdvance(
    n: number, lower: Float64Array, diag: Float64Array, upper: Float64Array, alpha: number, ka: number,
    kd: number, c: Float64Array, q: Float64Array, scratch: Float64Array, steps: number, dts: Float64Array,
    sources: Float64Array, outlet: Float64Array, inletWeight: number, inletCoupling: number): number;
  /**
   * MUSCL + SSP Runge-Kutta steps of m analytes with a saturating film (MODEL.md §14), coupled per
   * cell; returns steps done or -1 - failed step. Layouts in src/engine/kernels/fd-langmuir.ts.
   */
  fdLangmuirAdvance(
    n: number, m: number, h: number, alpha: number, faceU: Float64Array, faceG: Float64Array, rates: Float64Array,
    inflow: Float64Array, c: Float64Array, q: Float64Array, work: Float64Array, steps: number, dts: Float64Array,
    sources: Float64Array, outlet: Float64Array): number;
}

/** The plain-TypeScript twin of the time-stepping kernels. */
export const jsFdKernels: FdKernels = { name: 'js', fdImplicitAdvance, fdExplicitAdvance, fdLangmuirAdvance };

/**
 * The migration and variance equations under a programme (src/engine/kernels/migration.ts,
 * assembly/migration.ts): n analyte records through the column of `plan` into n result records;
 * returns the largest status code. Layouts in kernels/migration.ts.
 */
export interface MigrationKernels {
  readonly name: string;
  migrate(plan: Float64Array, analytes: Float64Array, n: number, out: Float64Array): number;
}

/** The plain-TypeScript twin of the migration kernel. */
export const jsMigrationKernels: MigrationKernels = { name: 'js', migrate };

/**
 * Time stepping under a program (src/engine/kernels/fd-program.ts, assembly/fd-program.ts): the
 * finite-volume TR-BDF2 steps with per-step coefficients (10 f64 per step, see the kernel).
 */
export interface FdProgramKernels {
  readonly name: string;
  /** Returns steps done or -1 - failed step; c, q, work, outlet and window are updated in place. */
  fdProgramAdvance(
    n: number, h: number, length: number, alpha: number, c: Float64Array, q: Float64Array, work: Float64Array,
    steps: number, coefficients: Float64Array, outlet: Float64Array, window: Float64Array, negligible: number,
    margin: number): number;
  /**
   * TR-BDF2 steps on a window that moves with the band (14 f64 per step, see assembly/fd-frame.ts);
   * writes the outlet concentration at the output times the steps pass. Returns steps done or
   * -1 - failed step; c, q, work, values and state are updated in place.
   */
  fdFrameAdvance(
    m: number, h: number, length: number, alpha: number, c: Float64Array, q: Float64Array, work: Float64Array,
    steps: number, coefficients: Float64Array, times: Float64Array, values: Float64Array, state: Float64Array): number;
}

/** The plain-TypeScript twin of the programmed time-stepping kernels. */
export const jsFdProgramKernels: FdProgramKernels = { name: 'js', fdProgramAdvance, fdFrameAdvance };

/**
 * The column model with diffusion at constant velocity, by Fourier-series inversion of its
 * Laplace transform (src/engine/kernels/dispersion.ts, assembly/dispersion.ts; MODEL.md §12).
 */
export interface DispersionKernels {
  readonly name: string;
  /**
   * c(r L, t_j) for ascending times (s) of a rectangular pulse of length `pulse` (s): hold-up
   * tM = L/u (s), inversePeclet D/(u L) (0 allowed), retention B = alpha ka tM, kd (1/s), position
   * r = x/L in (0, 1], scale c0 (mol/m3), tolerance (fraction of c0) of the window's tails and the
   * cut series, maxTerms the most Fourier terms allowed. Returns the transform evaluations,
   * negated when maxTerms did not suffice.
   */
  dispersiveConcentration(
    times: Float64Array, holdup: number, inversePeclet: number, retention: number, kd: number, pulse: number,
    position: number, scale: number, tolerance: number, maxTerms: number, out: Float64Array): number;
  /** Estimated largest error of the last dispersiveConcentration (units of its scale). */
  dispersionError(): number;
  /** Window of the last dispersiveConcentration: start (s) and length (s); outputs outside it are 0. */
  dispersionWindow(): { start: number; period: number };
  /**
   * Mechanisms of the next dispersiveConcentration only (MODEL.md §12.5): a second, slow kind of
   * site with retention B2 = alpha ka2 tM (0: none) and desorption kd2 (1/s), the inlet pulse
   * convolved with an exponential of time constant `injection` (s), a first-order detector lag of
   * time constant `detector` (s); 0 for none.
   */
  setDispersionMechanisms(slowRetention: number, slowKd: number, injection: number, detector: number): void;
  /**
   * Pressure ratio pL/p0 of the next dispersiveConcentration only: 1 (constant velocity, the closed
   * form) or below 1, variable velocity with D ~ 1/p at the outlet (MODEL.md §12.6); holdup and
   * retention are then L/u0 and alpha ka L/u0.
   */
  setDispersionColumn(pressureRatio: number): void;
}

/** The plain-TypeScript twin of the dispersion kernel. */
export const jsDispersionKernels: DispersionKernels = {
  name: 'js',
  dispersiveConcentration,
  dispersionError,
  dispersionWindow: () => ({ start: dispersionWindowStart(), period: dispersionWindowPeriod() }),
  setDispersionMechanisms,
  setDispersionColumn,
};

/**
 * The Thomas solution (Langmuir or anti-Langmuir kinetics, no diffusion, rectangular pulse;
 * src/engine/kernels/thomas.ts, assembly/thomas.ts; MODEL.md §13).
 */
export interface ThomasKernels {
  readonly name: string;
  /**
   * c(t_j) (mol/m3) at one position for times (s, any order): hold-up tM (s), retention
   * n = alpha ka tM with ka the linear slope (1/s), kd (1/s), kappa = ka c0/qmax (1/s, negative for
   * anti-Langmuir with kappa > -kd), pulse t1 (s), scale c0 (mol/m3). Returns density evaluations.
   */
  thomasConcentration(
    times: Float64Array, holdup: number, retention: number, kd: number, kappa: number, pulse: number, scale: number,
    out: Float64Array): number;
}

/** The plain-TypeScript twin of the Thomas kernel. */
export const jsThomasKernels: ThomasKernels = { name: 'js', thomasConcentration };
