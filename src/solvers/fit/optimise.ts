/**
 * The optimiser run of a fit: Levenberg–Marquardt on the peak model within the work budget, and
 * the policy that restarts it from the measured moments when the problem's start misses.
 */
import { levenbergMarquardt, type LeastSquaresBudget, type LeastSquaresResult } from '../leastsquares.js';
import { DataError } from './data.js';
import type { PeakModel } from './model.js';
import { momentStarts, type Starts } from './starts.js';

/** ½ Σ r². */
function costOf(r: Float64Array): number {
  let c = 0;
  for (let k = 0; k < r.length; k++) c += 0.5 * r[k] * r[k];
  return c;
}

/** Levenberg–Marquardt on one model, with its bound on ln tM and its work budget. */
class Optimiser {
  readonly budget: LeastSquaresBudget;
  private readonly lower: Float64Array;

  constructor(readonly model: PeakModel, readonly maxIterations: number, maxEvaluations: number) {
    const { work, fitted, layout } = model;
    // A fitted hold-up time that runs down to its floor is not determined by the data: it is held
    // at the floor (its Jacobian column no longer computed) and the other parameters are fitted.
    this.lower = new Float64Array(model.parameters).fill(-Infinity);
    if (fitted.holdup) this.lower[layout.holdup] = model.lnHoldupFloor;
    // Work budget: the optimiser checks before every step that the step and a Jacobian after it
    // fit; the final evaluation of the model on the whole grid (one chromatogram) is reserved.
    this.budget = {
      limit: maxEvaluations - 1,
      spent: () => work.evaluations,
      residualCost: work.residualCost,
      jacobianCost: work.jacobianCost(model.jacobianCalls),
    };
  }

  /** A run from `from` within the work limit `limit`, of at most `iterations` iterations. */
  run(from: Float64Array, limit = this.budget.limit, iterations = this.maxIterations): LeastSquaresResult {
    return levenbergMarquardt(this.model, from, { maxIterations: iterations, lower: this.lower, budget: { ...this.budget, limit } });
  }

  /** Whether the work left holds `residuals` residual and `jacobians` Jacobian evaluations. */
  room(residuals: number, jacobians: number): boolean {
    const { budget } = this;
    return budget.limit - this.model.work.evaluations >= residuals * budget.residualCost + jacobians * budget.jacobianCost;
  }

  /** `next`, run after `before`, with the iterations of both. */
  static after(before: LeastSquaresResult, next: LeastSquaresResult): LeastSquaresResult {
    return { ...next, iterations: before.iterations + next.iterations };
  }
}

/**
 * The fit from the measured moments `moments`, if they alone give a lower cost than `first`
 * reached and the fit from them ends lower too; null otherwise. "Lower" by more than 1e-12 of
 * the data's weighted variance: both at rounding level is a tie.
 */
function restartFromMoments(opt: Optimiser, moments: Starts, first: LeastSquaresResult): LeastSquaresResult | null {
  const { model } = opt;
  const theta = model.startVector(moments);
  const r = new Float64Array(model.residuals);
  // Room for the moments' residual, the restarted fit's start (residual, Jacobian) and one step.
  if (!(opt.room(3, 2) && model.residual(theta, r))) return null;
  const margin = 1e-12 * model.dataSpread();
  if (!(costOf(r) < first.cost - margin)) return null;
  const second = opt.run(theta, opt.budget.limit, Math.max(1, opt.maxIterations - first.iterations));
  return second.cost < first.cost - margin ? Optimiser.after(first, second) : null;
}

/**
 * Fits the model from `starts` within the budget. A start from the problem's ka, kd can be so far
 * off that its peak misses the data (zero gradient: a false minimum). That start gets half the
 * budget; if the measured moments alone then give a lower cost than the fit reached, it is fitted
 * again from them (if the budget leaves room for a start and a step) and the better result is
 * kept; otherwise the fit from the problem's start goes on with the rest of the budget. Returns
 * the result, whether it was restarted, and the starts it came from.
 */
export function optimise(
  model: PeakModel, starts: Starts, maxIterations: number, maxEvaluations: number, from?: Float64Array,
): { lm: LeastSquaresResult; restarted: boolean; starts: Starts } {
  const theta0 = from ?? model.startVector(starts);
  if (!model.residual(theta0, new Float64Array(model.residuals))) {
    throw new DataError('data', 'the start values lie outside the model domain (a peak before the hold-up time?)');
  }
  // a saturating peak's loading: the best of a few (its start is one guess otherwise)
  if (from === undefined) model.scanLoadings(theta0);
  const opt = new Optimiser(model, maxIterations, maxEvaluations);
  // A given start (the fit without its mechanisms' parameters, fitWithMechanisms) is run as it is.
  const fromProblem = from === undefined && starts.source.includes('problem');
  const lm = opt.run(theta0, fromProblem ? 0.5 * (opt.budget.limit + model.work.evaluations) : opt.budget.limit);
  if (!fromProblem) return { lm, restarted: false, starts };
  const moments = momentStarts(starts);
  const restarted = restartFromMoments(opt, moments, lm);
  if (restarted) return { lm: restarted, restarted: true, starts: moments };
  if (lm.stop === 'budget' && opt.room(1, 2) && lm.iterations < maxIterations && from === undefined) {
    // The problem's start is still the better one: go on from where its half ended.
    const more = opt.run(lm.theta, opt.budget.limit, maxIterations - lm.iterations);
    return { lm: Optimiser.after(lm, more), restarted: false, starts };
  }
  return { lm, restarted: false, starts };
}
