/**
 * Levenberg–Marquardt for nonlinear least squares, min_θ ½ Σ r_k(θ)², with Marquardt's diagonal
 * scaling (invariant to the units of each parameter) and Nielsen's damping update. The caller
 * supplies the residuals and the Jacobian (it knows which columns are cheap: linear parameters,
 * parameters that touch one peak only), so this file holds only the method.
 *
 * Small dense problems (tens of parameters, thousands of residuals): the normal equations
 * (JᵀJ + λ diag JᵀJ) δ = −Jᵀr are solved by Cholesky.
 */

export interface LeastSquaresProblem {
  /** Number of parameters. */
  parameters: number;
  /** Number of residuals. */
  residuals: number;
  /**
   * Residuals r(θ) into `out`; returns false when θ is outside the model's domain (the step is then
   * rejected like one that increases the cost).
   */
  residual(theta: Float64Array, out: Float64Array): boolean;
  /**
   * Jacobian ∂r_k/∂θ_j at θ (where the residuals are `r`, as last accepted), column-major:
   * `jac[j * residuals + k]`. Columns of parameters held at a bound (`held[j]` = 1) are not used
   * and need not be computed.
   */
  jacobian(theta: Float64Array, r: Float64Array, jac: Float64Array, held: Uint8Array): void;
}

/**
 * A work limit for one run. Work is counted by the caller, in any unit (e.g. chromatogram
 * evaluations); the method asks before each evaluation whether it still fits, so `spent()` never
 * passes `limit` (provided the limit covers the start: one residual and one Jacobian evaluation,
 * which are always done).
 */
export interface LeastSquaresBudget {
  /** The most work allowed for the run, counted from the caller's zero. */
  limit: number;
  /** Work done so far. */
  spent(): number;
  /** Upper bound of the work of one residual evaluation. */
  residualCost: number;
  /** Upper bound of the work of one Jacobian evaluation. */
  jacobianCost: number;
}

export interface LeastSquaresOptions {
  /** Largest number of iterations (Jacobian evaluations); default 100. */
  maxIterations?: number;
  /** Stop when every scaled step component is below this, relative to the parameter; default 1e-10. */
  stepTolerance?: number;
  /**
   * Stop when the relative cost reduction of two accepted steps in a row is below this; default
   * 1e-9 (for m residuals of noisy data, the parameters then move by ~sqrt(1e-9 m) of a standard
   * error: negligible; noise-free data converge quadratically and are not stopped by it).
   */
  costTolerance?: number;
  /** Called after every accepted step; returning true stops the iteration ('halted'). */
  halt?: (theta: Float64Array) => boolean;
  /** Stop when the scaled gradient (cosine between r and the columns of J) is below this; default 1e-12. */
  gradientTolerance?: number;
  /**
   * Lower bounds of the parameters (-Infinity: none); the start must respect them. A step that
   * would cross a bound is cut back to it (projection), and a parameter that reaches its bound is
   * held there for the rest of the run (a bound that the data push against: its column is then no
   * longer asked for).
   */
  lower?: ArrayLike<number>;
  /**
   * Work limit: before every trial step the method checks that the residual evaluation and the
   * Jacobian evaluation at the new point still fit; if not it stops ('budget') with the best
   * parameters so far and a Jacobian there.
   */
  budget?: LeastSquaresBudget;
}

export type LeastSquaresStop =
  | 'step' // the step fell below stepTolerance
  | 'cost' // the cost stopped decreasing (relative change below costTolerance)
  | 'gradient' // the residual is orthogonal to the columns of J
  | 'zero-residual' // the residuals vanish (to rounding)
  | 'max-iterations' // iteration limit reached before any criterion held
  | 'no-descent' // no step reduced the cost even with the largest damping
  | 'halted' // the caller's `halt` test held after an accepted step
  | 'budget'; // the work budget would be exceeded by the next step

export interface LeastSquaresResult {
  theta: Float64Array;
  /** Residuals at theta. */
  residual: Float64Array;
  /** Jacobian at theta, column-major. */
  jacobian: Float64Array;
  /** ½ Σ r². */
  cost: number;
  iterations: number;
  /** Residual evaluations (not counting those inside Jacobian evaluations). */
  residualEvaluations: number;
  jacobianEvaluations: number;
  stop: LeastSquaresStop;
  /** Whether the stop reason means a minimum was reached. */
  converged: boolean;
  /** Parameters held at their lower bound (1), see LeastSquaresOptions.lower. */
  held: Uint8Array;
}

function halfSquare(r: Float64Array): number {
  let s = 0;
  for (let k = 0; k < r.length; k++) s += r[k] * r[k];
  return 0.5 * s;
}

/**
 * JᵀJ (n×n, row-major) and Jᵀr. Each column is summed over its nonzero rows only: a peak's
 * column vanishes outside the peak and a window baseline's outside its window, so most products
 * of two columns are over a short overlap or empty (the cost is then O(m n), not O(m n²)).
 */
function normalEquations(jac: Float64Array, r: Float64Array, m: number, n: number, a: Float64Array, g: Float64Array): void {
  const first = new Int32Array(n);
  const end = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const ci = i * m;
    let lo = 0;
    while (lo < m && jac[ci + lo] === 0) lo++;
    let hi = m;
    while (hi > lo && jac[ci + hi - 1] === 0) hi--;
    first[i] = lo;
    end[i] = hi;
  }
  for (let i = 0; i < n; i++) {
    const ci = i * m;
    let gi = 0;
    for (let k = first[i]; k < end[i]; k++) gi += jac[ci + k] * r[k];
    g[i] = gi;
    for (let j = 0; j <= i; j++) {
      const cj = j * m;
      let s = 0;
      const lo = Math.max(first[i], first[j]);
      const hi = Math.min(end[i], end[j]);
      for (let k = lo; k < hi; k++) s += jac[ci + k] * jac[cj + k];
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  }
}

/** In-place Cholesky of a symmetric n×n matrix (lower triangle); false if not positive definite. */
export function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
    if (!(d > 0)) return false;
    d = Math.sqrt(d);
    a[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / d;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b with the factor from `cholesky`, in place in b. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * b[k];
    b[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}

/**
 * (JᵀJ)⁻¹ (row-major n×n) at the solution, computed on the column-equilibrated matrix so that
 * parameters of very different scale do not spoil the factorisation. Null if JᵀJ is singular.
 */
export function inverseNormalMatrix(jac: Float64Array, m: number, n: number, keep?: boolean[]): Float64Array | null {
  if (keep && keep.some((k) => !k)) {
    // Covariance of the kept parameters only (the others held fixed): zero rows and columns.
    const idx = keep.flatMap((k, j) => (k ? [j] : []));
    const sub = new Float64Array(m * idx.length);
    idx.forEach((j, c) => sub.set(jac.subarray(j * m, (j + 1) * m), c * m));
    const inner = inverseNormalMatrix(sub, m, idx.length);
    if (!inner) return null;
    const full = new Float64Array(n * n);
    idx.forEach((i, a) => idx.forEach((j, b) => { full[i * n + j] = inner[a * idx.length + b]; }));
    return full;
  }
  const a = new Float64Array(n * n);
  const g = new Float64Array(n);
  normalEquations(jac, new Float64Array(m), m, n, a, g);
  const scale = new Float64Array(n);
  for (let i = 0; i < n; i++) scale[i] = a[i * n + i] > 0 ? 1 / Math.sqrt(a[i * n + i]) : 0;
  if (scale.some((s) => s === 0)) return null;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] *= scale[i] * scale[j];
  if (!cholesky(a, n)) return null;
  const inv = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    choleskySolve(a, n, e);
    for (let i = 0; i < n; i++) inv[i * n + j] = e[i] * scale[i] * scale[j];
  }
  return inv;
}

/** The settings of one run, defaults filled in. */
interface Settings {
  n: number;
  m: number;
  maxIterations: number;
  stepTolerance: number;
  costTolerance: number;
  gradientTolerance: number;
  lower: Float64Array;
  budget: LeastSquaresBudget | undefined;
  halt: ((theta: Float64Array) => boolean) | undefined;
}

/** The iterate, its residuals and Jacobian, the damping, and the tallies of a run. */
interface State {
  theta: Float64Array;
  r: Float64Array;
  rTrial: Float64Array;
  cost: number;
  held: Uint8Array;
  lambda: number;
  nu: number;
  /** Whether `jac` holds the Jacobian at theta. */
  fresh: boolean;
  /** Accepted steps in a row with a relative cost reduction below costTolerance. */
  slow: number;
  iterations: number;
  residualEvaluations: number;
  jacobianEvaluations: number;
}

/** Work arrays: the Jacobian, the normal equations JᵀJ, Jᵀr, their scaling and the damped system, the step. */
interface Arrays {
  jac: Float64Array;
  a: Float64Array;
  g: Float64Array;
  diag: Float64Array;
  lhs: Float64Array;
  step: Float64Array;
  trial: Float64Array;
}

function settingsOf(problem: LeastSquaresProblem, options: LeastSquaresOptions): Settings {
  const n = problem.parameters;
  return {
    n,
    m: problem.residuals,
    maxIterations: options.maxIterations ?? 100,
    stepTolerance: options.stepTolerance ?? 1e-10,
    costTolerance: options.costTolerance ?? 1e-9,
    gradientTolerance: options.gradientTolerance ?? 1e-12,
    lower: Float64Array.from(options.lower ?? new Float64Array(n).fill(-Infinity)),
    budget: options.budget,
    halt: options.halt,
  };
}

/** The state at θ0, which must respect the bounds and lie in the model's domain. */
function startAt(problem: LeastSquaresProblem, theta0: ArrayLike<number>, c: Settings): State {
  const theta = Float64Array.from(theta0);
  for (let i = 0; i < c.n; i++) {
    if (!(theta[i] >= c.lower[i])) throw new RangeError(`levenbergMarquardt: start parameter ${i} is below its lower bound`);
    // A start on a bound is held only once a step pushes against it.
  }
  const r = new Float64Array(c.m);
  if (!problem.residual(theta, r)) throw new RangeError('levenbergMarquardt: the start is outside the model domain');
  return {
    theta, r, rTrial: new Float64Array(c.m), cost: halfSquare(r), held: new Uint8Array(c.n),
    lambda: 1e-3, nu: 2, fresh: false, slow: 0, iterations: 0, residualEvaluations: 1, jacobianEvaluations: 0,
  };
}

/** The Jacobian at theta into w.jac, unless it is there already. */
function refreshJacobian(problem: LeastSquaresProblem, s: State, w: Arrays): void {
  if (s.fresh) return;
  problem.jacobian(s.theta, s.r, w.jac, s.held);
  s.jacobianEvaluations++;
  s.fresh = true;
}

/**
 * The normal equations at theta, with held parameters' rows and columns made the identity and
 * their gradient 0 (step 0), and Marquardt's scaling into w.diag. Returns the scaled gradient: the
 * largest cosine between r and a column of J.
 */
function scaledNormalEquations(s: State, w: Arrays, m: number, n: number): number {
  const { a, g, diag } = w;
  normalEquations(w.jac, s.r, m, n, a, g);
  for (let i = 0; i < n; i++) {
    if (!s.held[i]) continue;
    for (let j = 0; j < n; j++) a[i * n + j] = a[j * n + i] = 0;
    a[i * n + i] = 1;
    g[i] = 0;
  }
  // Marquardt scaling: the damping follows the curvature of each parameter, so the method does
  // not care in which units a parameter is expressed. Columns that vanish get a unit scale.
  let gradient = 0;
  const rNorm = Math.sqrt(2 * s.cost);
  for (let i = 0; i < n; i++) {
    diag[i] = a[i * n + i] > 0 ? a[i * n + i] : 1;
    gradient = Math.max(gradient, Math.abs(g[i]) / (Math.sqrt(diag[i]) * rNorm));
  }
  return gradient;
}

/** The step of the damped system (JᵀJ + λ D) δ = −Jᵀr into w.step; false if not positive definite. */
function dampedStep(w: Arrays, lambda: number, n: number): boolean {
  const { lhs, diag, step, g } = w;
  lhs.set(w.a);
  for (let i = 0; i < n; i++) lhs[i * n + i] += lambda * diag[i];
  if (!cholesky(lhs, n)) return false;
  for (let i = 0; i < n; i++) step[i] = -g[i];
  choleskySolve(lhs, n, step);
  return true;
}

/**
 * θ + δ into w.trial, projected onto the lower bounds (δ cut back accordingly). Returns whether
 * the step is negligible and whether it was cut.
 */
function trialPoint(s: State, w: Arrays, c: Settings): { small: boolean; cut: boolean } {
  const { theta } = s;
  const { trial, step } = w;
  const { lower, stepTolerance } = c;
  let small = true;
  let cut = false;
  for (let i = 0; i < c.n; i++) {
    trial[i] = theta[i] + step[i];
    if (trial[i] < lower[i]) {
      // Projection onto the bound; the parameter is held there if the step is accepted.
      trial[i] = lower[i];
      step[i] = trial[i] - theta[i];
      cut = true;
    }
    // Step size measured in the parameter's own scale (its curvature), relative to the parameter.
    if (Math.abs(step[i]) > stepTolerance * (Math.abs(theta[i]) + stepTolerance)) small = false;
  }
  return { small, cut };
}

/**
 * Predicted reduction of the linear model: ½ δᵀ(λ D δ − g) for the solution of the damped
 * system; −gᵀδ − ½ δᵀ JᵀJ δ in general (a step cut back to a bound).
 */
function predictedReduction(w: Arrays, lambda: number, cut: boolean, n: number): number {
  const { a, g, diag, step } = w;
  let predicted = 0;
  if (!cut) {
    for (let i = 0; i < n; i++) predicted += step[i] * (lambda * diag[i] * step[i] - g[i]);
    predicted *= 0.5;
  } else {
    for (let i = 0; i < n; i++) {
      let ad = 0;
      for (let j = 0; j < n; j++) ad += a[i * n + j] * step[j];
      predicted -= step[i] * (g[i] + 0.5 * ad);
    }
  }
  return predicted;
}

/** Raises the damping after a failed step; false once it is beyond any use (no descent). */
function raiseDamping(s: State): boolean {
  s.lambda *= s.nu;
  s.nu *= 2;
  return s.lambda < 1e30;
}

/**
 * Moves to the trial point (its residuals in s.rTrial, cost `trialCost`, gain ratio `rho`) and
 * relaxes the damping (Nielsen). Returns why to stop there, or null to iterate on.
 */
function accept(c: Settings, s: State, w: Arrays, trialCost: number, rho: number, small: boolean): LeastSquaresStop | null {
  const relative = (s.cost - trialCost) / Math.max(s.cost, Number.MIN_VALUE);
  s.theta.set(w.trial);
  for (let i = 0; i < c.n; i++) if (s.theta[i] <= c.lower[i]) s.held[i] = 1;
  [s.r, s.rTrial] = [s.rTrial, s.r];
  s.cost = trialCost;
  s.fresh = false;
  s.lambda *= Math.max(1 / 3, 1 - (2 * rho - 1) * (2 * rho - 1) * (2 * rho - 1));
  s.nu = 2;
  if (small) return 'step';
  if (c.halt?.(s.theta)) return 'halted';
  s.slow = relative <= c.costTolerance ? s.slow + 1 : 0;
  if (s.slow >= 2) return 'cost';
  return null;
}

/** One iteration: raises the damping until a step lowers the cost. Returns why to stop, or null. */
function iterate(problem: LeastSquaresProblem, c: Settings, s: State, w: Arrays): LeastSquaresStop | null {
  // Within the budget: reserved by the check before the step that moved theta.
  refreshJacobian(problem, s, w);
  s.iterations++;
  if (s.cost === 0 || s.cost <= 1e-30 * c.m) return 'zero-residual';
  if (scaledNormalEquations(s, w, c.m, c.n) <= c.gradientTolerance) return 'gradient';
  const { budget } = c;
  for (;;) {
    if (!dampedStep(w, s.lambda, c.n)) {
      if (!raiseDamping(s)) return 'no-descent';
      continue;
    }
    const { small, cut } = trialPoint(s, w, c);
    if (budget && budget.spent() + budget.residualCost + budget.jacobianCost > budget.limit) {
      // No room for this trial and a Jacobian after it: theta (with its Jacobian) is the best
      // point so far.
      return 'budget';
    }
    const ok = problem.residual(w.trial, s.rTrial);
    s.residualEvaluations++;
    const trialCost = ok ? halfSquare(s.rTrial) : Infinity;
    const predicted = predictedReduction(w, s.lambda, cut, c.n);
    const rho = predicted > 0 ? (s.cost - trialCost) / predicted : -1;
    if (ok && trialCost <= s.cost && (rho > 0 || trialCost === s.cost)) return accept(c, s, w, trialCost, rho, small);
    // Even a negligible step does not lower the cost: theta is a minimum to working precision.
    if (small) return 'step';
    if (!raiseDamping(s)) return 'no-descent';
  }
}

/** Minimises ½‖r(θ)‖² from θ0 by Levenberg–Marquardt. */
export function levenbergMarquardt(
  problem: LeastSquaresProblem, theta0: ArrayLike<number>, options: LeastSquaresOptions = {},
): LeastSquaresResult {
  const c = settingsOf(problem, options);
  const { n, m } = c;
  const s = startAt(problem, theta0, c);
  const w: Arrays = {
    jac: new Float64Array(m * n), a: new Float64Array(n * n), g: new Float64Array(n), diag: new Float64Array(n),
    lhs: new Float64Array(n * n), step: new Float64Array(n), trial: new Float64Array(n),
  };
  let stop: LeastSquaresStop = 'max-iterations';
  while (s.iterations < c.maxIterations) {
    const reason = iterate(problem, c, s, w);
    if (reason !== null) {
      stop = reason;
      break;
    }
  }
  refreshJacobian(problem, s, w);
  return {
    theta: s.theta,
    residual: s.r,
    jacobian: w.jac,
    cost: s.cost,
    iterations: s.iterations,
    residualEvaluations: s.residualEvaluations,
    jacobianEvaluations: s.jacobianEvaluations,
    stop,
    converged: stop !== 'max-iterations' && stop !== 'no-descent' && stop !== 'halted' && stop !== 'budget',
    held: s.held,
  };
}
