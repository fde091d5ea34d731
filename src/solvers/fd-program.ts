/**
 * The full chromatogram under a temperature program (and pressure or flow control) by the
 * finite-difference solver (MODEL.md §10): the column model of MODEL.md §1 with coefficients that
 * change in time, u(x, t), D(x, t), k_a(T(t)), k_d(T(t), p(x, t)), from the run conditions
 * (src/model/conditions.ts).
 *
 * The scheme is the isothermal solver's (src/solvers/fd.ts): finite volumes with upwind-biased
 * faces, Danckwerts inlet, zero-gradient outlet, TR-BDF2 in time, film kinetics implicit per
 * cell, only the active window of cells computed. Each step freezes the coefficients at its
 * midpoint (the exponential-midpoint rule, second order for a linear system whose operator
 * changes smoothly), and the breakpoints of the program are step boundaries, so the order
 * holds across the kinks of T(t). With constant conditions every step has the isothermal
 * solver's coefficients, so the two give the same numbers (test/fd-program.test.ts).
 *
 * Accuracy control: the isothermal grid rule (src/solvers/fd-grid.ts) with its error
 * coefficients integrated along the band's path under the program (`bandPath`): the band centre
 * x_c(t) of the migration equation dx/dt = u/(1 + k), its spatial variance, and the stretch
 * S(t) = exp(int dv/dx dt) that carries a spread created at time t to the outlet. Space and time
 * add to the band's third cumulant -2 h^2 and 6 |C| dt^2 v^2 per metre travelled; carried to the
 * outlet and divided by the outlet variance to the power 3/2 they are E_x and E_t; with constant
 * conditions they are exactly the isothermal rule's.
 */
import {
  diffusivityAt, inletPressureAt, outletPressureAt, retentionFactorAt, temperatureAt, viscosityAt,
  type AnalyteConditions, type RunConditions,
} from '../model/conditions.js';
import { jsFdProgramKernels, type FdProgramKernels } from '../engine/kernels/index.js';
import { PROGRAM_COEFFICIENTS, PROGRAM_WORK_PER_CELL } from '../engine/kernels/fd-program.js';
import { FRAME_COEFFICIENTS, FRAME_STATE, FRAME_WORK_PER_CELL } from '../engine/kernels/fd-frame.js';
import { selectKernels } from '../engine/wasm.js';
import { ProblemError, solverOptions } from '../model/problem.js';
import { trapezoid } from './grid.js';
import {
  checkGridOptions, FD_CANCELLATION_MARGIN, FD_DEFAULT_ACCURACY, leastWorkGrid, pulseShape, scheduleStops,
  type ErrorCoefficients,
} from './fd-grid.js';
import { FD_WORK_LIMIT, locatePeak, outletWeight, Schedule } from './fd.js';
import type { SolveCost, Status } from './status.js';

export interface FdProgramOptions {
  /** Kernels to run: 'wasm' (default), 'js' (the plain-TypeScript twin) or a kernel object. */
  engine?: 'wasm' | 'js' | FdProgramKernels;
  /** Output times (s), ascending; default: from 0 past the last peak, 10 points per narrowest peak deviation. */
  times?: ArrayLike<number>;
  /** Target discretization error as a fraction of each peak's height (default 1e-3). */
  accuracy?: number;
  /** Number of cells; overrides the automatic choice. */
  cells?: number;
  /** Time step (s); overrides the automatic choice. Steps are shortened to land on output times and breakpoints. */
  dt?: number;
  /** Called with the fraction done (0..1) between chunks of steps. */
  onProgress?: (fraction: number) => void;
  /** Cancels the run between chunks of steps (the solver throws the signal's reason). */
  signal?: AbortSignal;
  /** Most cell updates (cells x steps) per analyte; default FD_WORK_LIMIT. */
  workLimit?: number;
  /**
   * 'moving' (default): each band on a window of cells that moves with it; 'fixed': cells fixed
   * along the whole column (the isothermal solver's grid, for comparisons).
   */
  frame?: 'moving' | 'fixed';
}

/** The grid and stepping one analyte was solved with. */
export interface FdProgramGrid {
  name: string;
  cells: number;
  /** Cell width h (m). */
  spacing: number;
  /** Nominal time step (s). */
  dt: number;
  steps: number;
  /** Cell updates done (cells in the active window, summed over steps). */
  cellSteps: number;
  /** Error the grid rule expects (fraction of the peak height). */
  expectedError: number;
  /** Moving window: times its cells were merged in pairs as the band widened (spacing is the last). */
  merges?: number;
}

/** One analyte's outlet peak. */
export interface FdProgramAnalyte {
  name: string;
  /** c(L, t) at the output times (mol/m3). */
  concentration: Float64Array;
  /** Largest value, refined by a parabola (s, mol/m3). */
  peak: { time: number; height: number };
  /** Trapezoid integral of c over the output times (mol s/m3). */
  area: number;
  /** Mean (s) and standard deviation (s) of c(L, t) over the output times (trapezoid moments). */
  mean: number;
  sigma: number;
  /** The band's path by the migration equation (what the grid rule used): arrival time (s) of its centre and deviation (s). */
  path: { retentionTime: number; sigma: number };
}

export interface FdProgramResult {
  method: 'fd-program';
  times: Float64Array;
  analytes: FdProgramAnalyte[];
  /** sum_i f_i c_i(L, t) with each analyte's response (1 when not given). */
  signal: Float64Array;
  /** Largest mass-balance defect (fraction of the injected amount). */
  errorEstimate: number;
  status: Status;
  cost: SolveCost;
  grids: FdProgramGrid[];
}

const NEGLIGIBLE = 1e-10;
const CHUNK_CELL_STEPS = 20_000_000;
const STAGE_WEIGHT = Math.SQRT2 / 4;
const END_WEIGHT = 1 - Math.SQRT1_2;
/** |C| of the TR-BDF2 local error (see fd-grid.ts). */
const TR_BDF2_ERROR = Math.SQRT1_2 - 2 / 3;
/** b of the boundary term (see fd-grid.ts). */
const BOUNDARY_COEFFICIENT = 4;
/** Default output grid: points per narrowest peak deviation, and the most points. */
const POINTS_PER_SIGMA = 10;
const MAX_DEFAULT_POINTS = 200_001;

// ---------------------------------------------------------------------------------------------
// Coefficients at an instant

/** The carrier at time t: p(x)^2 = p0sq - drop x/L, u = un/p (MODEL.md §1.1, §10). */
export interface CarrierState {
  /** Oven temperature (K). */
  T: number;
  /** Inlet pressure squared (Pa^2). */
  p0sq: number;
  /** p0^2 - pL^2 (Pa^2); 0 for the constant-velocity model (uniform pressure p0). */
  drop: number;
  /** u(x) p(x) (m/s Pa). */
  un: number;
}

export function carrierState(c: RunConditions, t: number): CarrierState {
  const T = temperatureAt(c, t);
  const k = c.control;
  if (k.kind === 'velocity') {
    const p0 = k.inletPressure;
    const pL = k.outletPressure;
    const drop = k.profile === 'constant' ? 0 : (p0 - pL) * (p0 + pL);
    return { T, p0sq: p0 * p0, drop, un: k.inletVelocity * p0 };
  }
  const p0 = inletPressureAt(c, t);
  const pL = outletPressureAt(c, t);
  const eta = viscosityAt(c.gas.viscosity, T);
  const drop = (p0 - pL) * (p0 + pL);
  return { T, p0sq: p0 * p0, drop, un: (c.radius * c.radius * drop) / (16 * eta * c.length) };
}

/** An analyte's coefficients with the carrier state s: D = dd/p, K = ka/kd, kd = kd0 + kd1/p. */
export interface AnalyteState {
  /** Retention factor k = alpha K. */
  k: number;
  dd: number;
  K: number;
  kd0: number;
  kd1: number;
}

export function analyteState(c: RunConditions, a: AnalyteConditions, s: CarrierState): AnalyteState {
  const alpha = (2 * c.filmThickness) / c.radius;
  const k = retentionFactorAt(a, s.T);
  const dn = diffusivityAt(a, s.T, 1); // D_M p
  let dd = dn;
  if (a.radialDispersion && dn > 0) {
    // Golay's radial term (d^2/192)(1 + 6k + 11k^2)/(1 + k)^2 u^2/D_M, also proportional to 1/p.
    const d = 2 * c.radius;
    dd += ((d * d) / 192) * ((1 + 6 * k + 11 * k * k) / ((1 + k) * (1 + k))) * ((s.un * s.un) / dn);
  }
  const des = a.desorption;
  const kd0 = des.kind === 'arrhenius' ? Math.exp(des.a + des.b / s.T) : 0;
  const kd1 = des.kind === 'film' ? (3 * dn) / (des.ratio * c.filmThickness * c.filmThickness) : 0;
  return { k, dd, K: k / alpha, kd0, kd1 };
}

function pressureAtState(s: CarrierState, x: number, length: number): number {
  return Math.sqrt(s.p0sq - (s.drop * Math.min(x, length)) / length);
}

// ---------------------------------------------------------------------------------------------
// The band's path (grid rule, default output grid, window margin)

/** What `bandPath` returns. */
export interface BandPath {
  /** Time (s) the band centre reaches the outlet (Infinity if not within `horizon`). */
  retentionTime: number;
  /** Outlet deviation (s) of the band, pulse included. */
  sigma: number;
  /** Error coefficients of the grid rule (fractions of the peak height per m^2, s^2, m^2). */
  errors: ErrorCoefficients;
  /** Extremes met on the way: outlet velocity, D at the outlet, exchange rate alpha ka + kd (1/s). */
  maxOutletVelocity: number;
  maxDiffusivity: number;
  minExchange: number;
  /** The band's velocity (m/s) and spatial deviation (m, pulse included) at the outlet. */
  outletBandVelocity: number;
  outletWidth: number;
}

/** Times (s) where any schedule of the conditions has a breakpoint. */
export function breakpoints(c: RunConditions): number[] {
  const list = [...c.temperature.times];
  const k = c.control;
  if (k.kind === 'pressure') list.push(...k.inlet.times, ...k.outlet.times);
  if (k.kind === 'flow') list.push(...k.flow.times, ...k.outlet.times);
  return [...new Set(list)].filter((t) => t > 0).sort((x, y) => x - y);
}

/**
 * The band centre's path by the migration equation dx/dt = u(x, t)/(1 + k(T(t))) from x = 0 at
 * t1/2, by RK4 with steps of at most L/2000 of travel that stop on the program's breakpoints,
 * with the band's variance and the grid rule's integrals along it (module comment).
 */
export function bandPath(c: RunConditions, a: AnalyteConditions, horizon = Infinity): BandPath {
  const L = c.length;
  const alpha = (2 * c.filmThickness) / c.radius;
  const pulse = c.injection.duration;
  const stops = breakpoints(c);
  // y = [x, ln S, K2 (variance / S^2), J1 = int dx/S^3, J2 = int v^2 dx/S^3]
  const rate = (t: number, y: number[]): number[] => {
    const s = carrierState(c, t);
    const an = analyteState(c, a, s);
    const p = pressureAtState(s, y[0], L);
    const u = s.un / p;
    const v = u / (1 + an.k);
    const S = Math.exp(y[1]);
    const kd = an.kd0 + an.kd1 / p;
    const D = an.dd / p;
    const growth = (2 * D) / (1 + an.k) + (kd > 0 ? (2 * an.k * u * u) / ((1 + an.k) ** 3 * kd) : 0);
    const stretch = y[0] < L ? (v * s.drop) / (2 * L * p * p) : 0;
    const S3 = S * S * S;
    return [v, stretch, growth / (S * S), v / S3, (v * v * v) / S3];
  };
  let t = pulse / 2;
  let y = [0, 0, 0, 0, 0];
  const s0 = carrierState(c, t);
  const v0 = s0.un / Math.sqrt(s0.p0sq) / (1 + analyteState(c, a, s0).k);
  let maxOutletVelocity = 0;
  let maxDiffusivity = 0;
  let minExchange = Infinity;
  const extremes = (tt: number) => {
    const s = carrierState(c, tt);
    const an = analyteState(c, a, s);
    const pL = pressureAtState(s, L, L);
    maxOutletVelocity = Math.max(maxOutletVelocity, s.un / pL);
    maxDiffusivity = Math.max(maxDiffusivity, an.dd / pL);
    const kd = an.kd0 + an.kd1 / Math.sqrt(s.p0sq);
    minExchange = Math.min(minExchange, alpha * an.K * kd + kd);
  };
  extremes(t);
  let stop = 0;
  for (let guard = 0; guard < 1_000_000 && y[0] < L && t < horizon; guard++) {
    const f0 = rate(t, y);
    let dt = Math.min(L / 2000 / f0[0], 60);
    while (stop < stops.length && stops[stop] <= t) stop++;
    if (stop < stops.length) dt = Math.min(dt, stops[stop] - t);
    if (t + dt > horizon) dt = horizon - t;
    const add = (z: number[], f: number[], w: number) => z.map((v, i) => v + w * f[i]);
    const f1 = rate(t + dt / 2, add(y, f0, dt / 2));
    const f2 = rate(t + dt / 2, add(y, f1, dt / 2));
    const f3 = rate(t + dt, add(y, f2, dt));
    const next = y.map((v, i) => v + (dt / 6) * (f0[i] + 2 * f1[i] + 2 * f2[i] + f3[i]));
    if (next[0] >= L) {
      // the arrival inside this step, by the cubic Hermite interpolant of x(t)
      let lo = 0;
      let hi = 1;
      const x = (w: number) => {
        const h00 = 2 * w ** 3 - 3 * w ** 2 + 1;
        const h10 = w ** 3 - 2 * w ** 2 + w;
        const h01 = -2 * w ** 3 + 3 * w ** 2;
        const h11 = w ** 3 - w ** 2;
        return h00 * y[0] + h10 * dt * f0[0] + h01 * next[0] + h11 * dt * f3[0];
      };
      for (let i = 0; i < 60; i++) {
        const mid = (lo + hi) / 2;
        if (x(mid) < L) lo = mid;
        else hi = mid;
      }
      const w = (lo + hi) / 2;
      y = y.map((v, i) => v + w * (next[i] - v));
      y[0] = L;
      t += w * dt;
      extremes(t);
      break;
    }
    y = next;
    t += dt;
    extremes(t);
  }
  const arrived = y[0] >= L;
  const sOut = carrierState(c, t);
  const vOut = sOut.un / pressureAtState(sOut, L, L) / (1 + analyteState(c, a, sOut).k);
  const S = Math.exp(y[1]);
  const K2 = Math.max(y[2], 1e-300);
  const sigmaBand = (Math.sqrt(K2) * S) / vOut;
  const pulseWidth = (v0 * pulse * S) / vOut;
  const rho = pulseWidth / sigmaBand;
  const K32 = K2 * Math.sqrt(K2);
  const S3 = pulseShape(3, rho);
  const sigma = Math.sqrt(sigmaBand * sigmaBand + (pulseWidth * pulseWidth) / 12);
  return {
    retentionTime: arrived ? t : Infinity,
    sigma,
    outletBandVelocity: vOut,
    outletWidth: sigma * vOut,
    errors: {
      space: (2 * S3 * y[3]) / K32,
      time: (6 * TR_BDF2_ERROR * S3 * y[4]) / K32,
      boundary: (BOUNDARY_COEFFICIENT * pulseShape(2, rho)) / K2,
    },
    maxOutletVelocity,
    maxDiffusivity,
    minExchange,
  };
}

// ---------------------------------------------------------------------------------------------
// Validation

function checkConditions(c: RunConditions): void {
  if (!(c.length > 0) || !(c.radius > 0) || !(c.filmThickness > 0)) {
    throw new ProblemError('conditions', `length, radius and filmThickness must be > 0 (m), got ${c.length}, ${c.radius}, ${c.filmThickness}`);
  }
  if (!(c.injection.duration > 0)) {
    throw new ProblemError('conditions.injection.duration', `must be > 0 (s), got ${c.injection.duration}`);
  }
  if (c.analytes.length === 0) throw new ProblemError('conditions.analytes', 'must hold at least one analyte');
  c.analytes.forEach((a, i) => {
    if (!(a.c0 > 0 && Number.isFinite(a.c0))) throw new ProblemError(`conditions.analytes[${i}].c0`, `must be > 0 (mol/m3), got ${a.c0}`);
    if (a.desorption.kind === 'film' && a.diffusion === undefined) {
      throw new ProblemError(`conditions.analytes[${i}].desorption`, 'film desorption needs the analyte\'s diffusion');
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Time stepping

interface Request {
  conditions: RunConditions;
  kernels: FdProgramKernels;
  options: FdProgramOptions;
  times: Float64Array;
  paths: BandPath[];
  events: number[];
}

interface AnalyteRun {
  grid: FdProgramGrid;
  outlet: Float64Array;
  balance: { injected: number; held: number; eluted: number };
  coarsened: boolean;
}

function memoryCheck(cells: number, chunk: number, c: RunConditions): void {
  const need = 8 * ((PROGRAM_WORK_PER_CELL + 2) * cells * 2 + (PROGRAM_COEFFICIENTS + 4) * chunk * 2);
  if (need > 1024 ** 3) {
    throw new ProblemError('options.cells', `the request needs about ${(need / 1024 ** 2).toFixed(0)} MiB (${cells} cells for ` +
      `${c.analytes.length} analytes), above the limit of 1024 MiB; use fewer cells or a coarser accuracy`);
  }
}

function* runAnalyte(req: Request, index: number): Generator<number, AnalyteRun> {
  const { conditions: cond, kernels, options } = req;
  const a = cond.analytes[index];
  const L = cond.length;
  const alpha = (2 * cond.filmThickness) / cond.radius;
  const pulse = cond.injection.duration;
  const path = req.paths[index];
  const horizon = req.times[req.times.length - 1];
  const stops = scheduleStops(req.events, pulse);
  const accuracy = options.accuracy ?? FD_DEFAULT_ACCURACY;
  const auto = leastWorkGrid(path.errors, L, stops,
    { accuracy, margin: FD_CANCELLATION_MARGIN, cells: options.cells, dt: options.dt });
  const limit = options.workLimit ?? FD_WORK_LIMIT;
  const work = auto.cells * stops.reduce((m, s, i) => m + Math.max(1, Math.ceil((s - (stops[i - 1] ?? 0)) / auto.dt - 1e-9)), 0);
  let { cells: n, dt } = auto;
  let expectedError = auto.expectedError as number;
  let coarsened = false;
  if (work > limit) {
    if (options.cells !== undefined || options.dt !== undefined) {
      throw new ProblemError(options.cells !== undefined ? 'options.cells' : 'options.dt',
        `${a.name}: ${auto.cells} cells with steps of ${auto.dt.toPrecision(3)} s up to t = ${horizon} s need about ` +
        `${work.toExponential(1)} cell updates, above the limit of ${limit.toExponential(0)}; use fewer cells or a longer step`);
    }
    const f = Math.sqrt(work / limit);
    n = Math.max(16, Math.ceil(n / f));
    dt *= f;
    expectedError *= f * f;
    coarsened = true;
  }
  const h = L / n;
  const chunk = Math.max(16, Math.min(100_000, Math.floor(CHUNK_CELL_STEPS / n)));
  memoryCheck(n, chunk, cond);
  const plan = new Schedule(req.events, pulse, dt);
  // Window margin: a step's reach ahead of the band (see kernelSettings in fd.ts), at the run's extremes.
  const reach = Math.max(path.maxOutletVelocity * dt * 2, 25 * Math.sqrt(path.maxDiffusivity * dt),
    (25 * path.maxOutletVelocity) / path.minExchange);
  const margin = Math.max(16, Math.min(n, Math.ceil(reach / h)));
  const negligible = NEGLIGIBLE * a.c0 * Math.min(1, pulse / (pulse + 3 * path.sigma));

  const c = new Float64Array(n);
  const q = new Float64Array(n);
  const scratch = new Float64Array(PROGRAM_WORK_PER_CELL * n);
  const dts = new Float64Array(chunk);
  const on = new Float64Array(chunk);
  const ends = new Float64Array(chunk);
  const coefficients = new Float64Array(PROGRAM_COEFFICIENTS * chunk);
  const record = new Float64Array(2 * chunk);
  const uLs = new Float64Array(chunk);
  const window = new Float64Array(7);
  const outlet = new Float64Array(req.times.length);
  let nextOutlet = 0;
  while (nextOutlet < outlet.length && req.times[nextOutlet] <= 0) nextOutlet++;
  let steps = 0;
  let eluted = 0;
  let injected = 0;
  let lastOutlet = 0;
  while (!plan.done) {
    const start = plan.time;
    const m = plan.fill(chunk, dts, on, ends, pulse, 1);
    let t = start;
    for (let k = 0; k < m; k++) {
      const s = carrierState(cond, t + dts[k] / 2);
      const an = analyteState(cond, a, s);
      const p0 = Math.sqrt(s.p0sq);
      const pL = Math.sqrt(s.p0sq - s.drop);
      const uL = s.un / pL;
      const DL = an.dd / pL;
      const o = k * PROGRAM_COEFFICIENTS;
      const inflow = on[k] * (s.un / p0) * a.c0;
      injected += inflow * dts[k];
      coefficients[o] = dts[k];
      coefficients[o + 1] = inflow / h;
      coefficients[o + 2] = s.p0sq;
      coefficients[o + 3] = s.drop;
      coefficients[o + 4] = s.un;
      coefficients[o + 5] = an.dd;
      coefficients[o + 6] = an.K;
      coefficients[o + 7] = an.kd0;
      coefficients[o + 8] = an.kd1;
      coefficients[o + 9] = DL > 0 ? outletWeight((uL * h) / DL) : 0.5;
      uLs[k] = uL;
      t = ends[k];
    }
    const done = kernels.fdProgramAdvance(n, h, L, alpha, c, q, scratch, m, coefficients, record, window, negligible, margin);
    if (done < 0) {
      throw new Error(`${a.name}: the time stepping produced a non-finite value at t = ${ends[-1 - done]} s ` +
        `(cells ${n}, dt ${dt} s); this is a bug, please report it with the input`);
    }
    steps += m;
    for (let k = 0; k < m; k++) {
      const end = record[2 * k + 1];
      eluted += dts[k] * uLs[k] * (STAGE_WEIGHT * (lastOutlet + record[2 * k]) + END_WEIGHT * end);
      lastOutlet = end;
      while (nextOutlet < outlet.length && req.times[nextOutlet] <= ends[k]) outlet[nextOutlet++] = end;
    }
    yield plan.time;
  }
  let held = 0;
  for (let j = 0; j < n; j++) held += (c[j] + alpha * q[j]) * h;
  return {
    grid: { name: a.name, cells: n, spacing: h, dt, steps, cellSteps: window[5], expectedError },
    outlet,
    balance: { injected, held, eluted },
    coarsened,
  };
}

/**
 * Frame grid rule: cells per band deviation FRAME_RESOLUTION sqrt(1e-3/accuracy), between that and
 * twice that as the band widens (pairs of cells are merged when it has doubled). Steps follow how
 * fast the band changes in the frame, not how fast it moves: a step is FRAME_STEP sqrt(accuracy/1e-3)
 * of the band's own time scale 1/r, r = g/sigma_x^2 + |dv/dx| + |d ln v/dt| (g the growth rate of
 * the spatial variance, dv/dx the stretch by the pressure gradient at the band or, while the window
 * still holds part of the column, at the outlet, and v the band velocity), so that steps grow
 * geometrically as the band spreads. While the window is held at the inlet the band also moves on
 * the grid, at most INLET_COURANT sqrt(accuracy/1e-2) cells per step. The constants are measured,
 * not derived: on Leppert's programme A (C10, C20, C30, against runs at 1e-4) they deliver
 * 0.7-0.9 of the requested accuracy at 1e-2 and 1e-3, the space part about 3/4 of it.
 */
const FRAME_RESOLUTION = 50;
const FRAME_STEP = 0.0025;
/** Band deviations the window keeps behind the band centre, and its length in deviations. */
const FRAME_BEHIND = 8;
const FRAME_LENGTH = 18;
/** Cells the band may cross per step while the window is held at the inlet (at accuracy 1e-2), and the step's share of the band's time scale there. */
const INLET_COURANT = 1;
const INLET_STEP = 0.016;

/**
 * Runs one analyte on a window that moves with the band (module comment): the window starts at
 * the inlet with cells fine enough for the injected band and stays there until the band's centre
 * is FRAME_BEHIND deviations downstream, then follows it at the migration equation's velocity
 * (keeping that distance as the band widens); each time the band has doubled its width pairs
 * of cells are merged (cell averages, so mass is kept exactly) and the window doubles in length.
 * Beyond the outlet the column is continued with the outlet's coefficients, and the kernel
 * samples the flux concentration at x = L as the plane sweeps back through the window.
 */
function* runFrameAnalyte(req: Request, index: number): Generator<number, AnalyteRun> {
  const { conditions: cond, kernels, options } = req;
  const a = cond.analytes[index];
  const L = cond.length;
  const alpha = (2 * cond.filmThickness) / cond.radius;
  const pulse = cond.injection.duration;
  const path = req.paths[index];
  const times = req.times;
  const horizon = times[times.length - 1];
  const accuracy = options.accuracy ?? FD_DEFAULT_ACCURACY;
  const resolution = options.cells !== undefined ? options.cells / (2 * FRAME_LENGTH) : FRAME_RESOLUTION * Math.sqrt(1e-3 / accuracy);
  const base = 2 * Math.ceil(FRAME_LENGTH * resolution);
  const dtMax = options.dt ?? Infinity;
  const stepShare = Math.sqrt(accuracy / 1e-3);
  // The band once injected: the pulse's spread in x and what diffusion adds meanwhile.
  const start = carrierState(cond, 0);
  const a0 = analyteState(cond, a, start);
  const p00 = Math.sqrt(start.p0sq);
  const v0 = start.un / p00 / (1 + a0.k);
  const sigma0 = Math.sqrt((v0 * pulse) ** 2 / 12 + (2 * a0.dd / p00 / (1 + a0.k)) * pulse);
  let h = Math.min(sigma0, path.outletWidth) / resolution;
  let m = base;
  const stops = [pulse, ...breakpoints(cond)].filter((t) => t > 0).sort((x, y) => x - y);
  const chunk = Math.max(16, Math.min(20_000, Math.floor(CHUNK_CELL_STEPS / (8 * m))));
  memoryCheck(m * 2, chunk, cond);
  let c = new Float64Array(m);
  let q = new Float64Array(m);
  let work = new Float64Array(FRAME_WORK_PER_CELL * m);
  const coefficients = new Float64Array(FRAME_COEFFICIENTS * chunk);
  const values = new Float64Array(times.length);
  const state = new Float64Array(FRAME_STATE);
  // The band: centre x_c, ln S and K2 (variance / S^2) by the midpoint rule along the steps.
  let xc = 0;
  let lnS = 0;
  let K2 = 0;
  let s = 0;
  let t = 0;
  let steps = 0;
  let injected = 0;
  let stop = 0;
  let merges = 0;
  let sigmaX = sigma0;
  let lastV = v0;
  let lastDt = 0;
  let largestDt = 0;
  const band = (tt: number, x: number) => {
    const st = carrierState(cond, tt);
    const an = analyteState(cond, a, st);
    const p = pressureAtState(st, x, L);
    const u = st.un / p;
    const v = u / (1 + an.k);
    const kd = an.kd0 + an.kd1 / p;
    const growth = (2 * an.dd) / p / (1 + an.k) + (kd > 0 ? (2 * an.k * u * u) / ((1 + an.k) ** 3 * kd) : 0);
    const stretch = x < L ? (v * st.drop) / (2 * L * p * p) : 0;
    return { v, growth, stretch };
  };
  let done = false;
  while (!done) {
    let k = 0;
    const chunkStart = t;
    let merge = false;
    while (k < chunk) {
      // Step length: a share of the band's time scale (see FRAME_STEP), at most INLET_COURANT
      // cells of travel while the window is held at the inlet, ending on the pulse end and the
      // program's breakpoints.
      const here = band(t, xc);
      const stretch = xc < L ? here.stretch : s < L ? band(t, L * (1 - 1e-12)).stretch : 0;
      const rate = here.growth / (sigmaX * sigmaX) + Math.abs(stretch) + Math.abs(Math.log(here.v / lastV)) / Math.max(lastDt, 1e-300);
      lastV = here.v;
      let dt = Math.min(dtMax, ((s === 0 ? INLET_STEP : FRAME_STEP) * stepShare) / Math.max(rate, 1e-300), horizon);
      if (s === 0) dt = Math.min(dt, (INLET_COURANT * Math.sqrt(accuracy / 1e-2) * h) / Math.max(here.v, 1e-300));
      while (stop < stops.length && stops[stop] <= t) stop++;
      if (stop < stops.length) dt = Math.min(dt, stops[stop] - t);
      lastDt = dt;
      largestDt = Math.max(largestDt, dt);
      const tm = t + dt / 2;
      const mid = band(tm, xc + (here.v * dt) / 2);
      const xNext = xc + mid.v * dt;
      lnS += mid.stretch * dt;
      const S = Math.exp(lnS);
      K2 += (mid.growth * dt) / (S * S);
      const inPulse = t < pulse;
      const pulseWidth = v0 * Math.min(t + dt, pulse) * S;
      sigmaX = Math.sqrt(K2 * S * S + (pulseWidth * pulseWidth) / 12);
      const target = inPulse ? 0 : Math.max(0, xNext - FRAME_BEHIND * sigmaX);
      const sNext = Math.max(s, target);
      const w = (sNext - s) / dt;
      const st = carrierState(cond, tm);
      const an = analyteState(cond, a, st);
      const inflow = inPulse ? (st.un / Math.sqrt(st.p0sq)) * a.c0 : 0;
      injected += inflow * dt;
      const o = k * FRAME_COEFFICIENTS;
      coefficients[o] = dt;
      coefficients[o + 1] = inflow / h;
      coefficients[o + 2] = st.p0sq;
      coefficients[o + 3] = st.drop;
      coefficients[o + 4] = st.un;
      coefficients[o + 5] = an.dd;
      coefficients[o + 6] = an.K;
      coefficients[o + 7] = an.kd0;
      coefficients[o + 8] = an.kd1;
      coefficients[o + 9] = w;
      coefficients[o + 10] = s + (w * dt) / 2;
      coefficients[o + 11] = t;
      coefficients[o + 12] = s;
      coefficients[o + 13] = sNext === 0 ? 1 : 0; // held at the inlet for the whole step
      k++;
      xc = xNext;
      s = sNext;
      t = stop < stops.length && Math.abs(t + dt - stops[stop]) <= 1e-12 * stops[stop] ? stops[stop] : t + dt;
      // Done past the horizon, or once the outlet plane has swept out of the window's back end.
      if (t >= horizon || (t >= pulse && L - s < 3 * h)) {
        done = true;
        break;
      }
      // merge whenever the band has doubled its width (while held at the inlet too: a heavy
      // analyte spreads there for a long time before it moves)
      if (sigmaX > 2 * resolution * h) {
        merge = true;
        break;
      }
    }
    // Only the output times this chunk can reach go to the kernel (the wasm engine copies them).
    const first = state[0];
    const last = (k - 1) * FRAME_COEFFICIENTS;
    const reach = k > 0 ? Math.max(t, coefficients[last + 11] + coefficients[last]) : t;
    let end = first;
    while (end < times.length && times[end] <= reach) end++;
    state[0] = 0;
    const result = kernels.fdFrameAdvance(m, h, L, alpha, c, q, work, k, coefficients,
      times.subarray(first, end), values.subarray(first, end), state);
    state[0] += first;
    if (result < 0) {
      throw new Error(`${a.name}: the time stepping produced a non-finite value near t = ${t} s ` +
        `(${m} cells of ${h} m, last step ${lastDt} s); this is a bug, please report it with the input`);
    }
    steps += k;
    if (merge) {
      // Pairs of cells into one (cell averages: mass is kept exactly); the back end stays.
      const nc = new Float64Array(m);
      const nq = new Float64Array(m);
      for (let i = 0; 2 * i < m; i++) {
        nc[i] = (c[2 * i] + c[2 * i + 1]) / 2;
        nq[i] = (q[2 * i] + q[2 * i + 1]) / 2;
      }
      c = nc;
      q = nq;
      h *= 2;
      merges++;
    }
    yield done ? horizon : Math.max(chunkStart, Math.min(t, horizon));
  }
  let inside = 0;
  for (let j = 0; j < m; j++) inside += (c[j] + alpha * q[j]) * h;
  return {
    grid: { name: a.name, cells: m, spacing: h, dt: largestDt, steps, cellSteps: state[3], expectedError: accuracy, merges },
    outlet: values,
    // What left the window counts as held (behind it, in the column) or eluted (ahead of it).
    balance: { injected, held: inside + state[1], eluted: state[2] },
    coarsened: false,
  };
}

function* runAll(req: Request): Generator<number, AnalyteRun[]> {
  const horizon = Math.max(req.times[req.times.length - 1], 1e-300);
  const count = req.conditions.analytes.length;
  const runs: AnalyteRun[] = [];
  for (let i = 0; i < count; i++) {
    const it = req.options.frame === 'fixed' ? runAnalyte(req, i) : runFrameAnalyte(req, i);
    for (;;) {
      const r = it.next();
      if (r.done) {
        runs.push(r.value);
        break;
      }
      yield Math.min(1, (i * horizon + r.value) / (count * horizon));
    }
  }
  return runs;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The finite-difference run was aborted', 'AbortError');
}

function drive(req: Request): AnalyteRun[] {
  const it = runAll(req);
  for (;;) {
    if (req.options.signal?.aborted) throw abortError(req.options.signal);
    const r = it.next();
    if (r.done) return r.value;
    req.options.onProgress?.(r.value);
  }
}

async function driveAsync(req: Request): Promise<AnalyteRun[]> {
  const it = runAll(req);
  let last = performance.now();
  for (;;) {
    if (req.options.signal?.aborted) throw abortError(req.options.signal);
    const r = it.next();
    if (r.done) return r.value;
    req.options.onProgress?.(r.value);
    if (performance.now() - last > 20) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      last = performance.now();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Request and result

/** Default output grid: 0 to the last arrival + 8 deviations, POINTS_PER_SIGMA per narrowest deviation. */
function defaultTimes(paths: BandPath[]): Float64Array {
  const finite = paths.filter((p) => Number.isFinite(p.retentionTime));
  if (finite.length === 0) {
    throw new ProblemError('options.times', 'no analyte reaches the outlet within 1e6 path steps; give the output times');
  }
  const end = Math.max(...finite.map((p) => p.retentionTime + 8 * p.sigma));
  const spacing = Math.max(Math.min(...finite.map((p) => p.sigma)) / POINTS_PER_SIGMA, end / (MAX_DEFAULT_POINTS - 1));
  const count = Math.floor(end / spacing) + 1;
  const t = new Float64Array(count);
  for (let j = 0; j < count; j++) t[j] = j * spacing;
  return t;
}

function checkTimes(given: ArrayLike<number>): Float64Array {
  const t = Float64Array.from(given);
  if (t.length < 1) throw new ProblemError('options.times', 'must hold at least one time');
  for (let j = 0; j < t.length; j++) {
    if (!Number.isFinite(t[j]) || t[j] < 0) throw new ProblemError(`options.times[${j}]`, `must be a finite time >= 0 (s), got ${t[j]}`);
    if (j > 0 && !(t[j] >= t[j - 1])) throw new ProblemError(`options.times[${j}]`, `must be >= the previous time ${t[j - 1]}, got ${t[j]}`);
  }
  return t;
}

function request(conditions: RunConditions, options: FdProgramOptions): Request {
  options = solverOptions(options);
  checkConditions(conditions);
  checkGridOptions(options);
  if (options.frame !== undefined && options.frame !== 'moving' && options.frame !== 'fixed') {
    throw new ProblemError('options.frame', `must be "moving" or "fixed", got ${String(options.frame)}`);
  }
  if (options.workLimit !== undefined && !(typeof options.workLimit === 'number' && options.workLimit >= 1e3)) {
    throw new ProblemError('options.workLimit', `must be a number of cell updates >= 1000, got ${String(options.workLimit)}`);
  }
  const given = options.times === undefined ? undefined : checkTimes(options.times);
  const horizon = given ? given[given.length - 1] : Infinity;
  const paths = conditions.analytes.map((a) => bandPath(conditions, a, Math.max(horizon, 0) * 10 || Infinity));
  const times = given ?? defaultTimes(paths);
  const last = times[times.length - 1];
  const events = [...times, ...breakpoints(conditions).filter((t) => t < last)];
  return {
    conditions, options, kernels: selectKernels(options.engine, jsFdProgramKernels), times, paths, events,
  };
}

function moments(t: Float64Array, c: Float64Array): { area: number; mean: number; sigma: number } {
  let a = 0;
  let m1 = 0;
  for (let j = 1; j < t.length; j++) {
    const w = (t[j] - t[j - 1]) / 2;
    a += (t[j] - t[j - 1]) * (0.5 * c[j] + 0.5 * c[j - 1]);
    m1 += w * (t[j] * c[j] + t[j - 1] * c[j - 1]);
  }
  const mean = a > 0 ? m1 / a : Number.NaN;
  let m2 = 0;
  for (let j = 1; j < t.length; j++) {
    const w = (t[j] - t[j - 1]) / 2;
    m2 += w * ((t[j] - mean) ** 2 * c[j] + (t[j - 1] - mean) ** 2 * c[j - 1]);
  }
  return { area: a, mean, sigma: a > 0 ? Math.sqrt(Math.max(0, m2 / a)) : Number.NaN };
}

function result(req: Request, runs: AnalyteRun[], started: number): FdProgramResult {
  const { times, conditions } = req;
  const signal = new Float64Array(times.length);
  const analytes = conditions.analytes.map((a, i): FdProgramAnalyte => {
    const conc = runs[i].outlet;
    const f = a.response ?? 1;
    for (let j = 0; j < times.length; j++) signal[j] += f * conc[j];
    const m = moments(times, conc);
    return {
      name: a.name,
      concentration: conc,
      peak: locatePeak(times, conc),
      area: trapezoid(times, conc),
      mean: m.mean,
      sigma: m.sigma,
      path: { retentionTime: req.paths[i].retentionTime, sigma: req.paths[i].sigma },
    };
  });
  let worst = 0;
  for (const r of runs) {
    const { injected, held, eluted } = r.balance;
    worst = Math.max(worst, Math.abs(held + eluted - injected) / injected);
  }
  const coarse = runs.filter((r) => r.coarsened).map((r) => `${r.grid.name} (~${r.grid.expectedError.toExponential(0)} of its peak)`);
  const ok = worst <= 1e-7 && coarse.length === 0;
  let message = `time stepping finished; the mass balance closes to ${worst.toExponential(1)} of the injected amount`;
  if (coarse.length > 0) message += `; the grid was coarsened to bound the work for ${coarse.join(', ')}`;
  return {
    method: 'fd-program',
    times,
    analytes,
    signal,
    errorEstimate: worst,
    status: { code: ok ? 'success' : 'inaccurate', message },
    cost: {
      engine: req.kernels.name,
      evaluations: runs.reduce((s, r) => s + r.grid.cellSteps, 0),
      wallTimeMs: performance.now() - started,
    },
    grids: runs.map((r) => r.grid),
  };
}

/**
 * Outlet chromatogram of every analyte under the run conditions (temperature program, carrier
 * control) by time stepping with coefficients that change in time (module comment).
 */
export function fdChromatogramUnderProgram(conditions: RunConditions, options: FdProgramOptions = {}): FdProgramResult {
  const started = performance.now();
  const req = request(conditions, options);
  return result(req, drive(req), started);
}

/** As `fdChromatogramUnderProgram`, yielding to the event loop between chunks so `options.signal` can cancel it. */
export async function fdChromatogramUnderProgramAsync(
  conditions: RunConditions, options: FdProgramOptions = {},
): Promise<FdProgramResult> {
  const started = performance.now();
  const req = request(conditions, options);
  return result(req, await driveAsync(req), started);
}
