/**
 * Finite-difference (method-of-lines) solution of the full column model WITH axial diffusion
 * (MODEL.md §1): advection with constant or variable velocity u(x), diffusion D(x) = D0 p0/p(x)
 * (62), linear kinetics (2), Danckwerts flux inlet, zero-gradient outlet. Returns the same result
 * shapes as the Laplace solver (src/laplace.ts), so either method is a drop-in for the other.
 *
 * Two schemes, both as kernels in assembly/fd.ts with plain-TS twins in src/kernels/fd.ts:
 *
 * * 'implicit' (default). Finite volumes on N equal cells: the inlet face carries the prescribed
 *   Danckwerts flux u0 c0 (H(t) - H(t - t1)) exactly (so the injected mass is exact); interior
 *   faces the flux u_f c_f - D_f (c_{j+1} - c_j)/h with the second-order upwind face value
 *   c_f = (3 c_j - c_{j-1})/2 (central at the first face); the outlet face u_L c_L with zero
 *   diffusive flux, c_L reconstructed from the last two cells by the exact local solution of
 *   u c' = D c'' with c'(L) = 0 (`outletWeight`): it tends to linear extrapolation when the
 *   outlet boundary layer D/u is thinner than a cell (BTEX) and to the quadratic zero-gradient fit
 *   when it is resolved. Why upwind-biased and not central faces: at BTEX cell Péclet numbers
 *   (u h/D ~ 10^3) central faces leave the sawtooth grid modes undamped (their discrete frequency
 *   is zero, so neither the film exchange nor the weak diffusion touches them); they were
 *   measured carrying ~1e-4 of the injected mass upstream and oscillating at 30% of the peak on
 *   coarse grids. The upwind-biased face damps them (dissipation ~ u h^3 c_xxxx), stays second
 *   order and linear, so each solve is still one banded system (entries j-2..j+1); a limited
 *   (TVD) face would be monotone but nonlinear and first order at every peak. Time: TR-BDF2
 *   (gamma = 2 - sqrt 2), a one-step, second-order, L-stable method, so that (i) the stiff film
 *   exchange (alpha ka + kd ~ 240 1/s for BTEX) is damped, not ringing as under Crank–Nicolson, at
 *   steps set by the peak width (~0.1-0.5 s); (ii) the pulse edges t = 0 and t = t1 are step
 *   boundaries, so the discontinuous inlet costs no order (BDF2 would lag the pulse by dt/2);
 *   (iii) both stages share the matrix I - beta dt J, whose film rows are eliminated per cell,
 *   leaving one banded solve in c per stage with LU factors reused between steps. Linear
 *   second-order schemes are not monotone, so tiny undershoots are possible where a front is
 *   narrower than a few cells; on the default grid the outputs stay above -1e-6 of the peak
 *   (test/fd.test.ts measures chromatograms and early profiles).
 *   Only the active window of cells (where |c| + alpha |q| exceeds 1e-10 of the peak) is computed; it
 *   moves with the band and widens as it spreads.
 *
 * * 'explicit': the paper's scheme (53)-(63): nodes, central differences, forward Euler. Kept for
 *   reproduction; a step above its stability bound (von Neumann analysis of the frozen-
 *   coefficient scheme at every node) is refused with the largest stable step in the message.
 *
 * Automatic grid (src/solvers/fd-grid.ts), per analyte, from the requested accuracy (fraction of
 * the peak height): the leading errors of both discretizations are dispersive and of opposite
 * sign, E_x ~ h^2 (1 + alpha K)^3 int dx/u^3 / sigma^3 in space and E_t ~ dt^2 t_R / sigma^3 in
 * time, with constants derived there from the schemes (and checked against measured errors by
 * bench/fd.js); the grid balances the two so that they largely cancel. It is why retained,
 * narrow peaks (o-xylene) get ~10^4 cells and weakly retained broad ones (benzene) ~10^3.
 */
import { givenTimes, outputTimes, trapezoid } from './grid.js';
import { bandVariance, checkGridOptions, FD_DEFAULT_ACCURACY, fdGrid, gridError, scheduleStops, stepping, stepsIn } from './fd-grid.js';

export { FD_DEFAULT_ACCURACY, FD_CANCELLATION_MARGIN, fdGrid } from './fd-grid.js';
import { diffusivity, phaseRatio, velocity, velocityRatio } from '../model/flow.js';
import { jsFdKernels, type FdKernels } from '../engine/kernels/index.js';
import { checkMemoryNeed, memoryBudget } from '../model/limits.js';
import { detectorSignal, MAX_PROFILE_POINTS, type AnalyteChromatogram, type ChromatogramResult, type ProfileResult } from './laplace.js';
import { peakMoments, resolution, type PeakMoments } from '../model/moments.js';
import {
  parseSolverProblem, ProblemError, refuseExtraMechanisms, solverOptions, type Analyte, type Problem, type VelocityModel,
} from '../model/problem.js';
import type { SolveCost, Status } from './status.js';
import { chromatogramStatus } from './checks.js';
import { selectKernels } from '../engine/wasm.js';
import {
  checkFilmProblem, filmCells, filmFaces, filmGridError, filmGroups, filmRates, filmStepBound, LANGMUIR_STEP_SHARE, type FilmGroup,
} from './fd-langmuir.js';
import { fdLangmuirWork } from '../engine/kernels/fd-langmuir.js';

export type FdScheme = 'implicit' | 'explicit';
/** The saturating-film scheme's model of an analyte (MODEL.md §14). */
export type FilmScheme = 'langmuir' | 'anti-langmuir' | 'competitive';

export interface FdOptions {
  /** Kernels to run: 'wasm' (default), 'js' (the plain-TypeScript twin) or a kernel object. */
  engine?: 'wasm' | 'js' | FdKernels;
  /** Overrides `column.velocity`. */
  velocity?: VelocityModel;
  /** 'implicit' (default: finite volumes + TR-BDF2) or 'explicit' (the paper's scheme (53)-(63)). */
  scheme?: FdScheme;
  /** Target discretization error as a fraction of each peak's height (default 1e-3). */
  accuracy?: number;
  /** Number of cells (implicit) or intervals between nodes (explicit); overrides the automatic choice. */
  cells?: number;
  /** Time step (s); overrides the automatic choice. Steps are shortened to land on output times. */
  dt?: number;
  /** Called with the fraction done (0..1) between chunks of steps. */
  onProgress?: (fraction: number) => void;
  /** Cancels the run between chunks of steps (the solver throws the signal's reason). */
  signal?: AbortSignal;
  /** Most cell updates (steps x (cells + a per-step overhead), all analytes) of the run; default FD_WORK_LIMIT (see there). */
  workLimit?: number;
}

export interface FdChromatogramOptions extends FdOptions {
  /** Output times (s), ascending; default: the problem's `output` grid. */
  times?: ArrayLike<number>;
}

export interface FdProfileOptions extends FdOptions {
  /** Times (s) at which to take the profiles: an array or a Float64Array. */
  times: ArrayLike<number>;
  /** Number of equally spaced positions from inlet to outlet (default 201). */
  points?: number;
}

/** The grid and stepping one analyte was solved with. */
export interface FdGridInfo {
  name: string;
  scheme: FdScheme;
  /** Number of cells (implicit) or node intervals (explicit). */
  cells: number;
  /** Cell width / node spacing h (m). */
  spacing: number;
  /** Nominal time step (s); steps are shortened where needed to land on output times. */
  dt: number;
  /** Time steps taken. */
  steps: number;
  /** Cell updates done (cells in the active window, summed over steps). */
  cellSteps: number;
  /** Largest stable step of the explicit scheme on this grid (s); null for the implicit one. */
  stableDt: number | null;
  /**
   * Rows of the step matrix whose LU factors were computed, summed over steps: the window's
   * cells once per change of dt or of the window's start, and the cells it grows by (0 for the
   * explicit scheme). Steps of one length share their factors.
   */
  factoredRows: number;
  /**
   * Error the grid rule's model (src/solvers/fd-grid.ts) expects for this grid, as a fraction of
   * the peak height: the requested accuracy or less, or more when the grid had to be coarsened
   * to stay within FD_WORK_LIMIT (then the status is 'inaccurate') or when `cells` and `dt`
   * given make it so; null for the explicit scheme.
   */
  expectedError: number | null;
  /**
   * Set when the analyte was stepped by the saturating-film scheme (MODEL.md §14: MUSCL finite
   * volumes, SSP Runge-Kutta): its film model. `scheme` then reads 'implicit' (the option it
   * took), `stableDt` is the positivity bound and `cellSteps` counts 3 stages per step.
   */
  film?: FilmScheme;
}

export interface FdChromatogramResult extends ChromatogramResult {
  method: 'fd';
  grids: FdGridInfo[];
}

export interface FdProfileResult extends ProfileResult {
  method: 'fd';
  grids: FdGridInfo[];
}

/** Memory a request may need at most (bytes); larger requests are refused before they start. */
export const FD_MEMORY_LIMIT = 1024 ** 3;
/**
 * Most cell updates a run may need, summed over its analytes: steps x (cells + STEP_OVERHEAD),
 * with the steps the schedule takes (at least one per output interval, however long dt is).
 * Automatic grids beyond it are coarsened and flagged, a caller's grid refused, before any
 * analyte runs. About one to two minutes in wasm.
 */
export const FD_WORK_LIMIT = 1e10;
/**
 * What a time step costs beyond its cells, in cell updates: the schedule, the outlet record and
 * the window's bookkeeping (measured 0.4 us a step; a cell update takes 6-8 ns in wasm).
 */
const STEP_OVERHEAD = 64;
/** Most cells of an automatic saturating-film grid (beyond, the run could not meet the work limit anyway). */
const MAX_FILM_CELLS = 1e7;
/** Fewest cells an automatic grid is coarsened to. */
const MIN_COARSE_CELLS = 16;
/** Cells with |c| + alpha |q| below this fraction of c0 (times t1/(t1 + 3 sigma)) are left out of the computation. */
const NEGLIGIBLE = 1e-10;
/** Cell updates per kernel call: the granularity of progress reports and cancellation. */
const CHUNK_CELL_STEPS = 20_000_000;
/** TR-BDF2 quadrature weights of (y_n, y*, y_{n+1}): sqrt2/4, sqrt2/4, 1 - 1/sqrt2. */
const STAGE_WEIGHT = Math.SQRT2 / 4;
const END_WEIGHT = 1 - Math.SQRT1_2;

// ---------------------------------------------------------------------------------------------
// Problem set-up

function fdKernels(engine: FdOptions['engine']): FdKernels {
  return selectKernels(engine, jsFdKernels);
}

function prepare(input: Problem | unknown, options: FdOptions): Problem {
  const problem = parseSolverProblem(input, options.velocity);
  refuseExtraMechanisms(problem, 'the finite-difference solver', { isotherms: true });
  checkFilmProblem(problem, options.scheme);
  problem.analytes.forEach((a, i) => {
    if (a.diffusivity === undefined) {
      throw new ProblemError(`analytes[${i}].diffusivity`,
        'is required by the finite-difference solver (m2/s, > 0); the Laplace solver (--method laplace) neglects diffusion');
    }
  });
  if (options.scheme !== undefined && options.scheme !== 'implicit' && options.scheme !== 'explicit') {
    throw new ProblemError('options.scheme', `must be "implicit" or "explicit", got ${String(options.scheme)}`);
  }
  checkGridOptions(options);
  if (options.workLimit !== undefined && !(typeof options.workLimit === 'number' && options.workLimit >= 1e3)) {
    throw new ProblemError('options.workLimit', `must be a number of cell updates >= 1000, got ${String(options.workLimit)}`);
  }
  return problem;
}

/**
 * Outlet weight theta of the reconstruction c_L = c_{n-1} + theta (c_{n-1} - c_{n-2}) from the
 * cell averages of the last two cells, exact for c = a + b x + beta exp((x - L) u/D) with
 * c'(L) = 0 (the local solution of u c' = D c''). P = u h / D is the cell Péclet number.
 * theta -> 1/2 (linear extrapolation) for P -> inf, 1/6 (quadratic, zero slope) for P -> 0.
 */
export function outletWeight(P: number): number {
  if (P < 0.05) return 1 / 6 + P / 18 - (P * P) / 1080 - (19 * P * P * P) / 12960;
  const e1 = -Math.expm1(-P) / P;
  return (1 - P / 2 - e1) / (-P + e1 * e1 * P);
}

interface Operator {
  /** Coefficient of c_{j-2} (implicit scheme only). */
  lower2?: Float64Array;
  lower: Float64Array;
  diag: Float64Array;
  upper: Float64Array;
}

/**
 * Finite-volume transport operator (1/s) on n cells; see the module comment. Each face carries
 * F = a c_{j-1} + b c_j + e c_{j+1} (times h); (L c)_j = -(F_{j+1/2} - F_{j-1/2})/h.
 */
function finiteVolumeOperator(problem: Problem, a: Analyte, n: number): Operator & { theta: number; h: number } {
  const col = problem.column;
  const h = col.length / n;
  const d0 = a.diffusivity as number;
  const lower2 = new Float64Array(n);
  const lower = new Float64Array(n);
  const diag = new Float64Array(n);
  const upper = new Float64Array(n);
  const uL = velocity(col, col.length);
  const theta = outletWeight((uL * h) / diffusivity(col, d0, col.length));
  // Face coefficients (1/s): [a, b, e] of face j + 1/2, for j = -1 (inlet: the source) .. n - 1.
  const face = (j: number): [number, number, number] => {
    if (j < 0) return [0, 0, 0];
    if (j === n - 1) return [(-theta * uL) / h, ((1 + theta) * uL) / h, 0]; // outlet: u_L c_L, no diffusion
    const x = (j + 1) * h;
    const u = velocity(col, x);
    const g = diffusivity(col, d0, x) / (h * h);
    // Advected face value: second-order upwind (3 c_j - c_{j-1})/2; central at the first face.
    return j === 0 ? [0, u / (2 * h) + g, u / (2 * h) - g] : [-u / (2 * h), (3 * u) / (2 * h) + g, -g];
  };
  let left = face(-1);
  for (let j = 0; j < n; j++) {
    const right = face(j);
    lower2[j] = left[0];
    lower[j] = left[1] - right[0];
    diag[j] = left[2] - right[1];
    upper[j] = -right[2];
    left = right;
  }
  return { lower2, lower, diag, upper, theta, h };
}

/** The paper's explicit scheme on nodes x_j = j dx: rows of (60)-(61) in dimensional form. */
function explicitOperator(problem: Problem, a: Analyte, n: number): Operator & { dx: number } {
  const col = problem.column;
  const dx = col.length / n;
  const d0 = a.diffusivity as number;
  const lower = new Float64Array(n + 1);
  const diag = new Float64Array(n + 1);
  const upper = new Float64Array(n + 1);
  for (let j = 0; j <= n; j++) {
    const x = j * dx;
    const u = velocity(col, x);
    const d = diffusivity(col, d0, x);
    // u' and D' of the Poiseuille profile: u = u0/p̄, p̄^2 = 1 - eps x/L => u' = u eps/(2 L p̄^2),
    // and D' = D eps/(2 L p̄^2) likewise (62).
    const pr = 1 / velocityRatio(col, x);
    const eps = col.velocity === 'constant' ? 0 : 1 - (col.outletPressure / col.inletPressure) ** 2;
    const slope = eps / (2 * col.length * pr * pr);
    const ux = u * slope;
    const dxD = d * slope;
    // dc/dt = -u' c - (u - D') c_x + D c_xx - alpha R     (60)-(61)
    lower[j] = (u - dxD) / (2 * dx) + d / (dx * dx);
    upper[j] = -(u - dxD) / (2 * dx) + d / (dx * dx);
    diag[j] = -ux - (2 * d) / (dx * dx);
  }
  return { lower, diag, upper, dx };
}

/**
 * Largest stable step (s) of the explicit scheme: forward Euler is stable when |1 + dt lambda| <= 1
 * for every eigenvalue lambda of the frozen-coefficient symbol at every node,
 * A(theta) = [[a(theta) - alpha ka, alpha kd], [ka, -kd]], a = lower e^{-i theta} + diag + upper e^{i theta};
 * that is dt <= -2 Re(lambda)/|lambda|^2. Sampled on 1024 wave numbers per node (at most 257 nodes).
 */
export function explicitStableStep(op: Operator, alpha: number, ka: number, kd: number): number {
  const n = op.diag.length - 1;
  let best = Infinity;
  const stride = Math.max(1, Math.floor((n - 1) / 256));
  const nodes: number[] = [];
  for (let j = 1; j < n; j += stride) nodes.push(j);
  if (nodes[nodes.length - 1] !== n - 1) nodes.push(n - 1);
  const samples = 1024;
  for (const j of nodes) {
    const l = op.lower[j];
    const d = op.diag[j];
    const u = op.upper[j];
    for (let s = 1; s <= samples; s++) {
      // Wave numbers dense near 0, where the bound of advection with weak diffusion is set.
      const th = Math.PI * (s / samples) ** 2;
      const re = d + (l + u) * Math.cos(th) - alpha * ka;
      const im = (u - l) * Math.sin(th);
      // Eigenvalues of [[re + i im, alpha kd], [ka, -kd]]: tr/2 +- sqrt((tr/2)^2 - det).
      const trRe = (re - kd) / 2;
      const trIm = im / 2;
      const detRe = -kd * re - alpha * kd * ka;
      const detIm = -kd * im;
      // disc = (tr/2)^2 - det
      const discRe = trRe * trRe - trIm * trIm - detRe;
      const discIm = 2 * trRe * trIm - detIm;
      const mod = Math.hypot(discRe, discIm);
      const sqRe = Math.sqrt(Math.max(0, (mod + discRe) / 2));
      const sqIm = Math.sign(discIm) * Math.sqrt(Math.max(0, (mod - discRe) / 2));
      for (const sgn of [1, -1]) {
        const lr = trRe + sgn * sqRe;
        const li = trIm + sgn * sqIm;
        const m2 = lr * lr + li * li;
        if (lr < 0 && m2 > 0) best = Math.min(best, (-2 * lr) / m2);
      }
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Time stepping

/**
 * Length of the sub-steps of an interval ending at `stop` split into `count` equal steps of
 * `size`: the previous interval's length when the two differ only by the rounding of the stop
 * times (a few ulps of `stop`, shared among the sub-steps). The kernel keeps its LU factors
 * while dt is the same number, so a grid of equal output intervals whose differences
 * t_{j+1} - t_j vary in the last bits is stepped with one factorization; the simulated time then
 * departs from the stop times by no more than their own rounding.
 */
function stepLength(size: number, previous: number, stop: number, count: number): number {
  return Math.abs(size - previous) <= (4 * Number.EPSILON * Math.abs(stop)) / count ? previous : size;
}

/**
 * Builds chunks of steps that land exactly on every event time and on the pulse end t1. Every
 * interval between stops is split into equal steps of one length (see stepLength), so that the
 * LU factors of the step matrix are reused across it.
 */
export class Schedule {
  private readonly stops: number[];
  private stop = 0;
  private t = 0;
  private left = 0;
  private size = 0;
  readonly end: number;

  /** Chunks end at these times (profile snapshots). */
  private readonly breaks: Set<number>;

  constructor(events: ArrayLike<number>, pulse: number, private readonly dt: number, breaks: number[] = []) {
    this.breaks = new Set(breaks);
    this.stops = scheduleStops(events, pulse);
    this.end = this.stops[this.stops.length - 1] ?? 0;
  }

  /** Simulated time reached (s). */
  get time(): number {
    return this.t;
  }

  get done(): boolean {
    return this.stop >= this.stops.length && this.left === 0;
  }

  /**
   * Fills up to `max` steps into dts/sources (source = `inflow` while t < t1) and returns how
   * many, with the times reached after each step in `ends` (exact stop times where one is hit).
   */
  fill(max: number, dts: Float64Array, sources: Float64Array, ends: Float64Array, pulse: number, inflow: number): number {
    let k = 0;
    while (k < max) {
      if (this.left === 0) {
        if (this.stop >= this.stops.length) break;
        const target = this.stops[this.stop];
        const span = target - this.t;
        this.left = stepsIn(span, this.dt);
        this.size = stepLength(span / this.left, this.size, target, this.left);
      }
      const start = this.t;
      this.left--;
      const last = this.left === 0;
      this.t = last ? this.stops[this.stop++] : start + this.size;
      dts[k] = this.size;
      sources[k] = start < pulse ? inflow : 0;
      ends[k] = this.t;
      k++;
      if (last && this.breaks.has(this.t)) break;
    }
    return k;
  }
}

interface AnalyteRun {
  grid: FdGridInfo;
  /** Outlet concentration at each requested chromatogram time (mol/m3). */
  outlet: Float64Array;
  /** Profiles at the requested profile times, on the requested positions (mol/m3). */
  profiles: Float64Array[];
  /** Mass still in the column at the end and eluted through the outlet (mol/m2 of cross-section). */
  balance: { injected: number; held: number; eluted: number; tolerance: number };
  /** The automatic grid was coarsened to stay within the work limit (cell updates). */
  coarsened: boolean;
  workLimit: number;
}

interface Request {
  problem: Problem;
  kernels: FdKernels;
  options: FdOptions;
  /** Chromatogram times (s), ascending (may be empty). */
  outletTimes: Float64Array;
  /** Profile times (s) and positions (m) (may be empty). */
  profileTimes: number[];
  positions: Float64Array;
  /** Chromatogram and profile times together: where the schedule stops. */
  events: Float64Array;
  /** Every analyte's grid, planned before any runs (planRun). */
  grids: RunGrid[];
}

/** A request with its grids planned: every refusal (work, memory, stability) comes before any work. */
function request(fields: Omit<Request, 'events' | 'grids'>): Request {
  const events = new Float64Array(fields.outletTimes.length + fields.profileTimes.length);
  events.set(fields.outletTimes);
  events.set(fields.profileTimes, fields.outletTimes.length);
  const req: Request = { ...fields, events, grids: [] };
  req.grids = planRun(req);
  return req;
}

/** Profile of cell averages (or node values) interpolated linearly to positions x (m). */
function sampleProfile(values: Float64Array, centers: (j: number) => number, h: number, outletValue: number,
  length: number, x: Float64Array): Float64Array {
  const n = values.length;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    if (xi >= length) { out[i] = outletValue; continue; }
    // Index of the centre at or left of xi.
    let j = Math.floor((xi - centers(0)) / h);
    j = Math.min(Math.max(j, 0), n - 2);
    const w = (xi - centers(j)) / h;
    const lastCentre = centers(n - 1);
    if (xi > lastCentre) {
      const w2 = (xi - lastCentre) / (length - lastCentre);
      out[i] = values[n - 1] + w2 * (outletValue - values[n - 1]);
    } else {
      out[i] = values[j] + w * (values[j + 1] - values[j]);
    }
  }
  return out;
}

function memoryNeed(cells: number, req: Request, analytes: number, chunk: number): number {
  // Operator (3), state (2), scratch (4), each twice (TS arrays + their wasm copies); chunk
  // schedule (3 arrays), twice; outputs for every analyte.
  const perAnalyte = 8 * (2 * 9 * (cells + 1) + 2 * 3 * chunk);
  const outputs = 8 * analytes * (req.outletTimes.length + req.profileTimes.length * req.positions.length);
  return perAnalyte + outputs;
}

/** The request's memory within FD_MEMORY_LIMIT and the memory budget (src/model/limits.ts), before any work. */
function checkMemory(cells: number, req: Request, chunk: number): void {
  const need = memoryNeed(cells, req, req.problem.analytes.length, chunk);
  const limit = Math.min(FD_MEMORY_LIMIT, memoryBudget());
  if (need > limit) {
    throw new ProblemError('options.cells',
      `the request needs about ${(need / 1024 ** 2).toFixed(0)} MiB (${cells} cells, ` +
      `${req.outletTimes.length} output times, ${req.profileTimes.length} profiles of ${req.positions.length} points ` +
      `for ${req.problem.analytes.length} analytes), above the limit of ${(limit / 1024 ** 2).toFixed(0)} MiB` +
      `${limit < FD_MEMORY_LIMIT ? ' (the memory budget)' : ''}; use fewer cells, output times or profile points`);
  }
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The finite-difference run was aborted', 'AbortError');
}

/**
 * Largest stable step of the explicit scheme on the analyte's grid (s), after refusing a given
 * step above it.
 */
function explicitStableDt(options: FdOptions, a: Analyte, alpha: number, op: Operator, n: number): number {
  const stableDt = explicitStableStep(op, alpha, a.ka, a.kd);
  if (options.dt !== undefined && options.dt > stableDt) {
    throw new ProblemError('options.dt',
      `${options.dt} s is above the stability bound of the explicit scheme for ${a.name} on ${n} intervals; ` +
      `the largest stable step is ${stableDt.toPrecision(4)} s (or use the implicit scheme)`);
  }
  return stableDt;
}

/** The time-stepping kernels' settings for one analyte on cells of width h with steps of `step` (s). */
function kernelSettings(problem: Problem, a: Analyte, h: number, step: number, explicit: boolean) {
  const col = problem.column;
  const length = col.length;
  const d0 = a.diffusivity as number;
  const u0 = col.inletVelocity;
  const uL = velocity(col, col.length);
  const pulse = problem.injection.duration;
  // Window margin: more than a step's reach of the solve ahead of the band: by advection (u dt),
  // by diffusion (the implicit solve's influence decays like exp(-x / sqrt(D dt))) and by the
  // molecules not yet adsorbed, which run ahead at u and decay like exp(-x (alpha ka + kd)/u);
  // 25 decay lengths bring each below 1e-10 of what enters them.
  const reach = Math.max(uL * step * 2, 25 * Math.sqrt(diffusivity(col, d0, col.length) * step),
    (25 * uL) / (phaseRatio(col) * a.ka + a.kd));
  return {
    // Capped at the cell count: a step that reaches past the outlet widens the window to the whole
    // column, no further (an uncapped margin made every step loop over it, and overflowed i32).
    margin: Math.min(Math.round(length / h), Math.max(16, Math.ceil(reach / h))),
    // Relative to the peak the pulse can give, not c0: a short pulse leaves peaks far below c0.
    negligible: NEGLIGIBLE * a.c0 * Math.min(1, pulse / (pulse + 3 * Math.sqrt(bandVariance(problem, a)))),
    // Inflow: the Danckwerts flux u0 c0 (mol/m2/s); the finite-volume kernel takes it per cell volume.
    inflow: explicit ? u0 * a.c0 : (u0 * a.c0) / h,
    inletWeight: explicit ? (2 * h) / (2 * h * u0 + 3 * d0) : 0,
    inletCoupling: explicit ? d0 / (2 * h * u0 + 3 * d0) : 0,
  };
}

/** The grid of one analyte's run, and how much it was coarsened to bound the work. */
interface RunGrid {
  cells: number;
  /** Nominal step (s): the given or automatic one, or for the explicit scheme the step it takes. */
  dt: number;
  /** Steps the schedule takes with it (every output interval needs at least one). */
  steps: number;
  /** The longest of them (s): no longer than dt nor than the longest interval between output times. */
  longestStep: number;
  /** Largest stable step of the explicit scheme (s); null for the implicit one. */
  stableDt: number | null;
  expectedError: number | null;
  coarsened: number;
  limit: number;
  /** Saturating-film group (MODEL.md §14) this analyte is stepped in, with the group's work; absent for linear analytes. */
  film?: { group: FilmGroup; work: number };
}

/** Cell updates (cells x steps) of a grid, plus what each step costs beyond its cells. */
function gridWork(g: { cells: number; steps: number; film?: { work: number } }, explicit: boolean): number {
  if (g.film) return g.film.work;
  return g.steps * ((explicit ? g.cells + 1 : g.cells) + STEP_OVERHEAD);
}

/** Steps of the kernels' chunks for n cells (a kernel call does about CHUNK_CELL_STEPS updates). */
function chunkSteps(n: number): number {
  return Math.max(16, Math.min(100_000, Math.floor(CHUNK_CELL_STEPS / n)));
}

/**
 * The grids of the saturating-film groups (MODEL.md §14), by analyte index (every member shares
 * its group's grid). Cells from the accuracy (or options.cells), the step from the positivity
 * bound (options.dt above it is refused). A group's work is 3 stages x steps x (cells +
 * STEP_OVERHEAD) x members; beyond the limit the run is refused here, before any work, naming it.
 */
function planFilms(req: Request, stops: number[], limit: number): Map<number, RunGrid> {
  const { problem, options } = req;
  const out = new Map<number, RunGrid>();
  const horizon = stops[stops.length - 1] ?? 0;
  let total = 0;
  for (const group of filmGroups(problem)) {
    const names = group.members.map((i) => problem.analytes[i].name).join(', ');
    const cells = options.cells ?? filmCells(problem, group, options.accuracy ?? FD_DEFAULT_ACCURACY);
    if (options.cells === undefined && !(cells <= MAX_FILM_CELLS)) {
      throw new ProblemError('options.accuracy', `${names}: the saturating-film scheme's automatic grid for accuracy ` +
        `${options.accuracy ?? FD_DEFAULT_ACCURACY} needs ${cells.toPrecision(3)} cells, above ${MAX_FILM_CELLS} (the band, ` +
        `sharpened by the loading K c0/qMax, is that much narrower than the column); ask for a coarser accuracy or give cells`);
    }
    checkMemory(cells * group.members.length, req, chunkSteps(cells * group.members.length));
    const d0 = problem.analytes[group.members[0]].diffusivity as number;
    const { faceU, faceG, h } = filmFaces(problem, d0, cells);
    const bound = filmStepBound(problem, group, faceU, faceG, h);
    if (options.dt !== undefined && options.dt > bound) {
      throw new ProblemError('options.dt', `${options.dt} s is above the positivity bound of the saturating-film scheme ` +
        `(MODEL.md §14.3) for ${names} on ${cells} cells; the largest step is ${bound.toPrecision(4)} s`);
    }
    const dt = options.dt ?? LANGMUIR_STEP_SHARE * bound;
    const { steps, longest } = stepping(stops, dt);
    const work = 3 * steps * (cells + STEP_OVERHEAD) * group.members.length;
    total += work;
    if (total > limit) {
      const key = options.dt !== undefined ? 'options.dt' : options.cells !== undefined ? 'options.cells' : 'options.accuracy';
      throw new ProblemError(key,
        `${names}: the saturating-film scheme (MODEL.md §14) on ${cells} cells needs ${steps} steps of at most ` +
        `${+dt.toPrecision(3)} s ${options.dt !== undefined ? '' : '(the positivity bound of MODEL.md §14.3) '}up to t = ${horizon} s, ` +
        `about ${total.toExponential(1)} cell updates with the groups before it, above the limit of ${limit.toExponential(0)} ` +
        `(options.workLimit); ${options.dt !== undefined ? 'use a longer step or fewer output times' : 'ask for a coarser accuracy or fewer cells'}`);
    }
    const grid: RunGrid = {
      cells, dt, steps, longestStep: longest, stableDt: bound, coarsened: 1, limit,
      expectedError: filmGridError(problem, group, cells), film: { group, work },
    };
    group.members.forEach((i, k) => out.set(i, k === 0 ? grid : { ...grid, film: { group, work: 0 } }));
  }
  return out;
}

/**
 * The grids of all analytes, fixed before any of them runs, with bounded run time and memory:
 * the work of the whole run (the steps the schedule takes, each over the grid's cells plus
 * STEP_OVERHEAD) is at most the work limit. Larger steps than the output spacing do not lower
 * it: every output interval is a step. A grid the caller fixed (cells or dt given, or the
 * explicit scheme) beyond the limit is refused; automatic grids are coarsened in h and dt by a
 * common factor, and their results flagged; when even the coarsest grid is beyond it (the output
 * times force too many steps) the run is refused.
 */
function planRun(req: Request): RunGrid[] {
  const { problem, options } = req;
  const limit = options.workLimit ?? FD_WORK_LIMIT;
  const explicit = options.scheme === 'explicit';
  const context = { events: req.events, profiles: req.profileTimes.length > 0 };
  const stops = scheduleStops(req.events, problem.injection.duration);
  const horizon = stops[stops.length - 1] ?? 0;
  const alpha = phaseRatio(problem.column);
  const films = planFilms(req, stops, limit);
  const grids = problem.analytes.map((a, i): RunGrid => {
    const film = films.get(i);
    if (film) return film;
    const auto = fdGrid(problem, a, options, context);
    checkMemory(auto.cells, req, chunkSteps(auto.cells));
    if (!explicit) {
      const { steps, longest } = stepping(stops, auto.dt);
      return { ...auto, steps, longestStep: longest, stableDt: null, coarsened: 1, limit };
    }
    const stableDt = explicitStableDt(options, a, alpha, explicitOperator(problem, a, auto.cells), auto.cells);
    const dt = options.dt ?? 0.9 * stableDt;
    const { steps, longest } = stepping(stops, dt);
    const grid = { ...auto, dt, steps, longestStep: longest, stableDt, coarsened: 1, limit };
    const work = gridWork(grid, true);
    if (work > limit) {
      throw new ProblemError(options.cells !== undefined ? 'options.cells' : 'options.scheme',
        `${a.name}: the explicit scheme on ${auto.cells} intervals is stable only for steps up to ${stableDt.toPrecision(4)} s ` +
        `and would need about ${work.toExponential(1)} node updates up to t = ${horizon} s, above the limit of ` +
        `${limit.toExponential(0)}; use fewer cells (the bound grows like h^2) or the implicit scheme`);
    }
    return grid;
  });
  const total = (list: RunGrid[]) => list.reduce((sum, g) => sum + gridWork(g, explicit), 0);
  let work = total(grids);
  if (work <= limit) return grids;
  const largest = grids.filter((g) => !g.film).reduce((m, g) => (gridWork(g, explicit) > gridWork(m, explicit) ? g : m));
  const forced = largest.steps === stops.length;
  const whole = `the run (${grids.length} analyte${grids.length === 1 ? '' : 's'}) needs about ${work.toExponential(1)} ` +
    `cell updates, above the limit of ${limit.toExponential(0)} (options.workLimit)`;
  const named = problem.analytes[grids.indexOf(largest)].name;
  if (explicit) {
    throw new ProblemError('options.scheme', `${whole}; ${named} alone needs ${gridWork(largest, true).toExponential(1)}: ` +
      'use fewer cells or the implicit scheme');
  }
  if (options.cells !== undefined || options.dt !== undefined) {
    throw new ProblemError(options.cells !== undefined ? 'options.cells' : 'options.dt',
      `${named}: ${largest.cells} cells with ${largest.steps} steps of ${+largest.dt.toPrecision(3)} s up to t = ${horizon} s ` +
      `need about ${gridWork(largest, false).toExponential(1)} cell updates; ${whole}; ` +
      (forced ? `the ${stops.length} output times need a step each: use fewer cells or output times`
        : 'use fewer cells or a longer step'));
  }
  // Coarsen every automatic grid by one factor until the whole run fits.
  let factor = Math.sqrt(work / limit);
  for (let attempt = 0; attempt < 40; attempt++) {
    const coarse = grids.map((g, i): RunGrid => {
      if (g.film) return g;
      const cells = Math.max(MIN_COARSE_CELLS, Math.ceil(g.cells / factor));
      const dt = g.dt * factor;
      const { steps, longest } = stepping(stops, dt);
      return { ...g, cells, dt, steps, longestStep: longest, coarsened: factor, expectedError: gridError(problem, problem.analytes[i], cells, dt, context) };
    });
    work = total(coarse);
    if (work <= limit) return coarse;
    if (coarse.every((g) => g.film || (g.cells === MIN_COARSE_CELLS && g.steps === stops.length))) break;
    factor *= Math.max(1.05, Math.sqrt(work / limit));
  }
  throw new ProblemError(req.profileTimes.length > 0 ? 'options.times' : 'output.count',
    `the ${stops.length} output and profile times need a step each: with ${MIN_COARSE_CELLS} cells for each of the ` +
    `${grids.length} analytes that is about ${work.toExponential(1)} cell updates, above the limit of ` +
    `${limit.toExponential(0)} (options.workLimit); ask for fewer output times`);
}

/**
 * Runs one analyte. A generator: it yields the simulated time reached (s) after each chunk of
 * steps, so the caller reports progress, checks cancellation and (async) lets the event loop run.
 */
function* runAnalyte(req: Request, index: number): Generator<number, AnalyteRun> {
  const { problem, kernels, options } = req;
  const a = problem.analytes[index];
  const col = problem.column;
  const alpha = phaseRatio(col);
  const scheme = options.scheme ?? 'implicit';
  const explicit = scheme === 'explicit';
  const grid = req.grids[index];
  const n = grid.cells;
  const step = grid.dt;
  const stableDt = grid.stableDt;
  const limit = grid.limit;
  const pulse = problem.injection.duration;
  const u0 = col.inletVelocity;
  const chunk = chunkSteps(n);

  const size = explicit ? n + 1 : n;
  const op = explicit ? explicitOperator(problem, a, n) : finiteVolumeOperator(problem, a, n);
  const h = col.length / n;
  const plan = new Schedule(req.events, pulse, step, req.profileTimes);

  const c = new Float64Array(size);
  const q = new Float64Array(size);
  const work = new Float64Array(explicit ? size : 6 * n);
  const dts = new Float64Array(chunk);
  const sources = new Float64Array(chunk);
  const ends = new Float64Array(chunk);
  const outletRecord = new Float64Array(explicit ? chunk : 2 * chunk);
  const window = new Float64Array(7);
  const theta = 'theta' in op ? op.theta : 0;
  const uL = velocity(col, col.length);
  const { margin, negligible, inflow, inletWeight, inletCoupling } = kernelSettings(problem, a, h, grid.longestStep, explicit);

  const outlet = new Float64Array(req.outletTimes.length);
  const profiles: Float64Array[] = req.profileTimes.map(() => new Float64Array(req.positions.length));
  let nextOutlet = 0;
  while (nextOutlet < outlet.length && req.outletTimes[nextOutlet] <= 0) nextOutlet++;
  const profileIndex = new Map<number, number[]>();
  req.profileTimes.forEach((t, i) => profileIndex.set(t, [...(profileIndex.get(t) ?? []), i]));
  for (const [t, list] of profileIndex) if (t <= 0) for (const i of list) profiles[i].fill(0);

  let steps = 0;
  let cellSteps = 0;
  let eluted = 0;
  let lastOutlet = 0;
  const centers = explicit ? (j: number) => j * h : (j: number) => (j + 0.5) * h;
  while (!plan.done) {
    const m = plan.fill(chunk, dts, sources, ends, pulse, inflow);
    const done = explicit
      ? kernels.fdExplicitAdvance(n, op.lower, op.diag, op.upper, alpha, a.ka, a.kd, c, q, work, m, dts, sources,
        outletRecord, inletWeight, inletCoupling)
      : kernels.fdImplicitAdvance(n, op.lower2 as Float64Array, op.lower, op.diag, op.upper, alpha, a.ka, a.kd, c, q, work, m, dts, sources,
        outletRecord, theta, window, negligible, margin);
    if (done < 0) {
      throw new Error(`${a.name}: the ${scheme} scheme produced a non-finite value at t = ${ends[-1 - done]} s ` +
        `(cells ${n}, dt ${step} s); this is a bug or an unstable explicit step, please report it with the input`);
    }
    steps += m;
    cellSteps = explicit ? cellSteps + m * size : window[5];
    for (let k = 0; k < m; k++) {
      // Eluted amount per unit cross-section (mol/m2): with the TR-BDF2 weights of its stages,
      // exactly what the scheme moved out; the trapezoid rule for the explicit scheme.
      const end = explicit ? outletRecord[k] : outletRecord[2 * k + 1];
      eluted += explicit
        ? 0.5 * dts[k] * uL * (lastOutlet + end)
        : dts[k] * uL * (STAGE_WEIGHT * (lastOutlet + outletRecord[2 * k]) + END_WEIGHT * end);
      lastOutlet = end;
      while (nextOutlet < outlet.length && req.outletTimes[nextOutlet] <= ends[k]) {
        // Outputs are step ends (the schedule stops on them); repeated times share the value.
        outlet[nextOutlet++] = end;
      }
    }
    const list = profileIndex.get(plan.time);
    if (list) {
      const x = sampleProfile(c, centers, h, lastOutlet, col.length, req.positions);
      for (const i of list) profiles[i].set(x);
    }
    yield plan.time;
  }
  let held = 0;
  for (let j = 0; j < size; j++) held += (c[j] + alpha * q[j]) * (explicit && (j === 0 || j === n) ? h / 2 : h);
  return {
    grid: {
      name: a.name, scheme, cells: n, spacing: h, dt: step, steps, cellSteps, stableDt,
      expectedError: grid.expectedError, factoredRows: explicit ? 0 : window[6],
    },
    outlet,
    profiles,
    balance: { injected: u0 * a.c0 * Math.min(pulse, plan.end), held, eluted, tolerance: explicit ? 1e-3 : 1e-7 },
    coarsened: grid.coarsened > 1,
    workLimit: limit,
  };
}

/**
 * Runs a saturating-film group (MODEL.md §14): its members coupled per cell in one kernel call
 * per chunk. Yields the simulated time after each chunk, as runAnalyte does.
 */
function* runFilmGroup(req: Request, group: FilmGroup): Generator<number, AnalyteRun[]> {
  const { problem, kernels } = req;
  const col = problem.column;
  const alpha = phaseRatio(col);
  const members = group.members.map((i) => problem.analytes[i]);
  const m = members.length;
  const grid = req.grids[group.members[0]];
  const n = grid.cells;
  const pulse = problem.injection.duration;
  const u0 = col.inletVelocity;
  const chunk = chunkSteps(n * m * 3);
  const { faceU, faceG, h } = filmFaces(problem, members[0].diffusivity as number, n);
  const rates = filmRates(problem, group);
  const inflow = Float64Array.from(members, (a) => u0 * a.c0);
  const plan = new Schedule(req.events, pulse, grid.dt, req.profileTimes);
  const c = new Float64Array(m * n);
  const q = new Float64Array(m * n);
  const work = new Float64Array(fdLangmuirWork(n, m));
  const dts = new Float64Array(chunk);
  const sources = new Float64Array(chunk);
  const ends = new Float64Array(chunk);
  const outletRecord = new Float64Array(2 * m * chunk);
  const outlets = members.map(() => new Float64Array(req.outletTimes.length));
  const profiles = members.map(() => req.profileTimes.map(() => new Float64Array(req.positions.length)));
  const eluted = new Float64Array(m);
  const lastOutlet = new Float64Array(m);
  let nextOutlet = 0;
  while (nextOutlet < req.outletTimes.length && req.outletTimes[nextOutlet] <= 0) nextOutlet++;
  const profileIndex = new Map<number, number[]>();
  req.profileTimes.forEach((t, i) => profileIndex.set(t, [...(profileIndex.get(t) ?? []), i]));
  let steps = 0;
  while (!plan.done) {
    const count = plan.fill(chunk, dts, sources, ends, pulse, 1);
    const done = kernels.fdLangmuirAdvance(n, m, h, alpha, faceU, faceG, rates, inflow, c, q, work, count, dts, sources, outletRecord);
    if (done < 0) {
      throw new Error(`${members.map((a) => a.name).join(', ')}: the saturating-film scheme produced a non-finite value at ` +
        `t = ${ends[-1 - done]} s (cells ${n}, dt ${grid.dt} s); this is a bug, please report it with the input`);
    }
    steps += count;
    for (let k = 0; k < count; k++) {
      for (let i = 0; i < m; i++) {
        eluted[i] += outletRecord[2 * (k * m + i)];
        lastOutlet[i] = outletRecord[2 * (k * m + i) + 1];
      }
      while (nextOutlet < req.outletTimes.length && req.outletTimes[nextOutlet] <= ends[k]) {
        for (let i = 0; i < m; i++) outlets[i][nextOutlet] = lastOutlet[i];
        nextOutlet++;
      }
    }
    const list = profileIndex.get(plan.time);
    if (list) {
      for (let i = 0; i < m; i++) {
        const x = sampleProfile(c.subarray(i * n, (i + 1) * n), (j) => (j + 0.5) * h, h, lastOutlet[i], col.length, req.positions);
        for (const p of list) profiles[i][p].set(x);
      }
    }
    yield plan.time;
  }
  return members.map((a, i): AnalyteRun => {
    let held = 0;
    for (let j = 0; j < n; j++) held += (c[i * n + j] + alpha * q[i * n + j]) * h;
    return {
      grid: {
        name: a.name, scheme: 'implicit', cells: n, spacing: h, dt: grid.dt, steps, cellSteps: steps * n * 3,
        stableDt: grid.stableDt, expectedError: grid.expectedError, factoredRows: 0, film: group.competitive ? 'competitive' : a.isotherm as FilmScheme,
      },
      outlet: outlets[i],
      profiles: profiles[i],
      balance: { injected: u0 * a.c0 * Math.min(pulse, plan.end), held, eluted: eluted[i], tolerance: 1e-9 },
      coarsened: false,
      workLimit: grid.limit,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Drivers: synchronous and asynchronous (yields to the event loop so a signal can abort it).

function* runAll(req: Request): Generator<number, AnalyteRun[]> {
  const horizon = req.events.reduce((m, t) => Math.max(m, t), 1e-300);
  const total = horizon * req.problem.analytes.length;
  const runs: AnalyteRun[] = [];
  for (let i = 0; i < req.problem.analytes.length; i++) {
    if (runs[i]) continue; // a member of a film group already run
    const film = req.grids[i].film;
    const it: Generator<number, AnalyteRun | AnalyteRun[]> = film ? runFilmGroup(req, film.group) : runAnalyte(req, i);
    for (;;) {
      const r = it.next();
      if (r.done) {
        if (film) (r.value as AnalyteRun[]).forEach((run, k) => { runs[film.group.members[k]] = run; });
        else runs[i] = r.value as AnalyteRun;
        break;
      }
      yield Math.min(1, (i * horizon + r.value) / total);
    }
  }
  return runs;
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

/** Moments of a sampled peak (trapezoid weights): mean and variance about it, the rest of `base` kept; `base` when the samples have no spread. */
function sampledMoments(times: Float64Array, c: Float64Array, base: PeakMoments): PeakMoments {
  let m0 = 0, m1 = 0, m2 = 0;
  for (let j = 1; j < times.length; j++) {
    const w = times[j] - times[j - 1];
    m0 += w * (0.5 * c[j] + 0.5 * c[j - 1]);
    m1 += 0.5 * w * (c[j] * times[j] + c[j - 1] * times[j - 1]);
    m2 += 0.5 * w * (c[j] * times[j] * times[j] + c[j - 1] * times[j - 1] * times[j - 1]);
  }
  if (!(m0 > 0)) return base;
  const mean = m1 / m0;
  const variance = Math.max(m2 / m0 - mean * mean, 0);
  // a grid too coarse to resolve the peak (two samples, one non-zero) gives no spread: keep the
  // closed forms rather than report infinite plates
  if (!(variance > 0)) return base;
  return { ...base, mean, variance, sigma: Math.sqrt(variance), plates: (mean * mean) / variance };
}

/** Peak of sampled values: the grid maximum refined by the parabola through it and its neighbours. */
export function locatePeak(t: Float64Array, c: Float64Array): { time: number; height: number } {
  let j = 0;
  for (let i = 1; i < c.length; i++) if (c[i] > c[j]) j = i;
  if (j === 0 || j === c.length - 1) return { time: t[j], height: c[j] };
  const h1 = t[j] - t[j - 1];
  const h2 = t[j + 1] - t[j];
  const d1 = (c[j] - c[j - 1]) / h1;
  const d2 = (c[j + 1] - c[j]) / h2;
  const curv = (d2 - d1) / ((h1 + h2) / 2);
  if (!(curv < 0)) return { time: t[j], height: c[j] };
  const slope = (d1 * h2 + d2 * h1) / (h1 + h2);
  const dtPeak = Math.max(-h1, Math.min(h2, -slope / curv));
  return { time: t[j] + dtPeak, height: c[j] + slope * dtPeak + 0.5 * curv * dtPeak * dtPeak };
}

function fdStatus(runs: AnalyteRun[]): { status: Status; errorEstimate: number } {
  let worst = 0;
  let ok = true;
  for (const r of runs) {
    const { injected, held, eluted, tolerance } = r.balance;
    const defect = Math.abs(held + eluted - injected) / injected;
    worst = Math.max(worst, defect);
    if (!(defect <= tolerance)) ok = false;
  }
  const coarse = runs.filter((r) => r.coarsened).map((r) => `${r.grid.name} (~${(r.grid.expectedError as number).toExponential(0)} of its peak)`);
  const limit = runs.find((r) => r.coarsened)?.workLimit ?? FD_WORK_LIMIT;
  const balance = ok
    ? `the mass balance closes to ${worst.toExponential(1)} of the injected amount`
    : `the mass balance misses by ${worst.toExponential(1)} of the injected amount`;
  const message = coarse.length === 0
    ? `time stepping finished; ${balance}`
    : `time stepping finished; ${balance}; the grid was coarsened to stay within ${limit.toExponential(0)} ` +
      `cell updates for ${coarse.join(', ')}: ask for a coarser accuracy or give cells and dt`;
  return {
    errorEstimate: worst,
    status: { code: ok && coarse.length === 0 ? 'success' : 'inaccurate', message },
  };
}

function cost(kernels: FdKernels, runs: AnalyteRun[], started: number): SolveCost {
  return {
    engine: kernels.name,
    evaluations: runs.reduce((s, r) => s + r.grid.cellSteps, 0),
    wallTimeMs: performance.now() - started,
  };
}

function chromatogramRequest(input: Problem | unknown, options: FdChromatogramOptions): Request {
  options = solverOptions(options);
  const problem = prepare(input, options);
  return request({
    problem, options, kernels: fdKernels(options.engine),
    outletTimes: outputTimes(problem, options.times), profileTimes: [], positions: new Float64Array(0),
  });
}

function chromatogramResult(req: Request, runs: AnalyteRun[], started: number): FdChromatogramResult {
  const { problem } = req;
  const col = problem.column;
  const pulse = problem.injection.duration;
  const times = req.outletTimes;
  const analytes: AnalyteChromatogram[] = problem.analytes.map((a, i) => ({
    name: a.name,
    concentration: runs[i].outlet,
    // overloaded peaks have no closed-form moments: those of the computed peak
    moments: runs[i].grid.film ? sampledMoments(times, runs[i].outlet, peakMoments(col, a, pulse)) : peakMoments(col, a, pulse),
    peak: locatePeak(times, runs[i].outlet),
    area: trapezoid(times, runs[i].outlet),
    resolutionToNext: null,
  }));
  const order = analytes.map((_, i) => i).sort((i, j) => analytes[i].moments.mean - analytes[j].moments.mean);
  for (let r = 0; r + 1 < order.length; r++) {
    analytes[order[r]].resolutionToNext = resolution(analytes[order[r]].moments, analytes[order[r + 1]].moments);
  }
  const { status, errorEstimate } = fdStatus(runs);
  const signal = detectorSignal(problem, analytes.map((a) => a.concentration));
  const checked = chromatogramStatus(times, analytes, signal, status);
  return {
    method: 'fd',
    velocity: col.velocity,
    times,
    analytes,
    signal,
    errorEstimate,
    status: checked.status,
    warnings: checked.warnings,
    cost: cost(req.kernels, runs, started),
    grids: runs.map((r) => r.grid),
  };
}

/**
 * Outlet chromatogram of every analyte with diffusion, by time stepping (see the module comment),
 * on the problem's output grid or `options.times`. Same result shape as `chromatogram()` of
 * src/laplace.ts, plus `grids`; `moments` are the exact moments of the model without diffusion
 * and `errorEstimate` is the largest mass-balance defect (fraction of the injected amount).
 */
export function fdChromatogram(input: Problem | unknown, options: FdChromatogramOptions = {}): FdChromatogramResult {
  const started = performance.now();
  const req = chromatogramRequest(input, options);
  return chromatogramResult(req, drive(req), started);
}

/** As `fdChromatogram`, yielding to the event loop between chunks so `options.signal` can cancel it. */
export async function fdChromatogramAsync(
  input: Problem | unknown, options: FdChromatogramOptions = {},
): Promise<FdChromatogramResult> {
  const started = performance.now();
  const req = chromatogramRequest(input, options);
  return chromatogramResult(req, await driveAsync(req), started);
}

/** Concentration of every analyte along the column at each requested time, with diffusion. */
export function fdProfiles(input: Problem | unknown, options: FdProfileOptions): FdProfileResult {
  const started = performance.now();
  options = solverOptions(options);
  const problem = prepare(input, options);
  const points = options.points ?? 201;
  if (!Number.isInteger(points) || points < 2 || points > MAX_PROFILE_POINTS) {
    throw new ProblemError('options.points', `must be an integer from 2 to ${MAX_PROFILE_POINTS}, got ${points}`);
  }
  const times = Array.from(givenTimes(options.times, false));
  checkMemoryNeed('options.points', 8 * points * (times.length * problem.analytes.length + 1),
    `${times.length} profiles of ${problem.analytes.length} analytes at ${points} points`);
  const col = problem.column;
  const x = new Float64Array(points);
  for (let i = 0; i < points; i++) x[i] = i === points - 1 ? col.length : (col.length * i) / (points - 1);
  const kernels = fdKernels(options.engine);
  const req = request({
    problem, options, kernels, outletTimes: new Float64Array(0), profileTimes: times, positions: x,
  });
  const runs = drive(req);
  return {
    method: 'fd',
    velocity: col.velocity,
    x,
    times,
    concentrations: times.map((_, k) => runs.map((r) => r.profiles[k])),
    analyteNames: problem.analytes.map((a) => a.name),
    status: fdStatus(runs).status,
    cost: cost(kernels, runs, started),
    grids: runs.map((r) => r.grid),
  };
}
