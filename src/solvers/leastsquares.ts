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

/** Minimises ½‖r(θ)‖² from θ0 by Levenberg–Marquardt. */
export function levenbergMarquardt(
  problem: LeastSquaresProblem, theta0: ArrayLike<number>, options: LeastSquaresOptions = {},
): LeastSquaresResult {
  const n = problem.parameters;
  const m = problem.residuals;
  const maxIterations = options.maxIterations ?? 100;
  const stepTolerance = options.stepTolerance ?? 1e-10;
  const costTolerance = options.costTolerance ?? 1e-9;
  const gradientTolerance = options.gradientTolerance ?? 1e-12;

  const theta = Float64Array.from(theta0);
  const lower = Float64Array.from(options.lower ?? new Float64Array(n).fill(-Infinity));
  const held = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (!(theta[i] >= lower[i])) throw new RangeError(`levenbergMarquardt: start parameter ${i} is below its lower bound`);
    // A start on a bound is held only once a step pushes against it.
  }
  const budget = options.budget;
  let r = new Float64Array(m);
  if (!problem.residual(theta, r)) throw new RangeError('levenbergMarquardt: the start is outside the model domain');
  let residualEvaluations = 1;
  let cost = halfSquare(r);
  const jac = new Float64Array(m * n);
  const a = new Float64Array(n * n);
  const g = new Float64Array(n);
  const diag = new Float64Array(n);
  const lhs = new Float64Array(n * n);
  const step = new Float64Array(n);
  const trial = new Float64Array(n);
  let rTrial = new Float64Array(m);
  let lambda = 1e-3;
  let nu = 2;
  let iterations = 0;
  let jacobianEvaluations = 0;
  let stop: LeastSquaresStop = 'max-iterations';
  let fresh = false; // whether jac holds the Jacobian at theta
  let slow = 0; // accepted steps in a row with a relative cost reduction below costTolerance

  outer: while (iterations < maxIterations) {
    if (!fresh) {
      // Within the budget: reserved by the check before the step that moved theta.
      problem.jacobian(theta, r, jac, held);
      jacobianEvaluations++;
      fresh = true;
    }
    iterations++;
    if (cost === 0 || cost <= 1e-30 * m) {
      stop = 'zero-residual';
      break;
    }
    normalEquations(jac, r, m, n, a, g);
    // Held parameters: their row and column become the identity, their gradient 0 (step 0).
    for (let i = 0; i < n; i++) {
      if (!held[i]) continue;
      for (let j = 0; j < n; j++) a[i * n + j] = a[j * n + i] = 0;
      a[i * n + i] = 1;
      g[i] = 0;
    }
    // Marquardt scaling: the damping follows the curvature of each parameter, so the method does
    // not care in which units a parameter is expressed. Columns that vanish get a unit scale.
    let gradient = 0;
    const rNorm = Math.sqrt(2 * cost);
    for (let i = 0; i < n; i++) {
      diag[i] = a[i * n + i] > 0 ? a[i * n + i] : 1;
      gradient = Math.max(gradient, Math.abs(g[i]) / (Math.sqrt(diag[i]) * rNorm));
    }
    if (gradient <= gradientTolerance) {
      stop = 'gradient';
      break;
    }
    // Inner loop: raise the damping until a step lowers the cost.
    for (;;) {
      lhs.set(a);
      for (let i = 0; i < n; i++) lhs[i * n + i] += lambda * diag[i];
      if (!cholesky(lhs, n)) {
        lambda *= nu;
        nu *= 2;
        if (!(lambda < 1e30)) {
          stop = 'no-descent';
          break outer;
        }
        continue;
      }
      for (let i = 0; i < n; i++) step[i] = -g[i];
      choleskySolve(lhs, n, step);
      let small = true;
      let cut = false;
      for (let i = 0; i < n; i++) {
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
      if (budget && budget.spent() + budget.residualCost + budget.jacobianCost > budget.limit) {
        // No room for this trial and a Jacobian after it: theta (with its Jacobian) is the best
        // point so far.
        stop = 'budget';
        break outer;
      }
      const ok = problem.residual(trial, rTrial);
      residualEvaluations++;
      const trialCost = ok ? halfSquare(rTrial) : Infinity;
      // Predicted reduction of the linear model: ½ δᵀ(λ D δ − g) for the solution of the damped
      // system; −gᵀδ − ½ δᵀ JᵀJ δ in general (a step cut back to a bound).
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
      const rho = predicted > 0 ? (cost - trialCost) / predicted : -1;
      if (ok && trialCost <= cost && (rho > 0 || trialCost === cost)) {
        const relative = (cost - trialCost) / Math.max(cost, Number.MIN_VALUE);
        theta.set(trial);
        for (let i = 0; i < n; i++) if (theta[i] <= lower[i]) held[i] = 1;
        [r, rTrial] = [rTrial, r];
        cost = trialCost;
        fresh = false;
        lambda *= Math.max(1 / 3, 1 - (2 * rho - 1) ** 3);
        nu = 2;
        if (small) {
          stop = 'step';
          break outer;
        }
        if (options.halt?.(theta)) {
          stop = 'halted';
          break outer;
        }
        slow = relative <= costTolerance ? slow + 1 : 0;
        if (slow >= 2) {
          stop = 'cost';
          break outer;
        }
        break;
      }
      if (small) {
        // Even a negligible step does not lower the cost: theta is a minimum to working precision.
        stop = 'step';
        break outer;
      }
      lambda *= nu;
      nu *= 2;
      if (!(lambda < 1e30)) {
        stop = 'no-descent';
        break outer;
      }
    }
  }
  if (!fresh) {
    problem.jacobian(theta, r, jac, held);
    jacobianEvaluations++;
  }
  return {
    theta,
    residual: r,
    jacobian: jac,
    cost,
    iterations,
    residualEvaluations,
    jacobianEvaluations,
    stop,
    converged: stop !== 'max-iterations' && stop !== 'no-descent' && stop !== 'halted' && stop !== 'budget',
    held,
  };
}
