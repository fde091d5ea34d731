/**
 * The automatic grid of the finite-difference solver (src/solvers/fd.ts): cells and time step
 * from the requested accuracy, by a model of the implicit scheme's leading errors.
 *
 * A band whose n-th cumulant is off by kappa_n differs from the exact one by
 * (-1)^n (kappa_n/n!) d^n c/dt^n (Edgeworth), i.e. by S_n kappa_n / sigma^n of its height, sigma
 * the band's standard deviation (s) and S_n = max|g^(n)| / (n! max g) a shape factor of the
 * peak g (`pulseShape`). Both discretizations err, to leading order, by dispersion (n = 3):
 *
 * * Space. The second-order upwind face value (3 c_j - c_{j-1})/2 of the cell averages is the
 *   face value minus (h^2/3) c'', so the mobile phase obeys c_t + (u c)_x = ((u h^2/3) c_xx)_x.
 *   For the band (moving at v = u/(1 + alpha K)) that is a term (v h^2/3) c_xxx, which adds
 *   -2 h^2 per metre travelled to the band's kappa3 in x; carried to the outlet (a length dx at x
 *   leaves in dx/v(x)) it is kappa3_t = -2 h^2 int_0^L dx/v^3 = -2 h^2 (1 + alpha K)^3 I3,
 *   I3 = int_0^L dx/u^3.
 * * Time. TR-BDF2 (gamma = 2 - sqrt 2) advances y' = lambda y with the local error
 *   C dt^3 lambda^3 y, C = (-3 gamma^2 + 4 gamma - 2)/(12 (2 - gamma)) = 2/3 - 1/sqrt 2 = -0.0404
 *   (Hosea and Shampine 1996), so the band moves as under lambda + C dt^2 lambda^3: with
 *   lambda = -i k v a term of the opposite sign, kappa3_t = 6 |C| dt^2 int_0^L dx/v
 *   = 6 |C| dt^2 tM (1 + alpha K).
 *
 * So E_x = 2 S_3 h^2 (1 + alpha K)^3 I3 / sigma^3 and E_t = 6 |C| S_3 dt^2 tM (1 + alpha K) / sigma^3,
 * and as the two have one shape and opposite signs the chromatogram errs by |E_x - E_t|
 * (test/fd-grid.test.ts measures both parts against the exact solution with D -> 0: space 2-7%
 * and time 0-1% above the formulas, correlation -0.99; on the BTEX analytes with diffusion,
 * against refined grids, space within 3% and time 0-15% below, correlation -1.00). Beside them
 * a boundary term: the inlet and
 * outlet closures shift the peak's variance by about kappa2 = -b h^2/v_L^2 (v_L the band's
 * velocity at the outlet; measured, not derived: b = 1.1-2.8 on diffusion-dominated columns
 * with cell Péclet numbers 0.3-5), E_b = b S_2 h^2 / (v_L^2 sigma^2), negligible when the
 * band spans many cells (BTEX: < 1e-5 of the peak) and counted in full with b = 4.
 *
 * The rule asks
 *     |E_x - E_t| + MARGIN (E_x + E_t) + E_b <= accuracy,
 * crediting the cancellation only up to MARGIN, and takes the grid of least work (cells x
 * steps, with the steps the schedule actually takes to land on the output times) that meets it:
 * near E_x = E_t = accuracy/(2 MARGIN). Profiles inside a variable-velocity column are not
 * balanced (space error accumulates where the gas is slow, time error uniformly), so a run that
 * takes profiles credits no cancellation (MARGIN 1: E_x + E_t + E_b <= accuracy).
 */
import { diffusivity, holdupTime, phaseRatio, velocity } from '../model/flow.js';
import { outputTimes } from './grid.js';
import { ProblemError, type Analyte, type Column, type Problem } from '../model/problem.js';

/** Default accuracy: fraction of the peak height. */
export const FD_DEFAULT_ACCURACY = 1e-3;
/**
 * Share of the two dispersive errors the grid rule does not count on cancelling. At the balance
 * E_x = E_t the measured remainder is up to 0.2 of either (the time formula runs up to 15% high,
 * the space formula 3%), so 0.3 keeps it near a third of the accuracy.
 */
export const FD_CANCELLATION_MARGIN = 0.3;
/** |C| of the TR-BDF2 local error C dt^3 y''' for gamma = 2 - sqrt 2. */
const TR_BDF2_ERROR = Math.SQRT1_2 - 2 / 3;
/** b of the boundary term kappa2 = -b h^2 / v_L^2 (above the measured 1.1-2.8). */
const BOUNDARY_COEFFICIENT = 4;
/** Fewest cells of an automatic grid. */
const MIN_AUTO_CELLS = 16;
/** Candidate steps of the least-work search: a factor 1.03 apart over a range of 100. */
const STEP_CANDIDATES = 156;
const STEP_RATIO = 1.03;

/** Kinetic + diffusive variance of the outlet peak (s^2), pulse excluded (MODEL.md §5, §7). */
export function bandVariance(problem: Problem, a: Analyte): number {
  const col = problem.column;
  const k = (phaseRatio(col) * a.ka) / a.kd;
  const tM = holdupTime(col, col.length);
  // Diffusion: 2 D t0 (1 + alpha K)^2/u^2 (MODEL.md §7), with the outlet's D/u^2 (its smallest
  // value along a variable-velocity column: D/u^2 ~ p), so the estimate errs on the narrow side.
  const uL = velocity(col, col.length);
  const dL = diffusivity(col, a.diffusivity as number, col.length);
  return (2 * k * tM) / a.kd + (2 * dL * tM * (1 + k) * (1 + k)) / (uL * uL);
}

/**
 * I3 = int_0^L dx/u(x)^3 (s^3/m^2). Variable velocity: u = u0/p̄, p̄^2 = 1 - eps x/L (MODEL.md
 * §1.1), so I3 = (L/u0^3) (2/(5 eps)) (1 - (1 - eps)^(5/2)), written with log1p/expm1 so that it
 * tends to L/u0^3 as the pressure drop vanishes.
 */
export function inverseCubeVelocityIntegral(col: Column): number {
  const u0 = col.inletVelocity;
  const plain = col.length / (u0 * u0 * u0);
  if (col.velocity === 'constant') return plain;
  const ratio = col.outletPressure / col.inletPressure;
  const eps = (1 - ratio) * (1 + ratio);
  return (plain * 2 * -Math.expm1(2.5 * Math.log1p(-eps))) / (5 * eps);
}

/** (n-1)-th derivative of the standard normal density, n = 2 or 3: -x phi or (x^2 - 1) phi. */
function normalDerivative(n: 2 | 3, x: number): number {
  const phi = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  return n === 2 ? -x * phi : (x * x - 1) * phi;
}

/**
 * Shape factor S_n = max|g^(n)| / (n! max g), n = 2 or 3, of a Gaussian band of unit standard
 * deviation spread over a rectangular pulse of width rho (in band deviations):
 * g(x) = Phi(x + rho/2) - Phi(x - rho/2), so g^(n)(x) = phi^(n-1)(x + rho/2) - phi^(n-1)(x - rho/2)
 * and max g = g(0). For a short pulse S_3 = 1.380/6 = 0.230 and S_2 = 1/2 (phi'''/phi and
 * phi''/phi at their extrema); for a long one, the edges of a plateau, 0.066 and 0.121.
 */
export function pulseShape(n: 2 | 3, rho: number): number {
  if (rho < 1e-6) return n === 2 ? 0.5 : SHORT_PULSE_S3; // both are O(rho): the limits
  // max g = int_{-rho/2}^{rho/2} phi, by Simpson's rule on 256 panels (relative error < 1e-5);
  // beyond rho = 16 it is 1 to 15 digits.
  let peak = 1;
  if (rho < 16) {
    const m = 256;
    const w = rho / m;
    let sum = 0;
    for (let i = 0; i <= m; i++) {
      const x = -rho / 2 + i * w;
      sum += (i === 0 || i === m ? 1 : i % 2 ? 4 : 2) * Math.exp(-0.5 * x * x);
    }
    peak = (sum * w) / 3 / Math.sqrt(2 * Math.PI);
  }
  // max |g^(n)| (g is even): its extrema lie within 6 deviations of x = 0 or of the edge rho/2
  const dn = (x: number) => Math.abs(normalDerivative(n, x + rho / 2) - normalDerivative(n, x - rho / 2));
  let top = 0;
  for (let i = 0; i <= 1200; i++) top = Math.max(top, dn(i * 0.005), dn(Math.max(0, rho / 2 - 6 + i * 0.01)));
  return top / ((n === 2 ? 2 : 6) * peak);
}

/** max|phi'''| / (6 phi(0)): phi'''/phi(0) = x (3 - x^2) e^(-x^2/2) is largest at x^2 = 3 - sqrt 6 (1.3801). */
const SHORT_PULSE_S3 = (Math.sqrt(3 - Math.sqrt(6)) * Math.sqrt(6) * Math.exp(-(3 - Math.sqrt(6)) / 2)) / 6;

/** The model's errors as fractions of the peak height: E_x = space h^2, E_t = time dt^2, E_b = boundary h^2. */
export interface ErrorCoefficients {
  /** 1/m^2 */
  space: number;
  /** 1/s^2 */
  time: number;
  /** 1/m^2 */
  boundary: number;
}

/** The coefficients of the module comment for one analyte. */
export function errorCoefficients(problem: Problem, a: Analyte): ErrorCoefficients {
  const col = problem.column;
  const k = (phaseRatio(col) * a.ka) / a.kd;
  const variance = bandVariance(problem, a);
  const sigma = Math.sqrt(variance);
  const rho = problem.injection.duration / sigma;
  const dispersive = pulseShape(3, rho) / (variance * sigma);
  const bandVelocity = velocity(col, col.length) / (1 + k);
  return {
    space: 2 * dispersive * (1 + k) ** 3 * inverseCubeVelocityIntegral(col),
    time: 6 * TR_BDF2_ERROR * dispersive * holdupTime(col, col.length) * (1 + k),
    boundary: (BOUNDARY_COEFFICIENT * pulseShape(2, rho)) / (bandVelocity * bandVelocity * variance),
  };
}

/** The model error |E_x - E_t| + margin (E_x + E_t) + E_b for h^2 = s (fraction of the peak height). */
export function modelError(e: ErrorCoefficients, s: number, timeError: number, margin: number): number {
  const spaceError = e.space * s;
  return Math.abs(spaceError - timeError) + margin * (spaceError + timeError) + e.boundary * s;
}

/**
 * The largest h^2 whose model error, with the time error E_t, is within `accuracy`; 0 if none.
 * The model is piecewise linear in s = h^2: below s* = E_t/X (X = space) it is
 * (1 + margin) E_t + (B - (1 - margin) X) s, above it ((1 + margin) X + B) s - (1 - margin) E_t.
 */
function largestSquaredSpacing(e: ErrorCoefficients, timeError: number, accuracy: number, margin: number): number {
  const balance = timeError / e.space;
  if (modelError(e, balance, timeError, margin) <= accuracy) {
    return (accuracy + (1 - margin) * timeError) / ((1 + margin) * e.space + e.boundary);
  }
  const slope = e.boundary - (1 - margin) * e.space;
  const start = (1 + margin) * timeError;
  return slope > 0 && start < accuracy ? (accuracy - start) / slope : 0;
}

/** Stop times of the time stepping: the events after 0, and the pulse end t1 inside the run. */
export function scheduleStops(events: ArrayLike<number>, pulse: number): number[] {
  const list = Array.from(events).filter((t) => t > 0);
  const last = list.reduce((m, t) => Math.max(m, t), 0);
  if (pulse < last) list.push(pulse);
  list.sort((x, y) => x - y);
  return list.filter((t, i) => i === 0 || t > list[i - 1]);
}

/** Number of equal steps an interval of length `span` is split into with a nominal step dt. */
export function stepsIn(span: number, dt: number): number {
  return Math.max(1, Math.ceil(span / dt - 1e-9));
}

/**
 * The steps the schedule takes with a nominal step dt, the longest of them (s), and the step
 * whose square the time error sees: with steps dt_k the band collects |C| dt_k^3 per step, so over the run the error is that
 * of a uniform step sqrt(sum dt_k^3 / sum dt_k).
 */
export function stepping(stops: number[], dt: number): { steps: number; effectiveDt: number; longest: number } {
  let cubes = 0;
  let steps = 0;
  let longest = 0;
  let t = 0;
  for (const stop of stops) {
    const span = stop - t;
    const m = stepsIn(span, dt);
    cubes += (span * span * span) / (m * m);
    steps += m;
    longest = Math.max(longest, span / m);
    t = stop;
  }
  return { steps, effectiveDt: t > 0 ? Math.sqrt(cubes / t) : dt, longest: t > 0 ? longest : dt };
}

/** The model error (fraction of the peak height) of a given implicit grid: n cells, nominal step dt (s). */
export function gridError(problem: Problem, a: Analyte, cells: number, dt: number, context: FdGridContext = {}): number {
  const stops = scheduleStops(context.events ?? outputTimes(problem, undefined), problem.injection.duration);
  const e = errorCoefficients(problem, a);
  const timeError = e.time * stepping(stops, dt).effectiveDt ** 2;
  return modelError(e, (problem.column.length / cells) ** 2, timeError, context.profiles ? 1 : FD_CANCELLATION_MARGIN);
}

/** What `fdGrid` returns: the grid and the error its model expects. */
export interface FdGridChoice {
  cells: number;
  /**
   * Nominal time step (s), shortened by the schedule to land on the stops; for the explicit
   * scheme the given step or Infinity (its step is set by stability, see fd.ts).
   */
  dt: number;
  /** Model error of the grid (fraction of the peak height); null for the explicit scheme. */
  expectedError: number | null;
}

/** Where the grid rule is applied: the run's event times and whether it takes profiles. */
export interface FdGridContext {
  /** Output and profile times (s); default the problem's output grid. */
  events?: ArrayLike<number>;
  /** The run takes profiles inside the column: no cancellation is credited. */
  profiles?: boolean;
}

/** Fewest cells a caller may ask for. */
const MIN_CELLS = 4;
/** Most cells a caller may ask for: the kernels index cells with i32 (the memory limit refuses far fewer). */
const MAX_CELLS = 2 ** 31 - 1;

/** Checks the grid options (accuracy, cells, dt), naming the option, the value and the range. */
export function checkGridOptions(options: { accuracy?: unknown; cells?: unknown; dt?: unknown }): void {
  const { accuracy, cells, dt } = options;
  if (accuracy !== undefined && !(typeof accuracy === 'number' && accuracy >= 1e-8 && accuracy <= 0.1)) {
    throw new ProblemError('options.accuracy', `must be a fraction of the peak height from 1e-8 to 0.1, got ${String(accuracy)}`);
  }
  // at most the kernels' i32 index range: a larger count (1e163) made the spacing underflow to 0
  if (cells !== undefined && !(Number.isInteger(cells) && (cells as number) >= MIN_CELLS && (cells as number) <= MAX_CELLS)) {
    throw new ProblemError('options.cells', `must be an integer from ${MIN_CELLS} to ${MAX_CELLS}, got ${String(cells)}`);
  }
  if (dt !== undefined && !(typeof dt === 'number' && Number.isFinite(dt) && dt > 0)) {
    throw new ProblemError('options.dt', `must be a finite time step > 0 (s), got ${String(dt)}`);
  }
}

/**
 * The automatic grid for one analyte: cells N and nominal step dt (s) from the requested
 * accuracy (the rule in the module comment), or the overrides; a given cell count or step sets
 * the other. For the explicit scheme the cells are such that E_x alone meets the accuracy (its
 * step is set by stability, see fd.ts).
 */
export function fdGrid(
  problem: Problem, a: Analyte, options: { accuracy?: number; cells?: number; dt?: number; scheme?: string },
  context: FdGridContext = {},
): FdGridChoice {
  checkGridOptions(options);
  const length = problem.column.length;
  const accuracy = options.accuracy ?? FD_DEFAULT_ACCURACY;
  const e = errorCoefficients(problem, a);
  const margin = context.profiles ? 1 : FD_CANCELLATION_MARGIN;
  const cellsFor = (s: number) => Math.max(MIN_AUTO_CELLS, Math.ceil(length / Math.sqrt(s)));
  if (options.scheme === 'explicit') {
    return { cells: options.cells ?? cellsFor(accuracy / e.space), dt: options.dt ?? Infinity, expectedError: null };
  }
  const stops = scheduleStops(context.events ?? outputTimes(problem, undefined), problem.injection.duration);
  return leastWorkGrid(e, length, stops, { accuracy, cells: options.cells, dt: options.dt, margin });
}

/**
 * The grid of least work (cells x steps) on a column of `length` (m) stepped through `stops` (s)
 * whose model error with the coefficients `e` meets `accuracy` (see the module comment); a given
 * cell count or step sets the other. Shared by the isothermal and the programmed solvers.
 */
export function leastWorkGrid(
  e: ErrorCoefficients, length: number, stops: number[],
  options: { accuracy: number; margin: number; cells?: number; dt?: number },
): FdGridChoice {
  const { accuracy, margin } = options;
  const cellsFor = (s: number) => Math.max(MIN_AUTO_CELLS, Math.ceil(length / Math.sqrt(s)));
  const given = options.cells === undefined ? undefined : (length / options.cells) ** 2;
  // Candidate steps from the largest any grid could use (E_t = accuracy/(2 margin), balanced by
  // E_x) down by STEP_RATIO; each with the largest h that meets the model, or the given one.
  let best = { work: Infinity, cells: 0, dt: 0, error: Infinity };
  const largest = Math.sqrt(accuracy / (2 * margin * e.time));
  const candidates = options.dt === undefined ? STEP_CANDIDATES : 1;
  for (let i = 0; i < candidates; i++) {
    const dt = options.dt ?? largest / STEP_RATIO ** i;
    const { steps, effectiveDt } = stepping(stops, dt);
    const timeError = e.time * effectiveDt * effectiveDt;
    const s = given ?? largestSquaredSpacing(e, timeError, accuracy, margin);
    if (!(s > 0)) continue;
    const cells = options.cells ?? cellsFor(s);
    const error = modelError(e, (length / cells) ** 2, timeError, margin);
    const work = error <= accuracy ? cells * steps : Infinity;
    if (work < best.work || (best.work === Infinity && error < best.error)) best = { work, cells, dt, error };
  }
  if (best.cells === 0) {
    // Only a given step can leave no h that meets the accuracy: take the balancing one.
    const timeError = e.time * stepping(stops, options.dt as number).effectiveDt ** 2;
    const cells = cellsFor(timeError / e.space);
    best = { work: Infinity, cells, dt: options.dt as number, error: modelError(e, (length / cells) ** 2, timeError, margin) };
  }
  return { cells: best.cells, dt: best.dt, expectedError: best.error };
}
